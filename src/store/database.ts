/**
 * The one place that opens the database. SQLite (default, embedded) and PostgreSQL use two
 * Prisma clients generated from the same models (see scripts/prisma-gen.js); both are typed as
 * the SQLite client, whose model API is identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite';
import { PrismaClient as PostgresClient } from './generated/postgresql';
import { DeskError } from '../errors';
import { applyMigrations } from './migrate';
import type { RawSqlite } from './bulk';

export type Db = SqliteClient;
export type DbKind = 'sqlite' | 'postgresql';

export type DatabaseTarget = { kind: 'sqlite'; url: string } | { kind: 'postgresql'; url: string };

export interface Database {
  db: Db;
  kind: DbKind;
  /** what was opened (the single-actor lease opens its own PostgreSQL session from it) */
  target: DatabaseTarget;
  /**
   * SQLite: the adapter's own better-sqlite3 connection, for bulk inserts inside a Prisma
   * transaction (store/bulk.ts); null on PostgreSQL, or if the adapter no longer exposes it.
   */
  rawSqlite(): RawSqlite | null;
  close(): Promise<void>;
}

/** `file:./data/x.db` → absolute path (relative to the working directory). */
export function sqlitePathFromUrl(url: string): string {
  const p = url.replace(/^file:/, '');
  return path.resolve(p);
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  let db: Db;
  let raw: RawSqlite | null = null;
  if (target.kind === 'sqlite') {
    const file = sqlitePathFromUrl(target.url);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const factory = new PrismaBetterSQLite3({ url: `file:${file}` });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      raw = asRawSqlite((adapter as unknown as { client?: unknown }).client);
      return adapter;
    };
    db = new SqliteClient({ adapter: factory });
    // WAL lets the API read while ingest writes; busy_timeout makes a second process wait for
    // the write lock instead of failing at once.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
  } else {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    db = client as unknown as Db;
  }
  try {
    await db.$connect();
    await applyMigrations(db, target.kind);
  } catch (e) {
    await db.$disconnect().catch(() => undefined);
    if (e instanceof DeskError) throw e;
    throw new DeskError('DATABASE_ERROR', `cannot open the ${target.kind} database: ${(e as Error).message}`, {
      cause: e,
      retryable: true,
    });
  }
  return { db, kind: target.kind, target, rawSqlite: () => raw, close: () => db.$disconnect() };
}

/**
 * The better-sqlite3 Database under `@prisma/adapter-better-sqlite3` (its `client` field, not a
 * public API: checked by shape, and without it the bulk inserts take the adapter's path).
 */
function asRawSqlite(client: unknown): RawSqlite | null {
  const c = client as Partial<RawSqlite> & { open?: unknown } | null | undefined;
  return c && typeof c.prepare === 'function' && typeof c.inTransaction === 'boolean' && c.open === true ? (c as RawSqlite) : null;
}
