/**
 * The read model keeps the block times it read (thousands: every request's event blocks and block
 * windows' ends) across blocks, and reads them again only when a prune may have moved one out of
 * the headers: a prune of this desk's that moved a time (its notice says so), another desk's
 * (counted in the checkpoint), or one landing between the checkpoint and the headers of a read.
 * Built on a real ingest store and database, wired to the read model as the desk wires them.
 */
import { createRequestReadModel, type RequestReadModelStage } from '../src/requests/readModel';
import { createIngestStore, type IngestStore } from '../src/store/ingestStore';
import { openDatabase, type Database } from '../src/store/database';
import type { RequestView } from '../src/requests/views';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000c7';
const WINDOW = 5;
const header = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(64, '0')}`, parentHash: `0x${(n - 1).toString(16).padStart(64, '0')}`, timestamp: 1_000_000 + n * 12 });
const isoOf = (n: number) => new Date(header(n).timestamp * 1000).toISOString();
const STRATEGY = '0x00000000000000000000000000000000000000d1' as const;
const queued = (requestId: bigint, block: number, strategies: `0x${string}`[] | null = null) => ({
  requestId,
  fact: {
    kind: 'queued' as const,
    blockNumber: block,
    logIndex: 0,
    blockHash: header(block).hash,
    txHash: `0x${(0xabc000 + block).toString(16).padStart(64, '0')}`,
    data: { operator: `0x${'1'.repeat(40)}` as const, operatorSetId: 1, strategies, wadsToSlash: ['1'], description: `queued at ${block}`, requestBlockOrTimestamp: block },
  },
});

describe.each(DB_KINDS)('kept block times on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;
  let store: IngestStore;
  let rm: RequestReadModelStage;
  let keptReads = 0;
  /** runs inside the read model's next read, between its checkpoint and its headers */
  let beforeHeaders: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    database = await openDatabase(tdb.target);
    store = createIngestStore(database.db, SLASHER, kind, database, { onBegin: () => rm.writing(), onWrite: (w) => rm.invalidate(w) });
    const seen: IngestStore = {
      ...store,
      keptBlockTimes: () => {
        keptReads++;
        return store.keptBlockTimes();
      },
      headerTimes: async () => {
        const hook = beforeHeaders;
        beforeHeaders = null;
        await hook?.();
        return store.headerTimes();
      },
    };
    rm = createRequestReadModel({ store: seen, confirmations: 0, now: () => header(60).timestamp });
    await store.saveCursor({ chainId: 31337, variant: 'V3', startBlock: 1, indexedBlock: 0, indexedHash: null, windowKind: 'blocks', windowLength: WINDOW, allocationManager: null, avs: null, vetoCommittee: null, slasherRole: null, deallocationDelay: 10 });
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  const view = async (id: string): Promise<RequestView> => (await rm.snapshot()).find((v) => v.requestId === id)!;
  /** block n arrives from this desk's ingest, the headers more than 4 below it pruned */
  const block = (n: number, facts: ReturnType<typeof queued>[] = []) => store.applyBatch({ facts, blocks: [header(n)], indexedBlock: n, indexedHash: header(n).hash, pruneBlocksBelow: n - 4, expectIndexedBlock: n - 1 });

  it('reads them again only for a prune of its own that moved one, and shows every window end with the chain’s time', async () => {
    // request 1 slashes a strategy whose whole allocation leaves at block 24: its L is 23 from then on
    const operatorStates = [{ operator: `0x${'1'.repeat(40)}`, operatorSetId: 1, registered: true, deregisterBlock: null, allocations: [{ strategy: STRATEGY, currentMagnitude: 10n, pendingDiff: -10n, effectBlock: 24 }], readAtBlock: 12 }];
    await store.applyBatch({ facts: [queued(1n, 10, [STRATEGY])], blocks: Array.from({ length: 12 }, (_, i) => header(i + 1)), indexedBlock: 12, indexedHash: header(12).hash, operatorStates, expectIndexedBlock: 0 });
    expect((await view('1')).vetoWindowEnd).toMatchObject({ block: 10 + WINDOW, estimated: true });
    const reads: number[] = [];
    for (let n = 13; n <= 30; n++) {
      const before = keptReads;
      await block(n, n === 22 ? [queued(2n, 22)] : []);
      const kept = await rm.snapshot();
      reads.push(keptReads - before);
      // the views kept and reused across blocks are what a read model reading everything afresh shows
      expect(kept).toEqual(await createRequestReadModel({ store, confirmations: 0, now: () => header(60).timestamp }).snapshot());
    }
    expect((await view('1')).deadlines.strategies).toEqual([{ strategy: STRATEGY, lastUsefulBlock: 23, currentMagnitude: '0', remainingMagnitude: '0', pendingDeallocation: null }]);
    expect((await view('1')).lastUsefulBlock).toBe(23);
    // blocks 10 (request 1's event, pruned at 15), 15 (its window's end, at 20) and 22 (request
    // 2's event, at 27) moved to BlockTime: one read each; every other block none
    expect(reads.map((r, i) => (r > 0 ? i + 13 : 0)).filter(Boolean)).toEqual([15, 20, 27]);
    expect((await view('1')).vetoWindowEnd).toEqual({ block: 15, estimatedAt: isoOf(15), estimated: false });
    expect((await view('2')).vetoWindowEnd).toEqual({ block: 27, estimatedAt: isoOf(27), estimated: false });
  });

  // continues the chain of the test above (blocks 1 to 30, request 2's window ending at block 27)
  it('reads them again when another desk’s prune lands between its checkpoint and its headers', async () => {
    const other = await openDatabase(tdb.target);
    try {
      const theirs = createIngestStore(other.db, SLASHER, kind, other);
      // block 27 (request 2's window end) is still a header: the kept times do not have it
      expect((await store.getBlock(27))?.number).toBe(27);
      // a write of this desk's that touched nothing the views are made of: the next read keeps
      // every part it can, and the other desk prunes block 27 while that read is under way
      rm.writing();
      rm.invalidate({ counted: 0, touched: [] });
      let pruned = false;
      beforeHeaders = async () => {
        await theirs.applyBatch({ facts: [], blocks: [header(31)], indexedBlock: 31, indexedHash: header(31).hash, pruneBlocksBelow: 28, expectIndexedBlock: 30 });
        pruned = true;
      };
      const before = keptReads;
      const during = (await rm.snapshot()).find((v) => v.requestId === '2')!;
      expect(pruned).toBe(true);
      expect(await store.getBlock(27)).toBeNull();
      expect(keptReads - before).toBe(1);
      expect(during.vetoWindowEnd).toEqual({ block: 27, estimatedAt: isoOf(27), estimated: false });
    } finally {
      await other.close();
    }
  });

  it('holds times read before any header existed for no header: a prune landing mid-read has them read again', async () => {
    const slasher = '0x00000000000000000000000000000000000000c8';
    let fresh: RequestReadModelStage | null = null;
    let hook: (() => Promise<void>) | null = null;
    const mine = createIngestStore(database.db, slasher, kind, database, { onBegin: () => fresh?.writing(), onWrite: (w) => fresh?.invalidate(w) });
    const other = await openDatabase(tdb.target);
    try {
      const theirs = createIngestStore(other.db, slasher, kind, other);
      fresh = createRequestReadModel({
        store: {
          ...mine,
          headerTimes: async () => {
            const h = hook;
            hook = null;
            await h?.();
            return mine.headerTimes();
          },
        },
        confirmations: 0,
        now: () => header(60).timestamp,
      });
      await mine.saveCursor({ chainId: 31337, variant: 'V3', startBlock: 1, indexedBlock: 0, indexedHash: null, windowKind: 'blocks', windowLength: WINDOW, allocationManager: null, avs: null, vetoCommittee: null, slasherRole: null, deallocationDelay: 10 });
      // read (and kept) while the desk holds no header yet
      expect(await fresh.snapshot()).toEqual([]);
      // this desk's batch: a request whose window ends at block 10, headers 1 to 12, nothing pruned (no time moves)
      await mine.applyBatch({ facts: [queued(3n, 5)], blocks: Array.from({ length: 12 }, (_, i) => header(i + 1)), indexedBlock: 12, indexedHash: header(12).hash, expectIndexedBlock: 0 });
      expect((await fresh.snapshot())[0]!.vetoWindowEnd).toEqual({ block: 10, estimatedAt: isoOf(10), estimated: false });
      // another desk prunes below 11 (blocks 5 and 10 move to BlockTime) between the next read's checkpoint and its headers
      fresh.writing();
      fresh.invalidate({ counted: 0, touched: [] });
      hook = () => theirs.applyBatch({ facts: [], blocks: [header(13)], indexedBlock: 13, indexedHash: header(13).hash, pruneBlocksBelow: 11, expectIndexedBlock: 12 });
      const [during] = await fresh.snapshot();
      expect(hook).toBeNull();
      expect(await mine.getBlock(10)).toBeNull();
      expect(during!.vetoWindowEnd).toEqual({ block: 10, estimatedAt: isoOf(10), estimated: false });
    } finally {
      await other.close();
    }
  });
});
