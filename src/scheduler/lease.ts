/**
 * One actor at a time: only the desk holding the lease sends transactions.
 *
 * - SQLite: a row in `DeskLease` (store/leaseStore.ts), renewed every third of the TTL and taken
 *   over by a standby once it has lapsed. A standby looks every ninth of the TTL (never more often
 *   than every 200 ms): how soon it acts after a holder stops is the lease's TTL plus that look, and a look
 *   costs a read and two conditional UPDATEs of one row (PostgreSQL: a lock attempt and a read).
 * - PostgreSQL: a session advisory lock as well. The server drops it the moment the holder's
 *   connection dies (kill -9 included), and a standby cannot take the row while another session
 *   holds the lock, even with clocks that disagree.
 *
 * `held()` answers with a safety margin: the holder stops acting a third of the TTL before its
 * lease could be taken over, so a paused process (GC, SIGSTOP) never overlaps a successor.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { LeaseStore } from '../store/leaseStore';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';

export interface LeaseOptions {
  /** the lease's row and session lock (store/leaseStore.ts) */
  store: LeaseStore;
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
  /** true when, at its last look, another desk held the lease (not: before the first look, after an error) */
  otherHolds(): boolean;
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

/** the shortest wait between two looks at the lease */
export const LEASE_MIN_LOOK_MS = 200;

export function createLease(o: LeaseOptions): Lease {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.nowMs ?? Date.now;
  const store = o.store;
  let validUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  const listeners: ((holder: boolean) => void)[] = [];
  let lastError: string | null = null;
  let wasHolder = false;
  let stopped = false;
  let inflight: Promise<boolean> | null = null;
  let otherHolds = false;

  async function attempt(): Promise<boolean> {
    const t = now();
    if (!(await store.lock(() => (validUntil = 0), t))) return false;
    const r = await store.acquire(id, t, new Date(t + o.ttlMs));
    if (r.taken) o.logger.info({ lease: o.name, id }, 'took the actor lease: this desk sends transactions');
    validUntil = r.held ? t + o.ttlMs : 0;
    return r.held;
  }

  async function tick(): Promise<boolean> {
    if (stopped) return false;
    inflight ??= attempt()
      .then(
        (ok) => {
          lastError = null;
          // a look that answered "not yours": another desk's lease is valid, or its session holds the lock
          otherHolds = !ok;
          return ok;
        },
        (e) => {
          otherHolds = false;
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
    return !stopped && now() < validUntil - o.ttlMs / 3 && store.locked();
  }

  return {
    id,
    held,
    otherHolds: () => !stopped && otherHolds,
    tick,
    subscribe(listener: (holder: boolean) => void): void {
      listeners.push(listener);
    },
    start() {
      if (started) return;
      started = true;
      // counted from each look's start, so a slow database does not stretch the holder's renewals
      const look = () => {
        const began = Date.now();
        void tick().finally(() => {
          if (stopped) return;
          // safety never rests on how often a standby looks (the holder's margin does): looking
          // more often than the holder renews only shortens the wait once the lease lapses
          const every = Math.floor(o.ttlMs / (held() ? 3 : 9));
          timer = setTimeout(look, Math.max(LEASE_MIN_LOOK_MS, every - (Date.now() - began)));
        });
      };
      look();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inflight?.catch(() => undefined);
      validUntil = 0;
      await store.release(id);
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
