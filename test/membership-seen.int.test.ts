/**
 * The AllocationManager's membership events ride along the slasher's own eth_getLogs: an operator
 * that leaves while the desk is not looking (more blocks than the reorg depth, so they come back
 * as a backfill) still bounds its request's L, a set's history walk asks the node only for blocks
 * the desk has not read itself, and a removal a reorg takes away no longer counts. Allocation
 * changes (`AllocationUpdated`, which indexes nothing) are walked the same way: what the desk's own
 * logs covered is not asked again, and the walk finds the same changes as one over every block.
 */
import { getAddress, type Address, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { deregisterOperator, queueDeallocation, queueRequest, registerOperator } from '../src/devnet/deploy';
import { allocationChanges, allocationKey, CHANGES_KEPT, createSeenSetHistory, membershipChanges } from '../src/chain/slashability';
import { getLogsRaw } from '../src/chain/logs';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { getJson } from './helpers/deskProcess';
import { startRpcProxy, type RpcProxy } from './helpers/rpcProxy';

const DELAY = 10;
const REORG_DEPTH = 16;

interface LogFilter {
  address: Address | Address[];
  fromBlock: Hex;
  toBlock: Hex;
}

describe('membership changes read with the slasher logs', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let proxy: RpcProxy;
  let desk: Desk | undefined;
  const filters: LogFilter[] = [];

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 10_000, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
    proxy = await startRpcProxy(chain.anvil.rpcUrl, {
      seed: 1,
      onBody: (body) => {
        const parsed = JSON.parse(body.toString('utf8')) as { method: string; params?: unknown[] } | { method: string; params?: unknown[] }[];
        for (const c of Array.isArray(parsed) ? parsed : [parsed]) if (c.method === 'eth_getLogs') filters.push(c.params![0] as LogFilter);
      },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
    await db?.drop();
    await chain?.stop();
  });

  const am = () => getAddress(chain.testbed.allocationManager);
  /** the calls that walk a set's membership history: the AllocationManager alone */
  const walks = () => filters.filter((f) => !Array.isArray(f.address) && getAddress(f.address) === am());
  const get = async (id: bigint) => (await getJson<RequestView>(`${desk!.url}/api/requests/${id}`)).body;
  const pass = async () => {
    await desk!.ingestor.sync();
    await desk!.ingestor.enriched();
  };
  const queue = (operator: Address, description: string) =>
    queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 2), wadsToSlash: [WAD / 2n], description },
    });
  const leave = (operator: Address) => deregisterOperator(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } });

  it('bounds L by a removal the backfill read, without walking the blocks it read again', async () => {
    const leaver = chain.operators[2]!;
    const r = await queue(leaver, 'leaves while the desk is away');
    desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], reorgDepth: REORG_DEPTH });
    await pass();
    expect((await get(r.requestId)).lastUsefulBlock).toBeNull(); // registered, allocations steady
    // the backfill asked for the slasher's and the AllocationManager's logs together
    expect(filters.some((f) => Array.isArray(f.address) && f.address.map((a) => getAddress(a)).includes(am()))).toBe(true);

    const left = await leave(leaver);
    await chain.mine(5 * REORG_DEPTH); // the removal is deeper than the reorg depth: a backfill reads it
    filters.length = 0;
    await pass();
    const v = await get(r.requestId);
    expect(v.lastUsefulBlock).toBe(Number(left.blockNumber) + DELAY);
    // every block since the set was last read went through the desk's own eth_getLogs
    expect(walks()).toEqual([]);
  }, 120_000);

  it('forgets a removal a reorg takes away', async () => {
    const stayer = chain.operators[3]!;
    const r = await queue(stayer, 'its removal is reorged away');
    await pass();
    expect((await get(r.requestId)).lastUsefulBlock).toBeNull();

    const snapshot = await chain.rpc<string>('evm_snapshot');
    const left = await leave(stayer);
    await chain.mine(2);
    await pass();
    expect((await get(r.requestId)).lastUsefulBlock).toBe(Number(left.blockNumber) + DELAY);

    await chain.rpc('evm_revert', [snapshot]);
    await chain.mine(6); // a longer branch without the removal
    await pass();
    expect(desk!.ingestor.status().reorgs).toBe(1);
    expect((await get(r.requestId)).lastUsefulBlock).toBeNull();
  }, 120_000);
  it('walks allocation changes only over the blocks the desk did not read, and finds the same', async () => {
    const operator = chain.operators[1]!;
    const strategy = getAddress(chain.testbed.strategies[1]!);
    const q = await queueDeallocation(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 }, strategy, newMagnitude: WAD / 4n });
    await chain.mine(3);
    const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    const client = chain.publicClient;
    const sets = [{ operator, operatorSetId: 1, from: 0, strategies: [strategy] }];
    const read = (seen?: ReturnType<typeof createSeenSetHistory>) =>
      allocationChanges({ client, allocationManager: am(), avs: AVS, sets, toBlock: head, maxLogRange: 50, seen });
    const key = allocationKey(getAddress(operator), 1, strategy);

    const walked = (await read()).get(key)!;
    // the fixture's allocation, then the deallocation queued here, in effect DELAY + 1 blocks on
    expect(walked.changes.map((c) => [c.magnitude, c.effectBlock])).toEqual([
      [WAD, expect.any(Number)],
      [WAD / 4n, Number(q.blockNumber) + DELAY + 1],
    ]);
    expect(walked.complete).toBe(true);

    // what a desk read with its own logs over the later blocks is not asked for again
    const seen = createSeenSetHistory(AVS);
    const mid = Number(q.blockNumber) - 1;
    seen.observe(mid, head, await getLogsRaw(client, am(), [], mid, head));
    const asked: [number, number][] = [];
    const counting = { ...client, request: (async (args: { method: string; params: [LogFilter] }) => {
      if (args.method === 'eth_getLogs') asked.push([Number(args.params[0].fromBlock), Number(args.params[0].toBlock)]);
      return client.request(args as never);
    }) as typeof client.request };
    const partly = await allocationChanges({ client: counting as typeof client, allocationManager: am(), avs: AVS, sets, toBlock: head, maxLogRange: 50, seen });
    expect(partly.get(key)).toEqual(walked);
    expect(asked.length).toBeGreaterThan(0);
    expect(Math.max(...asked.map(([, to]) => to))).toBe(mid - 1);
  }, 120_000);
  it('says a membership history longer than it keeps is incomplete (its oldest changes dropped)', async () => {
    const operator = chain.operators[0]!;
    const target = { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
    const from = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1;
    const read = async () => {
      const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
      return (await membershipChanges({ client: chain.publicClient, allocationManager: am(), avs: AVS, sets: [{ operator, operatorSetId: 1, from }], toBlock: head, maxLogRange: 1_000 })).get(`${getAddress(operator)}:1`)!;
    };
    await deregisterOperator(chain.keeper, chain.publicClient, target);
    await registerOperator(chain.keeper, chain.publicClient, target);
    expect((await read()).complete).toBe(true);
    for (let i = 1; i <= CHANGES_KEPT / 2; i++) {
      await deregisterOperator(chain.keeper, chain.publicClient, target);
      await registerOperator(chain.keeper, chain.publicClient, target);
    }
    const kept = await read();
    expect(kept.absences).toHaveLength(CHANGES_KEPT / 2); // the newest kept, the first pair dropped
    expect(kept.complete).toBe(false);
  }, 120_000);
  it('reads the blocks a restarted desk did not see once, for membership and allocations together', async () => {
    const r = await queue(chain.operators[1]!, 'its set is read again at the restart');
    await pass();
    // indexed block by block (fewer than the reorg depth: no backfill, which reads every set
    // again), nothing marks the set: its stored read stays where it was
    for (let i = 0; i < 3; i++) {
      await chain.mine(REORG_DEPTH / 2);
      await pass();
    }
    await desk!.stop();
    await chain.mine(40);
    filters.length = 0;
    desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], reorgDepth: REORG_DEPTH });
    await pass();
    expect((await get(r.requestId)).status).toBe('in_veto_window');
    // the blocks between the set's last read and the stop: walked, and each asked for once
    const ranges = walks().map((f) => [Number(f.fromBlock), Number(f.toBlock)] as const).sort((a, b) => a[0] - b[0]);
    expect(ranges.length).toBeGreaterThan(0);
    for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBeGreaterThan(ranges[k - 1]![1]);
  }, 120_000);
});
