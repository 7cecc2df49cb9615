/**
 * Every table of a desk's database as canonical text (rows sorted), to prove that inputs left the
 * stored state byte-for-byte unchanged.
 */
import type { Database } from '../../src/store/database';

const text = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));

export async function dumpTables(database: Pick<Database, 'db' | 'kind'>, skip: readonly string[] = []): Promise<Record<string, string>> {
  const db = database.db as unknown as { $queryRawUnsafe<T>(sql: string): Promise<T> };
  const names =
    database.kind === 'postgresql'
      ? (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)).map((r) => r.name)
      : (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map((r) => r.name);
  const out: Record<string, string> = {};
  for (const name of names.filter((n) => !skip.includes(n)).sort()) {
    // PostgreSQL: each row as its own JSON text (the driver adapter cannot read every column type raw)
    const rows =
      database.kind === 'postgresql'
        ? (await db.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`)).map((r) => r.j)
        : (await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}"`)).map(text);
    out[name] = rows.sort().join('\n');
  }
  return out;
}
