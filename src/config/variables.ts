/**
 * One zod schema per environment variable. Each takes the raw string (or undefined), treats a
 * blank value as unset, and reports a problem as a single sentence: `loadConfig` prefixes the
 * variable's name and the value it got.
 */
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
