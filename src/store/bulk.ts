/**
 * Raw SQL for the ingest store's transactions, the backfill's bulk writes and batches of
 * upserts (lapses, impact figures) (`TxSql`), kept away from Prisma's per-query work: its query
 * compiler serialises every parameter (a backfill batch carries megabytes of them) into its
 * WebAssembly memory, which then stays at that size, and maps every result. On SQLite the statements run
 * synchronously on the adapter's own better-sqlite3 connection inside the open Prisma
 * transaction; on PostgreSQL on a connection of the desk's own pool (database.ts).
 */
import type { PoolClient } from 'pg';
import type { DbKind } from './dbKind';

type Executor = {
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
};

/** The synchronous better-sqlite3 connection under Prisma's SQLite adapter (see database.ts). */
export interface RawSqlite {
  prepare(sql: string): { run(...params: unknown[]): { changes: number }; all(...params: unknown[]): unknown[]; raw(toggle?: boolean): unknown };
  readonly inTransaction: boolean;
}

/**
 * SQL inside one transaction, with the database's own placeholders (`?` on SQLite, `$n` on
 * PostgreSQL). Integer columns read back as numbers, bigint expressions (COUNT) as strings on
 * PostgreSQL: convert with Number().
 */
export interface TxSql {
  readonly kind: DbKind;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** SQLite: the connection holding the transaction, for prepared-statement loops (insertRows) */
  readonly raw: RawSqlite | null;
}

/**
 * A Prisma transaction as TxSql. On SQLite with the adapter's connection inside that transaction,
 * each statement runs synchronously on it (prepared once per connection); otherwise through `tx`.
 */
export function txSql(tx: Executor, kind: DbKind, raw?: RawSqlite | null): TxSql {
  if (raw && kind === 'sqlite' && raw.inTransaction) {
    return {
      kind,
      raw,
      all: <T>(sql: string, ...params: unknown[]) => Promise.resolve(statement(raw, sql).all(params.map(sqliteValue)) as T[]),
      run: (sql: string, ...params: unknown[]) => Promise.resolve(statement(raw, sql).run(params.map(sqliteValue)).changes),
    };
  }
  return {
    kind,
    raw: null,
    all: <T>(sql: string, ...params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params),
    run: (sql: string, ...params: unknown[]) => tx.$executeRawUnsafe(sql, ...params),
  };
}

/** A PostgreSQL connection inside a transaction (BEGIN issued by the caller) as TxSql. */
export function pgSql(client: Pick<PoolClient, 'query'>): TxSql {
  return {
    kind: 'postgresql',
    raw: null,
    all: async <T>(sql: string, ...params: unknown[]) => (await client.query(sql, pgValues(params))).rows as T[],
    run: async (sql: string, ...params: unknown[]) => (await client.query(sql, pgValues(params))).rowCount ?? 0,
  };
}

/** node-postgres binds strings, numbers, booleans, Dates and null; bigints go as their decimal text. */
function pgValues(params: unknown[]): unknown[] {
  return params.map((v) => (typeof v === 'bigint' ? v.toString() : v === undefined ? null : v));
}

/**
 * A read on the adapter's own connection, outside Prisma (the same connection, so the same view
 * as Prisma's reads), each row an array of the selected columns in order: better-sqlite3 builds
 * arrays in about half the time of objects.
 */
export function sqliteRows(raw: RawSqlite, sql: string, params: unknown[]): unknown[][] {
  const stmt = statement(raw, sql);
  stmt.raw(true);
  try {
    return stmt.all(params.map(sqliteValue)) as unknown[][];
  } finally {
    stmt.raw(false);
  }
}

/** The same read on PostgreSQL (a pool or a connection), rows as arrays. */
export async function pgRows(client: Pick<PoolClient, 'query'>, sql: string, params: unknown[]): Promise<unknown[][]> {
  return (await client.query({ text: sql, values: pgValues(params), rowMode: 'array' })).rows as unknown[][];
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
 * A row whose key is stored already: kept as it is (`update` absent), or these columns of it
 * set to the new row's values (an upsert). A key given twice in one call: the first row given
 * is kept, or with `update` the last one given is written (PostgreSQL refuses an upsert that
 * touches a row twice: the earlier ones are dropped before).
 */
export interface OnConflict {
  key: readonly string[];
  update?: readonly string[];
}

const conflictClause = (c: OnConflict | undefined): string =>
  !c ? '' : ` ON CONFLICT (${c.key.map((k) => `"${k}"`).join(', ')}) DO ${c.update?.length ? `UPDATE SET ${c.update.map((u) => `"${u}" = excluded."${u}"`).join(', ')}` : 'NOTHING'}`;

/**
 * Inserts `rows` (values in `columns` order) inside `sql`'s transaction. On SQLite's own
 * connection: one prepared statement run per row (the row arrays are the caller's to give away: a
 * boolean or undefined in them is replaced in place by what SQLite stores, 1/0 or null); on
 * PostgreSQL: one JSON text per PG_JSON_ROWS rows, typed by the table's own row type; otherwise
 * multi-row INSERTs.
 */
export async function insertRows(sql: TxSql, table: string, columns: readonly string[], rows: readonly unknown[][], onConflict?: OnConflict): Promise<void> {
  if (onConflict?.update?.length) rows = lastPerKey(rows, onConflict.key.map((k) => columns.indexOf(k)));
  if (rows.length === 0) return;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const tail = conflictClause(onConflict);
  if (sql.raw) {
    const stmt = statement(sql.raw, `${head}(${columns.map(() => '?').join(', ')})${tail}`);
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
  if (sql.kind === 'postgresql') {
    // one JSON parameter per statement, typed by the table's own row type: far cheaper than
    // hundreds of thousands of bound parameters
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
      await sql.run(`INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::"${table}", $1::json)${tail}`, json);
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_SQLITE_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const tuples = chunk.map(() => `(${columns.map(() => '?').join(', ')})`);
    await sql.run(head + tuples.join(', ') + tail, ...chunk.flat().map(sqliteValue));
  }
}

/** the last row of each key (key columns at `at`), in the order of their last appearance */
function lastPerKey(rows: readonly unknown[][], at: number[]): readonly unknown[][] {
  if (at.some((k) => k < 0)) throw new Error('an ON CONFLICT key column is not among the columns inserted');
  const byKey = new Map<string, unknown[]>();
  for (const row of rows) {
    const key = JSON.stringify(at.map((k) => (typeof row[k] === 'bigint' ? String(row[k]) : row[k])));
    byKey.delete(key);
    byKey.set(key, row);
  }
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null; Prisma stores booleans as 1/0. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}
