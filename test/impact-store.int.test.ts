/**
 * The impact store keeps parsed figures between listings and recognises an unchanged row without
 * keeping its JSON: any change of the stored figures (by this desk or another on the database,
 * same length or not, the read block and facts unchanged) must read back as the new figures.
 */
import { openDatabase, type Database } from '../src/store/database';
import { createImpactStore, digest53, type ImpactJson } from '../src/store/impactStore';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const TX = `0x${'ab'.repeat(32)}`;

const figures = (symbol: string, sharesToSlash: string): ImpactJson => ({
  readAtBlock: 120,
  atWindowEnd: false,
  redistribution: { redistributing: false, recipient: null },
  strategies: [
    {
      strategy: '0x00000000000000000000000000000000000000a1',
      token: { address: '0x00000000000000000000000000000000000000a2', symbol, decimals: 18 },
      slashableShares: '1000',
      slashableSharesNow: '1000',
      sharesToSlash,
      tokensToSlash: sharesToSlash,
      remainingShares: '500',
    },
  ],
});

describe('digest53', () => {
  it('is stable and tells apart texts one character apart, of the same length', () => {
    expect(digest53('{"a":"WETH"}')).toBe(digest53('{"a":"WETH"}'));
    const texts = ['', 'a', 'b', 'ab', 'ba', '{"a":"WETH"}', '{"a":"WETX"}', '{"a":"WETH"} ', 'ü', 'u'];
    expect(new Set(texts.map(digest53)).size).toBe(texts.length);
    for (const t of texts) expect(Number.isSafeInteger(digest53(t)) && digest53(t) >= 0).toBe(true);
  });
});

describe.each(DB_KINDS)('impact store on %s', (kind) => {
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

  it('reads back every change of the figures, also one written by another desk at the same block with the same facts', async () => {
    const store = createImpactStore(database, SLASHER);
    const base = { requestId: '7', requestTxHash: TX, facts: '[null,[]]', readAtBlock: 120, reason: null };
    await store.save([{ ...base, impact: figures('WETH', '250') }]);
    const first = await store.all();
    expect(first.map((r) => r.impact)).toEqual([figures('WETH', '250')]);
    // unchanged: the very same parsed row is handed out again
    expect((await store.all())[0]).toBe(first[0]);

    // another desk's write of the same length (only a symbol's letter differs)
    const sameLength = JSON.stringify(figures('WETX', '250'));
    expect(sameLength.length).toBe(JSON.stringify(figures('WETH', '250')).length);
    await database.db.requestImpact.updateMany({ where: { slasher: SLASHER, requestId: '7' }, data: { impact: sameLength } });
    expect((await store.all()).map((r) => r.impact)).toEqual([figures('WETX', '250')]);

    // and of another length
    await database.db.requestImpact.updateMany({ where: { slasher: SLASHER, requestId: '7' }, data: { impact: JSON.stringify(figures('WETX', '2500')) } });
    expect((await store.all()).map((r) => r.impact)).toEqual([figures('WETX', '2500')]);

    // figures gone (the chain could not say), then back
    await store.save([{ ...base, impact: null, reason: 'reverted' }]);
    expect((await store.all()).map((r) => [r.impact, r.reason])).toEqual([[null, 'reverted']]);
    await store.save([{ ...base, impact: figures('WETH', '250') }]);
    expect((await store.all()).map((r) => r.impact)).toEqual([figures('WETH', '250')]);

    // a row that does not parse reads as unknown, never as the figures kept before it
    await database.db.requestImpact.updateMany({ where: { slasher: SLASHER, requestId: '7' }, data: { impact: '{"readAtBlock":' } });
    expect((await store.all()).map((r) => r.impact)).toEqual([null]);
  });

  it('shares one frozen copy of a token and a redistribution across requests, kept apart per request id and queue transaction', async () => {
    const store = createImpactStore(database, SLASHER);
    const row = (requestId: string, requestTxHash: string, shares: string) => ({ requestId, requestTxHash, facts: '[null,[]]', readAtBlock: 120, reason: null, impact: figures('WETH', shares) });
    const OTHER_TX = `0x${'cd'.repeat(32)}`;
    // (id 8 twice: V4 reuses ids)
    // (request 9 given twice: the last stands)
    await store.save([row('8', TX, '1'), row('9', TX, '0'), row('8', OTHER_TX, '2'), row('9', TX, '3')]);
    const rows = (await store.all()).filter((r) => r.requestId !== '7');
    expect(rows.map((r) => [r.requestId, r.requestTxHash, r.impact?.strategies[0]!.sharesToSlash])).toEqual(
      expect.arrayContaining([
        ['8', TX, '1'],
        ['8', OTHER_TX, '2'],
        ['9', TX, '3'],
      ]),
    );
    const tokens = new Set(rows.map((r) => r.impact!.strategies[0]!.token));
    const redistributions = new Set(rows.map((r) => r.impact!.redistribution));
    expect([tokens.size, redistributions.size]).toEqual([1, 1]);
    expect(Object.isFrozen([...tokens][0]) && Object.isFrozen([...redistributions][0])).toBe(true);
    // an unchanged row is the same object again under each of its keys
    const again = (await store.all()).filter((r) => r.requestId !== '7');
    for (const r of rows) expect(again.find((x) => x.requestId === r.requestId && x.requestTxHash === r.requestTxHash)).toBe(r);
  });
});
