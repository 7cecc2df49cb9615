/**
 * The request views are kept between reads, and the request routes keep their answers: both
 * must change as soon as what they show does (a write of this desk, another desk's ingest on the
 * same database, a window in seconds ending with the clock), and stay the same otherwise.
 */
import request from 'supertest';
import { getAddress } from 'viem';
import { queueRequest } from '../src/devnet/deploy';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';

describe.each(DB_KINDS)('kept request views and answers on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let other: Desk | undefined;
  let id: bigint;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 40 });
    db = await createTestDatabase(kind);
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[0]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: 'kept' },
    });
    id = q.requestId;
    desk = await startTestDesk(chain, db);
    await desk.ingestor.sync();
    await desk.ingestor.enriched();
  });
  afterAll(async () => {
    await other?.stop();
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const get = (path: string) => request(desk.url).get(path).expect(200);
  /** what follows a pass in the background (the impact reads) has written what it had to */
  const settle = async () => {
    await desk.ingestor.enriched();
    while ((await desk.impact.refresh()).read > 0);
    await desk.impact.idle();
  };

  it('serves the same views while nothing is written, frozen, and new views once a pass writes a block', async () => {
    await settle();
    const a = await desk.readModel.snapshot();
    expect(await desk.readModel.snapshot()).toBe(a);
    expect(Object.isFrozen(a[0])).toBe(true);
    // a pass that finds no new block writes nothing
    await desk.ingestor.sync();
    await settle();
    expect(await desk.readModel.snapshot()).toBe(a);
    await chain.mine(1);
    await desk.ingestor.sync();
    // what follows the pass in the background (the set's slashability read at the new block, the
    // timers) writes too: a read landing between such a write's commit and its notice cannot
    // tell it from another desk's and reads every part again (right, but not what is tested here)
    await settle();
    await desk.scheduler.idle();
    const b = await desk.readModel.snapshot();
    expect(b).not.toBe(a);
    expect(b[0]!.confirmations).toBe(a[0]!.confirmations + 1);
    expect(b[0]!.deadlines.blocksUntilWindowEnd).toBe(a[0]!.deadlines.blocksUntilWindowEnd! - 1);
    // a block without an event of the slasher leaves the request rows as they were: they are not
    // read again (what was parsed from them is the very same)
    expect(b[0]!.strategies).not.toBeNull();
    expect(b[0]!.strategies).toBe(a[0]!.strategies);
    // the strategies' deadlines show the same as a block ago: the same frozen copy
    expect(b[0]!.deadlines.strategies).toHaveLength(1);
    expect(b[0]!.deadlines.strategies).toBe(a[0]!.deadlines.strategies);
    expect(Object.isFrozen(b[0]!.deadlines.strategies[0])).toBe(true);
  });

  it('keeps an answer (same body and ETag) until the database counts a write it may show; then the next read shows it', async () => {
    const first = await get(`/api/requests/${id}`);
    const again = await get(`/api/requests/${id}`);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    await request(desk.url).get(`/api/requests/${id}`).set('If-None-Match', first.headers.etag!).expect(304);
    const before = desk.database.changes();
    // a write no hook of the desk announces: only the database's count of writes tells
    await desk.database.db.actionLog.create({ data: { dedupKey: `kept-views-${kind}`, slasher: getAddress(chain.testbed.slasher), requestId: id.toString(), kind: 'at_risk', detail: 'written beside the desk' } });
    expect(desk.database.changes()).toBeGreaterThan(before);
    const after = await get(`/api/requests/${id}`);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect((after.body as RequestView).actions?.map((x) => x.detail)).toContain('written beside the desk');
    const page = await get('/api/requests');
    expect((page.body as { requests: RequestView[] }).requests.find((r) => r.requestId === id.toString())?.actions?.map((x) => x.detail)).toContain('written beside the desk');
  });

  it('never keeps what it read while a write of its own was under way: that write, noticed later, must not hide another desk’s', async () => {
    await settle();
    const description = async () => (await desk.readModel.snapshot()).find((v) => v.requestId === id.toString())!.description;
    const counted = () => desk.database.db.$executeRawUnsafe(`UPDATE "IngestCursor" SET "changes" = "changes" + 1`);
    expect(await description()).toBe('kept');
    // a write of this desk's (a lapse, say) has begun and committed, counted in the checkpoint,
    // and its notice has not arrived when the views are read
    desk.readModel.writing();
    await counted();
    expect(await description()).toBe('kept');
    desk.readModel.invalidate({ counted: 1, touched: ['lapses'] });
    // then another desk changes a request row, counted as every write is
    await desk.database.db.$executeRawUnsafe(`UPDATE "SlashingRequest" SET "description" = 'changed by another desk' WHERE "requestId" = '${id}'`);
    await counted();
    expect(await description()).toBe('changed by another desk');
    await desk.database.db.$executeRawUnsafe(`UPDATE "SlashingRequest" SET "description" = 'kept' WHERE "requestId" = '${id}'`);
    await counted();
    expect(await description()).toBe('kept');
  });

  it('reads its kept block times again after another desk’s prune (counted in the checkpoint, as every write is)', async () => {
    const windowEnd = async () => (await desk.readModel.snapshot()).find((v) => v.requestId === id.toString())!.vetoWindowEnd;
    const end = (await windowEnd()).block!;
    const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    await chain.mine(Math.max(0, end - head) + 3);
    await desk.ingestor.sync();
    await settle();
    const exact = await windowEnd();
    expect(exact.estimated).toBe(false);
    // a prune by another desk: the window end's time moves to BlockTime and the headers up to it
    // go, counted, in one transaction; the views are then read again for a write of this desk's
    // that touched nothing they are made of (see kept-block-times for a prune landing mid-read)
    await desk.database.db.$transaction([
      desk.database.db.$executeRawUnsafe(`UPDATE "IngestCursor" SET "changes" = "changes" + 1`),
      desk.database.db.$executeRawUnsafe(`INSERT INTO "BlockTime" ("slasher", "number", "timestamp") SELECT "slasher", "number", "timestamp" FROM "Block" WHERE "number" = ${end} ON CONFLICT ("slasher", "number") DO NOTHING`),
      desk.database.db.$executeRawUnsafe(`DELETE FROM "Block" WHERE "number" <= ${end}`),
    ]);
    desk.readModel.writing();
    desk.readModel.invalidate({ counted: 0, touched: [] });
    expect(await windowEnd()).toEqual(exact);
  });

  it('shows what another desk on the same database indexed, without a pass of its own (the checkpoint moved)', async () => {
    const mine = await desk.readModel.snapshot();
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[1]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: 'seen by the other desk' },
    });
    other = await startTestDesk(chain, db);
    await other.ingestor.sync();
    const seen = await desk.readModel.snapshot();
    expect(seen).not.toBe(mine);
    // the other desk's writes are not this desk's: its rows are read again
    expect(seen.find((v) => v.requestId === id.toString())!.strategies).not.toBe(mine.find((v) => v.requestId === id.toString())!.strategies);
    expect(seen.map((v) => v.requestId)).toContain(q.requestId.toString());
    expect((await get(`/api/requests/${q.requestId}`)).body).toMatchObject({ requestId: q.requestId.toString(), description: 'seen by the other desk' });
    // what the other desk writes without moving the checkpoint (strategies, operator sets, impact
    // figures) counts in it too: shown without a pass of this desk's own
    await other.ingestor.enriched();
    while ((await other.impact.refresh()).read > 0);
    const read = (await desk.readModel.snapshot()).find((v) => v.requestId === q.requestId.toString())!;
    expect(read.deadlines.slashability).toBe('read');
    expect(read.impact?.strategies[0]?.sharesToSlash).toBeDefined();
  });
});

describe('kept request views of a window in seconds', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let clock = 0;
  beforeAll(async () => {
    chain = await startChainFixture('V1');
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('recomputes once the clock passes the window’s end, with nothing written', async () => {
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[0]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: 'seconds' },
    });
    clock = Number((await chain.publicClient.getBlock({ blockNumber: q.blockNumber })).timestamp) + 60;
    desk = await startTestDesk(chain, db, { avs: AVS, now: () => clock });
    await desk.ingestor.sync();
    await desk.ingestor.enriched();
    const open = await desk.readModel.snapshot();
    const v = open.find((x) => x.requestId === q.requestId.toString())!;
    expect(v.status).toBe('in_veto_window');
    const end = v.vetoWindowEnd.timestamp!;
    // a second before the last one: the same views, and the API's kept answer says so
    clock = end - 1;
    expect(await desk.readModel.snapshot()).toBe(open);
    const shown = async () => ((await request(desk.url).get(`/api/requests/${q.requestId}`).expect(200)).body as RequestView).status;
    expect(await shown()).toBe('in_veto_window');
    // a transaction sent now lands at or after the end: the window has passed, though no block came
    clock = end - 0.5;
    const passed = await desk.readModel.snapshot();
    expect(passed).not.toBe(open);
    expect(passed.find((x) => x.requestId === q.requestId.toString())!.status).not.toBe('in_veto_window');
    // another consumer read the views first (above): the API's kept answer is not served again
    expect(await shown()).not.toBe('in_veto_window');
  });
});
