/** What of the config may be logged, and which of its values are secrets to mask anywhere. */
import { redactUrl } from '../lib/redact';
import type { Config, SchedulerConfig } from './config';
import type { AlertChannelConfig } from './alertRoutes';
import type { DatabaseConfig } from './variables';

/** The config as it may be logged: URLs with credentials and API keys masked. */
export type LoggableConfig = Omit<Config, 'rpcUrls' | 'database' | 'executorPrivateKey' | 'safeApiKey' | 'scheduler'> & {
  scheduler: Omit<SchedulerConfig, 'slasherPrivateKey' | 'minBalanceWei' | 'maxFeePerGasWei'> & { slasherPrivateKey?: string; minBalanceWei: string; maxFeePerGasWei: string };
  executorPrivateKey?: string;
  safeApiKey?: string;
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
    // channel URLs, tokens and secrets are credentials: log only what is configured
    alerts: { ...config.alerts, channels: config.alerts.channels.map((c) => ({ name: c.name, type: c.type }) as AlertChannelConfig) },
    ...(config.executorPrivateKey ? { executorPrivateKey: '***' } : {}),
    ...(config.safeApiKey ? { safeApiKey: '***' } : {}),
    scheduler: { ...config.scheduler, minBalanceWei: String(config.scheduler.minBalanceWei), maxFeePerGasWei: String(config.scheduler.maxFeePerGasWei), ...(config.scheduler.slasherPrivateKey ? { slasherPrivateKey: '***' } : {}) },
  };
}

/**
 * The configured secrets, for the logger to mask wherever they turn up (a key inside an error
 * message cannot be told from a transaction hash by its shape). Keys are listed with and
 * without their 0x.
 *
 * @example
 * const logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
 */
export function configSecrets(config: Config): string[] {
  const keys = [config.executorPrivateKey, config.scheduler.slasherPrivateKey].filter((k): k is `0x${string}` => k !== undefined);
  const channelSecrets = config.alerts.channels.flatMap((c): (string | undefined)[] => {
    switch (c.type) {
      case 'webhook':
        return [c.secret, c.url];
      case 'slack':
      case 'discord':
        return [c.url];
      case 'pagerduty':
        return [c.routingKey];
      case 'telegram':
        return [c.botToken];
      case 'email':
        return [];
    }
  });
  return [...keys.flatMap((k) => [k, k.slice(2)]), config.safeApiKey, ...channelSecrets].filter((s): s is string => s !== undefined && s.length >= 6);
}
