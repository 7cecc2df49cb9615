/**
 * store/modelRows.ts reads rows in raw SQL for the reads every page of requests makes: what it
 * returns must be exactly what Prisma's model API returns for the same rows (types, nulls,
 * booleans, times to the millisecond), on both databases, and the stores built on it must pick
 * the same rows as the ORM queries they replaced.
 */
import { Client } from 'pg';
import { Prisma } from '../src/store/generated/sqlite';
import { openDatabase, type Database } from '../src/store/database';
import { modelRows } from '../src/store/modelRows';
import { createVetoStore } from '../src/store/vetoStore';
import { createActionLogStore } from '../src/store/actionLogStore';
import { createSentTxStore } from '../src/store/sentTxStore';
import { createIngestStore } from '../src/store/ingestStore';
import { createOutbox } from '../src/store/alertOutbox';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const OTHER_SLASHER = '0x00000000000000000000000000000000000000b2';
const SAFE = '0x00000000000000000000000000000000000000C1';
const OTHER_SAFE = '0x00000000000000000000000000000000000000c2';
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe.each(DB_KINDS)('raw model rows on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    if (kind === 'postgresql') {
      // sessions far from UTC: a TIMESTAMP without zone read as local time would be off by hours
      const c = new Client({ connectionString: tdb.url });
      await c.connect();
      const [{ name }] = (await c.query('SELECT current_database() AS name')).rows as [{ name: string }];
      await c.query(`ALTER DATABASE "${name}" SET timezone TO 'Asia/Kathmandu'`);
      await c.end();
    }
    database = await openDatabase(tdb.target);
    const db = database.db;
    // proposals of two Safes and two slashers, current and superseded, with and without the nullable columns
    for (let i = 0; i < 12; i++) {
      const p = await db.vetoProposal.create({
        data: {
          slasher: i % 4 === 3 ? OTHER_SLASHER : SLASHER,
          safe: i % 3 === 2 ? OTHER_SAFE : SAFE,
          requestId: String(i % 5),
          requestTxHash: hash(i),
          chainId: 31337,
          nonce: i,
          to: SLASHER,
          data: `0x${'ab'.repeat(i)}`,
          safeTxHash: hash(1000 + i),
          status: ['collecting', 'ready', 'executed', 'failed', 'abandoned'][i % 5]!,
          statusReason: i % 2 ? `reason 'quoted' "double" ü ${i}` : null,
          executionTxHash: i % 5 === 2 ? hash(2000 + i) : null,
          executionBlock: i % 5 === 2 ? 2_147_000_000 + i : null,
          superseded: i % 4 === 1,
          createdAt: new Date(Date.UTC(2026, 11, 4, 10, 0, i, 123 + i)),
        },
      });
      for (let s = 0; s < i % 3; s++) {
        await db.vetoSignature.create({ data: { proposalId: p.id, signer: `0x${String(s).repeat(40)}`, signature: `0x${'1b'.repeat(65)}`, source: 'http', staleReason: s === 1 ? 'not an owner' : null } });
      }
    }
    await db.ingestCursor.create({ data: { slasher: SLASHER, chainId: 31337, variant: 'V3', startBlock: 7, indexedBlock: 2_147_000_000, indexedHash: hash(9), windowKind: 'blocks', windowLength: 50, deallocationDelay: 20, changes: 3 } });
    await db.ingestCursor.create({ data: { slasher: OTHER_SLASHER, chainId: 1, startBlock: 0, indexedBlock: 0 } });
    for (let i = 0; i < 6; i++) {
      await db.actionLog.create({ data: { dedupKey: `k${i}`, slasher: i === 5 ? OTHER_SLASHER : SLASHER, requestId: String(i % 3), kind: 'fulfil_sent', detail: `sent ${i}`, txHash: i % 2 ? hash(i) : null, blockNumber: i % 2 ? i : null } });
      await db.sentTx.create({
        data: {
          chainId: 31337,
          slasher: i === 5 ? OTHER_SLASHER : SLASHER,
          requestId: String(i % 3),
          requestTxHash: hash(i),
          purpose: 'fulfil',
          proposalId: i % 2 ? i : null,
          deadlineBlock: i % 2 ? 100 + i : null,
          account: `0x${String(i % 2).repeat(40)}`,
          txNonce: i,
          to: SLASHER,
          data: '0x',
          rawTx: '0x02',
          txHash: hash(3000 + i),
          gas: '21000',
          maxFeePerGas: '1',
          maxPriorityFeePerGas: '1',
          replaces: null,
          sentAtBlock: i,
          status: i % 3 === 0 ? 'recorded' : 'mined',
        },
      });
    }
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  it('reads every model the schema has (or says at once which column it cannot)', () => {
    for (const m of Prisma.dmmf.datamodel.models) expect(() => modelRows(database, m.name as Prisma.ModelName)).not.toThrow();
  });

  it.each([
    ['VetoProposal', 'id'],
    ['VetoSignature', 'id'],
    ['ActionLog', 'id'],
    ['SentTx', 'id'],
    ['IngestCursor', 'slasher'],
  ] as const)('%s rows equal what the model API reads', async (model, key) => {
    const delegate = (database.db as unknown as Record<string, { findMany(a: unknown): Promise<unknown[]> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
    const orm = await delegate.findMany({ orderBy: { [key]: 'asc' } });
    expect(orm.length).toBeGreaterThan(0);
    const raw = await modelRows(database, model).select('1 = 1', [], `ORDER BY "${key}"`);
    expect(raw).toEqual(orm);
  });

  it('reads times written outside Prisma as Prisma does', async () => {
    const db = database.db;
    const forms: unknown[] =
      kind === 'sqlite'
        ? ['2026-12-04 10:11:12', '2026-12-04', '2026-12-04T10:11:12.345+05', '2026-12-04T10:11:12.345+05:30', Date.UTC(2026, 11, 4, 10, 11, 12, 345)]
        : ['2026-12-04 10:11:12.345'];
    for (const [i, at] of forms.entries()) {
      await db.$executeRawUnsafe(`INSERT INTO "ActionLog" ("dedupKey", "slasher", "requestId", "kind", "detail", "createdAt") VALUES (${kind === 'sqlite' ? '?, ?, ?, ?, ?, ?' : '$1, $2, $3, $4, $5, $6'})`, `time${i}`, SLASHER, 'times', 'note', 'raw', at);
    }
    const orm = await db.actionLog.findMany({ where: { requestId: 'times' }, orderBy: { id: 'asc' } });
    expect(orm).toHaveLength(forms.length);
    expect(orm.every((r) => !Number.isNaN(r.createdAt.getTime()))).toBe(true);
    expect(await modelRows(database, 'ActionLog').find({ requestId: 'times' })).toEqual(orm);
    await db.actionLog.deleteMany({ where: { requestId: 'times' } });
  });

  it('the blocks, checkpoint and alert reads equal the ORM queries they replaced', async () => {
    const db = database.db;
    for (let n = 0; n < 40; n++) await db.block.create({ data: { slasher: SLASHER, number: 1000 + n, hash: hash(5000 + n), parentHash: hash(4999 + n), timestamp: 1_700_000_000 + 12 * n } });
    for (let n = 0; n < 10; n++) await db.blockTime.create({ data: { slasher: SLASHER, number: 900 + n, timestamp: 1_699_990_000 + n } });
    await db.block.create({ data: { slasher: OTHER_SLASHER, number: 1039, hash: hash(1), parentHash: hash(2), timestamp: 1 } });
    const store = createIngestStore(db, SLASHER, kind, database);
    expect(await store.getCursor()).toEqual(await db.ingestCursor.findUnique({ where: { slasher: SLASHER } }));
    expect(await createIngestStore(db, '0x00000000000000000000000000000000000000b9', kind, database).getCursor()).toBeNull();
    expect(await store.getBlock(1010)).toEqual(await db.block.findUnique({ where: { slasher_number: { slasher: SLASHER, number: 1010 } }, select: { number: true, hash: true, parentHash: true, timestamp: true } }));
    expect(await store.getBlock(5)).toBeNull();
    expect(await store.blockHashes(1030)).toEqual(new Map((await db.block.findMany({ where: { slasher: SLASHER, number: { gte: 1030 } } })).map((b) => [b.number, b.hash])));
    expect(await store.recentBlocks(32)).toEqual((await db.block.findMany({ where: { slasher: SLASHER }, orderBy: { number: 'desc' }, take: 32, select: { number: true, timestamp: true } })).reverse());
    expect(await store.recentBlocks(1)).toEqual([{ number: 1039, timestamp: 1_700_000_000 + 12 * 39 }]);
    expect(await store.blockTimes([905, 1001, 1001, 77, 1039])).toEqual([
      { number: 905, timestamp: 1_699_990_005 },
      { number: 1001, timestamp: 1_700_000_012 },
      { number: 1039, timestamp: 1_700_000_000 + 12 * 39 },
    ]);

    const outbox = createOutbox(database, { chainId: 31337, slasher: SLASHER });
    const alert = (i: number, kindOf: string, action: string, incident: string, requestId: string | null) =>
      db.alert.create({ data: { id: `a${i}`, dedupKey: `d${i}`, chainId: 31337, slasher: SLASHER, requestId, kind: kindOf, severity: 'warning', action, incidentKey: incident, title: 't', text: 't', data: '{}', seenAt: new Date(), createdAt: new Date(), deliveries: { create: [{ channel: i % 2 ? 'slack' : 'webhook', state: i % 3 ? 'delivered' : 'pending', nextAttemptAt: new Date() }] } } });
    await alert(1, 'rpc_unreachable', 'trigger', 'i1', null);
    await alert(2, 'rpc_unreachable', 'resolve', 'i1', null);
    await alert(3, 'rpc_unreachable', 'trigger', 'i2', null);
    await alert(4, 'db_unreachable', 'trigger', 'i3', null);
    await alert(5, 'request_queued', 'trigger', 'r1', '1');
    const incidents = await outbox.incidents(['rpc_unreachable', 'db_unreachable', 'never']);
    expect([...incidents].sort()).toEqual([
      ['db_unreachable', { open: 'i3', count: 1 }],
      ['rpc_unreachable', { open: 'i2', count: 2 }],
    ]);
    const grouped = await db.alertDelivery.groupBy({ by: ['channel', 'state'], where: { alert: { chainId: 31337, slasher: SLASHER } }, _count: { _all: true } });
    const counts = await outbox.countsByChannel();
    expect(counts.sort((a, b) => `${a.channel}${a.state}`.localeCompare(`${b.channel}${b.state}`))).toEqual(
      grouped.map((r) => ({ channel: r.channel, state: r.state, n: r._count._all })).sort((a, b) => `${a.channel}${a.state}`.localeCompare(`${b.channel}${b.state}`)),
    );
    expect(counts.reduce((a, c) => a + c.n, 0)).toBe(5);
  });

  it('refuses a column the model does not have, before any SQL is sent', async () => {
    await expect(modelRows(database, 'ActionLog').find({ nope: 1 })).rejects.toThrow('ActionLog has no column nope');
    await expect(modelRows(database, 'ActionLog').find({}, { column: 'requestId); DROP TABLE "ActionLog"; --', values: ['1'] })).rejects.toThrow(/has no column/);
    expect(await database.db.actionLog.count()).toBeGreaterThan(0);
  });

  it('the stores pick the rows the ORM queries pick', async () => {
    const db = database.db;
    const veto = createVetoStore(database, SLASHER, SAFE);
    for (const superseded of [false, true]) {
      const read = superseded ? veto.supersededProposals.bind(veto) : veto.currentProposals.bind(veto);
      for (const ids of [undefined, [], ['1'], ['0', '2', '4', 'no such']]) {
        const orm = await db.vetoProposal.findMany({ where: { slasher: SLASHER, safe: SAFE, superseded, ...(ids ? { requestId: { in: ids } } : {}) }, orderBy: { id: 'asc' } });
        expect(await read(ids)).toEqual(orm);
      }
    }
    const all = await db.vetoProposal.findMany({ select: { id: true } });
    const ids = all.map((p) => p.id);
    expect(await veto.signatures(ids)).toEqual(await db.vetoSignature.findMany({ where: { proposalId: { in: ids } }, orderBy: { id: 'asc' } }));
    expect((await veto.signatures(ids)).length).toBeGreaterThan(3);
    expect(await veto.signatures([ids[2]!])).toEqual(await db.vetoSignature.findMany({ where: { proposalId: ids[2]! }, orderBy: { id: 'asc' } }));
    expect(await veto.signatures([])).toEqual([]);

    const log = createActionLogStore(database, SLASHER);
    expect(await log.forRequests()).toEqual(await db.actionLog.findMany({ where: { slasher: SLASHER }, orderBy: { id: 'asc' } }));
    expect(await log.forRequests(['1', '2'])).toEqual(await db.actionLog.findMany({ where: { slasher: SLASHER, requestId: { in: ['1', '2'] } }, orderBy: { id: 'asc' } }));

    const sent = createSentTxStore(database);
    expect(await sent.forRequests(SLASHER)).toEqual(await db.sentTx.findMany({ where: { slasher: SLASHER }, orderBy: { id: 'asc' } }));
    expect(await sent.forRequests(SLASHER, ['0'])).toEqual(await db.sentTx.findMany({ where: { slasher: SLASHER, requestId: { in: ['0'] } }, orderBy: { id: 'asc' } }));
    const account = `0x${'0'.repeat(40)}`;
    expect(await sent.inFlight()).toEqual(await db.sentTx.findMany({ where: { status: 'recorded' }, orderBy: { id: 'asc' } }));
    expect(await sent.inFlight(account)).toEqual(await db.sentTx.findMany({ where: { status: 'recorded', account }, orderBy: { id: 'asc' } }));
    expect((await sent.inFlight()).length).toBe(2);
  });
});
