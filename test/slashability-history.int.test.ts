/**
 * A desk that starts long after the facts: requests of an operator that never joined the set and
 * of one that left more than DEALLOCATION_DELAY blocks before its request. Their last useful
 * block must be a fixed block before the request (never one that moves with the head), they are
 * lapsed history (no stake_escaped alert for them), and the live request next to them is news.
 */
import type { Address } from 'viem';
import type { Desk } from '../src/app/desk';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { cancelRequest, deregisterOperator, queueRequest } from '../src/devnet/deploy';
import type { RequestView } from '../src/api/views';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { getJson } from './helpers/deskProcess';

const DELAY = 10;
const WINDOW = 20;

describe.each(DB_KINDS)('slashability learnt after the fact, on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;
  const stranger: Address = anvilDevAccounts(10)[9]!.address; // never registered

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const queue = (operator: Address, description: string) =>
    queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 2), wadsToSlash: [WAD / 2n], description },
    });

  const open = () => startTestDesk(chain, db);

  const get = async (d: Desk, id: bigint) => (await getJson<RequestView>(`${d.url}/api/requests/${id}`)).body;

  it('bounds L before the request, keeps it fixed, and alerts only the live request', async () => {
    const leaver = chain.operators[3]!;
    const left = await deregisterOperator(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator: leaver, operatorSet: { avs: AVS, id: 1 } });
    await chain.mine(3 * DELAY);
    const never = await queue(stranger, 'never in the set');
    const gone = await queue(leaver, 'left long before');
    const vetoed = await queue(chain.operators[1]!, 'vetoed long ago');
    await cancelRequest(chain.committee, chain.publicClient, { slasher: chain.testbed.slasher, requestId: vetoed.requestId });
    await chain.mine(WINDOW + DELAY + 40); // both windows long over, far beyond the reorg depth
    const live = await queue(chain.operators[0]!, 'registered operator');

    desk = await open();
    await desk.ingestor.sync();
    await desk.ingestor.enriched(); // strategies of backfilled requests, then their sets' slashability
    await desk.alerting.evaluate();

    const a = await get(desk, never.requestId);
    expect(a.deadlines.slashability).toBe('read');
    expect(a.status).toBe('lapsed');
    expect(a.atRisk).toBe(true);
    expect(a.lastUsefulBlock).not.toBeNull();
    expect(a.lastUsefulBlock!).toBeLessThan(Number(never.blockNumber)); // not slashable when queued

    const b = await get(desk, gone.requestId);
    expect(b.status).toBe('lapsed');
    expect(b.atRisk).toBe(true);
    // the search reaches DEALLOCATION_DELAY + 1 blocks before the request: it proves the operator
    // unslashable at the request, with a bound no earlier than the truth (removal + delay)
    expect(b.lastUsefulBlock).toBe(b.deadlines.registrationBound);
    expect(b.lastUsefulBlock!).toBeLessThan(Number(gone.blockNumber));
    expect(b.lastUsefulBlock!).toBeGreaterThanOrEqual(Number(left.blockNumber) + DELAY);

    // a vetoed request's set is not read (its L no longer matters): untracked, never pending
    const v = await get(desk, vetoed.requestId);
    expect(v.status).toBe('vetoed');
    expect(v.deadlines.slashability).toBe('untracked');

    const c = await get(desk, live.requestId);
    expect(c.status).toBe('in_veto_window');
    expect(c.lastUsefulBlock).toBeNull();
    expect(c.deadlines.slashabilityReadAtBlock).toBeGreaterThanOrEqual(Number(live.blockNumber));

    const alerts = await desk.alerting.list({ limit: 100 });
    const about = (id: bigint) => alerts.filter((x) => x.requestId === id.toString()).map((x) => x.kind);
    expect(about(never.requestId)).toEqual([]);
    expect(about(gone.requestId)).toEqual([]);
    expect(about(vetoed.requestId)).toEqual([]); // vetoed long ago: history, not news
    expect(about(live.requestId)).toEqual(['request_queued']);

    // later passes (a restart re-reads every set) keep the same bounds
    await desk.stop();
    await chain.mine(50);
    desk = await open();
    await desk.ingestor.sync();
    await desk.ingestor.enriched(); // strategies of backfilled requests, then their sets' slashability
    await desk.alerting.evaluate();
    expect((await get(desk, never.requestId)).lastUsefulBlock).toBe(a.lastUsefulBlock);
    expect((await get(desk, gone.requestId)).lastUsefulBlock).toBe(b.lastUsefulBlock);
    const later = await desk.alerting.list({ limit: 100 });
    expect(later.filter((x) => x.kind === 'stake_escaped')).toEqual([]);
  }, 120_000);
});
