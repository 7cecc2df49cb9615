/**
 * A backfill stores V3/V4 requests without their strategies (SlashingRequested carries none) and
 * reads them right after, in the background: until then a request shows `strategies: null` and
 * `slashability: pending` (no alert, no action), afterwards exactly what the getter says, with
 * its own strategies' deadlines. A desk that died before reading them completes them on start.
 */
import { getAddress, type Address } from 'viem';
import type { Desk } from '../src/app/desk';
import { queueRequest, queueDeallocation, type SlasherVariant } from '../src/devnet/deploy';
import { openDatabase } from '../src/store/database';
import type { RequestView } from '../src/api/views';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type DbKind, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { getJson, waitFor } from './helpers/deskProcess';

const REORG_DEPTH = 16;
const CASES: [SlasherVariant, DbKind][] = [
  ['V3', 'sqlite'],
  ['V4', 'postgresql'],
];

describe.each(CASES)('strategies read after the backfill: %s on %s', (variant, kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;
  /** what each request was queued with */
  const queued = new Map<string, { strategies: Address[]; block: number; operator: Address }>();

  beforeAll(async () => {
    chain = await startChainFixture(variant, { vetoWindowBlocks: 200, deallocationDelay: 10 });
    db = await createTestDatabase(kind);
    const s = chain.testbed.strategies;
    for (let i = 0; i < 12; i++) {
      const strategies = i % 3 === 0 ? [s[0]!, s[1]!] : i % 3 === 1 ? [s[1]!] : [s[0]!];
      const r = await queueRequest(chain.keeper, chain.publicClient, {
        slasher: chain.testbed.slasher,
        request: { operator: chain.operators[i % 2]!, operatorSetId: 1, strategies, wadsToSlash: strategies.map(() => WAD / 10n), description: `request ${i}` },
      });
      queued.set(r.requestId.toString(), { strategies: strategies.map((x) => getAddress(x)), block: Number(r.blockNumber), operator: getAddress(chain.operators[i % 2]!) });
      await chain.mine(3);
    }
    await chain.mine(3 * REORG_DEPTH); // every request deeper than the realtime window: all backfilled
    // operator 0 is leaving strategy 0 entirely (pending when the desk reads it): a request on
    // strategy 0 alone can be fulfilled only until that takes effect, one on strategies 0 and 1
    // keeps strategy 1's stake
    await queueDeallocation(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator: chain.operators[0]!, operatorSet: { avs: AVS, id: 1 }, strategy: s[0]!, newMagnitude: 0n });
  }, 120_000);
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const open = () => startTestDesk(chain, db, { reorgDepth: REORG_DEPTH });

  const list = async (d: Desk) => (await getJson<{ requests: RequestView[] }>(`${d.url}/api/requests`)).body.requests;

  /** operator 0's requests on strategy 0 alone: their stake leaves with the deallocation */
  const onlyLeaving = (q: { operator: Address; strategies: Address[] }) => q.operator === getAddress(chain.operators[0]!) && q.strategies.length === 1 && q.strategies[0] === getAddress(chain.testbed.strategies[0]!);

  async function expectComplete(d: Desk) {
    const views = await list(d);
    expect(views).toHaveLength(queued.size);
    for (const v of views) {
      const want = queued.get(v.requestId)!;
      expect(v.strategies).toEqual(want.strategies);
      expect(v.deadlines.slashability).toBe('read');
      // its own strategies' deadlines, no one else's
      expect(v.deadlines.strategies.map((x) => x.strategy)).toEqual(want.strategies);
      if (onlyLeaving(want)) {
        expect(v.lastUsefulBlock).not.toBeNull();
        expect(v.atRisk).toBe(true); // the window (200 blocks) outlasts the deallocation (10)
      } else {
        expect(v.lastUsefulBlock).toBeNull();
      }
    }
    return views;
  }

  it('lists every request at once, completes them in the background, and alerts only once complete', async () => {
    desk = await open();
    const status = await desk.ingestor.sync();
    expect(status.indexedBlock).toBe(Number(await chain.publicClient.getBlockNumber()));
    // listed at once (strategies pending or already read: the background read has begun)
    const first = await list(desk);
    expect(first).toHaveLength(queued.size);
    for (const v of first) {
      if (v.strategies === null) expect(v.deadlines.slashability).toBe('pending');
      expect(v.wadsToSlash.length).toBeGreaterThan(0);
      expect(v.vetoWindowEnd.block).toBe(queued.get(v.requestId)!.block + 200);
    }
    await desk.ingestor.enriched();
    await expectComplete(desk);
    const metrics = await (await fetch(`${desk.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`vetodesk_strategies_read_total ${queued.size}\\b`));

    await desk.alerting.evaluate();
    const alerts = await desk.alerting.list({ kind: 'request_queued', limit: 100 });
    expect(alerts.map((a) => a.requestId).sort()).toEqual([...queued.keys()].sort());
    const atRisk = await desk.alerting.list({ kind: 'request_at_risk', limit: 100 });
    const leaving = [...queued.entries()].filter(([, q]) => onlyLeaving(q)).map(([id]) => id);
    // (V4 reuses ids until a request is fulfilled: fewer requests stand, maybe none leaving)
    if (variant === 'V3') expect(leaving.length).toBeGreaterThan(0);
    expect(atRisk.map((a) => a.requestId).sort()).toEqual(leaving.sort());
  }, 120_000);

  it('completes requests a stopped desk left unread when it starts again', async () => {
    await desk!.stop();
    // the state a kill -9 between the backfill's commit and the background read leaves behind
    const raw = openDatabase;
    const d = await raw(db.target);
    await d.db.$executeRawUnsafe(`UPDATE "SlashingRequest" SET "strategies" = 'null'`);
    const events = await d.db.requestEvent.findMany({ where: { kind: 'queued' } });
    for (const e of events) await d.db.requestEvent.update({ where: { id: e.id }, data: { data: JSON.stringify({ ...JSON.parse(e.data), strategies: null }) } });
    await d.close();

    desk = await open();
    await desk.ingestor.sync();
    await desk.ingestor.enriched();
    await expectComplete(desk);
    // the stored facts were completed too: a reorg's re-projection keeps the strategies
    const d2 = await raw(db.target);
    const facts = await d2.db.requestEvent.findMany({ where: { kind: 'queued' } });
    await d2.close();
    // (V4 reuses ids: an overwritten request's fact keeps strategies null until a reorg uncovers it)
    const current = facts.filter((f) => f.blockNumber === queued.get(f.requestId)!.block);
    expect(current).toHaveLength(queued.size);
    for (const f of current) expect((JSON.parse(f.data) as { strategies: string[] }).strategies).toEqual(queued.get(f.requestId)!.strategies);
  }, 120_000);

  it('a request whose strategies were read after its set was reads pending until the set is read for it, whoever read them, across a restart too', async () => {
    /** flags every request as another desk on the database would by reading their strategies (its write counted in the checkpoint) */
    const flagAll = async () => {
      const d = await openDatabase(db.target);
      await d.db.$transaction([d.db.ingestCursor.updateMany({ data: { changes: { increment: 1 } } }), d.db.slashingRequest.updateMany({ data: { historyPending: true } })]);
      await d.close();
    };
    const flagged = async () => {
      const d = await openDatabase(db.target);
      const n = await d.db.slashingRequest.count({ where: { historyPending: true } });
      await d.close();
      return n;
    };
    const expectPending = async (d: Desk) => {
      for (const v of await list(d)) {
        expect(v.strategies).toEqual(queued.get(v.requestId)!.strategies);
        expect(v.deadlines.slashability).toBe('pending');
      }
    };
    // this desk marked nothing: the stored flags alone bring the read
    expect(await flagged()).toBe(0);
    await flagAll();
    // another desk's write shows once the answers kept for polling clients are past their age
    await waitFor('the flags shown', async () => (await list(desk!)).every((v) => v.deadlines.slashability === 'pending'), 5_000, 100);
    await expectPending(desk!);
    await desk!.ingestor.sync();
    await expectComplete(desk!);
    expect(await flagged()).toBe(0);

    // the state a stop between the background read and the next pass leaves
    await desk!.stop();
    await flagAll();
    desk = await open();
    await expectPending(desk);
    await desk.ingestor.sync();
    await expectComplete(desk);
    expect(await flagged()).toBe(0);
  }, 120_000);
});
