/**
 * Multi-row INSERT for the backfill's bulk writes. Through the driver adapter a plain
 * parameterised statement costs a few µs a row (Prisma's createMany ~0.5 ms); on SQLite the
 * adapter's own better-sqlite3 connection, driven directly inside the open Prisma transaction,
 * costs a fraction of that again (one prepared statement run per row, no parameter marshalling).
 */
import type { DbKind } from './database';

type Executor = { $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number> };

/** The synchronous better-sqlite3 connection under Prisma's SQLite adapter (see database.ts). */
export interface RawSqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  readonly inTransaction: boolean;
}

/**
 * Bound parameters per SQLite statement through the adapter: under SQLite's limit (32766 since
 * 3.32; better-sqlite3 bundles a newer SQLite). Fewer, larger statements: each costs a round trip
 * through the driver adapter.
 */
const MAX_SQLITE_PARAMS = 32_000;

/** rows per PostgreSQL statement (one JSON text each, a few MB at most) */
const PG_JSON_ROWS = 5_000;

const prepared = new WeakMap<RawSqlite, Map<string, ReturnType<RawSqlite['prepare']>>>();

/**
 * Inserts `rows` (values in `columns` order). With `raw`, the rows go straight through that
 * connection, which must be inside the caller's transaction (`tx` is that transaction): Prisma's
 * SQLite transaction is a BEGIN on the same connection, so these rows commit or roll back with it.
 */
export async function insertRows(db: Executor, kind: DbKind, table: string, columns: readonly string[], rows: readonly unknown[][], raw?: RawSqlite | null): Promise<void> {
  if (rows.length === 0) return;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  if (raw && kind === 'sqlite' && raw.inTransaction) {
    const sql = `${head}(${columns.map(() => '?').join(', ')})`;
    const cache = prepared.get(raw) ?? new Map<string, ReturnType<RawSqlite['prepare']>>();
    prepared.set(raw, cache);
    const stmt = cache.get(sql) ?? raw.prepare(sql);
    cache.set(sql, stmt);
    // an array binds as the anonymous parameters; copied only when a value needs converting
    for (const row of rows) stmt.run(row.some(needsConversion) ? row.map(sqliteValue) : row);
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

const needsConversion = (v: unknown) => typeof v === 'boolean' || v === undefined;

/** better-sqlite3 binds numbers, bigints, strings, buffers and null; Prisma stores booleans as 1/0. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}
