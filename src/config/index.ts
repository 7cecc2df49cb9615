export {
  loadConfig,
  ENV_VARIABLES,
  DEFAULT_CONFIRMATIONS,
  DEFAULT_MAX_LOG_RANGE,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PORT,
  DEFAULT_HOST,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REORG_DEPTH,
  type ChainConfig,
  type Config,
  type EnvVariable,
  type LoadConfigOptions,
} from './config';
export { formatConfigForLog, configSecrets, type LoggableConfig } from './logged';
export { readProcessEnv } from './env';
export { redactSecrets, redactUrl } from '../lib/redact';
export { DEFAULT_DATABASE, type DatabaseConfig, type TrustProxy } from './variables';
