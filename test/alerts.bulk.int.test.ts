/**
 * The outbox's bulk insert (a backfill plans thousands of alerts in one pass) against a real
 * SQLite file and a real PostgreSQL database: rows written by raw multi-row SQL must read back
 * through the Prisma model API exactly as rows the model API wrote, and a 5,000-alert batch must
 * leave the event loop free for the ingest, the API and the timers.
 */
import { createOutbox, type AlertInsert, type Outbox } from '../src/store/alertOutbox';
import { openDatabase, type Database } from '../src/store/database';
import type { Alert, AlertDraft } from '../src/alerts/types';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const CHAIN_ID = 31337;
const CHANNELS = ['webhook', 'slack', 'email'] as const;

/** Draft `i` of a scope: request alerts of several kinds and, every 7th, a desk-health alert. */
function draft(scope: string, i: number): AlertDraft {
  const health = i % 7 === 0;
  return {
    dedupKey: `${scope}:${i}`,
    kind: health ? 'desk_indexer_lagging' : i % 2 ? 'request_queued' : 'veto_reminder',
    severity: i % 3 === 0 ? 'critical' : i % 3 === 1 ? 'warning' : 'info',
    action: 'trigger',
    incidentKey: `${scope}:incident:${i}`,
    ...(health ? {} : { requestId: String(i) }),
    title: `Alert ${i}`,
    text: `line one of ${i}\nline two`,
    data: { i, wad: 10n ** 18n + BigInt(i), nested: { ok: true } },
  };
}

/** Routing of draft `i`: all channels, one, two, or none. */
function channelsOf(i: number): string[] {
  switch (i % 4) {
    case 0:
      return [...CHANNELS];
    case 1:
      return ['slack'];
    case 2:
      return ['webhook', 'email'];
    default:
      return [];
  }
}

const items = (scope: string, from: number, to: number, seenAt: Date): AlertInsert[] =>
  Array.from({ length: to - from }, (_, k) => ({ draft: draft(scope, from + k), channels: channelsOf(from + k), seenAt }));

/** Runs `work` with a 5 ms interval ticking; returns its result, duration and the longest gap between ticks. */
async function withLoopProbe<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    maxGapMs = Math.max(maxGapMs, t - last);
    last = t;
  }, 5);
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    return { result, ms, maxGapMs };
  } finally {
    clearInterval(timer);
  }
}

describe.each(DB_KINDS)('bulk alert enqueue on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;
  const measured: string[] = [];
  const outbox = (scope: string): Outbox => createOutbox(database, { chainId: CHAIN_ID, slasher: `0x${scope.padStart(40, '0')}` });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    database = await openDatabase(tdb.target);
  });
  afterAll(async () => {
    if (measured.length) console.log(`alerts.bulk on ${kind}:\n  ${measured.join('\n  ')}`);
    await database?.close();
    await tdb?.drop();
  });

  it('inserts 5,000 drafts in one call, readable through due() and list() with one delivery per routed channel', async () => {
    const o = outbox('a1');
    const now = new Date('2026-01-02T03:04:05.678Z');
    const seenAt = new Date('2026-01-02T03:04:00.001Z');
    const batch = items('a1', 0, 5_000, seenAt);
    const { result: inserted, ms, maxGapMs } = await withLoopProbe(() => o.insertMany(batch, now));
    measured.push(`5,000 drafts (${batch.reduce((n, b) => n + b.channels.length, 0)} deliveries) in ${ms.toFixed(0)} ms, max event-loop gap ${maxGapMs.toFixed(1)} ms`);

    expect(inserted).toHaveLength(5_000);
    expect(inserted.map((a) => a.dedupKey)).toEqual(batch.map((b) => b.draft.dedupKey)); // input order
    expect(new Set(inserted.map((a) => a.id)).size).toBe(5_000);
    expect(inserted[1]).toEqual({
      id: expect.any(String),
      dedupKey: 'a1:1',
      chainId: CHAIN_ID,
      slasher: `0x${'a1'.padStart(40, '0')}`,
      kind: 'request_queued',
      severity: 'warning',
      action: 'trigger',
      incidentKey: 'a1:incident:1',
      requestId: '1',
      title: 'Alert 1',
      text: 'line one of 1\nline two',
      data: { i: 1, wad: '1000000000000000001', nested: { ok: true } },
      seenAt,
      createdAt: now,
    });
    expect(inserted[0]!).not.toHaveProperty('requestId'); // a health alert, as toAlert returns it

    // what insertMany returned is what the Prisma reads return
    const byId = new Map(inserted.map((a) => [a.id, a]));
    const due = await o.due(now, [...CHANNELS], 20_000);
    const perChannel = (list: { channel: string }[]) => Object.fromEntries(CHANNELS.map((c) => [c, list.filter((d) => d.channel === c).length]));
    expect(perChannel(due)).toEqual(perChannel(batch.flatMap((b) => b.channels.map((channel) => ({ channel })))));
    expect(perChannel(due)).toEqual({ webhook: 2_500, slack: 2_500, email: 2_500 });
    for (const d of due) {
      expect(d.alert).toEqual(byId.get(d.alert.id));
      expect(d.attempts).toBe(0);
      expect(d.nextAttemptAt).toEqual(now);
    }
    // the boundary of `due`: a delivery is due at exactly its nextAttemptAt, not a millisecond before
    expect(await o.due(new Date(now.getTime() - 1), [...CHANNELS], 10)).toEqual([]);

    const listed = await o.list({ limit: 10_000 });
    expect(listed).toHaveLength(5_000);
    for (const item of listed) {
      const a = byId.get(item.id)!;
      const i = Number(a.dedupKey.split(':')[1]);
      expect(item).toMatchObject({ dedupKey: a.dedupKey, kind: a.kind, severity: a.severity, seenAt: seenAt.toISOString(), createdAt: now.toISOString() });
      expect(item.deliveries.map((d) => d.channel)).toEqual([...channelsOf(i)].sort());
      for (const d of item.deliveries) expect(d).toEqual({ channel: d.channel, state: 'pending', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, deliveredAt: null, latencyMs: null });
    }
    expect(await o.countsByChannel()).toEqual(expect.arrayContaining([{ channel: 'webhook', state: 'pending', n: 2_500 }, { channel: 'slack', state: 'pending', n: 2_500 }, { channel: 'email', state: 'pending', n: 2_500 }]));
    expect((await o.knownKeys()).size).toBe(5_000);
  });

  it('stores dates exactly as the model API does: claim() and delivered() work on bulk rows', async () => {
    const o = outbox('a2');
    const now = new Date('2026-02-03T04:05:06.007Z');
    const seenAt = new Date('2026-02-03T04:05:00.000Z');
    const single = await o.insertIfAbsent(draft('a2', 0), ['webhook'], seenAt, now);
    const [bulk] = await o.insertMany([{ draft: draft('a2', 1), channels: ['webhook'], seenAt }], now);
    const text = kind === 'sqlite'
      ? `SELECT "id", "seenAt" || '' AS "seenAt", "createdAt" || '' AS "createdAt" FROM "Alert" WHERE "id" IN (?, ?)`
      : `SELECT "id", "seenAt"::text AS "seenAt", "createdAt"::text AS "createdAt" FROM "Alert" WHERE "id" IN ($1, $2)`;
    const rows = await database.db.$queryRawUnsafe<{ id: string; seenAt: string; createdAt: string }[]>(text, single!.id, bulk!.id);
    const raw = (id: string) => rows.find((r) => r.id === id)!;
    expect(raw(bulk!.id).seenAt).toBe(raw(single!.id).seenAt);
    expect(raw(bulk!.id).createdAt).toBe(raw(single!.id).createdAt);
    const deliveryText = kind === 'sqlite'
      ? `SELECT "alertId", "nextAttemptAt" || '' AS "at" FROM "AlertDelivery" WHERE "alertId" IN (?, ?)`
      : `SELECT "alertId", "nextAttemptAt"::text AS "at" FROM "AlertDelivery" WHERE "alertId" IN ($1, $2)`;
    const deliveries = await database.db.$queryRawUnsafe<{ alertId: string; at: string }[]>(deliveryText, single!.id, bulk!.id);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]!.at).toBe(deliveries[1]!.at);

    // the model API's own reads of the bulk row
    const row = await database.db.alert.findUnique({ where: { id: bulk!.id }, include: { deliveries: true } });
    expect(row).toMatchObject({ dedupKey: 'a2:1', seenAt, createdAt: now, deliveries: [{ channel: 'webhook', state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, deliveredAt: null }] });
    expect(await database.db.alertDelivery.count({ where: { alertId: bulk!.id, nextAttemptAt: now } })).toBe(1);

    // the dispatcher's path: claim matches nextAttemptAt by equality
    const [d] = (await o.due(now, ['webhook'], 10)).filter((x) => x.alert.id === bulk!.id);
    expect(await o.claim(d!, new Date(now.getTime() + 30_000))).toBe(true);
    await o.delivered(d!, new Date(now.getTime() + 1_500));
    const item = (await o.list({ limit: 10 })).find((a) => a.id === bulk!.id)!;
    expect(item.deliveries).toEqual([{ channel: 'webhook', state: 'delivered', attempts: 1, nextAttemptAt: null, lastError: null, deliveredAt: new Date(now.getTime() + 1_500).toISOString(), latencyMs: 7_507 }]);
  });

  it('inserts nothing and returns [] when the same drafts come again', async () => {
    const o = outbox('a3');
    const now = new Date('2026-03-01T00:00:00.000Z');
    const batch = items('a3', 0, 450, now);
    expect(await o.insertMany(batch, now)).toHaveLength(450);
    const counts = async () => [await database.db.alert.count({ where: { dedupKey: { startsWith: 'a3:' } } }), await database.db.alertDelivery.count({ where: { alert: { dedupKey: { startsWith: 'a3:' } } } })];
    const before = await counts();
    expect(before).toEqual([450, batch.reduce((n, b) => n + b.channels.length, 0)]);
    const later = new Date(now.getTime() + 60_000);
    expect(await o.insertMany(items('a3', 0, 450, later), later)).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await o.insertMany([], later)).toEqual([]);
  });

  it('inserts only the new keys of a mix of known and new ones, each once', async () => {
    const o = outbox('a4');
    const t0 = new Date('2026-04-01T00:00:00.000Z');
    const t1 = new Date('2026-04-01T00:01:00.000Z');
    // known: evens 0..598 (one through the single-alert path), new: odds
    const single = await o.insertIfAbsent(draft('a4', 0), channelsOf(0), t0, t0);
    expect(single).not.toBeNull();
    const evens = items('a4', 0, 600, t0).filter((_, k) => k % 2 === 0 && k > 0);
    expect(await o.insertMany(evens, t0)).toHaveLength(299);

    const mixed = items('a4', 0, 600, t1).map((it) => ({ ...it, draft: { ...it.draft, title: `${it.draft.title} (second pass)` } }));
    mixed.push({ ...mixed[1]!, draft: { ...mixed[1]!.draft, title: 'a duplicate in the input' } });
    const inserted = await o.insertMany(mixed, t1);
    expect(inserted.map((a) => a.dedupKey)).toEqual(Array.from({ length: 300 }, (_, k) => `a4:${2 * k + 1}`));
    expect(inserted.every((a) => a.title.endsWith('(second pass)') && a.createdAt.getTime() === t1.getTime())).toBe(true);

    const rows = await database.db.alert.findMany({ where: { dedupKey: { startsWith: 'a4:' } }, include: { deliveries: true } });
    expect(rows).toHaveLength(600);
    for (const r of rows) {
      const i = Number(r.dedupKey.split(':')[1]);
      // a known key keeps its first row; the second pass changed nothing of it
      expect(r.createdAt).toEqual(i % 2 ? t1 : t0);
      expect(r.title).toBe(i % 2 ? `Alert ${i} (second pass)` : `Alert ${i}`);
      expect(r.deliveries.map((d) => d.channel).sort()).toEqual([...channelsOf(i)].sort());
    }
    expect(rows.find((r) => r.dedupKey === 'a4:0')!.id).toBe(single!.id);
  });

  it('stores an alert routed to no channel, with no delivery', async () => {
    const o = outbox('a5');
    const now = new Date('2026-05-01T00:00:00.000Z');
    const [lonely, routed] = await o.insertMany([{ draft: draft('a5', 3), channels: [], seenAt: now }, { draft: draft('a5', 4), channels: ['email'], seenAt: now }], now);
    expect(lonely).toMatchObject({ dedupKey: 'a5:3' });
    expect(routed).toMatchObject({ dedupKey: 'a5:4' });
    const listed = await o.list({ limit: 10 });
    expect(listed.find((a) => a.id === lonely!.id)!.deliveries).toEqual([]);
    expect(listed.find((a) => a.id === routed!.id)!.deliveries.map((d) => d.channel)).toEqual(['email']);
    expect((await o.due(now, [...CHANNELS], 10)).map((d) => d.alert.dedupKey)).toEqual(['a5:4']);
    expect(await o.insertMany([{ draft: draft('a5', 3), channels: ['email'], seenAt: now }], now)).toEqual([]);
    expect(await database.db.alertDelivery.count({ where: { alertId: lonely!.id } })).toBe(0);
  });

  it('does not block the event loop for long while inserting 5,000 drafts', async () => {
    const o = outbox('a6');
    const now = new Date('2026-06-01T00:00:00.000Z');
    const batch = items('a6', 0, 5_000, now);
    const { result, ms, maxGapMs } = await withLoopProbe(() => o.insertMany(batch, now));
    measured.push(`5,000 drafts again (event-loop probe) in ${ms.toFixed(0)} ms, max event-loop gap ${maxGapMs.toFixed(1)} ms`);
    expect(result).toHaveLength(5_000);
    expect(maxGapMs).toBeLessThan(500); // one transaction for all would hold it for seconds; room for a loaded machine
  });
});
