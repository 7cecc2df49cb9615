/**
 * What a slash takes, read from the AllocationManager stand-in and its strategies, against an
 * independent computation from the stand-in's raw state (operator shares, allocations, exchange
 * rates) rather than from the getters the desk calls. Where the funds go: burned, redistributed
 * to the set's recipient, or unknown on an older core.
 */
import request from 'supertest';
import { getAddress, type Address } from 'viem';
import type { Desk } from '../src/app/desk';
import type { ImpactView, RequestView } from '../src/api/views';
import {
  allocate,
  allocationManagerStandInAbi,
  cancelRequest,
  createRedistributingOperatorSet,
  fulfilRequest,
  queueDeallocation,
  queueRequest,
  registerOperator,
  setOperatorShares,
  setUnderlyingPerShare,
  strategyStandInAbi,
} from '../src/devnet/deploy';
import { DEFAULT_BURN_ADDRESS } from '../src/domain/impact';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { waitFor } from './helpers/deskProcess';

const WINDOW = 20;
const DELAY = 5;
const E18 = 10n ** 18n;
const RECIPIENT = getAddress('0x000000000000000000000000000000000000dEaD');

/** Independent of the getters the desk reads: shares × magnitude / 1e18, a pending decrease counted when it lands by `atBlock`. */
async function expectedImpact(chain: ChainFixture, operator: Address, setId: number, strategies: Address[], wads: bigint[], windowEnd: number) {
  const am = { address: chain.testbed.allocationManager, abi: allocationManagerStandInAbi } as const;
  return Promise.all(
    strategies.map(async (strategy, i) => {
      const shares = await chain.publicClient.readContract({ ...am, functionName: 'operatorShares', args: [operator, strategy] });
      const a = await chain.publicClient.readContract({ ...am, functionName: 'getAllocation', args: [operator, { avs: AVS, id: setId }, strategy] });
      const atEnd = a.pendingDiff < 0n && a.effectBlock !== 0 && a.effectBlock <= windowEnd ? a.currentMagnitude + BigInt(a.pendingDiff) : a.currentMagnitude;
      const slashableNow = (shares * a.currentMagnitude) / E18;
      const slashable = (shares * atEnd) / E18;
      const toSlash = (wads[i]! * slashable) / E18;
      const rate = await chain.publicClient.readContract({ address: strategy, abi: strategyStandInAbi, functionName: 'underlyingPerShareWad' });
      return { strategy: getAddress(strategy), slashableSharesNow: slashableNow.toString(), slashableShares: slashable.toString(), sharesToSlash: toSlash.toString(), remainingShares: (slashable - toSlash).toString(), tokensToSlash: ((toSlash * rate) / E18).toString() };
    }),
  );
}

describe.each(DB_KINDS)('impact of a slash, on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
    desk = await startTestDesk(chain, db);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const pass = async () => {
    await desk.ingestor.sync();
    await desk.impact.refresh();
  };
  const view = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;

  it('amounts per strategy equal the stand-in state; a pending deallocation lowers the window-end amount; burned vs redistributed; re-read when a slash lands; kept once decided', async () => {
    const { keeper, publicClient, testbed } = chain;
    const [s0, s1, , usdc] = testbed.strategies as [Address, Address, Address, Address];
    const [op0, op1, op2] = chain.operators as [Address, Address, Address];
    const am = testbed.allocationManager;
    // op0: three strategies, one over a 6-decimal token; stETH shares worth 1.05 tokens
    await allocate(keeper, publicClient, { allocationManager: am, operator: op0, operatorSet: { avs: AVS, id: 1 }, strategy: usdc, magnitude: WAD / 2n });
    await setOperatorShares(keeper, publicClient, { allocationManager: am, operator: op0, strategies: [s0, s1, usdc], shares: [1_000n * E18, 500n * E18, 2_000n * 10n ** 6n] });
    await setUnderlyingPerShare(keeper, publicClient, { strategy: s1, rateWad: (105n * E18) / 100n });
    // op1 in a redistributing set 2
    await createRedistributingOperatorSet(keeper, publicClient, { allocationManager: am, operatorSet: { avs: AVS, id: 2 }, recipient: RECIPIENT });
    await registerOperator(keeper, publicClient, { allocationManager: am, operator: op1, operatorSet: { avs: AVS, id: 2 } });
    await allocate(keeper, publicClient, { allocationManager: am, operator: op1, operatorSet: { avs: AVS, id: 2 }, strategy: s0, magnitude: WAD / 2n });
    await setOperatorShares(keeper, publicClient, { allocationManager: am, operator: op1, strategies: [s0], shares: [800n * E18] });
    // op2: a deallocation to a quarter, effective DELAY + 1 blocks later: before the window ends
    await setOperatorShares(keeper, publicClient, { allocationManager: am, operator: op2, strategies: [s0], shares: [400n * E18] });
    await queueDeallocation(keeper, publicClient, { allocationManager: am, operator: op2, operatorSet: { avs: AVS, id: 1 }, strategy: s0, newMagnitude: WAD / 4n });

    const qa = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request: { operator: op0, operatorSetId: 1, strategies: [s0, s1, usdc], wadsToSlash: [WAD / 10n, WAD / 4n, WAD / 2n], description: 'three strategies' } });
    const qb = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request: { operator: op1, operatorSetId: 2, strategies: [s0], wadsToSlash: [WAD / 5n], description: 'redistributing' } });
    const qc = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request: { operator: op2, operatorSetId: 1, strategies: [s0], wadsToSlash: [WAD / 2n], description: 'leaving' } });
    await pass();

    const a = await view(qa.requestId);
    expect(a.impactReason).toBeNull();
    const ia = a.impact as ImpactView;
    expect(ia.atWindowEnd).toBe(true);
    expect(ia.redistribution).toEqual({ redistributing: false, recipient: getAddress(DEFAULT_BURN_ADDRESS) });
    expect(ia.strategies).toEqual((await expectedImpact(chain, op0, 1, [s0, s1, usdc], [WAD / 10n, WAD / 4n, WAD / 2n], Number(qa.blockNumber) + WINDOW)).map((e) => ({ ...e, token: expect.any(Object) })));
    expect(ia.strategies.map((s) => s.token)).toEqual([
      { address: testbed.tokens[0], symbol: 'WETH', decimals: 18 },
      { address: testbed.tokens[1], symbol: 'stETH', decimals: 18 },
      { address: testbed.tokens[3], symbol: 'USDC', decimals: 6 },
    ]);
    // spelled out once: 10% of 1000, 25% of 500 at 1.05, 50% of 1000 USDC (half allocated)
    expect(ia.strategies.map((s) => s.tokensToSlash)).toEqual([(100n * E18).toString(), ((125n * E18 * 105n) / 100n).toString(), (500n * 10n ** 6n).toString()]);

    const b = (await view(qb.requestId)).impact as ImpactView;
    expect(b.redistribution).toEqual({ redistributing: true, recipient: RECIPIENT });
    expect(b.strategies).toEqual((await expectedImpact(chain, op1, 2, [s0], [WAD / 5n], Number(qb.blockNumber) + WINDOW)).map((e) => ({ ...e, token: expect.any(Object) })));

    const c = (await view(qc.requestId)).impact as ImpactView;
    expect(c.strategies[0]).toMatchObject({ slashableSharesNow: (400n * E18).toString(), slashableShares: (100n * E18).toString(), sharesToSlash: (50n * E18).toString(), remainingShares: (50n * E18).toString() });
    expect(c.strategies).toEqual((await expectedImpact(chain, op2, 1, [s0], [WAD / 2n], Number(qc.blockNumber) + WINDOW)).map((e) => ({ ...e, token: expect.any(Object) })));

    // the alert carries the amount and where the funds go (every channel formats this text)
    // (the alert list API leaves text out: read the outbox)
    const alertOf = (requestId: bigint) => waitFor(`request_queued of #${requestId}`, () => desk.database.db.alert.findFirst({ where: { kind: 'request_queued', requestId: requestId.toString() } }), 20_000);
    const queuedAlert = await alertOf(qb.requestId);
    expect(queuedAlert.text).toContain('To slash: 80 WETH (at the window end');
    expect(queuedAlert.text).toContain(`Funds: redistributed to ${RECIPIENT} (not burned)`);
    expect((JSON.parse(queuedAlert.data) as { impact: unknown }).impact).toEqual(b);
    const plainAlert = await alertOf(qc.requestId);
    expect(plainAlert.text).toContain(`Funds: burned (${getAddress(DEFAULT_BURN_ADDRESS)})`);

    // the board's order: per token, largest first
    const sorted = (await request(desk.url).get('/api/requests?sort=impact').expect(200)).body.requests as RequestView[];
    expect(sorted.map((r) => r.requestId)).toEqual([qb.requestId, qc.requestId, qa.requestId].map(String));

    // a block that moves nothing reads nothing
    await chain.mine(1);
    await desk.ingestor.sync();
    expect(await desk.impact.refresh()).toEqual({ read: 0, current: 3 });

    // the redistributing request is vetoed: it keeps what was read
    await cancelRequest(chain.committee, publicClient, { slasher: testbed.slasher, requestId: qb.requestId });
    // another slash of op0's set lands first: A is read again, with less at stake
    const qd = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request: { operator: op0, operatorSetId: 1, strategies: [s0], wadsToSlash: [WAD / 2n], description: 'lands first' } });
    await pass();
    await chain.mine(WINDOW);
    await fulfilRequest(keeper, publicClient, { slasher: testbed.slasher, requestId: qd.requestId });
    await pass();
    const a2 = (await view(qa.requestId)).impact as ImpactView;
    expect(a2.readAtBlock).toBeGreaterThan(ia.readAtBlock);
    // the window has ended by now: figures are "now"
    expect(a2.atWindowEnd).toBe(false);
    expect(a2.strategies[0]!.slashableShares).toBe((500n * E18).toString());
    expect(a2.strategies).toEqual((await expectedImpact(chain, op0, 1, [s0, s1, usdc], [WAD / 10n, WAD / 4n, WAD / 2n], Number(await publicClient.getBlockNumber()))).map((e) => ({ ...e, token: expect.any(Object) })));
    const b2 = await view(qb.requestId);
    expect(b2.status).toBe('vetoed');
    expect(b2.impact).toEqual(b);
  });
});

describe.each(DB_KINDS)('impact on an older core (no redistribution getters), on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY, core: 'v1.3' });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
    await chain?.stop();
  });

  it('amounts read, where the funds go unknown, nothing crashes', async () => {
    const desk = await startTestDesk(chain, db);
    try {
      const { keeper, publicClient, testbed } = chain;
      const op = chain.operators[0]!;
      await setOperatorShares(keeper, publicClient, { allocationManager: testbed.allocationManager, operator: op, strategies: [testbed.strategies[0]!], shares: [10n * E18] });
      const q = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request: { operator: op, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [WAD / 10n], description: 'old core' } });
      await desk.ingestor.sync();
      await desk.impact.refresh();
      const v = await request(desk.url).get(`/api/requests/${q.requestId}`).expect(200);
      const impact = (v.body as RequestView).impact as ImpactView;
      expect(impact.redistribution).toEqual({ redistributing: null, recipient: null });
      expect(impact.strategies[0]).toMatchObject({ sharesToSlash: E18.toString(), tokensToSlash: E18.toString(), token: { symbol: 'WETH', decimals: 18 } });
      expect((await request(desk.url).get('/api/requests?sort=impact').expect(200)).body.requests).toHaveLength(1);
    } finally {
      await desk.stop();
    }
  });
});
