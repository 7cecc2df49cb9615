/**
 * One actor at a time (issue 4): only the desk holding the lease sends transactions.
 *
 * - SQLite: a row in `DeskLease`, taken with one conditional UPDATE (atomic under SQLite's write
 *   lock, so two processes on the same file never both win), renewed every third of the TTL and
 *   taken over by a standby once it has lapsed.
 * - PostgreSQL: a session advisory lock on a dedicated connection as well. The server drops it
 *   the moment the holder's connection dies (kill -9 included), and a standby cannot take the row
 *   while another session holds the lock, even with clocks that disagree.
 *
 * `held()` answers with a safety margin: the holder stops acting a third of the TTL before its
 * lease could be taken over, so a paused process (GC, SIGSTOP) never overlaps a successor.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import type { Database } from '../store/database';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';

export interface LeaseOptions {
  database: Database;
  /** the thing being led, e.g. `actor:<chainId>:<slasher>` */
  name: string;
  ttlMs: number;
  logger: Logger;
  /** called when this desk becomes or stops being the actor */
  onChange?: (holder: boolean) => void;
  nowMs?: () => number;
}

export interface Lease {
  /** this instance's id (host:pid:random) */
  readonly id: string;
  /** true while this desk may act (lease valid with margin) */
  held(): boolean;
  /** one acquire/renew attempt now */
  tick(): Promise<boolean>;
  start(): void;
  /** stops renewing and releases the lease so a standby takes over at once */
  stop(): Promise<void>;
  /** who holds it, for /api/health */
  status(): { holder: boolean; id: string; lastError: string | null };
  /** told each time this desk becomes or stops being the actor */
  subscribe(listener: (holder: boolean) => void): void;
}

/** 64-bit advisory lock key from the lease name (stable across processes). */
function advisoryKey(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of Buffer.from(name)) h = ((h ^ BigInt(c)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return BigInt.asIntN(64, h).toString();
}

export function createLease(o: LeaseOptions): Lease {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.nowMs ?? Date.now;
  const db = o.database.db;
  let validUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  const listeners: ((holder: boolean) => void)[] = [];
  let pg: Client | null = null;
  let pgLocked = false;
  let lastError: string | null = null;
  let wasHolder = false;
  let stopped = false;
  let inflight: Promise<boolean> | null = null;

  async function advisory(): Promise<boolean> {
    if (o.database.target.kind !== 'postgresql') return true;
    if (pgLocked && pg) return true;
    if (!pg) {
      const c = new Client({ connectionString: o.database.target.url });
      c.on('error', (e) => {
        // the session (and with it the lock) is gone
        o.logger.warn({ err: describeError(e) }, 'lease connection lost');
        pgLocked = false;
        validUntil = 0;
        pg = null;
      });
      await c.connect();
      pg = c;
    }
    const r = await pg.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [advisoryKey(o.name)]);
    pgLocked = r.rows[0]?.ok === true;
    return pgLocked;
  }

  async function attempt(): Promise<boolean> {
    const t = now();
    if (!(await advisory())) return false;
    const expiresAt = new Date(t + o.ttlMs);
    // the row exists (insert once; a concurrent insert by another desk is fine)
    if (!(await db.deskLease.findUnique({ where: { name: o.name } }))) {
      await db.deskLease.create({ data: { name: o.name, holder: '', acquiredAt: new Date(0), expiresAt: new Date(0) } }).catch((e: { code?: string }) => {
        if (e.code !== 'P2002') throw e;
      });
    }
    // renew our own lease, or take one that has lapsed (or, on PostgreSQL, whose holder lost the lock)
    const takeover = o.database.kind === 'postgresql' ? {} : { expiresAt: { lt: new Date(t) } };
    const mine = await db.deskLease.updateMany({ where: { name: o.name, holder: id }, data: { expiresAt } });
    let ok = mine.count === 1;
    if (!ok) {
      const taken = await db.deskLease.updateMany({ where: { name: o.name, NOT: { holder: id }, ...takeover }, data: { holder: id, acquiredAt: new Date(t), expiresAt } });
      ok = taken.count === 1;
      if (ok) o.logger.info({ lease: o.name, id }, 'took the actor lease: this desk sends transactions');
    }
    validUntil = ok ? t + o.ttlMs : 0;
    return ok;
  }

  async function tick(): Promise<boolean> {
    if (stopped) return false;
    inflight ??= attempt()
      .then(
        (ok) => {
          lastError = null;
          return ok;
        },
        (e) => {
          const m = describeError(e);
          if (m !== lastError) o.logger.warn({ err: m, lease: o.name }, 'lease renewal failed');
          lastError = m;
          validUntil = 0;
          return false;
        },
      )
      .finally(() => {
        inflight = null;
      });
    const ok = await inflight;
    const holder = held();
    if (holder !== wasHolder) {
      wasHolder = holder;
      if (!holder) o.logger.warn({ lease: o.name, id }, 'this desk is not the actor: standing by');
      o.onChange?.(holder);
      for (const l of listeners) l(holder);
    }
    return ok;
  }

  function held(): boolean {
    // a third of the TTL as margin: stop acting well before anyone may take over
    return !stopped && now() < validUntil - o.ttlMs / 3 && (o.database.target.kind !== 'postgresql' || pgLocked);
  }

  return {
    id,
    held,
    tick,
    subscribe(listener: (holder: boolean) => void): void {
      listeners.push(listener);
    },
    start() {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), Math.max(200, Math.floor(o.ttlMs / 3)));
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await inflight?.catch(() => undefined);
      if (validUntil > 0) {
        await db.deskLease.updateMany({ where: { name: o.name, holder: id }, data: { expiresAt: new Date(0) } }).catch(() => undefined);
      }
      validUntil = 0;
      if (pg) {
        const c = pg;
        pg = null;
        await c.end().catch(() => undefined);
      }
    },
    status: () => ({ holder: held(), id, lastError }),
  };
}

/**
 * Why nothing may be sent now (null: the desk may act): DRY_RUN, or another desk holds the lease.
 * Every sender of the desk asks it — the Safe desks and the deadline timers alike.
 */
export function actorGate(lease: Pick<Lease, 'held'>, dryRun: boolean): () => string | null {
  return () => (dryRun ? 'DRY_RUN: the desk does not send' : lease.held() ? null : 'standby: another desk holds the actor lease');
}
