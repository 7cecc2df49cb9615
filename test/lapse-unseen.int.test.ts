/**
 * A lapse nobody saw: while the desk is down (or before it exists) an operator leaves its set,
 * stays out past DEALLOCATION_DELAY and comes back, or deallocates the request's strategy to zero
 * and allocates it again. On its return the desk finds a registered operator and a `fulfillable`
 * request; the set's history (membership, allocations) shows the stake escaped past the window,
 * so the lapse is recorded (at the first block out of reach), the request is alerted
 * as slashable again, and it is not fulfilled (FULFIL_AFTER_LAPSE=false): a fulfil would slash
 * stake allocated after the window. Before, the desk fulfilled it on its first pass. A desk back
 * after a stop longer than DEALLOCATION_DELAY sends no fulfil until its first pass has read that
 * history (its scheduler ran, and fulfilled, between the pass indexing the new blocks and its
 * reading the sets). Real anvil and contracts, both databases.
 */
import request from 'supertest';
import { getAddress, type Address } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { allocate, deregisterOperator, queueDeallocation, queueRequest, registerOperator } from '../src/devnet/deploy';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { waitFor } from './helpers/deskProcess';
import { startRpcProxy } from '../bench/rpcProxy';

const WINDOW = 10;
const DELAY = 3;
const REQUESTED = 0;
const keeperKey = anvilDevAccounts(1)[0]!.privateKey;

describe.each(DB_KINDS)('a lapse that happened while no desk watched, on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const open = () => startTestDesk(chain, db, { scheduler: { slasherPrivateKey: keeperKey } });
  const cycle = async (d: Desk) => {
    await d.ingestor.sync();
    await d.scheduler.evaluate();
    await d.scheduler.idle();
  };
  const view = async (d: Desk, id: bigint) => (await request(d.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const status = (id: bigint) => chain.slasherStatus(id);
  const queue = (operator: Address, description: string, strategy = 0) =>
    queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(strategy, strategy + 1), wadsToSlash: [WAD / 10n], description } });
  /** the operator leaves past the window, stays out DELAY + 2 blocks, and comes back: the first block out of reach */
  const escapeAndReturn = async (operator: Address): Promise<number> => {
    const target = { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
    const left = await deregisterOperator(chain.keeper, chain.publicClient, target);
    await chain.mine(DELAY + 2);
    await registerOperator(chain.keeper, chain.publicClient, target);
    await chain.mine(1);
    return Number(left.blockNumber) + DELAY + 1;
  };
  /** the operator deallocates the strategy to zero past the window, waits DELAY + 2 blocks, and allocates again: the first block without stake */
  const emptyAndRefill = async (operator: Address, strategy: Address): Promise<number> => {
    const target = { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 }, strategy };
    const emptied = await queueDeallocation(chain.keeper, chain.publicClient, { ...target, newMagnitude: 0n });
    await chain.mine(DELAY + 2);
    await allocate(chain.keeper, chain.publicClient, { ...target, magnitude: WAD });
    await chain.mine(1);
    return Number(emptied.blockNumber) + DELAY + 1;
  };
  /**
   * A request on the operator's third strategy, never allocated: nothing to slash through its
   * window; `blocks` later (past the window) the strategy is allocated. The allocation's block.
   */
  const queueThenAllocate = async (operator: Address, description: string, blocks: number) => {
    await desk?.stop();
    desk = undefined;
    const q = await queue(operator, description, 2);
    await chain.mine(blocks);
    const allocated = await allocate(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 }, strategy: chain.testbed.strategies[2]!, magnitude: WAD });
    await chain.mine(1);
    return { q, allocatedAt: Number(allocated.blockNumber) };
  };
  const expectHeld = async (d: Desk, id: bigint, escapedAt: number) => {
    const v = await view(d, id);
    expect(v.status).toBe('fulfillable');
    expect(v.lapsed).toEqual({ block: escapedAt, slashableAgainAtBlock: expect.any(Number) });
    expect(v.nextAction).toMatchObject({ kind: 'fulfil', actor: 'nobody', note: expect.stringContaining('FULFIL_AFTER_LAPSE=false') });
    await d.alerting.evaluate(Date.now());
    const alerts = (await request(d.url).get(`/api/alerts?requestId=${id}&kind=request_slashable_again`).expect(200)).body.alerts as { severity: string }[];
    expect(alerts).toEqual([expect.objectContaining({ severity: 'critical' })]);
    expect(await status(id)).toBe(REQUESTED);
    expect(await d.database.db.sentTx.count({ where: { requestId: id.toString(), purpose: 'fulfil' } })).toBe(0);
  };

  /** a desk opened now, after a few passes: the request held for the lapse at `at`; stopped after */
  const openAndExpectHeld = async (id: bigint, at: number) => {
    desk = await open();
    for (let i = 0; i < 3; i++) {
      await cycle(desk);
      await desk.ingestor.enriched();
      await chain.mine(1);
    }
    await expectHeld(desk, id, at);
    await desk.stop();
    desk = undefined;
  };
  /** the strategies the desk's stored read of the operator's set holds */
  const storedStrategies = async (d: Desk, operator: Address) => {
    const row = await d.database.db.operatorSetState.findFirst({ where: { operator: getAddress(operator), operatorSetId: 1 } });
    return row ? (JSON.parse(row.allocations) as { strategy: string }[]).map((a) => getAddress(a.strategy)) : [];
  };
  /** a desk brought up to date and stopped: what its stored read of the operator's set holds */
  const readAndStop = async (operator: Address) => {
    await desk?.stop();
    desk = await open();
    await cycle(desk);
    await desk.ingestor.enriched();
    const stored = await storedStrategies(desk, operator);
    await desk.stop();
    desk = undefined;
    return stored;
  };
  /** a database no desk has used: the next desk is new */
  const freshDatabase = async () => {
    await db.drop();
    db = await createTestDatabase(kind);
  };

  it('while the desk was down: recorded on its return, alerted, not fulfilled', async () => {
    const operator = chain.operators[0]!;
    desk = await open();
    const q = await queue(operator, 'escapes while the desk is down');
    await cycle(desk);
    expect((await view(desk, q.requestId)).status).toBe('in_veto_window');
    await desk.stop();
    desk = undefined;

    await chain.mine(WINDOW + 1); // fulfillable, nobody fulfils it
    const escapedAt = await escapeAndReturn(operator);

    await openAndExpectHeld(q.requestId, escapedAt);
  });

  it('before the desk existed: recorded by its first read, alerted, not fulfilled', async () => {
    const operator = chain.operators[1]!;
    const q = await queue(operator, 'escaped before any desk');
    await chain.mine(WINDOW + 1);
    const escapedAt = await escapeAndReturn(operator);
    await freshDatabase();

    await openAndExpectHeld(q.requestId, escapedAt);
  });

  it.each([
    ['fulfillable', 2],
    ['in_veto_window', 3],
  ] as const)('a desk back after a stop longer than the delay (stored %s) sends no fulfil before its first pass has read the lapse', async (stored, operatorIndex) => {
    // stopped with the request stored fulfillable (nobody could fulfil it: no slasher key then), or
    // still in its window (its fulfil first comes due while the desk is back)
    const operator = chain.operators[operatorIndex]!;
    await desk?.stop();
    desk = await startTestDesk(chain, db);
    const q = await queue(operator, `escapes while the desk is down, found stored as ${stored}`);
    if (stored === 'fulfillable') await chain.mine(WINDOW + 1);
    await cycle(desk);
    expect((await view(desk, q.requestId)).status).toBe(stored);
    await desk.stop();
    desk = undefined;
    if (stored === 'in_veto_window') await chain.mine(WINDOW + 1);
    await escapeAndReturn(operator);

    // back with the key, through a slow provider: the scheduler runs while the first pass has
    // indexed the new blocks but not yet read the sets' history
    const proxy = await startRpcProxy(chain.anvil.rpcUrl, { latencyMs: 150 });
    try {
      desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], scheduler: { slasherPrivateKey: keeperKey } });
      const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
      const first = desk.ingestor.sync();
      await waitFor('the first pass indexed the head', async () => desk!.ingestor.status().indexedBlock === head, 30_000, 10);
      await desk.scheduler.evaluate();
      await desk.scheduler.idle();
      await first;
      await cycle(desk);
      expect(await desk.database.db.sentTx.count({ where: { requestId: q.requestId.toString(), purpose: 'fulfil' } })).toBe(0);
      expect(await status(q.requestId)).toBe(REQUESTED);
      expect((await view(desk, q.requestId)).lapsed).toEqual({ block: expect.any(Number), slashableAgainAtBlock: expect.any(Number) });
      if (stored === 'in_veto_window') {
        // its fulfil came due while held: the alert says so, not that the desk sends it
        const due = await desk.database.db.alert.findMany({ where: { kind: 'fulfil_due', requestId: q.requestId.toString() } });
        expect(due.map((a) => a.text)).toEqual([expect.stringContaining('The desk holds it for now')]);
      }
    } finally {
      await desk?.stop();
      desk = undefined;
      await proxy.close();
    }
  });
  // the same by allocation: every strategy of the request deallocated to zero, in effect, and
  // allocated again (operators 0 and 1 again, on their second strategy: their first requests,
  // on the first strategy, kept their stake and are not touched)
  it('emptied by a deallocation and refilled while the desk was down: recorded on its return, not fulfilled', async () => {
    const operator = chain.operators[0]!;
    desk = await open();
    const q = await queue(operator, 'deallocated to zero while the desk is down', 1);
    await cycle(desk);
    expect((await view(desk, q.requestId)).status).toBe('in_veto_window');
    await desk.stop();
    desk = undefined;

    await chain.mine(WINDOW + 1);
    const emptiedAt = await emptyAndRefill(operator, chain.testbed.strategies[1]!);

    await openAndExpectHeld(q.requestId, emptiedAt);
  });

  it('emptied by a deallocation and refilled before the desk existed: recorded by its first read, not fulfilled', async () => {
    const operator = chain.operators[1]!;
    const q = await queue(operator, 'deallocated to zero before any desk', 1);
    await chain.mine(WINDOW + 1);
    const emptiedAt = await emptyAndRefill(operator, chain.testbed.strategies[1]!);
    await freshDatabase();

    await openAndExpectHeld(q.requestId, emptiedAt);
  });
  it('emptied and refilled while the desk was down, on a strategy its set had not been read for: recorded once the request is read, not fulfilled', async () => {
    // operator 2's set holds a request on the first strategy; one on the second strategy comes
    // while the desk is down, deep enough to be backfilled (its strategies read after the set)
    const operator = chain.operators[2]!;
    expect(await readAndStop(operator)).toEqual([chain.testbed.strategies[0]]);
    const q = await queue(operator, 'a new strategy, emptied while the desk is down', 1);
    await chain.mine(WINDOW + 20);
    const emptiedAt = await emptyAndRefill(operator, chain.testbed.strategies[1]!);

    await openAndExpectHeld(q.requestId, emptiedAt);
  });
  it('emptied and refilled while the desk was down, on a strategy its set was read for already: recorded once the request is read, not fulfilled', async () => {
    // operator 2's set was read with the second strategy (the test above); a new request on it
    // comes while the desk is down, deep enough to be backfilled: the first pass reads the set
    // (its other requests are known) before this request's strategies are, and the next would
    // walk the set's history from that read, after the escape
    const operator = chain.operators[2]!;
    expect(await readAndStop(operator)).toContain(chain.testbed.strategies[1]);
    const q = await queue(operator, 'a strategy read before, emptied while the desk is down', 1);
    await chain.mine(WINDOW + 20);
    const emptiedAt = await emptyAndRefill(operator, chain.testbed.strategies[1]!);

    await openAndExpectHeld(q.requestId, emptiedAt);
  });
  it('emptied and refilled before the desk existed, beside a strategy never allocated: recorded by its first read, not fulfilled', async () => {
    // the never-allocated strategy has no history at all: read zero now with no change logged, it
    // was zero throughout, so the request had no stake while the other one was emptied
    await desk?.stop();
    desk = undefined;
    const operator = chain.operators[3]!;
    const [, emptied, never] = chain.testbed.strategies;
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator, operatorSetId: 1, strategies: [emptied!, never!], wadsToSlash: [WAD / 10n, WAD / 10n], description: 'one strategy emptied, one never allocated' },
    });
    await chain.mine(WINDOW + 1);
    const emptiedAt = await emptyAndRefill(operator, emptied!);
    await freshDatabase();

    await openAndExpectHeld(q.requestId, emptiedAt);
  });
  it('no stake when queued, allocated after its window, before the desk existed: recorded from its window end, not fulfilled', async () => {
    // operator 3 had never allocated the third strategy (the test above): a request on it alone
    // slashes nothing through its window; the allocation that comes after is the desk's first
    // knowledge of that strategy, and what it was before is the chain's past state
    const { q } = await queueThenAllocate(chain.operators[3]!, 'no stake until after its window', WINDOW + 3);
    await freshDatabase();

    await openAndExpectHeld(q.requestId, Number(q.blockNumber) + WINDOW);
  });
  it('the same backfilled beside a newer request on that strategy: recorded once its strategies are read, not fulfilled', async () => {
    // the newer request (read with its strategies, at the head) has the set read while the old
    // one's strategies are unknown; the read after them starts from before the old one, with
    // that first read inside the walk
    const operator = chain.operators[2]!;
    const { q } = await queueThenAllocate(operator, 'no stake until after its window, backfilled', WINDOW + 20);
    const newer = await queue(operator, 'queued once the stake was there', 2);
    await chain.mine(1);
    await freshDatabase();

    await openAndExpectHeld(q.requestId, Number(q.blockNumber) + WINDOW);
    desk = await open();
    await cycle(desk);
    const v = await view(desk, newer.requestId);
    expect(v.status).toBe('in_veto_window');
    expect(v.lapsed).toBeUndefined();
  });
  it('a past read that fails for now (not "no such state") fails the pass and holds the request until it is read', async () => {
    const { q, allocatedAt } = await queueThenAllocate(chain.operators[1]!, 'no stake until after its window, read through a failing node', WINDOW + 3);
    await freshDatabase();

    // the node times out on the state before the allocation: every pass fails, no fulfil is sent
    let failing = true;
    const proxy = await startRpcProxy(chain.anvil.rpcUrl, { pastCallError: (block) => (failing && block < allocatedAt ? { code: -32000, message: 'request timed out' } : null) });
    try {
      desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], scheduler: { slasherPrivateKey: keeperKey } });
      for (let i = 0; i < 3; i++) {
        await desk.ingestor.sync().catch(() => undefined);
        await desk.ingestor.enriched();
        await desk.scheduler.evaluate();
        await desk.scheduler.idle();
        await chain.mine(1);
      }
      expect(desk.ingestor.status().lastError).toEqual(expect.any(String));
      expect(await status(q.requestId)).toBe(REQUESTED);
      expect(await desk.database.db.sentTx.count({ where: { requestId: q.requestId.toString(), purpose: 'fulfil' } })).toBe(0);
      // the node answers again: the lapse is read, the request held
      failing = false;
      for (let i = 0; i < 3; i++) {
        await cycle(desk);
        await desk.ingestor.enriched();
        await chain.mine(1);
      }
      expect(desk.ingestor.status().lastError).toBeNull();
      await expectHeld(desk, q.requestId, Number(q.blockNumber) + WINDOW);
    } finally {
      await desk?.stop();
      desk = undefined;
      await proxy.close();
    }
  });
});
