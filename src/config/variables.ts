/**
 * One zod schema per environment variable. Each takes the raw string (or undefined), treats a
 * blank value as unset, and reports a problem as a single sentence: `loadConfig` prefixes the
 * variable's name and the value it got.
 */
import { isIP } from 'node:net';
import { getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../lib/logger';

export type DatabaseConfig =
  /** `path` is the file path as written: relative to the working directory unless absolute */
  | { kind: 'sqlite'; url: string; path: string }
  | { kind: 'postgresql'; url: string };

export const DEFAULT_DATABASE: DatabaseConfig = {
  kind: 'sqlite',
  url: 'file:./data/veto-desk.db',
  path: './data/veto-desk.db',
};

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

/** Wraps a parser of a non-blank string into a zod schema of an optional env variable. */
function envVariable<T, D extends T | undefined>(
  parse: (value: string) => Parsed<T>,
  fallback: D,
) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | D => {
      const value = raw?.trim();
      if (value === undefined || value === '') return fallback;
      const parsed = parse(value);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    });
}

function parseInteger(min: number, max: number, problem: string) {
  return (value: string): Parsed<number> => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? ok(n) : bad(problem);
  };
}

const MAX = Number.MAX_SAFE_INTEGER;

export function integerVariable<D extends number | undefined>(
  range: { min: number; max?: number },
  problem: string,
  fallback: D,
) {
  return envVariable(parseInteger(range.min, range.max ?? MAX, problem), fallback);
}

export function parseAddress(value: string): Parsed<`0x${string}`> {
  if (!isAddress(value, { strict: false })) {
    return bad('must be a 0x-prefixed address of 40 hex digits');
  }
  if (!isAddress(value, { strict: true })) {
    return bad('has a bad EIP-55 checksum: write it all lowercase or with the correct checksum');
  }
  return ok(getAddress(value));
}

export function addressVariable() {
  return envVariable(parseAddress, undefined);
}

const RPC_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:']);

export function parseRpcUrls(value: string): Parsed<[string, ...string[]]> {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const urls: string[] = [];
  for (const [index, entry] of entries.entries()) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (url === undefined || !RPC_PROTOCOLS.has(url.protocol) || url.hostname === '') {
      const which = entries.length === 1 ? 'must be' : `entry ${index + 1} must be`;
      return bad(`${which} an http(s):// or ws(s):// URL (several may be comma-separated)`);
    }
    if (!urls.includes(entry)) urls.push(entry);
  }
  const [first, ...rest] = urls;
  return first === undefined ? bad('must list at least one URL') : ok([first, ...rest]);
}

export function parseDatabaseUrl(value: string): Parsed<DatabaseConfig> {
  const problem = 'must be file:<path> (SQLite) or postgresql://… / postgres://… (PostgreSQL)';
  if (value.startsWith('file:')) {
    let path = value.slice('file:'.length);
    if (path.startsWith('//')) {
      try {
        path = decodeURIComponent(new URL(value).pathname);
      } catch {
        return bad(problem);
      }
    }
    path = path.split('?')[0] ?? '';
    if (path === '' || path.endsWith('/')) {
      return bad(`${problem}; the SQLite file path is missing`);
    }
    return ok({ kind: 'sqlite', url: value, path });
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      return bad(`${problem}; this PostgreSQL URL does not parse`);
    }
    return ok({ kind: 'postgresql', url: value });
  }
  return bad(problem);
}

export function databaseVariable() {
  return envVariable(parseDatabaseUrl, DEFAULT_DATABASE);
}

export function logLevelVariable() {
  return envVariable((value): Parsed<LogLevel> => {
    const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
    return level === undefined ? bad(`must be one of ${LOG_LEVELS.join(', ')}`) : ok(level);
  }, 'info' as const);
}

export function rpcUrlsVariable() {
  return envVariable(parseRpcUrls, undefined);
}

// ── safe ──

export function privateKeyVariable() {
  return envVariable((value): Parsed<`0x${string}`> => {
    const hex = value.startsWith('0x') ? value : `0x${value}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) return bad('must be a private key: 32 bytes as 64 hex digits, 0x-prefixed or not (the value is not shown)');
    if (/^0x0{64}$/.test(hex)) return bad('must not be zero');
    return ok(hex.toLowerCase() as `0x${string}`);
  }, undefined);
}

/** protocol-kit's `contractNetworks`: `{ "<chainId>": { safeSingletonAddress, … } }`. */
export type ContractNetworks = Record<string, Record<string, string>>;

const REQUIRED_NETWORK_KEYS = ['safeSingletonAddress', 'safeProxyFactoryAddress', 'multiSendAddress', 'multiSendCallOnlyAddress', 'fallbackHandlerAddress'];

export function parseContractNetworks(value: string, readFile: (path: string) => string): Parsed<ContractNetworks> {
  let text = value;
  if (!value.startsWith('{')) {
    try {
      text = readFile(value);
    } catch {
      return bad('must be JSON in protocol-kit contractNetworks shape, or the path of a readable file holding it');
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('is not valid JSON (expected { "<chainId>": { "safeSingletonAddress": "0x…", … } })');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('must be a JSON object keyed by chain id');
  for (const [chainId, entry] of Object.entries(json as Record<string, unknown>)) {
    if (!/^\d+$/.test(chainId)) return bad(`key ${JSON.stringify(chainId)} is not a chain id`);
    if (typeof entry !== 'object' || entry === null) return bad(`chain ${chainId}: entry must be an object of addresses`);
    for (const key of REQUIRED_NETWORK_KEYS) {
      const a = (entry as Record<string, unknown>)[key];
      if (typeof a !== 'string' || !isAddress(a, { strict: false })) return bad(`chain ${chainId}: ${key} must be an address`);
    }
  }
  return ok(json as ContractNetworks);
}

export function contractNetworksVariable(readFile: (path: string) => string) {
  return envVariable((value) => parseContractNetworks(value, readFile), undefined);
}

export function txServiceUrlVariable() {
  return envVariable((value): Parsed<string> => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return bad('must be an http(s):// URL ending in /api');
    }
    if (!['http:', 'https:'].includes(url.protocol)) return bad('must be an http(s):// URL ending in /api');
    const trimmed = value.replace(/\/+$/, '');
    if (!trimmed.endsWith('/api')) return bad('must end in /api (api-kit appends /v1/…, /v2/…)');
    return ok(trimmed);
  }, undefined);
}

export function secretVariable() {
  return envVariable((value): Parsed<string> => ok(value), undefined);
}

// ── scheduler ──

export function booleanVariable(fallback: boolean) {
  return envVariable((value): Parsed<boolean> => {
    const v = value.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return ok(true);
    if (['false', '0', 'no'].includes(v)) return ok(false);
    return bad('must be true or false');
  }, fallback);
}

export function enumVariable<T extends string>(values: readonly T[], fallback: T) {
  return envVariable((value): Parsed<T> => {
    const v = values.find((x) => x === value);
    return v === undefined ? bad(`must be one of ${values.join(', ')}`) : ok(v);
  }, fallback);
}

/** One duration such as 30m, 2h, 90s, 1d → seconds. */
export function durationVariable(fallbackSec: number) {
  return envVariable((value): Parsed<number> => {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
    const m = /^(\d+)([smhd])$/.exec(value);
    if (!m || Number(m[1]) === 0) return bad('must be a positive duration such as 90s, 30m, 2h or 1d');
    return ok(Number(m[1]) * unit[m[2]!]!);
  }, fallbackSec);
}

/** An amount of gwei as a decimal (e.g. 150 or 2.5) → wei; must be positive. */
export function gweiVariable(fallbackWei: bigint) {
  return envVariable((value): Parsed<bigint> => {
    const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
    if (!m) return bad('must be an amount of gwei such as 150 or 2.5 (up to 9 decimals)');
    const wei = BigInt(m[1]!) * 10n ** 9n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
    return wei > 0n ? ok(wei) : bad('must be more than 0 gwei');
  }, fallbackWei);
}

/** An amount of ether as a decimal (e.g. 0.05) → wei. */
export function etherVariable(fallbackWei: bigint) {
  return envVariable((value): Parsed<bigint> => {
    const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(value);
    if (!m) return bad('must be an amount of ether such as 0.05 (up to 18 decimals)');
    return ok(BigInt(m[1]!) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(18, '0') || '0'));
  }, fallbackWei);
}

// ── security: public origin, proxy, bind address ──

/**
 * The desk's public origin (`https://desk.example.org`): what sign-in messages must name. Only
 * scheme, host and port: a path, query or credentials would be silently ignored, so they are refused.
 */
export function publicUrlVariable() {
  return envVariable((value): Parsed<string> => {
    const problem = 'must be the http(s):// origin people open the desk at, such as https://desk.example.org (no path)';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return bad(problem);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.hostname === '') return bad(problem);
    if (url.username !== '' || url.password !== '') return bad(`${problem}; credentials are not allowed`);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return bad(problem);
    return ok(url.origin);
  }, undefined);
}

/**
 * express's `trust proxy`: `false`, a hop count, or the proxies' addresses. `true` (trust every
 * hop) is refused: it lets any client choose its own address by sending X-Forwarded-For.
 */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isIpOrCidr(entry: string): boolean {
  const [ip, bits, ...rest] = entry.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export function trustProxyVariable() {
  return envVariable((value): Parsed<TrustProxy> => {
    const v = value.toLowerCase();
    if (['false', 'no', '0'].includes(v)) return ok(false);
    if (['true', 'yes'].includes(v)) {
      return bad('true would trust every hop, so any client could forge its address: give the number of proxies in front (e.g. 1) or their addresses (e.g. loopback, 10.0.0.0/8)');
    }
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      return hops <= 10 ? ok(hops) : bad('must be a number of proxy hops between 0 and 10, or the proxies\' addresses');
    }
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    const wrong = entries.find((e) => !PROXY_NAMES.has(e) && !isIpOrCidr(e));
    if (entries.length === 0 || wrong !== undefined) {
      return bad(`must be false, a number of proxy hops (e.g. 1), or comma-separated proxy addresses: IPs, CIDRs, loopback, linklocal, uniquelocal${wrong !== undefined ? ` (not one: ${JSON.stringify(wrong.slice(0, 60))})` : ''}`);
    }
    return ok(entries);
  }, false as const);
}

/** The address the HTTP server binds: an IP literal or `localhost`. */
export function hostVariable() {
  return envVariable((value): Parsed<string> => {
    const v = value.replace(/^\[(.*)\]$/, '$1');
    return isIP(v) !== 0 || v === 'localhost' ? ok(v) : bad('must be an IP address to bind, such as 127.0.0.1, 0.0.0.0 or ::');
  }, undefined);
}

/** An optional true/false: undefined when unset. */
export function optionalBooleanVariable() {
  return envVariable((value): Parsed<boolean> => {
    const v = value.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return ok(true);
    if (['false', '0', 'no'].includes(v)) return ok(false);
    return bad('must be true or false');
  }, undefined);
}
