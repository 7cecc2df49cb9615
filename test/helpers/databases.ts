/**
 * Fresh databases for integration tests: a temporary SQLite file, or a new PostgreSQL database
 * on the local server (127.0.0.1:5432, trust auth; override with TEST_POSTGRES_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseTarget } from '../../src/store/database';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export type DbKind = 'sqlite' | 'postgresql';
export const DB_KINDS: DbKind[] = ['sqlite', 'postgresql'];

export interface TestDatabase {
  target: DatabaseTarget;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  const name = `vd_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-'));
    const url = `file:${path.join(dir, `${name}.db`)}`;
    return { target: { kind, url }, url, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(POSTGRES_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    target: { kind, url },
    url,
    async drop() {
      const c = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
