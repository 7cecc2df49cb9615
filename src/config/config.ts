import { z } from 'zod';
import { DeskError } from '../errors';
import type { LogLevel } from '../lib/logger';
import { redactUrl } from './redact';
import {
  addressVariable,
  databaseVariable,
  integerVariable,
  logLevelVariable,
  rpcUrlsVariable,
  type DatabaseConfig,
} from './variables';

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
};

export const DEFAULT_PORT = 8080;
export const DEFAULT_POLL_INTERVAL_MS = 2000;
export const DEFAULT_REORG_DEPTH = 64;
export const DEFAULT_MAX_LOG_RANGE = 10_000;
export const DEFAULT_CONFIRMATIONS = { devnet: 0, rpc: 2 } as const;

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
    },
    { when: () => true },
  );

export type EnvVariable = keyof z.input<typeof envSchema>;
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

/** Variables whose raw value may hold a secret and is redacted before being echoed. */
const URL_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>(['RPC_URL', 'DATABASE_URL']);

function describeValue(name: string, raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'unset';
  const value = raw.trim();
  const shown = URL_VARIABLES.has(name) ? value.split(',').map(redactUrl).join(',') : value;
  const clipped = shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
  return `got ${JSON.stringify(clipped)}`;
}

/**
 * Parses and validates the desk's configuration from environment variables. Blank values count
 * as unset. Reads nothing itself: pass `readProcessEnv()` in production, a literal in tests.
 *
 * @throws DeskError `CONFIG_INVALID` listing one line per bad variable, all of them at once.
 * @example
 * const config = loadConfig({ RPC_URL: 'https://rpc.example', SLASHER_ADDRESS: '0x…' });
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(pickEnv(env));
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
  };
  if (vars.RPC_URL === undefined) {
    return {
      devnet: true,
      rpcUrls: [],
      slasherAddress: vars.SLASHER_ADDRESS,
      confirmations: vars.CONFIRMATIONS ?? DEFAULT_CONFIRMATIONS.devnet,
      ...common,
    };
  }
  if (vars.SLASHER_ADDRESS === undefined) throw new Error('unreachable: checked by envSchema');
  return {
    devnet: false,
    rpcUrls: vars.RPC_URL,
    slasherAddress: vars.SLASHER_ADDRESS,
    confirmations: vars.CONFIRMATIONS ?? DEFAULT_CONFIRMATIONS.rpc,
    ...common,
  };
}

/** Only our variables, and only string values, reach the schema. */
function pickEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(ENV_VARIABLES.map((name) => [name, env[name]]));
}

/** The config as it may be logged: URLs with credentials and API keys masked. */
export type LoggableConfig = Omit<Config, 'rpcUrls' | 'database'> & {
  rpcUrls: string[];
  database: { kind: DatabaseConfig['kind']; url: string };
};

/**
 * A copy of the config that is safe to log.
 *
 * @example
 * logger.info({ config: formatConfigForLog(config) }, 'starting');
 */
export function formatConfigForLog(config: Config): LoggableConfig {
  return {
    ...config,
    rpcUrls: config.rpcUrls.map(redactUrl),
    database: { kind: config.database.kind, url: redactUrl(config.database.url) },
  };
}
