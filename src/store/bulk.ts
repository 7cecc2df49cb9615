/**
 * Multi-row INSERT through the driver adapter, for the backfill's bulk writes: Prisma's
 * createMany costs ~0.5 ms a row here, a plain parameterised statement a few µs.
 */
import type { DbKind } from './database';

type Executor = { $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number> };

/**
 * Bound parameters per statement: under SQLite's limit (32766 since 3.32; better-sqlite3 bundles
 * a newer SQLite) and PostgreSQL's (65535). Fewer, larger statements: each costs a round trip
 * through the driver adapter.
 */
const MAX_PARAMS: Record<DbKind, number> = { sqlite: 32_000, postgresql: 65_000 };

export async function insertRows(db: Executor, kind: DbKind, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS[kind] / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    let n = 0;
    const tuples = chunk.map(() => `(${columns.map(() => (kind === 'postgresql' ? `$${++n}` : '?')).join(', ')})`);
    await db.$executeRawUnsafe(head + tuples.join(', '), ...chunk.flat());
  }
}
