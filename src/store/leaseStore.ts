/**
 * The single-actor lease in the database: a `DeskLease` row taken with one conditional UPDATE
 * (atomic under SQLite's write lock and PostgreSQL's row lock), and on PostgreSQL a session
 * advisory lock on a dedicated connection as well, which the server drops the moment that
 * connection dies (kill -9 of the holder included).
 */
import { Client } from 'pg';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Database } from './database';

/** 64-bit advisory lock key from the lease name (stable across processes). */
function advisoryKey(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of Buffer.from(name)) h = ((h ^ BigInt(c)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return BigInt.asIntN(64, h).toString();
}

export function createLeaseStore(database: Pick<Database, 'db' | 'kind' | 'target'>, name: string, logger: Logger) {
  const { db } = database;
  let pg: Client | null = null;
  let pgLocked = false;
  return {
    /** PostgreSQL: the session lock is held (always true on SQLite, where the row is the lock) */
    locked(): boolean {
      return database.target.kind !== 'postgresql' || pgLocked;
    },

    /** takes (or keeps) the session lock; false when another desk's session holds it */
    async lock(onLost: () => void): Promise<boolean> {
      if (database.target.kind !== 'postgresql') return true;
      if (pgLocked && pg) return true;
      if (!pg) {
        const c = new Client({ connectionString: database.target.url });
        c.on('error', (e) => {
          // the session (and with it the lock) is gone
          logger.warn({ err: describeError(e) }, 'lease connection lost');
          pgLocked = false;
          pg = null;
          onLost();
        });
        await c.connect();
        pg = c;
      }
      const r = await pg.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [advisoryKey(name)]);
      pgLocked = r.rows[0]?.ok === true;
      return pgLocked;
    },

    /**
     * Renews `holder`'s lease to `expiresAt`, or takes one that has lapsed (on PostgreSQL, where
     * the session lock decides, any other holder's). Returns whether `holder` holds it now and
     * whether it was just taken.
     */
    async acquire(holder: string, nowMs: number, expiresAt: Date): Promise<{ held: boolean; taken: boolean }> {
      // the row exists (insert once; a concurrent insert by another desk is fine)
      if (!(await db.deskLease.findUnique({ where: { name } }))) {
        await db.deskLease.create({ data: { name, holder: '', acquiredAt: new Date(0), expiresAt: new Date(0) } }).catch((e: { code?: string }) => {
          if (e.code !== 'P2002') throw e;
        });
      }
      const mine = await db.deskLease.updateMany({ where: { name, holder }, data: { expiresAt } });
      if (mine.count === 1) return { held: true, taken: false };
      const takeover = database.kind === 'postgresql' ? {} : { expiresAt: { lt: new Date(nowMs) } };
      const taken = await db.deskLease.updateMany({ where: { name, NOT: { holder }, ...takeover }, data: { holder, acquiredAt: new Date(nowMs), expiresAt } });
      return { held: taken.count === 1, taken: taken.count === 1 };
    },

    /** gives the lease up at once (a standby takes over without waiting for it to lapse) */
    async release(holder: string): Promise<void> {
      await db.deskLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(0) } }).catch(() => undefined);
      if (pg) {
        const c = pg;
        pg = null;
        pgLocked = false;
        await c.end().catch(() => undefined);
      }
    },
  };
}

export type LeaseStore = ReturnType<typeof createLeaseStore>;
