/**
 * The deadline timers against a real anvil: each variant's fulfil lands in the first
 * valid block (window end, or the next), a vetoed request is never fulfilled, an at-risk request
 * is flagged at once, a stuck transaction is replaced with higher fees and lands, DRY_RUN never
 * sends, and two desks on one database never both send.
 */
import request from 'supertest';
import { decodeFunctionData, type Address, type Hex } from 'viem';
import { cancelRequest, queueDeallocation, queueRequest, type SlasherVariant } from '../src/devnet/deploy';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { slasherAbi } from '../src/chain/abis';
import { startDesk, type Desk, type DeskOptions } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView } from '../src/api/views';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { waitFor } from './helpers/deskProcess';

const logger = createLogger('silent');
const WINDOW = 12;
const DELAY = 5;
const VETO_PERIOD = 3 * 24 * 3600;
const keeperKey = anvilDevAccounts(1)[0]!.privateKey;
const NEVER = '0 0 1 1 *'; // the test drives every pass itself

async function openDesk(chain: ChainFixture, db: TestDatabase, variant: SlasherVariant, scheduler: DeskOptions['scheduler'] = {}, now?: () => number, rpcUrls = [chain.anvil.rpcUrl]): Promise<Desk> {
  const desk = await startDesk({
    rpcUrls,
    slasher: chain.testbed.slasher,
    database: db.target,
    port: 0,
    host: '127.0.0.1',
    confirmations: 0,
    avs: variant === 'V1' || variant === 'V2' ? AVS : undefined,
    pollIntervalMs: 60_000,
    reorgDepth: 64,
    maxLogRange: 10_000,
    logger,
    follow: false,
    ...(now ? { now } : {}),
    scheduler: { slasherPrivateKey: keeperKey, cronExpression: NEVER, ...scheduler },
  });
  await desk.scheduler.lease.tick();
  return desk;
}

const params = (chain: ChainFixture, operator: Address, description: string) => ({
  operator,
  operatorSetId: 1,
  strategies: chain.testbed.strategies.slice(0, 2),
  wadsToSlash: [WAD / 10n, WAD / 10n],
  description,
});

async function pass(desk: Desk): Promise<void> {
  await desk.ingestor.sync();
  await desk.scheduler.evaluate();
}

async function view(desk: Desk, id: bigint): Promise<RequestView> {
  return (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
}

/** Every transaction to the slasher that calls a fulfil function, from `from` on. */
async function fulfilTxs(chain: ChainFixture, fromBlock: bigint): Promise<{ block: number; requestId: bigint; status: string }[]> {
  const head = await chain.publicClient.getBlockNumber();
  const out: { block: number; requestId: bigint; status: string }[] = [];
  for (let b = fromBlock; b <= head; b++) {
    const block = await chain.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== chain.testbed.slasher.toLowerCase()) continue;
      const call = decodeFunctionData({ abi: slasherAbi, data: tx.input });
      if (!call.functionName.startsWith('fulfill')) continue;
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: tx.hash });
      out.push({ block: Number(b), requestId: call.args![0] as bigint, status: receipt.status });
    }
  }
  return out;
}

describe.each(['V1', 'V2', 'V3', 'V4'] as const)('scheduler on a %s slasher', (variant) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let chainNow = 0;
  beforeAll(async () => {
    chain = await startChainFixture(variant, { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
    // wall clock as the chain sees it (the test moves chain time forward for V1/V2)
    desk = await openDesk(chain, db, variant, {}, () => Math.max(Date.now() / 1000, chainNow));
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('fulfils in the first valid block, never fulfils a vetoed request, flags an at-risk one at once', async () => {
    const [a, b, c] = chain.operators as [Address, Address, Address];
    const q0 = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, a, 'to fulfil') });
    // V4 ids are slash counts: a second request before a slash would overwrite this one, so V4
    // queues its vetoed and at-risk requests in the second test
    const more = variant !== 'V4';
    const q1 = more ? await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, b, 'to veto') }) : null;
    // c pulls all its stake out: L = effect block - 1, before the window ends
    const target = { allocationManager: chain.testbed.allocationManager, operator: c, operatorSet: { avs: AVS, id: 1 } };
    const q2 = more ? await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, c, 'at risk') }) : null;
    if (more) for (const strategy of chain.testbed.strategies.slice(0, 2)) await queueDeallocation(chain.keeper, chain.publicClient, { ...target, strategy, newMagnitude: 0n });
    await pass(desk);

    const v0 = await view(desk, q0.requestId);
    expect(v0.nextAction).toMatchObject({ kind: 'fulfil', actor: 'desk', dryRun: false });
    if (variant === 'V3' || variant === 'V4') expect(v0.nextAction!.dueBlock).toBe(Number(q0.blockNumber) + WINDOW);
    if (variant === 'V3') {
      expect((await view(desk, q2!.requestId)).atRisk).toBe(true); // window (12 blocks) ends after L
      expect((await view(desk, q2!.requestId)).nextAction).toMatchObject({ kind: 'fulfil', note: expect.stringMatching(/at risk/) });
      // the alert planner runs after the pass once the new requests' impact is read: plan as the desk does
      await desk.impact.refresh();
      await desk.alerting.evaluate(Date.now());
      const alerts = (await request(desk.url).get('/api/alerts?limit=1000').expect(200)).body.alerts as { kind: string; requestId?: string }[];
      expect(alerts.some((x) => x.kind === 'request_at_risk' && x.requestId === q2!.requestId.toString())).toBe(true);
    }

    if (q1) await cancelRequest(chain.committee, chain.publicClient, { slasher: chain.testbed.slasher, requestId: q1.requestId });
    const start = await chain.publicClient.getBlockNumber();

    // walk the chain block by block to the end of the window, one scheduler pass per block
    let windowEndBlock: number | null = null;
    const q0Block = await chain.publicClient.getBlock({ blockNumber: q0.blockNumber });
    for (let i = 0; i < WINDOW + 5; i++) {
      if (variant === 'V1' || variant === 'V2') {
        // jump to 3 s before the window's end, then go a second per block
        const end = Number(q0Block.timestamp) + VETO_PERIOD;
        const head = await chain.publicClient.getBlock();
        const next = i === 0 ? end - 3 : Number(head.timestamp) + 1;
        chainNow = next;
        await chain.rpc('evm_setNextBlockTimestamp', [next]);
        await chain.mine(1);
      } else {
        await chain.mine(1);
        windowEndBlock = Number(q0.blockNumber) + WINDOW;
      }
      await pass(desk);
      if ((await fulfilTxs(chain, start)).some((t) => t.requestId === q0.requestId)) break;
    }
    await pass(desk);
    if (variant === 'V1' || variant === 'V2') {
      // the first block whose timestamp reaches the window's end (the desk's own fulfil may be it)
      const end = BigInt(Number(q0Block.timestamp) + VETO_PERIOD);
      for (let b = start; windowEndBlock === null; b++) if ((await chain.publicClient.getBlock({ blockNumber: b })).timestamp >= end) windowEndBlock = Number(b);
    }
    const txs = await fulfilTxs(chain, start);
    const f0 = txs.filter((t) => t.requestId === q0.requestId);
    expect(f0).toHaveLength(1);
    expect(f0[0]!.status).toBe('success');
    // landed in the window's end block or the next (for V1/V2: the first block at/after the end time)
    expect(f0[0]!.block - windowEndBlock!).toBeGreaterThanOrEqual(0);
    expect(f0[0]!.block - windowEndBlock!).toBeLessThanOrEqual(1);
    // the vetoed request was never fulfilled; V3: the at-risk (now lapsed) one never attempted
    // (V1/V2: the test jumps time, not blocks, so that one may still be fulfillable before its L)
    if (q1) expect(txs.filter((t) => t.requestId === q1.requestId)).toEqual([]);
    if (variant === 'V3') expect(txs.filter((t) => t.requestId !== q0.requestId)).toEqual([]);

    const after = await view(desk, q0.requestId);
    expect(after.status).toBe('fulfilled');
    expect(after.nextAction).toBeNull();
    expect(after.actions!.map((x) => x.kind)).toEqual(expect.arrayContaining(['fulfil_sent', 'fulfil_landed']));
    expect(after.actions!.find((x) => x.kind === 'fulfil_landed')).toMatchObject({ blockNumber: f0[0]!.block });
    if (q1) expect((await view(desk, q1.requestId)).nextAction).toBeNull();
    const kinds = ((await request(desk.url).get('/api/alerts').expect(200)).body.alerts as { kind: string; requestId?: string }[]).filter((x) => x.requestId === q0.requestId.toString()).map((x) => x.kind);
    expect(kinds).toEqual(expect.arrayContaining(['fulfil_due', 'fulfil_sent', 'fulfil_landed']));
  });
});

describe('V4 id reuse', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V4', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
    desk = await openDesk(chain, db, 'V4');
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('alerts loudly when a second request overwrites the first under the same id, and fulfils the one that stands', async () => {
    const [a, b] = chain.operators as [Address, Address];
    const first = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, a, 'first') });
    await pass(desk);
    const second = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, b, 'overwrites the first') });
    expect(second.requestId).toBe(first.requestId);
    await pass(desk);
    // a new request's alerts wait (up to two blocks) for its impact: read it, as the desk does after a pass
    await desk.impact.refresh();
    await desk.alerting.evaluate(Date.now());
    const v = await view(desk, second.requestId);
    expect(v).toMatchObject({ description: 'overwrites the first', overwrote: 1 });
    const over = await desk.database.db.alert.findMany({ where: { kind: 'v4_request_overwritten' } });
    expect(over.map((x) => [x.severity, x.requestId])).toEqual([['critical', second.requestId.toString()]]);
    // the fulfil is of the request that stands (its window counts from its own block)
    await chain.mine(WINDOW - 1);
    await pass(desk);
    await pass(desk);
    const after = await view(desk, second.requestId);
    expect(after.status).toBe('fulfilled');
    expect(after.fulfilled!.block).toBe(Number(second.blockNumber) + WINDOW);
  });
});

describe('V4 burn-or-redistribute with the slasher key (FULFIL_FUNCTION)', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V4', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
    desk = await openDesk(chain, db, 'V4', { fulfilFunction: 'fulfillSlashingRequestAndBurnOrRedistribute' });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('fulfils with fulfillSlashingRequestAndBurnOrRedistribute, and the StrategyManager clears the shares', async () => {
    const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[0]!, 'burn') });
    await chain.mine(WINDOW - 1);
    await pass(desk);
    await pass(desk);
    const v = await view(desk, q.requestId);
    expect(v.status).toBe('fulfilled');
    const tx = await chain.publicClient.getTransaction({ hash: v.fulfilled!.txHash });
    expect(decodeFunctionData({ abi: slasherAbi, data: tx.input }).functionName).toBe('fulfillSlashingRequestAndBurnOrRedistribute');
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: v.fulfilled!.txHash });
    expect(receipt.logs.some((l) => l.address.toLowerCase() === chain.testbed.strategyManager!.toLowerCase())).toBe(true);
    expect(v.fulfilled!.block).toBe(Number(q.blockNumber) + WINDOW);
  });
});

describe('scheduler: transactions that must land, one actor', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db?.drop();
    await chain?.stop();
  });

  it('replaces a stuck fulfil with higher fees, and the replacement lands', async () => {
    const desk = await openDesk(chain, db, 'V3', { feeBumpBlocks: 2 });
    try {
      const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[0]!, 'stuck') });
      await chain.mine(WINDOW - 1);
      // automine off: the fulfil waits in the mempool; then the base fee jumps above its max fee
      await chain.rpc('evm_setAutomine', [false]);
      await pass(desk);
      const first = (await desk.database.db.sentTx.findMany({ where: { requestId: q.requestId.toString() } }))[0]!;
      expect(first).toMatchObject({ status: 'recorded' });
      await chain.rpc('anvil_setNextBlockBaseFeePerGas', [`0x${(BigInt(first.maxFeePerGas) * 3n).toString(16)}`]);
      await chain.mine(1);
      await pass(desk);
      expect(await chain.publicClient.getTransactionReceipt({ hash: first.txHash as Hex }).catch(() => null)).toBeNull();
      await chain.mine(1);
      await pass(desk); // two blocks without it: replaced
      const rows = await desk.database.db.sentTx.findMany({ where: { requestId: q.requestId.toString() }, orderBy: { id: 'asc' } });
      expect(rows.length).toBe(2);
      expect(rows[1]!).toMatchObject({ txNonce: first.txNonce, replaces: first.id });
      expect(BigInt(rows[1]!.maxFeePerGas)).toBeGreaterThanOrEqual((BigInt(first.maxFeePerGas) * 1125n) / 1000n);
      await chain.mine(1);
      await pass(desk);
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: rows[1]!.txHash as Hex });
      expect(receipt.status).toBe('success');
      const settled = await desk.database.db.sentTx.findMany({ where: { requestId: q.requestId.toString() }, orderBy: { id: 'asc' } });
      expect(settled.map((r) => r.status)).toEqual(['replaced', 'mined']);
      expect((await view(desk, q.requestId)).actions!.map((x) => x.kind)).toEqual(['fulfil_sent', 'fulfil_bumped', 'fulfil_landed']);
    } finally {
      await chain.rpc('evm_setAutomine', [true]);
      await desk.stop();
    }
  });

  it('fulfils through the next RPC_URL when the first is down', async () => {
    const desk = await openDesk(chain, db, 'V3', {}, undefined, ['http://127.0.0.1:9', chain.anvil.rpcUrl]);
    try {
      const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[0]!, 'failover') });
      await chain.mine(WINDOW - 1);
      await pass(desk);
      await pass(desk);
      const v = await view(desk, q.requestId);
      expect(v.status).toBe('fulfilled');
      expect(v.fulfilled!.block).toBe(Number(q.blockNumber) + WINDOW);
    } finally {
      await desk.stop();
    }
  });

  it('a crash between recording and broadcasting: the next actor sends the same bytes, never a second fulfil', async () => {
    // the first desk "dies" right after writing the row: its pass hangs there, its lease is dropped
    let release: () => void = () => undefined;
    const first = await openDesk(chain, db, 'V3', { afterRecord: () => new Promise<void>((r) => (release = r)) });
    const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[2]!, 'crash') });
    const where = { where: { requestId: q.requestId.toString(), slasher: chain.testbed.slasher } };
    await chain.mine(WINDOW - 1);
    await first.ingestor.sync();
    void first.scheduler.evaluate();
    const recorded = await waitFor('the row recorded', async () => (await first.database.db.sentTx.findMany(where))[0], 10_000, 50);
    expect(recorded.status).toBe('recorded');
    expect(await chain.publicClient.getTransaction({ hash: recorded.txHash as Hex }).catch(() => null)).toBeNull();
    await first.scheduler.lease.stop();

    const second = await openDesk(chain, db, 'V3');
    try {
      expect(second.scheduler.lease.held()).toBe(true);
      await pass(second); // settles the recorded row: unknown to the node, so its bytes are broadcast
      await pass(second);
      const rows = await second.database.db.sentTx.findMany(where);
      expect(rows.map((r) => [r.txHash, r.status])).toEqual([[recorded.txHash, 'mined']]);
      const v = await view(second, q.requestId);
      expect(v.status).toBe('fulfilled');
      expect(v.fulfilled!.txHash).toBe(recorded.txHash);
    } finally {
      await second.stop();
      release(); // the "dead" desk wakes up and broadcasts the same bytes: already mined, nothing new
      await first.stop();
    }
    expect((await fulfilTxs(chain, q.blockNumber)).filter((t) => t.requestId === q.requestId)).toHaveLength(1);
  });

  it('DRY_RUN computes and alerts but never sends', async () => {
    const desk = await openDesk(chain, db, 'V3', { dryRun: true });
    try {
      const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[1]!, 'dry') });
      await chain.mine(WINDOW + 1);
      await pass(desk);
      await pass(desk);
      const v = await view(desk, q.requestId);
      expect(v.status).toBe('fulfillable');
      expect(v.nextAction).toMatchObject({ kind: 'fulfil', dryRun: true, note: expect.stringMatching(/DRY_RUN/) });
      expect(v.actions!.map((x) => x.kind)).toEqual(['dry_run']);
      expect(await desk.database.db.sentTx.count({ where: { requestId: q.requestId.toString() } })).toBe(0);
      const due = await desk.database.db.alert.findMany({ where: { kind: 'fulfil_due', requestId: q.requestId.toString() } });
      expect(due).toHaveLength(1);
      expect(due[0]!.text).toMatch(/DRY_RUN: the desk will NOT send it/);
    } finally {
      await desk.stop();
    }
  });

  it('alerts a slasher account too poor to pay gas, and resolves it once funded', async () => {
    const desk = await openDesk(chain, db, 'V3', { minBalanceWei: 10n ** 18n });
    const keeper = anvilDevAccounts(1)[0]!.address;
    const before = await chain.publicClient.getBalance({ address: keeper });
    try {
      await chain.rpc('anvil_setBalance', [keeper, '0x1000']);
      await pass(desk);
      await desk.alerting.evaluate(Date.now());
      const low = await desk.database.db.alert.findMany({ where: { kind: 'balance_low' } });
      expect(low.map((a) => [a.severity, a.action])).toEqual([['critical', 'trigger']]);
      expect(low[0]!.text).toMatch(new RegExp(`slasher account ${keeper} holds 0\\.000000000000004096 ETH`, 'i'));
      await chain.rpc('anvil_setBalance', [keeper, `0x${before.toString(16)}`]);
      await desk.alerting.evaluate(Date.now());
      expect((await desk.database.db.alert.findMany({ where: { kind: 'balance_low' }, orderBy: { createdAt: 'asc' } })).map((a) => a.action)).toEqual(['trigger', 'resolve']);
    } finally {
      await chain.rpc('anvil_setBalance', [keeper, `0x${before.toString(16)}`]);
      await desk.stop();
    }
  });

  it('two desks on one database: only the lease holder sends, and the standby takes over when it stops', async () => {
    const one = await openDesk(chain, db, 'V3');
    const two = await openDesk(chain, db, 'V3');
    try {
      expect([one.scheduler.lease.held(), two.scheduler.lease.held()].filter(Boolean)).toHaveLength(1);
      const [actor, standby] = one.scheduler.lease.held() ? [one, two] : [two, one];
      const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[2]!, 'one actor') });
      await chain.mine(WINDOW - 1);
      const start = await chain.publicClient.getBlockNumber();
      // each round renews the lease as the holder's timer does every third of its TTL: on a
      // starved machine that timer can run late, and the holder rightly withholds its sends then
      const round = async () => {
        await Promise.all([actor.scheduler.lease.tick(), standby.scheduler.lease.tick()]);
        expect([actor.scheduler.lease.held(), standby.scheduler.lease.held()]).toEqual([true, false]);
        await Promise.all([pass(standby), pass(actor)]);
      };
      await round();
      await chain.mine(1);
      await round();
      expect((await fulfilTxs(chain, start)).filter((t) => t.requestId === q.requestId)).toHaveLength(1);
      expect(await one.database.db.sentTx.count({ where: { requestId: q.requestId.toString() } })).toBe(1);

      // the actor stops (releasing its lease): the standby takes over and acts
      await actor.stop();
      await standby.scheduler.lease.tick();
      expect(standby.scheduler.lease.held()).toBe(true);
      const q2 = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: params(chain, chain.operators[3]!, 'after takeover') });
      await chain.mine(WINDOW - 1);
      await pass(standby);
      await chain.mine(1);
      await standby.scheduler.lease.tick();
      await pass(standby);
      expect((await view(standby, q2.requestId)).status).toBe('fulfilled');
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
