/**
 * Past blocks' times come from the chain, not from the block-time estimate: a request's blocks
 * (queued, its window's end) keep the timestamps the chain gave them after their headers leave
 * the reorg window, whether the desk saw them in a backfill or live. The chain here jumps in
 * time before each request, so an extrapolated time would be far off.
 */
import request from 'supertest';
import type { Address } from 'viem';
import { queueRequest } from '../src/devnet/deploy';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import type { TimelineView } from '../src/api/timeline';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';

const WINDOW = 20;
const REORG_DEPTH = 16;

describe.each(DB_KINDS)('block times on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: 10 });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const iso = async (block: bigint | number) => new Date(Number((await chain.publicClient.getBlock({ blockNumber: BigInt(block) })).timestamp) * 1000).toISOString();
  /** blocks 12 s apart, as on mainnet */
  const mine = (blocks: number) => chain.rpc('anvil_mine', [`0x${blocks.toString(16)}`, '0xc']);
  const queue = async (operator: Address, description: string) => {
    // a jump in time: the block it lands in is far from where 12 s per block would put it
    await chain.rpc('evm_increaseTime', [5_000]);
    return queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 2), wadsToSlash: [WAD / 10n, WAD / 10n], description },
    });
  };
  const view = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const timeline = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}/timeline`).expect(200)).body as TimelineView;

  it('a backfilled request: its queued block and window end keep the chain’s time', async () => {
    const q = await queue(chain.operators[0]!, 'backfilled');
    await mine(WINDOW + REORG_DEPTH + 10);
    desk = await startTestDesk(chain, db, { reorgDepth: REORG_DEPTH, avs: AVS });
    await desk.ingestor.sync();
    const queued = (await timeline(q.requestId)).entries.find((e) => e.kind === 'queued')!;
    expect(queued).toMatchObject({ block: Number(q.blockNumber), at: await iso(q.blockNumber), estimated: false });
    const v = await view(q.requestId);
    expect(v.deadlines.blockTimeSeconds).toBe(12);
    // its window's end, mined before the backfill, too (read with the range)
    const end = Number(q.blockNumber) + WINDOW;
    expect(v.vetoWindowEnd).toEqual({ block: end, estimatedAt: await iso(end), estimated: false });
  });

  it('a request seen live: its queued block and window end keep the chain’s time after their headers are pruned', async () => {
    const q = await queue(chain.operators[1]!, 'live');
    await desk.ingestor.sync();
    await mine(WINDOW);
    await desk.ingestor.sync();
    // both blocks still in the reorg window: exact from the stored headers
    const end = Number(q.blockNumber) + WINDOW;
    expect((await view(q.requestId)).vetoWindowEnd).toEqual({ block: end, estimatedAt: await iso(end), estimated: false });
    await chain.rpc('evm_increaseTime', [50_000]);
    await mine(REORG_DEPTH * 3);
    await desk.ingestor.sync();
    // the headers are gone (pruned below head − REORG_DEPTH) …
    expect(await desk.ingestor.status().indexedBlock).toBeGreaterThan(end + REORG_DEPTH);
    // … and the times stay exact
    expect((await view(q.requestId)).vetoWindowEnd).toEqual({ block: end, estimatedAt: await iso(end), estimated: false });
    const queued = (await timeline(q.requestId)).entries.find((e) => e.kind === 'queued')!;
    expect(queued).toMatchObject({ block: Number(q.blockNumber), at: await iso(q.blockNumber), estimated: false });
  });
});
