import pino from 'pino';
import { redactSecrets } from '../lib/redact';

/** Levels accepted by `LOG_LEVEL`, most to least verbose, plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** configured secrets (keys, tokens) to mask wherever they appear, on top of the patterns */
  secrets?: readonly string[];
}

/**
 * The desk's one logger: structured JSON lines on stdout, ISO timestamps. Every line is redacted
 * as a whole just before it is written (`redactSecrets`): an RPC key inside an error's message,
 * its stack or a nested `cause` is masked wherever a caller put it, so no call site has to remember.
 * Pass `destination` only in tests that want to capture the lines.
 *
 * @example
 * const logger = createLogger('info', undefined, { secrets: configSecrets(config) });
 * logger.info({ block: 123 }, 'indexed');
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream, o: LoggerOptions = {}): Logger {
  const secrets = (o.secrets ?? []).filter((s) => s.length >= 6);
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
