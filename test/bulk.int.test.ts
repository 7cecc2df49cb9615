/**
 * store/bulk.ts's insertRows on both databases: on SQLite the rows go straight through the
 * adapter's own better-sqlite3 connection inside the Prisma transaction, on PostgreSQL as one JSON
 * text typed by the table's row type. Either way what the model API reads back must be exactly
 * what was given, and the rows must commit or roll back with the transaction they were written in.
 */
import { insertRows, txSql } from '../src/store/bulk';
import { createIngestStore } from '../src/store/ingestStore';
import { createLapseStore } from '../src/store/lapseStore';
import { Client } from 'pg';
import { isWriteConflict } from '../src/store/conflicts';
import { openDatabase, type Database } from '../src/store/database';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const LAPSE_SLASHER = '0x00000000000000000000000000000000000000b9';
const COLUMNS = [
  'slasher',
  'requestId',
  'variant',
  'operator',
  'operatorSetId',
  'strategies',
  'wadsToSlash',
  'description',
  'requestBlockOrTimestamp',
  'queuedAtBlock',
  'queuedBlockHash',
  'queuedTxHash',
  'queuedLogIndex',
  'onchainStatus',
  'cancelledBlock',
  'cancelledTxHash',
  'fulfilledBlock',
  'fulfilledTxHash',
  'overwrote',
  'updatedAt',
] as const;

const UPDATED = '2026-11-22T10:11:12.345Z';

/** Row `i`: text that JSON and SQL both treat specially, nulls, the largest 32-bit ints. */
function row(i: number, scope = 'a'): unknown[] {
  const closed = i % 3 === 1;
  return [
    SLASHER,
    `${scope}${i}`,
    'V3',
    `0x${i.toString(16).padStart(40, '0')}`,
    i % 5,
    i % 2 ? 'null' : JSON.stringify([`0x${'5'.repeat(40)}`]),
    JSON.stringify([(10n ** 30n + BigInt(i)).toString()]),
    `quote ' "double" \\ back\nline two — ünïcødé 🛡️ ${i}`,
    2_147_480_000 + i, // near the 32-bit bound of the INTEGER column (PostgreSQL checks it)
    i,
    `0x${'ab'.repeat(32)}`,
    `0x${'cd'.repeat(32)}`,
    i % 7,
    closed ? 'cancelled' : 'requested',
    closed ? i + 10 : null,
    closed ? `0x${'ef'.repeat(32)}` : null,
    null,
    null,
    i % 4,
    UPDATED,
  ];
}

describe.each(DB_KINDS)('bulk writes on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    database = await openDatabase(tdb.target);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  const raw = () => database.rawSqlite();
  const count = (scope: string) => database.db.slashingRequest.count({ where: { slasher: SLASHER, requestId: { startsWith: scope } } });

  it(kind === 'sqlite' ? 'reaches the adapter’s own connection (the fast path is taken)' : 'has no raw SQLite connection', () => {
    if (kind === 'sqlite') {
      expect(raw()).not.toBeNull();
      expect(raw()!.inTransaction).toBe(false);
    } else {
      expect(raw()).toBeNull();
    }
  });

  it('writes rows the model API reads back exactly (2,500 rows, text, nulls, large ints)', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => row(i));
    await database.db.$transaction(async (tx) => insertRows(txSql(tx, kind, raw()), 'SlashingRequest', COLUMNS, rows));
    expect(await count('a')).toBe(2_500);
    for (const i of [0, 1, 2, 1_249, 2_499]) {
      const got = await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: `a${i}` } } });
      const want = Object.fromEntries(COLUMNS.map((c, k) => [c, row(i)[k]]));
      // (historyPending is the column's default: the ingest's, no fact's)
      expect({ ...got, updatedAt: got.updatedAt.toISOString() }).toEqual({ ...want, historyPending: false });
    }
  });

  it('rolls the rows back with the transaction they were written in', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => row(i, 'r'));
    await expect(
      database.db.$transaction(async (tx) => {
        await insertRows(txSql(tx, kind, raw()), 'SlashingRequest', COLUMNS, rows);
        // the rows are visible inside the transaction …
        expect(await tx.slashingRequest.count({ where: { slasher: SLASHER, requestId: { startsWith: 'r' } } })).toBe(300);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // … and gone with it
    expect(await count('r')).toBe(0);
  });

  it('refuses a duplicate key, and the transaction writes none of the rows', async () => {
    const rows = [row(0, 'd'), row(1, 'd'), row(0, 'd')];
    // compared by message: under jest, better-sqlite3's native addon throws the SqliteError class
    // of the first test file that loaded it, which is not an Error of this file's realm
    const failure = await database.db.$transaction(async (tx) => insertRows(txSql(tx, kind, raw()), 'SlashingRequest', COLUMNS, rows)).then(
      () => null,
      (e: unknown) => String((e as { message?: unknown } | null)?.message),
    );
    expect(failure).toMatch(/unique/i);
    expect(await count('d')).toBe(0);
  });

  it('writes booleans and timestamps as the model API does', async () => {
    const cols = ['slasher', 'operator', 'operatorSetId', 'registered', 'deregisterBlock', 'allocations', 'readAtBlock', 'updatedAt'];
    const rows = [
      [SLASHER, `0x${'1'.repeat(40)}`, 1, true, null, '[]', 100, UPDATED],
      [SLASHER, `0x${'2'.repeat(40)}`, 2, false, 99, '[{"strategy":"0x"}]', 101, UPDATED],
    ];
    await database.db.$transaction(async (tx) => insertRows(txSql(tx, kind, raw()), 'OperatorSetState', cols, rows));
    const got = await database.db.operatorSetState.findMany({ where: { slasher: SLASHER }, orderBy: { operatorSetId: 'asc' } });
    expect(got.map((s) => [s.registered, s.deregisterBlock, s.allocations, s.readAtBlock, s.updatedAt.toISOString()])).toEqual([
      [true, null, '[]', 100, UPDATED],
      [false, 99, '[{"strategy":"0x"}]', 101, UPDATED],
    ]);
  });

  it('runs Database.transaction: commits what it wrote, writes nothing when it throws, and serves the next one after a failed statement', async () => {
    await database.transaction((sql) => insertRows(sql, 'SlashingRequest', COLUMNS, Array.from({ length: 40 }, (_, i) => row(i, 't'))));
    expect(await count('t')).toBe(40);
    const got = await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: 't7' } } });
    expect({ ...got, updatedAt: got.updatedAt.toISOString() }).toEqual({ ...Object.fromEntries(COLUMNS.map((c, k) => [c, row(7, 't')[k]])), historyPending: false });

    const failure = await database
      .transaction(async (sql) => {
        await insertRows(sql, 'SlashingRequest', COLUMNS, [row(0, 'u'), row(1, 'u')]);
        await insertRows(sql, 'SlashingRequest', COLUMNS, [row(0, 'u')]); // duplicate key
      })
      .then(
        () => null,
        (e: unknown) => String((e as { message?: unknown } | null)?.message),
      );
    expect(failure).toMatch(/unique|duplicate/i);
    expect(await count('u')).toBe(0);
    // the connection went back clean (PostgreSQL: rolled back before returning to the pool)
    for (let i = 0; i < 3; i++) {
      expect(await database.transaction((sql) => sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "SlashingRequest" WHERE "slasher" = ${kind === 'postgresql' ? '$1' : '?'}`, SLASHER)).then((r) => Number(r[0]!.n))).toBeGreaterThanOrEqual(40);
    }
  });

  it('keeps or updates a row whose key is stored (ON CONFLICT), on every path, a key given twice in one call included', async () => {
    const read = (scope: string) => database.db.slashingRequest.findMany({ where: { slasher: SLASHER, requestId: { startsWith: scope } }, orderBy: { requestId: 'asc' }, select: { requestId: true, description: true, overwrote: true } });
    const described = (i: number, scope: string, description: string) => row(i, scope).map((v, k) => (COLUMNS[k] === 'description' ? description : v));
    const paths: [string, (rows: unknown[][], conflict: Parameters<typeof insertRows>[4]) => Promise<unknown>][] = [
      ['transaction', (rows, c) => database.transaction((sql) => insertRows(sql, 'SlashingRequest', COLUMNS, rows, c))],
      ['adapter', (rows, c) => insertRows(txSql(database.db, kind, raw()), 'SlashingRequest', COLUMNS, rows, c)],
    ];
    for (const [name, write] of paths) {
      const scope = `c-${name}-`;
      await write([described(0, scope, 'first'), described(1, scope, 'first')], undefined);
      // kept as stored
      await write([described(0, scope, 'second'), described(2, scope, 'second')], { key: ['slasher', 'requestId'] });
      expect((await read(scope)).map((r) => [r.requestId, r.description])).toEqual([[`${scope}0`, 'first'], [`${scope}1`, 'first'], [`${scope}2`, 'second']]);
      // the named columns set to the new row's values, the others as stored
      const third = described(1, scope, 'third');
      third[COLUMNS.indexOf('overwrote')] = 77;
      await write([third, described(3, scope, 'third')], { key: ['slasher', 'requestId'], update: ['description'] });
      expect((await read(scope)).map((r) => [r.requestId, r.description, r.overwrote])).toEqual([
        [`${scope}0`, 'first', row(0, scope)[COLUMNS.indexOf('overwrote')]],
        [`${scope}1`, 'third', row(1, scope)[COLUMNS.indexOf('overwrote')]],
        [`${scope}2`, 'second', row(2, scope)[COLUMNS.indexOf('overwrote')]],
        [`${scope}3`, 'third', row(3, scope)[COLUMNS.indexOf('overwrote')]],
      ]);
      // a key twice in one call, kept: the first stands; updated: the last given (PostgreSQL refuses an upsert touching a row twice)
      await write([described(4, scope, 'a'), described(4, scope, 'b')], { key: ['slasher', 'requestId'] });
      expect((await read(`${scope}4`)).map((r) => r.description)).toEqual(['a']);
      await write([described(5, scope, 'a'), described(6, scope, 'a'), described(5, scope, 'b')], { key: ['slasher', 'requestId'], update: ['description'] });
      expect((await read(`${scope}5`)).map((r) => r.description)).toEqual(['b']);
      await write([described(5, scope, 'c'), described(5, scope, 'd')], { key: ['slasher', 'requestId'], update: ['description'] });
      expect((await read(`${scope}5`)).map((r) => r.description)).toEqual(['d']);
      expect((await read(`${scope}6`)).map((r) => r.description)).toEqual(['a']);
    }
  });

  it('records each request’s first lapse once (raw SQL), counting one change in the checkpoint per write', async () => {
    const ingest = createIngestStore(database.db, LAPSE_SLASHER, kind, database);
    await ingest.saveCursor({ chainId: 31337, variant: 'V3', startBlock: 1, indexedBlock: 9, indexedHash: null, windowKind: 'blocks', windowLength: 100, allocationManager: null, avs: null, vetoCommittee: null, slasherRole: null, deallocationDelay: 10 });
    const changes = async () => (await ingest.getCursor())!.changes ?? 0;
    const lapses = createLapseStore(database, LAPSE_SLASHER);
    const before = await changes();
    await lapses.recordLapses([{ requestId: '1', requestTxHash: '0xa' }, { requestId: '2', requestTxHash: '0xb' }, { requestId: '1', requestTxHash: '0xa' }], 20);
    await lapses.recordLapses([{ requestId: '1', requestTxHash: '0xa' }, { requestId: '1', requestTxHash: '0xc' }], 30);
    expect(await changes()).toBe(before + 2);
    const rows = (await lapses.all()).map((r) => [r.requestId, r.requestTxHash, r.lapsedAtBlock, r.slashableAgainAtBlock]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(rows).toEqual([
      ['1', '0xa', 20, null],
      ['2', '0xb', 20, null],
      ['1', '0xc', 30, null],
    ]);
    // the model API reads the time it was recorded
    const [one] = await database.db.requestLapse.findMany({ where: { slasher: LAPSE_SLASHER, requestId: '2' } });
    expect(Math.abs(one!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('takes the adapter’s path outside a transaction (the raw connection is used inside one only)', async () => {
    await insertRows(txSql(database.db, kind, raw()), 'SlashingRequest', COLUMNS, [row(0, 'o'), row(1, 'o')]);
    expect(await count('o')).toBe(2);
  });

  it('stores a request whose description holds U+0000 (PostgreSQL text refuses it) and keeps the exact text in the fact', async () => {
    const store = createIngestStore(database.db, SLASHER, kind, database);
    await store.saveCursor({
      chainId: 31337,
      variant: 'V3',
      startBlock: 1,
      indexedBlock: 9,
      indexedHash: null,
      windowKind: 'blocks',
      windowLength: 100,
      allocationManager: null,
      avs: null,
      vetoCommittee: null,
      slasherRole: null,
      deallocationDelay: 10,
    });
    const description = 'before\u0000after';
    await store.applyBatch({
      facts: [
        {
          requestId: 7n,
          fact: {
            kind: 'queued',
            blockNumber: 10,
            logIndex: 0,
            blockHash: `0x${'ab'.repeat(32)}`,
            txHash: `0x${'cd'.repeat(32)}`,
            data: { operator: `0x${'1'.repeat(40)}`, operatorSetId: 1, strategies: null, wadsToSlash: ['1'], description, requestBlockOrTimestamp: 10 },
          },
        },
      ],
      blocks: [],
      indexedBlock: 10,
      indexedHash: null,
      variant: 'V3',
      expectIndexedBlock: 9,
    });
    const row = await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: '7' } } });
    expect(row.description).toBe('before\uFFFDafter');
    const fact = await database.db.requestEvent.findFirstOrThrow({ where: { slasher: SLASHER, requestId: '7' } });
    expect((JSON.parse(fact.data) as { description: string }).description).toBe(description);
    expect((await store.getCursor())!.indexedBlock).toBe(10);
  });

  it('moves the checkpoint with the batch: refuses a stale one and writes nothing, keeps the variant a batch does not settle, prunes old headers', async () => {
    // continues the store of the test above (checkpoint at block 10, variant V3)
    const store = createIngestStore(database.db, SLASHER, kind, database);
    const header = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(64, '0')}`, parentHash: `0x${(n - 1).toString(16).padStart(64, '0')}`, timestamp: 1_000 + n });
    const stale = await store.applyBatch({ facts: [], blocks: [header(11)], indexedBlock: 11, indexedHash: header(11).hash, expectIndexedBlock: 9 }).then(
      () => null,
      (e: unknown) => (e as { code?: string }).code,
    );
    expect(stale).toBe('INGEST_CONFLICT');
    expect((await store.getCursor())!.indexedBlock).toBe(10);
    expect(await store.getBlock(11)).toBeNull();

    const updatedAt = async () => (await database.db.ingestCursor.findUniqueOrThrow({ where: { slasher: SLASHER } })).updatedAt.getTime();
    const before = await updatedAt();
    await store.applyBatch({ facts: [], blocks: [header(11), header(12)], indexedBlock: 12, indexedHash: header(12).hash, expectIndexedBlock: 10 });
    const cursor = (await store.getCursor())!;
    expect([cursor.indexedBlock, cursor.indexedHash, cursor.variant]).toEqual([12, header(12).hash, 'V3']);
    expect(await updatedAt()).toBeGreaterThanOrEqual(before);
    expect(await store.getBlock(12)).toEqual(header(12));

    await store.applyBatch({ facts: [], blocks: [header(13)], indexedBlock: 13, indexedHash: header(13).hash, variant: 'V3', pruneBlocksBelow: 12, expectIndexedBlock: 12 });
    expect(await store.getBlock(11)).toBeNull();
    expect(await store.getBlock(12)).toEqual(header(12));
    expect((await store.getCursor())!.indexedBlock).toBe(13);
  });

  it('lets one of two desks write a batch from the same checkpoint; the other gets a write conflict and writes nothing', async () => {
    // continues the checkpoint of the tests above (block 13); a second desk on the same database
    const other = await openDatabase(tdb.target);
    try {
      const mine = createIngestStore(database.db, SLASHER, kind, database);
      const theirs = createIngestStore(other.db, SLASHER, kind, other);
      const fact = (requestId: bigint) => ({
        requestId,
        fact: {
          kind: 'queued' as const,
          blockNumber: 14,
          logIndex: 0,
          blockHash: `0x${'0e'.repeat(32)}`,
          txHash: `0x${'0f'.repeat(32)}`,
          data: { operator: `0x${'1'.repeat(40)}` as const, operatorSetId: 1, strategies: null, wadsToSlash: ['1'], description: 'race', requestBlockOrTimestamp: 14 },
        },
      });
      const batch = { facts: [fact(99n)], blocks: [], indexedBlock: 14, indexedHash: null, variant: 'V3', expectIndexedBlock: 13 };
      // PostgreSQL: a third session holds the checkpoint row, so both batches are under way
      // (past BEGIN) before either can write: the race, not the first batch finishing early
      const blocker = kind === 'postgresql' ? new Client({ connectionString: tdb.target.url }) : null;
      if (blocker) {
        await blocker.connect();
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM "IngestCursor" WHERE "slasher" = $1 FOR UPDATE', [SLASHER]);
      }
      const racing = Promise.all([mine.applyBatch(batch), theirs.applyBatch(batch)].map((p) => p.then(() => 'ok', (e: unknown) => e)));
      if (blocker) {
        await new Promise((r) => setTimeout(r, 300));
        await blocker.query('COMMIT');
        await blocker.end();
      }
      const outcomes = await racing;
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      const failure = outcomes.find((o) => o !== 'ok');
      expect(isWriteConflict(failure)).toBe(true);
      if (kind === 'postgresql') expect((failure as { code?: string }).code).toBe('INGEST_CONFLICT'); // waited on the row lock, then saw the moved checkpoint
      expect(await database.db.requestEvent.count({ where: { slasher: SLASHER, requestId: '99' } })).toBe(1);
      expect(await database.db.slashingRequest.count({ where: { slasher: SLASHER, requestId: '99' } })).toBe(1);
      expect((await mine.getCursor())!.indexedBlock).toBe(14);
    } finally {
      await other.close();
    }
  });

  it('flags a request’s history for reading when another queueing event takes its id (V4 reuse), not when the same one is re-projected', async () => {
    // continues the checkpoint of the tests above (block 14, request 99 queued there, not flagged)
    const store = createIngestStore(database.db, SLASHER, kind, database);
    const flag = async () => (await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: '99' } } })).historyPending;
    expect(await flag()).toBe(false);
    const event = (blockNumber: number, kind: 'queued' | 'cancelled') => {
      const at = { blockNumber, logIndex: 2, blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}`, txHash: `0x${(blockNumber + 1000).toString(16).padStart(64, '0')}` };
      return kind === 'queued'
        ? { requestId: 99n, fact: { ...at, kind, data: { operator: `0x${'2'.repeat(40)}` as const, operatorSetId: 2, strategies: null, wadsToSlash: ['5'], description: 'reused', requestBlockOrTimestamp: blockNumber } } }
        : { requestId: 99n, fact: { ...at, kind } };
    };
    await store.applyBatch({ facts: [event(15, 'queued')], blocks: [], indexedBlock: 15, indexedHash: null, variant: 'V4', expectIndexedBlock: 14 });
    expect(await flag()).toBe(true);
    const row = await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: '99' } } });
    expect([row.operatorSetId, row.queuedAtBlock, row.overwrote]).toEqual([2, 15, 1]);
    // read since: a cancel re-projects the same queueing event and leaves the flag as it is
    await database.db.slashingRequest.updateMany({ where: { slasher: SLASHER, requestId: '99' }, data: { historyPending: false } });
    await store.applyBatch({ facts: [event(16, 'cancelled')], blocks: [], indexedBlock: 16, indexedHash: null, variant: 'V4', expectIndexedBlock: 15 });
    expect(await flag()).toBe(false);
    expect((await database.db.slashingRequest.findUniqueOrThrow({ where: { slasher_requestId: { slasher: SLASHER, requestId: '99' } } })).onchainStatus).toBe('cancelled');
  });

  it('lists every request exactly as the model API reads it (allRequests reads raw and maps the rows itself)', async () => {
    const store = createIngestStore(database.db, SLASHER, kind, database);
    const byId = <T extends { requestId: string }>(rows: T[]) => [...rows].sort((a, b) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
    const listed = await store.allRequests();
    const viaPrisma = await database.db.slashingRequest.findMany({ where: { slasher: SLASHER } });
    expect(listed.length).toBeGreaterThan(2_500); // the rows of the tests above: text, nulls, large ints, U+FFFD
    expect(byId(listed)).toEqual(byId(viaPrisma));
    // in queueing order
    const order = listed.map((r) => [r.queuedAtBlock, r.queuedLogIndex]);
    expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  });

  it('runs raw SQL inside the transaction (txSql): its writes are visible there and roll back with it', async () => {
    const p = (n: number) => (kind === 'postgresql' ? `$${n}` : '?');
    const insert = `INSERT INTO "Block" ("slasher", "number", "hash", "parentHash", "timestamp") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`;
    const select = `SELECT "number", "hash" FROM "Block" WHERE "slasher" = ${p(1)} AND "number" >= ${p(2)} ORDER BY "number"`;
    const failure = await database.db
      .$transaction(async (tx) => {
        if (kind === 'sqlite') expect(raw()!.inTransaction).toBe(true); // the fast path applies
        const sql = txSql(tx, kind, raw());
        expect(await sql.run(insert, SLASHER, 500, '0xaa', '0x99', 1)).toBe(1);
        expect((await sql.all<{ number: number | bigint; hash: string }>(select, SLASHER, 500)).map((r) => [Number(r.number), r.hash])).toEqual([[500, '0xaa']]);
        throw new Error('abort');
      })
      .then(
        () => null,
        (e: unknown) => String((e as Error).message),
      );
    expect(failure).toBe('abort');
    expect(await database.db.block.count({ where: { slasher: SLASHER, number: { gte: 500 } } })).toBe(0);
  });
});
