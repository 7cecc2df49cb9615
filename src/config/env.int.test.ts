import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { ENV_VARIABLES, loadConfig } from './config';
import { readProcessEnv } from './env';

describe('readProcessEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vetodesk-env-'));

  it('fills in variables from a .env file without overriding the real environment', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'VETODESK_TEST_FROM_FILE=file\nPATH=from-file\n');
    const env = readProcessEnv(file);
    expect(env.VETODESK_TEST_FROM_FILE).toBe('file');
    expect(env.PATH).toBe(process.env.PATH);
    expect(process.env.VETODESK_TEST_FROM_FILE).toBeUndefined();
  });

  it('works without a .env file', () => {
    const env = readProcessEnv(join(dir, 'missing.env'));
    expect(env.PATH).toBe(process.env.PATH);
  });
});

describe('.env.example', () => {
  const file = join(__dirname, '..', '..', '.env.example');
  const text = readFileSync(file, 'utf8');

  it('documents every variable the desk reads', () => {
    for (const name of ENV_VARIABLES) expect(text).toMatch(new RegExp(`^# ${name}: `, 'm'));
  });

  it('is itself a valid configuration', () => {
    expect(loadConfig(parse(text)).devnet).toBe(true);
  });
});
