import { createLease, type Lease } from './lease';
import type { LeaseStore } from '../store/leaseStore';
import { createLogger } from '../lib/logger';

/**
 * The lease's timing with the SQLite row's rules (store/leaseStore.ts) held in memory, on fake
 * timers: when each desk looks, when a standby takes over from a holder that froze, and that two
 * desks never both hold it. The row against real databases: test/ha.int.test.ts.
 */
const TTL = 9_000;

function memoryRow() {
  const row = { holder: '', expiresAt: 0 };
  const looks: Record<string, number[]> = {};
  /** a store for one desk; `freeze()` makes its every call hang, as a SIGSTOPped process */
  const storeFor = () => {
    let frozen = false;
    const hang = () => new Promise<never>(() => undefined);
    const store = {
      locked: () => true,
      lock: async () => (frozen ? hang() : true),
      async acquire(holder: string, nowMs: number, expiresAt: Date) {
        if (frozen) return hang();
        (looks[holder] ??= []).push(nowMs);
        if (row.holder === holder) {
          row.expiresAt = expiresAt.getTime();
          return { held: true, taken: false };
        }
        if (row.expiresAt >= nowMs) return { held: false, taken: false };
        Object.assign(row, { holder, expiresAt: expiresAt.getTime() });
        return { held: true, taken: true };
      },
      async release(holder: string) {
        if (row.holder === holder) row.expiresAt = 0;
      },
    } as unknown as LeaseStore;
    return { store, freeze: () => void (frozen = true) };
  };
  return { row, looks, storeFor };
}

const lease = (store: LeaseStore): Lease => createLease({ store, name: 'actor:test', ttlMs: TTL, logger: createLogger('silent') });

/** advances the fake clock in small steps, asserting at each that no two desks hold the lease */
async function advance(ms: number, desks: Lease[], step = 50): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await jest.advanceTimersByTimeAsync(step);
    expect(desks.filter((d) => d.held()).length).toBeLessThanOrEqual(1);
  }
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('lease timing', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('the holder renews every third of the TTL; a standby looks every ninth', async () => {
    const { looks, storeFor } = memoryRow();
    const a = lease(storeFor().store);
    a.start();
    await jest.advanceTimersByTimeAsync(10);
    const b = lease(storeFor().store);
    b.start();
    await advance(30_000, [a, b]);
    expect(a.held()).toBe(true);
    expect(b.held()).toBe(false);
    expect(new Set(gaps(looks[a.id]!))).toEqual(new Set([TTL / 3]));
    expect(new Set(gaps(looks[b.id]!))).toEqual(new Set([TTL / 9]));
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a standby acts within the TTL and a ninth of it after the holder froze, never while the holder may', async () => {
    const { looks, storeFor } = memoryRow();
    const holder = storeFor();
    const a = lease(holder.store);
    a.start();
    // the standby's looks fall just before the holder's renewals, so the lease lapses right
    // after one of them: the longest wait its looks allow
    await jest.advanceTimersByTimeAsync(TTL / 3 - 50);
    const b = lease(storeFor().store);
    b.start();
    // frozen right before the holder's next renewal
    await advance(3 * TTL - TTL / 3, [a, b]);
    const lastRenewal = looks[a.id]!.at(-1)!;
    holder.freeze();
    let tookAt: number | null = null;
    for (let i = 0; i < 400 && tookAt === null; i++) {
      await advance(50, [a, b]);
      if (b.held()) tookAt = Date.now();
    }
    expect(tookAt).not.toBeNull();
    // the row lapses a TTL after the last renewal; the standby's next look takes it
    expect(tookAt! - lastRenewal).toBeGreaterThan(TTL);
    expect(tookAt! - lastRenewal).toBeLessThanOrEqual(TTL + TTL / 9 + 50);
    await b.stop();
  });

  it('a stopped desk leaves no timer behind, and a standby takes over at its next look', async () => {
    const { storeFor } = memoryRow();
    const a = lease(storeFor().store);
    a.start();
    a.start(); // a second start changes nothing
    expect(jest.getTimerCount()).toBe(0); // the first look runs before any timer is set
    await jest.advanceTimersByTimeAsync(10);
    expect(jest.getTimerCount()).toBe(1);
    const b = lease(storeFor().store);
    b.start();
    await advance(5_000, [a, b]);
    expect(jest.getTimerCount()).toBe(2);
    await a.stop();
    expect(jest.getTimerCount()).toBe(1);
    await advance(TTL / 9 + 100, [a, b]);
    expect(b.held()).toBe(true);
    await b.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stopped during a look, a desk sets no timer once that look ends', async () => {
    const { storeFor } = memoryRow();
    let release: () => void = () => undefined;
    const { store } = storeFor();
    const slow = { ...store, lock: () => new Promise<boolean>((r) => (release = () => r(true))) } as LeaseStore;
    const a = lease(slow);
    a.start();
    const stopping = a.stop();
    release();
    await stopping;
    await jest.advanceTimersByTimeAsync(TTL);
    expect(jest.getTimerCount()).toBe(0);
    expect(a.held()).toBe(false);
  });

  it('tells a standby (another desk held it at the last look) from a desk that has not looked yet or could not look', async () => {
    const { storeFor } = memoryRow();
    const a = lease(storeFor().store);
    let down = false;
    const bStore = storeFor().store;
    const b = lease({ ...bStore, lock: async (...args: Parameters<LeaseStore['lock']>) => (down ? Promise.reject(new Error('database down')) : bStore.lock(...args)) } as LeaseStore);
    expect(b.otherHolds()).toBe(false); // no look yet
    expect(await a.tick()).toBe(true);
    expect(a.otherHolds()).toBe(false);
    expect(await b.tick()).toBe(false);
    expect(b.otherHolds()).toBe(true);
    // a look that fails says nothing about another desk, also after one that saw it
    down = true;
    expect(await b.tick()).toBe(false);
    expect(b.otherHolds()).toBe(false);
    down = false;
    expect(await b.tick()).toBe(false);
    expect(b.otherHolds()).toBe(true);
    await a.stop();
    expect(await b.tick()).toBe(true);
    expect(b.otherHolds()).toBe(false);
  });
});
