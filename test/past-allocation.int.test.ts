/**
 * A strategy first allocated while a request waited: what it held before is read from the
 * chain's past state. A node that says it holds no such state leaves it unknown at once; any
 * other failure fails the read (the pass is retried) until it has failed for
 * PAST_READ_GIVE_UP_MS, then it is taken for unknown and said so. Real anvil behind the test
 * proxy answering the errors a node gives; the clock is the test's.
 */
import { createPublicClient, http, type Address } from 'viem';
import { allocate, queueRequest } from '../src/devnet/deploy';
import { PAST_READ_GIVE_UP_MS, planAllocationWalk, readAllocationHistory } from '../src/ingest/allocationHistory';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { startRpcProxy, type RpcProxy } from '../bench/rpcProxy';

const WINDOW = 10;
const DELAY = 3;

describe('a past allocation read', () => {
  let chain: ChainFixture;
  let proxy: RpcProxy;
  let error: { code: number; message: string } | null = null;
  let operator: Address;
  let strategy: Address;
  let queuedAt: number;
  let allocatedAt: number;
  let head: number;

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    operator = chain.operators[0]!;
    strategy = chain.testbed.strategies[2]!; // never allocated by the fixture
    const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: [strategy], wadsToSlash: [WAD / 10n], description: 'no stake until after its window' } });
    queuedAt = Number(q.blockNumber);
    await chain.mine(WINDOW + 3);
    const a = await allocate(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 }, strategy, magnitude: WAD });
    allocatedAt = Number(a.blockNumber);
    await chain.mine(1);
    head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    proxy = await startRpcProxy(chain.anvil.rpcUrl, { pastCallError: (block) => (block < allocatedAt ? error : null) });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await chain?.stop();
  });

  const read = (o: { failures?: Map<string, number>; nowMs?: () => number; onGaveUp?: () => void } = {}) => {
    const client = createPublicClient({ transport: http(proxy.url) });
    const plan = planAllocationWalk({ sets: [{ operator, operatorSetId: 1, strategies: new Set([strategy]), historyFrom: queuedAt }], previousOf: () => null, atBlock: head, deallocationDelay: DELAY });
    return readAllocationHistory({
      client,
      facts: { allocationManager: chain.testbed.allocationManager, avs: AVS },
      maxLogRange: 10_000,
      plan,
      readNow: () => ({ strategy, currentMagnitude: WAD, pendingDiff: 0n, effectBlock: 0 }),
      atBlock: head,
      pastReadFailures: o.failures,
      nowMs: o.nowMs,
      onGaveUp: o.onGaveUp,
    });
  };
  const startOf = async (h: ReturnType<typeof read>) => (await h).history(operator, 1, strategy).start;

  it('reads what the strategy held the block before its first change: zero from the request on', async () => {
    error = null;
    expect(await startOf(read())).toEqual({ block: queuedAt, magnitude: 0n });
    expect((await read()).refilled(`${operator}:1`)).toBe(true);
  });

  it('takes a node that holds no such state for unknown at once (never zero)', async () => {
    error = { code: -32000, message: 'missing trie node 5f1c0e (path ) <nil>' };
    const gaveUp = jest.fn();
    expect(await startOf(read({ failures: new Map(), onGaveUp: gaveUp }))).toBeNull();
    expect(gaveUp).not.toHaveBeenCalled();
  });

  it('fails the read on any other error until it has failed for the give-up time, then takes it for unknown and says so', async () => {
    error = { code: -32000, message: 'request timed out' };
    const failures = new Map<string, number>();
    let now = 1_000_000;
    const gaveUp = jest.fn();
    await expect(read({ failures, nowMs: () => now, onGaveUp: gaveUp })).rejects.toThrow();
    now += PAST_READ_GIVE_UP_MS - 1;
    await expect(read({ failures, nowMs: () => now, onGaveUp: gaveUp })).rejects.toThrow();
    expect(gaveUp).not.toHaveBeenCalled();
    now += 1;
    expect(await startOf(read({ failures, nowMs: () => now, onGaveUp: gaveUp }))).toBeNull();
    expect(gaveUp).toHaveBeenCalledTimes(1);
    expect(failures.size).toBe(0);
    // a node that answers again is read as before
    error = null;
    expect(await startOf(read({ failures, nowMs: () => now, onGaveUp: gaveUp }))).toEqual({ block: queuedAt, magnitude: 0n });
  });
});
