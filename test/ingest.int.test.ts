/**
 * The tracker against a real anvil and a real database (SQLite and PostgreSQL): every variant's
 * requests listed with exact fields and deadlines, cancels and fulfilments followed, slashability
 * (last useful block, at risk, lapsed), V4 id reuse, reorgs reverted, too-deep reorgs refused.
 */
import request from 'supertest';
import { getAddress, type Address } from 'viem';
import { cancelRequest, fulfilRequest, queueDeallocation, queueRequest, type SlasherVariant } from '../src/devnet/deploy';
import type { Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView } from '../src/api/views';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { waitFor } from './helpers/deskProcess';
import { startRpcProxy } from '../bench/rpcProxy';

const logger = createLogger('silent');
const WINDOW = 20;
const DELAY = 10;
const VETO_PERIOD = 3 * 24 * 3600;

async function openDesk(chain: ChainFixture, db: TestDatabase, extra: { reorgDepth?: number; avs?: Address } = {}): Promise<Desk> {
  return startTestDesk(chain, db, { startBlock: undefined, avs: extra.avs, reorgDepth: extra.reorgDepth ?? 64, logger });
}

async function list(desk: Desk): Promise<RequestView[]> {
  await desk.ingestor.sync();
  // what the requests slash is read right after the pass: list them once it is
  await desk.impact.refresh();
  const res = await request(desk.url).get('/api/requests').expect(200);
  return res.body.requests as RequestView[];
}
const byId = (views: RequestView[], id: bigint) => views.find((v) => v.requestId === id.toString());

async function passWindow(chain: ChainFixture, variant: SlasherVariant) {
  if (variant === 'V1' || variant === 'V2') {
    await chain.rpc('evm_increaseTime', [VETO_PERIOD]);
    // blocks too, so that a deallocation queued meanwhile takes effect (its L is in blocks)
    await chain.mine(DELAY + 2);
  } else {
    await chain.mine(WINDOW);
  }
}

const params = (chain: ChainFixture, operator: Address, description: string, wad = WAD / 10n) => ({
  operator,
  operatorSetId: 1,
  strategies: chain.testbed.strategies.slice(0, 2),
  wadsToSlash: [wad, wad],
  description,
});

describe.each(DB_KINDS)('tracker on %s', (kind) => {
  describe.each(['V1', 'V2', 'V3'] as const)('%s slasher', (variant) => {
    let chain: ChainFixture;
    let db: TestDatabase;
    let desk: Desk;
    beforeAll(async () => {
      chain = await startChainFixture(variant, { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
      db = await createTestDatabase(kind);
      // V1/V2 do not name their AVS: configured, as an operator would
      desk = await openDesk(chain, db, { avs: variant === 'V3' ? undefined : AVS });
    });
    afterAll(async () => {
      await desk?.stop();
      await db?.drop();
      await chain?.stop();
    });

    it('detects the variant and lists, follows and dates every request', async () => {
      const [a, b, c] = chain.operators as [Address, Address, Address];
      const q0 = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, a, 'first') });
      const q1 = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, b, 'second', WAD / 2n) });
      const q2 = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, c, 'third') });
      let views = await list(desk);
      expect(views.map((v) => v.requestId)).toEqual(['0', '1', '2']);
      // V1 and V2 are told apart by the first SlashingRequested log's layout
      expect((await request(desk.url).get('/api/health').expect(200)).body).toMatchObject({ chainId: 31337, variant, status: 'ok' });
      const v1 = byId(views, q1.requestId)!;
      const block1 = await chain.publicClient.getBlock({ blockNumber: q1.blockNumber });
      expect(v1).toMatchObject({
        slasher: chain.testbed.slasher,
        variant,
        operator: getAddress(b),
        operatorSetId: 1,
        strategies: chain.testbed.strategies.slice(0, 2),
        wadsToSlash: [(WAD / 2n).toString(), (WAD / 2n).toString()],
        description: 'second',
        queuedAtBlock: Number(q1.blockNumber),
        queuedTxHash: q1.txHash,
        status: 'in_veto_window',
        lastUsefulBlock: null,
        atRisk: false,
        confirmed: true,
      });
      if (variant === 'V3') expect(v1.vetoWindowEnd).toMatchObject({ block: Number(q1.blockNumber) + WINDOW, estimated: true });
      else expect(v1.vetoWindowEnd).toMatchObject({ timestamp: Number(block1.timestamp) + VETO_PERIOD, estimated: false });
      expect((await request(desk.url).get(`/api/requests/${q1.requestId}`).expect(200)).body).toEqual(v1);

      // the committee vetoes #1; #0 is fulfilled once the window has passed
      const cancel = await cancelRequest(chain.committee, chain.publicClient, { slasher: chain.testbed.slasher, requestId: q1.requestId });
      // #2's operator pulls all its stake out: L = effectBlock - 1
      const target = { allocationManager: chain.testbed.allocationManager, operator: c, operatorSet: { avs: AVS, id: 1 } };
      let effect = 0;
      for (const strategy of chain.testbed.strategies.slice(0, 2)) {
        const sent = await queueDeallocation(chain.keeper, chain.publicClient, { ...target, strategy, newMagnitude: 0n });
        effect = Number(sent.blockNumber) + DELAY + 1;
      }
      views = await list(desk);
      expect(byId(views, q1.requestId)).toMatchObject({ status: 'vetoed', cancelled: { block: Number(cancel.blockNumber), txHash: cancel.txHash } });
      expect(byId(views, q2.requestId)).toMatchObject({ status: 'in_veto_window', lastUsefulBlock: effect - 1 });
      // the window ends after L: at risk at once (V3: block window 20 > delay 10; V1/V2: 3 days)
      expect(byId(views, q2.requestId)!.atRisk).toBe(true);
      expect(byId(views, q0.requestId)!.atRisk).toBe(false);

      await passWindow(chain, variant);
      views = await list(desk);
      expect(byId(views, q0.requestId)!.status).toBe('fulfillable');
      expect(byId(views, q2.requestId)!.status).toBe('lapsed');
      const fulfil = await fulfilRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, requestId: q0.requestId });
      views = await list(desk);
      expect(byId(views, q0.requestId)).toMatchObject({ status: 'fulfilled', fulfilled: { block: Number(fulfil.blockNumber), txHash: fulfil.txHash } });
      expect((await request(desk.url).get('/api/requests?status=vetoed,fulfilled').expect(200)).body.requests.map((v: RequestView) => v.requestId)).toEqual(['0', '1']);
      await request(desk.url).get('/api/requests/99').expect(404);
    });

    it('reverts a reorg of depth 5, and a new request can take the reorged id', async () => {
      const [a, b] = chain.operators as [Address, Address];
      const snapshot = await chain.rpc<string>('evm_snapshot');
      const before = await list(desk);
      const x = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, a, 'branch A') });
      await chain.mine(4);
      expect(byId(await list(desk), x.requestId)).toMatchObject({ description: 'branch A' });
      await chain.rpc('evm_revert', [snapshot]);
      const y = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, b, 'branch B') });
      await chain.mine(5);
      expect(y.requestId).toBe(x.requestId);
      const after = await list(desk);
      expect(desk.ingestor.status().reorgs).toBe(1);
      expect(byId(after, y.requestId)).toMatchObject({ description: 'branch B', operator: getAddress(b), queuedTxHash: y.txHash });
      expect(after.filter((v) => v.requestId !== y.requestId.toString()).map(stable)).toEqual(before.map(stable));
      expect(after).toHaveLength(before.length + 1);
    });
  });
});

/** what a reorg elsewhere must not change; head-relative figures (confirmations, estimates) move */
function stable(v: RequestView) {
  const { confirmations: _c, deadlines: _d, vetoWindowEnd, lastUsefulBlockEstimatedAt: _l, ...rest } = v;
  return { ...rest, vetoWindowEnd: { block: vetoWindowEnd.block, timestamp: vetoWindowEnd.timestamp } };
}

describe.each(DB_KINDS)('V4 slasher on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V4', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
    desk = await openDesk(chain, db);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('follows id reuse (overwrite), fulfilment through status re-reads, and cancels', async () => {
    const [a, b] = chain.operators as [Address, Address];
    const s = chain.testbed.slasher;
    const first = await queueRequest(chain.keeper, chain.publicClient, { slasher: s, request: params(chain, a, 'first') });
    expect(first.requestId).toBe(0n);
    expect((await list(desk)).map((v) => [v.requestId, v.description])).toEqual([['0', 'first']]);
    const second = await queueRequest(chain.keeper, chain.publicClient, { slasher: s, request: params(chain, b, 'second') });
    expect(second.requestId).toBe(0n);
    let views = await list(desk);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ requestId: '0', description: 'second', operator: getAddress(b), overwrote: 1, variant: 'V4' });
    await chain.mine(WINDOW);
    const fulfil = await fulfilRequest(chain.keeper, chain.publicClient, { slasher: s, requestId: 0n, burnOrRedistribute: true });
    views = await list(desk);
    expect(views[0]).toMatchObject({ status: 'fulfilled', fulfilled: { block: Number(fulfil.blockNumber), txHash: fulfil.txHash } });
    const third = await queueRequest(chain.keeper, chain.publicClient, { slasher: s, request: params(chain, a, 'third') });
    expect(third.requestId).toBe(1n);
    await cancelRequest(chain.committee, chain.publicClient, { slasher: s, requestId: 1n });
    views = await list(desk);
    expect(views.map((v) => [v.requestId, v.status])).toEqual([
      ['0', 'fulfilled'],
      ['1', 'vetoed'],
    ]);
  });
});

describe('a sync asked for while a pass runs', () => {
  it('is a pass that starts after the ask: blocks mined meanwhile are indexed, not the head the running pass read', async () => {
    const chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    const db = await createTestDatabase('sqlite');
    // a provider 150 ms away: the running pass is still under way when the second ask comes
    const proxy = await startRpcProxy(chain.anvil.rpcUrl, { latencyMs: 150 });
    const desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], logger });
    try {
      await desk.ingestor.sync();
      // blocks for the first pass to walk: at 150 ms a round trip it runs well past the ask below
      await chain.mine(200);
      proxy.reset();
      const first = desk.ingestor.sync();
      // the running pass has read its head once its header call has reached the node (150 ms
      // after the proxy took it)
      await waitFor('the pass asked for the head', async () => (proxy.counts()['eth_getBlockByNumber'] ?? 0) > 0, 10_000, 5);
      await new Promise((r) => setTimeout(r, 300));
      await chain.mine(3);
      const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
      // whatever the timing, the answer covers the blocks mined before the ask (with a pass that
      // joined the running one it did not: that pass read an older head)
      const second = await desk.ingestor.sync();
      expect(second.indexedBlock).toBe(head);
      await first;
    } finally {
      await desk.stop();
      await proxy.close();
      await db.drop();
      await chain.stop();
    }
  });
});

describe('reorg to a shorter chain', () => {
  it('drops what the abandoned branch held even when no new block follows', async () => {
    const chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    const db = await createTestDatabase('sqlite');
    const desk = await openDesk(chain, db);
    try {
      await desk.ingestor.sync();
      const snapshot = await chain.rpc<string>('evm_snapshot');
      await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[0]!, 'abandoned') });
      await chain.mine(5);
      expect(await list(desk)).toHaveLength(1);
      await chain.rpc('evm_revert', [snapshot]);
      await chain.mine(1);
      expect(await list(desk)).toHaveLength(0);
      expect(desk.ingestor.status()).toMatchObject({ reorgs: 1, indexedBlock: Number(await chain.publicClient.getBlockNumber()) });
    } finally {
      await desk.stop();
      await db.drop();
      await chain.stop();
    }
  });
});

describe('reorg deeper than the kept history', () => {
  it('stops ingest loudly with REORG_TOO_DEEP and reports it in health', async () => {
    const chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    const db = await createTestDatabase('sqlite');
    const desk = await openDesk(chain, db, { reorgDepth: 3 });
    try {
      await desk.ingestor.sync();
      const snapshot = await chain.rpc<string>('evm_snapshot');
      await chain.mine(8);
      await desk.ingestor.sync();
      await chain.rpc('evm_revert', [snapshot]);
      await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[0]!, 'other branch') });
      await chain.mine(9);
      await expect(desk.ingestor.sync()).rejects.toMatchObject({ code: 'REORG_TOO_DEEP' });
      const health = await request(desk.url).get('/api/health').expect(503);
      expect(health.body.status).toBe('error');
      expect(health.body.problems.join(' ')).toMatch(/reorg deeper/);
    } finally {
      await desk.stop();
      await db.drop();
      await chain.stop();
    }
  });
});
