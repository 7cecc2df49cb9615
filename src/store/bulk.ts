/**
 * Multi-row INSERT for the backfill's bulk writes. Through the driver adapter a plain
 * parameterised statement costs a few µs a row (Prisma's createMany ~0.5 ms); on SQLite the
 * adapter's own better-sqlite3 connection, driven directly inside the open Prisma transaction,
 * costs a fraction of that again (one prepared statement run per row, no parameter marshalling).
 */
import type { DbKind } from './database';

type Executor = {
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
};

/** The synchronous better-sqlite3 connection under Prisma's SQLite adapter (see database.ts). */
export interface RawSqlite {
  prepare(sql: string): { run(...params: unknown[]): { changes: number }; all(...params: unknown[]): unknown[] };
  readonly inTransaction: boolean;
}

/**
 * Raw SQL inside a transaction. On SQLite with the adapter's connection inside the caller's
 * transaction, each statement runs synchronously on it (prepared once per connection), which
 * spares Prisma's per-query work (query plan, parameter marshalling, result mapping); otherwise
 * through `tx`. Placeholders are the database's own (`?` on SQLite, `$n` on PostgreSQL).
 */
export interface TxSql {
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  run(sql: string, ...params: unknown[]): Promise<number>;
}

export function txSql(tx: Executor, kind: DbKind, raw?: RawSqlite | null): TxSql {
  if (raw && kind === 'sqlite' && raw.inTransaction) {
    return {
      all: <T>(sql: string, ...params: unknown[]) => Promise.resolve(statement(raw, sql).all(params.map(sqliteValue)) as T[]),
      run: (sql: string, ...params: unknown[]) => Promise.resolve(statement(raw, sql).run(params.map(sqliteValue)).changes),
    };
  }
  return { all: <T>(sql: string, ...params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params), run: (sql: string, ...params: unknown[]) => tx.$executeRawUnsafe(sql, ...params) };
}

function statement(raw: RawSqlite, sql: string): ReturnType<RawSqlite['prepare']> {
  let cache = prepared.get(raw);
  if (!cache) prepared.set(raw, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = raw.prepare(sql)));
  return stmt;
}

/**
 * Bound parameters per SQLite statement through the adapter: under SQLite's limit (32766 since
 * 3.32; better-sqlite3 bundles a newer SQLite). Fewer, larger statements: each costs a round trip
 * through the driver adapter.
 */
const MAX_SQLITE_PARAMS = 32_000;

/** rows per PostgreSQL statement (one JSON text each, a few MB at most) */
const PG_JSON_ROWS = 5_000;

/**
 * A DateTime value as the driver adapter writes it for the model API, so that `due`'s range,
 * `claim`'s equality and every Prisma read treat bulk rows like the others. SQLite: ISO text
 * with "+00:00" (the better-sqlite3 adapter's default `iso8601` format); PostgreSQL: TIMESTAMP(3)
 * without time zone holding UTC, which ignores the "Z". Text rather than a Date parameter: Prisma's
 * per-parameter Date handling is the dearest part of a bulk statement.
 */
export const columnTime = (kind: DbKind, d: Date) => (kind === 'sqlite' ? d.toISOString().replace('Z', '+00:00') : d.toISOString());

const prepared = new WeakMap<RawSqlite, Map<string, ReturnType<RawSqlite['prepare']>>>();

/**
 * Inserts `rows` (values in `columns` order). With `raw`, the rows go straight through that
 * connection, which must be inside the caller's transaction (`tx` is that transaction): Prisma's
 * SQLite transaction is a BEGIN on the same connection, so these rows commit or roll back with it.
 * The row arrays are the caller's to give away: on that path a boolean or undefined in them is
 * replaced in place by what SQLite stores (1/0, null).
 */
export async function insertRows(db: Executor, kind: DbKind, table: string, columns: readonly string[], rows: readonly unknown[][], raw?: RawSqlite | null): Promise<void> {
  if (rows.length === 0) return;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  if (raw && kind === 'sqlite' && raw.inTransaction) {
    const stmt = statement(raw, `${head}(${columns.map(() => '?').join(', ')})`);
    // an array binds as the anonymous parameters
    for (const row of rows) {
      for (let k = 0; k < row.length; k++) {
        const v = row[k];
        if (typeof v === 'boolean' || v === undefined) row[k] = sqliteValue(v);
      }
      stmt.run(row);
    }
    return;
  }
  if (kind === 'postgresql') {
    // one JSON parameter per statement, typed by the table's own row type: serialising 280k
    // bound parameters through the adapter costs several times more than one JSON text
    const cols = columns.map((c) => `"${c}"`).join(', ');
    for (let i = 0; i < rows.length; i += PG_JSON_ROWS) {
      const chunk = rows.slice(i, i + PG_JSON_ROWS);
      const json = JSON.stringify(
        chunk.map((row) => {
          const o: Record<string, unknown> = {};
          for (let k = 0; k < columns.length; k++) o[columns[k]!] = typeof row[k] === 'bigint' ? String(row[k]) : row[k];
          return o;
        }),
      );
      await db.$executeRawUnsafe(`INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::"${table}", $1::json)`, json);
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_SQLITE_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const tuples = chunk.map(() => `(${columns.map(() => '?').join(', ')})`);
    await db.$executeRawUnsafe(head + tuples.join(', '), ...chunk.flat());
  }
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null; Prisma stores booleans as 1/0. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}
