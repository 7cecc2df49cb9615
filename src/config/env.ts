import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { DeskError } from '../errors';

/**
 * The only reader of `process.env` in the desk. Returns a copy of the environment with the
 * variables of a `.env` file (if one exists) filled in underneath: a variable set in the real
 * environment wins over the file. `process.env` itself is left untouched.
 *
 * @example
 * const config = loadConfig(readProcessEnv());
 */
export function readProcessEnv(
  envFile: string = resolve(process.cwd(), '.env'),
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  if (existsSync(envFile)) {
    const result = dotenv.config({ path: envFile, processEnv: env, quiet: true, override: false });
    if (result.error !== undefined) {
      throw new DeskError('CONFIG_INVALID', `${envFile}: cannot be read`, { cause: result.error });
    }
  }
  return env;
}
