import pino from 'pino';

/** Levels accepted by `LOG_LEVEL`, most to least verbose, plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Logger = pino.Logger;

/**
 * The desk's one logger: structured JSON lines on stdout, ISO timestamps.
 * Pass `destination` only in tests that want to capture the lines.
 *
 * @example
 * const logger = createLogger('info');
 * logger.info({ block: 123 }, 'indexed');
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}
