/**
 * Tells when a write that some view shows reaches the database: every statement Prisma sends
 * through its driver adapter is looked at (a write outside a transaction counts once it is done,
 * one inside a transaction once that commits), so whoever keeps answers computed from the database
 * knows they may be stale, with no list of writers to keep up to date. Tables no view of a request
 * reads (the alert outbox, the actor lease, sign-in sessions) are left out: the lease alone is
 * written every few seconds.
 */

/** Tables whose writes no request view shows. */
export const UNSHOWN_TABLES: ReadonlySet<string> = new Set(['Alert', 'AlertDelivery', 'DeskLease', 'SiweSession']);

const READ = /^\s*(?:SELECT|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW|EXPLAIN)\b/i;
// names quoted as PostgreSQL and SQLite do ("x"), or as Prisma writes them for SQLite (`main`.`x`)
const TARGET = /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+(?:["`[]?\w+["`\]]?\.)?["`[]?(\w+)/i;

/**
 * Whether a statement may change what a view shows: anything but a read, unless it names a table
 * in `unshown` (a statement not recognised counts: a needless recomputation costs time, a missed
 * one would serve stale answers).
 */
export function changesViews(sql: string, unshown: ReadonlySet<string> = UNSHOWN_TABLES): boolean {
  if (READ.test(sql)) return false;
  const target = TARGET.exec(sql);
  return !(target && unshown.has(target[1]!));
}

type Method = (...a: unknown[]) => Promise<unknown>;

/**
 * The adapter (a Prisma `SqlDriverAdapter`), calling `onChange` after each write that changes a
 * view is committed (or rolled back). Everything else passes through untouched.
 */
export function watchWrites<A extends object>(adapter: A, onChange: () => void): A {
  const watch = <T extends object>(target: T, tx: { wrote: boolean } | null): T =>
    new Proxy(target, {
      get(t, prop) {
        const v = Reflect.get(t, prop, t) as unknown;
        if (typeof v !== 'function') return v;
        const fn = v as Method;
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return async (query: { sql: string }) => {
            const result = await fn.call(t, query);
            if (changesViews(query.sql)) {
              if (tx) tx.wrote = true;
              else onChange();
            }
            return result;
          };
        }
        if (prop === 'executeScript') {
          return async (script: string) => {
            try {
              return await fn.call(t, script);
            } finally {
              onChange();
            }
          };
        }
        if (prop === 'startTransaction') return async (...a: unknown[]) => watch((await fn.apply(t, a)) as object, { wrote: false });
        if ((prop === 'commit' || prop === 'rollback') && tx) {
          // a rolled back write counts too: on SQLite a read on the same connection may have seen its rows
          return async () => {
            try {
              return await fn.call(t);
            } finally {
              if (tx.wrote) onChange();
            }
          };
        }
        return fn.bind(t);
      },
    });
  return watch(adapter, null);
}
