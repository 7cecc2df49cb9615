import fs from 'node:fs';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { LogLevel } from '../lib/logger';
import { redactUrl } from '../lib/redact';
import {
  addressVariable,
  databaseVariable,
  integerVariable,
  logLevelVariable,
  rpcUrlsVariable,
  privateKeyVariable,
  contractNetworksVariable,
  txServiceUrlVariable,
  secretVariable,
  booleanVariable,
  enumVariable,
  durationVariable,
  etherVariable,
  gweiVariable,
  publicUrlVariable,
  trustProxyVariable,
  hostVariable,
  optionalBooleanVariable,
  type ContractNetworks,
  type TrustProxy,
  type DatabaseConfig,
} from './variables';
import {
  DEFAULT_REMINDER_LEAD_TIMES,
  parseLeadTimes,
  readAlertRoutesFile,
  type AlertChannelConfig,
} from './alertRoutes';

/** Where the chain comes from: the embedded devnet, or RPC endpoints watching a given slasher. */
export type ChainConfig =
  | {
      /** no RPC_URL: the desk starts its embedded local devnet */
      devnet: true;
      rpcUrls: [];
      slasherAddress?: `0x${string}`;
    }
  | {
      devnet: false;
      /** first is primary, the rest are fallbacks; deduplicated, order kept */
      rpcUrls: [string, ...string[]];
      /** checksummed */
      slasherAddress: `0x${string}`;
    };

export type Config = ChainConfig & {
  /** undefined: start at the slasher's deployment block, or 0 (resolved by the chain code) */
  startBlock?: number;
  /** blocks a log must be buried under before the desk calls it confirmed */
  confirmations: number;
  database: DatabaseConfig;
  port: number;
  /** checksummed; undefined: ask the slasher */
  avsAddress?: `0x${string}`;
  logLevel: LogLevel;
  pollIntervalMs: number;
  /** blocks of history kept to revert reorgs */
  reorgDepth: number;
  /** largest eth_getLogs block range the backfill starts with and grows back to */
  maxLogRange: number;
  /** the provider's calls per second (each batch element counts); undefined: learnt from its HTTP 429s */
  rpcMaxCallsPerSecond?: number;
  /** alert channels (env webhook first, then ALERT_ROUTES_FILE) and reminder lead times */
  alerts: AlertsConfig;
  // ── safe ──
  /** sends execTransaction once a veto has its signatures; undefined: the desk never sends */
  executorPrivateKey?: `0x${string}`;
  /** protocol-kit contractNetworks for chains the Safe SDK has no addresses for */
  safeContractNetworks?: ContractNetworks;
  /** Safe Transaction Service base URL (ends in /api); undefined: not used */
  safeTxServiceUrl?: string;
  safeApiKey?: string;
  // ── scheduler ──
  scheduler: SchedulerConfig;
  // ── security ──
  /** the origin people open the desk at; sign-in messages must name it. undefined: loopback only */
  publicUrl?: string;
  /** express `trust proxy`: how the client address and scheme are read behind a TLS proxy */
  trustProxy: TrustProxy;
  /** bind address of the HTTP server */
  host: string;
  /** per client address and minute; 0 = no limit */
  rateLimit: { readsPerMinute: number; writesPerMinute: number };
};

export const VETO_EXECUTION_POLICIES = ['at_threshold', 'before_deadline'] as const;
export const FULFIL_FUNCTIONS = ['fulfillSlashingRequest', 'fulfillSlashingRequestAndBurnOrRedistribute'] as const;

export interface SchedulerConfig {
  /** the slasher EOA's key: the desk sends fulfillSlashingRequest itself; undefined: a Safe or nobody */
  slasherPrivateKey?: `0x${string}`;
  /** compute, log and alert, never send a transaction */
  dryRun: boolean;
  /** at_threshold: execute a veto as soon as it has its signatures; before_deadline: hold it until VETO_ESCALATION_LEAD_TIME before the window closes */
  vetoExecutionPolicy: (typeof VETO_EXECUTION_POLICIES)[number];
  /** seconds before the window closes at which a veto without quorum escalates (critical alert) */
  vetoEscalationLeadSec: number;
  /** V4 only may use the burn-or-redistribute variant */
  fulfilFunction: (typeof FULFIL_FUNCTIONS)[number];
  /** a sent transaction whose tip is below the market's is re-priced after this many blocks (at once when its fee cap is below the base fee) */
  feeBumpBlocks: number;
  /** the single-actor lease is renewed every third of this and taken over once it lapses */
  leaseTtlMs: number;
  /** the executor / slasher account's balance below which an alert fires */
  minBalanceWei: bigint;
  /** the highest maxFeePerGas the desk pays (fee bumps stop there, alerted) */
  maxFeePerGasWei: bigint;
  /** fulfil a request whose stake escaped once when the operator is slashable again */
  fulfilAfterLapse: boolean;
}

export interface AlertsConfig {
  channels: AlertChannelConfig[];
  /** seconds before the veto window closes, largest first */
  reminderLeadTimesSec: number[];
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_POLL_INTERVAL_MS = 2000;
export const DEFAULT_REORG_DEPTH = 64;
export const DEFAULT_MAX_LOG_RANGE = 10_000;
export const DEFAULT_CONFIRMATIONS = { devnet: 0, rpc: 2 } as const;
/** the devnet serves its owners' (public) dev keys: loopback only; a production desk is reached over the network */
export const DEFAULT_HOST = { devnet: '127.0.0.1', rpc: '0.0.0.0' } as const;
export const DEFAULT_RATE_LIMIT = { readsPerMinute: 600, writesPerMinute: 30 } as const;

/**
 * Settings that only make sense for a real deployment: with any of them present, a missing
 * RPC_URL is a mistake (a blank secret, a typo), not a request for the demo devnet.
 */
const PRODUCTION_SETTINGS = ['SLASHER_ADDRESS', 'AVS_ADDRESS', 'DATABASE_URL', 'EXECUTOR_PRIVATE_KEY', 'SLASHER_PRIVATE_KEY', 'ALERT_WEBHOOK_URL', 'ALERT_ROUTES_FILE', 'SAFE_TX_SERVICE_URL', 'SAFE_API_KEY', 'SAFE_CONTRACT_NETWORKS', 'PUBLIC_URL', 'TRUST_PROXY'] as const;

const NON_NEGATIVE = 'must be a non-negative integer';

/** The environment variables the desk reads, in the order problems are reported. */
const envSchema = z
  .object({
    RPC_URL: rpcUrlsVariable(),
    SLASHER_ADDRESS: addressVariable(),
    START_BLOCK: integerVariable({ min: 0 }, NON_NEGATIVE, undefined),
    CONFIRMATIONS: integerVariable({ min: 0 }, NON_NEGATIVE, undefined),
    DATABASE_URL: databaseVariable(),
    PORT: integerVariable(
      { min: 1, max: 65535 },
      'must be an integer between 1 and 65535',
      DEFAULT_PORT,
    ),
    AVS_ADDRESS: addressVariable(),
    LOG_LEVEL: logLevelVariable(),
    POLL_INTERVAL_MS: integerVariable(
      { min: 100 },
      'must be an integer number of milliseconds, at least 100',
      DEFAULT_POLL_INTERVAL_MS,
    ),
    REORG_DEPTH: integerVariable(
      { min: 1 },
      'must be an integer number of blocks, at least 1',
      DEFAULT_REORG_DEPTH,
    ),
    MAX_LOG_RANGE: integerVariable(
      { min: 1 },
      'must be an integer number of blocks, at least 1',
      DEFAULT_MAX_LOG_RANGE,
    ),
    RPC_MAX_CALLS_PER_SECOND: integerVariable({ min: 1, max: 1_000_000 }, 'must be an integer number of calls per second, at least 1', undefined),
    // ── alerts ──
    ALERT_WEBHOOK_URL: alertVariable((v) => (/^https?:\/\/[^/]/.test(v) ? { ok: true, value: v } : { ok: false, problem: 'must be an http(s):// URL' })),
    ALERT_WEBHOOK_SECRET: alertVariable((v) => ({ ok: true, value: v })),
    ALERT_ROUTES_FILE: alertVariable(readAlertRoutesFile),
    ALERT_REMINDER_LEAD_TIMES: alertVariable(parseLeadTimes),
    // ── safe ──
    EXECUTOR_PRIVATE_KEY: privateKeyVariable(),
    SAFE_CONTRACT_NETWORKS: contractNetworksVariable((file) => fs.readFileSync(file, 'utf8')),
    SAFE_TX_SERVICE_URL: txServiceUrlVariable(),
    SAFE_API_KEY: secretVariable(),
    // ── scheduler ──
    SLASHER_PRIVATE_KEY: privateKeyVariable(),
    DRY_RUN: booleanVariable(false),
    VETO_EXECUTION_POLICY: enumVariable(VETO_EXECUTION_POLICIES, 'at_threshold'),
    VETO_ESCALATION_LEAD_TIME: durationVariable(3600),
    FULFIL_FUNCTION: enumVariable(FULFIL_FUNCTIONS, 'fulfillSlashingRequest'),
    FEE_BUMP_BLOCKS: integerVariable({ min: 1, max: 1000 }, 'must be an integer number of blocks between 1 and 1000', 2),
    LEASE_TTL_MS: integerVariable({ min: 1000 }, 'must be an integer number of milliseconds, at least 1000', 9_000),
    ALERT_MIN_BALANCE: etherVariable(50_000_000_000_000_000n),
    MAX_FEE_PER_GAS_GWEI: gweiVariable(500_000_000_000n),
    FULFIL_AFTER_LAPSE: booleanVariable(false),
    // ── security ──
    DEVNET: optionalBooleanVariable(),
    PUBLIC_URL: publicUrlVariable(),
    TRUST_PROXY: trustProxyVariable(),
    HOST: hostVariable(),
    RATE_LIMIT_READS: integerVariable({ min: 0, max: 1_000_000 }, 'must be a number of requests per minute per client address, 0 for no limit', DEFAULT_RATE_LIMIT.readsPerMinute),
    RATE_LIMIT_WRITES: integerVariable({ min: 0, max: 1_000_000 }, 'must be a number of requests per minute per client address, 0 for no limit', DEFAULT_RATE_LIMIT.writesPerMinute),
  })
  .superRefine(
    (vars, ctx) => {
      // runs even when other variables failed, so every problem is reported at once
      if (vars.RPC_URL !== undefined && vars.SLASHER_ADDRESS === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLASHER_ADDRESS'],
          message: 'is required when RPC_URL is set (the VetoableSlasher to track)',
        });
      }
      if (vars.DEVNET === false && vars.RPC_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['RPC_URL'], message: 'is required with DEVNET=false' });
      }
      if (vars.DEVNET === true && vars.RPC_URL !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['DEVNET'], message: 'runs the embedded devnet, but RPC_URL is set: unset one of them' });
      }
      if (vars.ALERT_WEBHOOK_URL !== undefined && vars.ALERT_ROUTES_FILE?.some((c) => c.name === 'webhook')) {
        ctx.addIssue({
          code: 'custom',
          path: ['ALERT_ROUTES_FILE'],
          message: 'names a channel "webhook", the name of the ALERT_WEBHOOK_URL channel: rename it',
        });
      }
    },
    { when: () => true },
  );

/**
 * For the desk itself (not for tools such as `alerts test`, which never start a chain): a
 * missing RPC_URL next to any production setting is a mistake (a blank secret, a typo), never a
 * request for the demo devnet with its dev keys and seeded requests paging real channels.
 */
const deskEnvSchema = envSchema.superRefine(
  (vars, ctx) => {
    if (vars.RPC_URL !== undefined || vars.DEVNET !== undefined) return;
    const production = PRODUCTION_SETTINGS.filter((name) => (name === 'DATABASE_URL' ? vars.DATABASE_URL?.kind === 'postgresql' : name === 'TRUST_PROXY' ? vars.TRUST_PROXY !== false : vars[name] !== undefined));
    if (production.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['RPC_URL'],
        message: `is unset but production settings are present (${production.join(', ')}): set RPC_URL, or DEVNET=true to run the embedded devnet with them`,
      });
    }
  },
  { when: () => true },
);

export type EnvVariable = keyof z.input<typeof envSchema>;
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

/** Variables whose raw value may hold a secret and is redacted before being echoed. */
const URL_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>(['RPC_URL', 'DATABASE_URL', 'ALERT_WEBHOOK_URL', 'PUBLIC_URL']);
const SECRET_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>(['ALERT_WEBHOOK_SECRET', 'EXECUTOR_PRIVATE_KEY', 'SAFE_API_KEY', 'SLASHER_PRIVATE_KEY']);

/** An optional variable parsed by `parse`; blank = unset. */
function alertVariable<T>(parse: (value: string) => { ok: true; value: T } | { ok: false; problem: string }) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const value = raw?.trim();
      if (value === undefined || value === '') return undefined;
      const parsed = parse(value);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    });
}

function describeValue(name: string, raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'unset';
  const value = raw.trim();
  if (SECRET_VARIABLES.has(name)) return 'got a value (hidden)';
  const shown = URL_VARIABLES.has(name) ? value.split(',').map(redactUrl).join(',') : value;
  const clipped = shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
  return `got ${JSON.stringify(clipped)}`;
}

export interface LoadConfigOptions {
  /**
   * The configuration is for starting the desk (`npm start`): without RPC_URL the embedded devnet
   * starts, so production settings without RPC_URL are refused unless DEVNET=true.
   */
  startingDesk?: boolean;
}

/**
 * Parses and validates the desk's configuration from environment variables. Blank values count
 * as unset. Reads nothing itself: pass `readProcessEnv()` in production, a literal in tests.
 *
 * @throws DeskError `CONFIG_INVALID` listing one line per bad variable, all of them at once.
 * @example
 * const config = loadConfig({ RPC_URL: 'https://rpc.example', SLASHER_ADDRESS: '0x…' }, { startingDesk: true });
 */
export function loadConfig(env: Record<string, string | undefined>, o: LoadConfigOptions = {}): Config {
  const result = (o.startingDesk ? deskEnvSchema : envSchema).safeParse(pickEnv(env));
  if (!result.success) {
    const problems = new Map<string, string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '(environment)');
      if (problems.has(name)) continue;
      problems.set(name, `${name}: ${issue.message} (${describeValue(name, env[name])})`);
    }
    const lines = ENV_VARIABLES.flatMap((name) => problems.get(name) ?? []);
    throw new DeskError('CONFIG_INVALID', lines.join('\n'));
  }
  const vars = result.data;
  const common = {
    startBlock: vars.START_BLOCK,
    database: vars.DATABASE_URL,
    port: vars.PORT,
    avsAddress: vars.AVS_ADDRESS,
    logLevel: vars.LOG_LEVEL,
    pollIntervalMs: vars.POLL_INTERVAL_MS,
    reorgDepth: vars.REORG_DEPTH,
    maxLogRange: vars.MAX_LOG_RANGE,
    rpcMaxCallsPerSecond: vars.RPC_MAX_CALLS_PER_SECOND,
    alerts: {
      channels: [
        ...(vars.ALERT_WEBHOOK_URL !== undefined
          ? [{ name: 'webhook', type: 'webhook' as const, url: vars.ALERT_WEBHOOK_URL, secret: vars.ALERT_WEBHOOK_SECRET, minSeverity: 'info' as const }]
          : []),
        ...(vars.ALERT_ROUTES_FILE ?? []),
      ],
      reminderLeadTimesSec: vars.ALERT_REMINDER_LEAD_TIMES ?? (parseLeadTimes(DEFAULT_REMINDER_LEAD_TIMES) as { ok: true; value: number[] }).value,
    },
    ...(vars.EXECUTOR_PRIVATE_KEY ? { executorPrivateKey: vars.EXECUTOR_PRIVATE_KEY } : {}),
    ...(vars.SAFE_CONTRACT_NETWORKS ? { safeContractNetworks: vars.SAFE_CONTRACT_NETWORKS } : {}),
    ...(vars.SAFE_TX_SERVICE_URL ? { safeTxServiceUrl: vars.SAFE_TX_SERVICE_URL } : {}),
    ...(vars.SAFE_API_KEY ? { safeApiKey: vars.SAFE_API_KEY } : {}),
    scheduler: {
      ...(vars.SLASHER_PRIVATE_KEY ? { slasherPrivateKey: vars.SLASHER_PRIVATE_KEY } : {}),
      dryRun: vars.DRY_RUN,
      vetoExecutionPolicy: vars.VETO_EXECUTION_POLICY,
      vetoEscalationLeadSec: vars.VETO_ESCALATION_LEAD_TIME,
      fulfilFunction: vars.FULFIL_FUNCTION,
      feeBumpBlocks: vars.FEE_BUMP_BLOCKS,
      leaseTtlMs: vars.LEASE_TTL_MS,
      minBalanceWei: vars.ALERT_MIN_BALANCE,
      maxFeePerGasWei: vars.MAX_FEE_PER_GAS_GWEI,
      fulfilAfterLapse: vars.FULFIL_AFTER_LAPSE,
    },
    ...(vars.PUBLIC_URL ? { publicUrl: vars.PUBLIC_URL } : {}),
    trustProxy: vars.TRUST_PROXY,
    rateLimit: { readsPerMinute: vars.RATE_LIMIT_READS, writesPerMinute: vars.RATE_LIMIT_WRITES },
  };
  if (vars.RPC_URL === undefined) {
    return {
      devnet: true,
      rpcUrls: [],
      slasherAddress: vars.SLASHER_ADDRESS,
      confirmations: vars.CONFIRMATIONS ?? DEFAULT_CONFIRMATIONS.devnet,
      host: vars.HOST ?? DEFAULT_HOST.devnet,
      ...common,
    };
  }
  if (vars.SLASHER_ADDRESS === undefined) throw new Error('unreachable: checked by envSchema');
  return {
    devnet: false,
    rpcUrls: vars.RPC_URL,
    slasherAddress: vars.SLASHER_ADDRESS,
    confirmations: vars.CONFIRMATIONS ?? DEFAULT_CONFIRMATIONS.rpc,
    host: vars.HOST ?? DEFAULT_HOST.rpc,
    ...common,
  };
}

/** Only our variables, and only string values, reach the schema. */
function pickEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(ENV_VARIABLES.map((name) => [name, env[name]]));
}
