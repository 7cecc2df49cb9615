/**
 * The one place that opens the database. SQLite (default, embedded) and PostgreSQL use two
 * Prisma clients generated from the same models (see scripts/prisma-gen.js); both are typed as
 * the SQLite client, whose model API is identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient as SqliteClient } from './generated/sqlite';
import { PrismaClient as PostgresClient } from './generated/postgresql';
import { DeskError } from '../errors';
import { applyMigrations } from './migrate';
import { watchWrites } from './writeWatch';
import { pgRows, pgSql, sqliteRows, txSql, type RawSqlite, type TxSql } from './bulk';

import type { Db, DbKind } from './dbKind';

export type { Db, DbKind };

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
  /**
   * Runs `fn` in one transaction of raw SQL, committed when it resolves, rolled back when it
   * throws: on SQLite a Prisma transaction on the adapter's connection (see bulk.ts txSql), on
   * PostgreSQL a connection of the desk's own small pool, beside Prisma's (the ingest store's
   * writes, whose megabytes of parameters Prisma's query compiler would otherwise serialise, and
   * the batches of lapses and impact figures: see bulk.ts).
   */
  transaction<T>(fn: (sql: TxSql) => Promise<T>): Promise<T>;
  /**
   * A read of raw SQL outside any transaction, each row an array of the selected columns in
   * order (TxSql's placeholders and value types): on SQLite on the adapter's connection (the view
   * Prisma's own reads get), on PostgreSQL on the desk's pool. For large reads whose rows Prisma
   * would map one by one.
   */
  queryRows(sql: string, ...params: unknown[]): Promise<unknown[][]>;
  /**
   * How many times a write that a view may show was committed by this process (see
   * writeWatch.ts): answers computed at one count are current while it stays.
   */
  changes(): number;
  close(): Promise<void>;
}

/** the longest an ingest transaction may run (a backfill batch of thousands of requests takes well under a second) */
const TRANSACTION_TIMEOUT_MS = 60_000;
/** how long a transaction may wait for its turn (SQLite's single connection, a PostgreSQL pool's connection) */
export const TRANSACTION_MAX_WAIT_MS = 30_000;

/** `file:./data/x.db` → absolute path (relative to the working directory). */
export function sqlitePathFromUrl(url: string): string {
  const p = url.replace(/^file:/, '');
  return path.resolve(p);
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  let db: Db;
  let raw: RawSqlite | null = null;
  let changes = 0;
  const changed = () => void changes++;
  if (target.kind === 'sqlite') {
    const file = sqlitePathFromUrl(target.url);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const factory = new PrismaBetterSQLite3({ url: `file:${file}` });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      raw = asRawSqlite((adapter as unknown as { client?: unknown }).client);
      return watchWrites(adapter, changed);
    };
    db = new SqliteClient({ adapter: factory });
    // WAL lets the API read while ingest writes; busy_timeout makes a second process wait for
    // the write lock instead of failing at once.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
  } else {
    const factory = new PrismaPg({ connectionString: target.url });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => watchWrites(await connect(), changed);
    const client = new PostgresClient({ adapter: factory });
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
  const kind = target.kind;
  if (kind === 'sqlite') {
    return {
      db,
      kind,
      target,
      rawSqlite: () => raw,
      // its statements run on the raw connection, which the adapter's watch does not see
      transaction: (fn) => db.$transaction(async (tx) => fn(txSql(tx, kind, raw)), { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_MAX_WAIT_MS }).finally(changed),
      changes: () => changes,
      queryRows: async (sql, ...params) => (raw ? sqliteRows(raw, sql, params) : (await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params)).map((r) => Object.values(r))),
      close: () => db.$disconnect(),
    };
  }
  // as many as Prisma's own pool: the hot reads (modelRows.ts) moved here from it, beside the
  // ingest's transactions
  const pool = new Pool({ connectionString: target.url, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: TRANSACTION_MAX_WAIT_MS });
  // an idle connection the server dropped: the pool replaces it on the next use (unhandled, this
  // event would end the process)
  pool.on('error', () => undefined);
  return {
    db,
    kind,
    target,
    rawSqlite: () => null,
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query(`BEGIN; SET LOCAL statement_timeout = ${TRANSACTION_TIMEOUT_MS}`);
        const result = await fn(pgSql(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {
          broken = true; // the session is unusable: do not hand it out again
        });
        throw e;
      } finally {
        client.release(broken);
        changed();
      }
    },
    queryRows: (sql, ...params) => pgRows(pool, sql, params),
    changes: () => changes,
    close: async () => {
      await db.$disconnect();
      await pool.end();
    },
  };
}

/**
 * The better-sqlite3 Database under `@prisma/adapter-better-sqlite3` (its `client` field, not a
 * public API: checked by shape, and without it the bulk inserts take the adapter's path).
 */
function asRawSqlite(client: unknown): RawSqlite | null {
  const c = client as Partial<RawSqlite> & { open?: unknown } | null | undefined;
  if (!(c && typeof c.prepare === 'function' && typeof c.inTransaction === 'boolean' && c.open === true)) return null;
  return typeof (c as RawSqlite).prepare('SELECT 1').raw === 'function' ? (c as RawSqlite) : null;
}
