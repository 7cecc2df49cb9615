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

    /**
     * Takes (or keeps) the session lock; false when another desk's session holds it. A session
     * outlives a holder that is paused (SIGSTOP, a frozen VM): once that holder's row has lapsed
     * (`expiresAt` before `nowMs`) its session is ended here, so the lock cannot keep every
     * standby out forever. The paused holder stopped acting a third of the TTL before the row
     * lapsed, and finds its session gone when it wakes.
     */
    async lock(onLost: () => void, nowMs: number): Promise<boolean> {
      if (database.target.kind !== 'postgresql') return true;
      if (pgLocked && pg) {
        // proves the session (and so the lock) is still ours: a terminated one fails here
        const c = pg;
        try {
          await c.query('SELECT 1');
          return true;
        } catch (e) {
          pgLocked = false;
          pg = null;
          onLost();
          void c.end().catch(() => undefined);
          throw e;
        }
      }
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
      const key = advisoryKey(name);
      const tryLock = async () => (await pg!.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key])).rows[0]?.ok === true;
      pgLocked = await tryLock();
      if (pgLocked) return true;
      const row = await db.deskLease.findUnique({ where: { name } });
      if (!row || row.expiresAt.getTime() >= nowMs) return false;
      const ended = await pg.query<{ pid: number }>(
        // materialized first: the terminate runs only on the sessions holding this very lock
        `WITH holders AS MATERIALIZED (
           SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid <> pg_backend_pid()
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND classid::bigint = (($1::bigint >> 32) & 4294967295) AND objid::bigint = ($1::bigint & 4294967295))
         SELECT pid FROM holders WHERE pg_terminate_backend(pid)`,
        [key],
      );
      if (ended.rows.length === 0) return false;
      logger.warn({ lease: name, holder: row.holder, pids: ended.rows.map((r) => r.pid) }, 'the lease holder stopped renewing but its session held the lock: ended that session');
      // the lock goes when the ended backend has exited, a few milliseconds later
      for (let i = 0; i < 20 && !pgLocked; i++) {
        await new Promise((r) => setTimeout(r, 50));
        pgLocked = await tryLock();
      }
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
