import { computeImpact, describeTokenTotals, formatTokenAmount, orderByImpact, sharesToSlash, tokenTotals, windowEndReadBlock, WAD } from './impact';

const WETH = { address: '0x00000000000000000000000000000000000000a1', symbol: 'WETH', decimals: 18 };
const USDC = { address: '0x00000000000000000000000000000000000000c6', symbol: 'USDC', decimals: 6 };

describe('sharesToSlash', () => {
  it.each([
    [0n, 1000n, 0n],
    [WAD, 1000n, 1000n],
    [WAD / 10n, 1000n, 100n],
    [WAD / 3n, 10n, 3n], // rounded down
    [WAD * 2n, 1000n, 1000n], // above 100% counts as 100%
    [WAD / 2n, 0n, 0n],
    [1n, 10n ** 17n, 0n], // dust
  ])('wad %s of %s → %s', (wad, slashable, out) => expect(sharesToSlash(wad, slashable)).toBe(out));
});

describe('computeImpact', () => {
  it('uses the window end when every strategy was read there', () => {
    const r = computeImpact([{ strategy: 's', wad: WAD / 2n, slashableNow: 400n, slashableAtWindowEnd: 100n, token: WETH }]);
    expect(r).toEqual({ atWindowEnd: true, strategies: [{ strategy: 's', token: WETH, slashableShares: 100n, slashableSharesNow: 400n, sharesToSlash: 50n, remainingShares: 50n }] });
  });
  it('falls back to now for all strategies when one was not read at the window end', () => {
    const r = computeImpact([
      { strategy: 'a', wad: WAD, slashableNow: 10n, slashableAtWindowEnd: 5n, token: null },
      { strategy: 'b', wad: WAD, slashableNow: 7n, slashableAtWindowEnd: null, token: null },
    ]);
    expect(r.atWindowEnd).toBe(false);
    expect(r.strategies.map((s) => s.slashableShares)).toEqual([10n, 7n]);
    expect(r.strategies.map((s) => s.remainingShares)).toEqual([0n, 0n]);
  });
  it('no strategies: not at the window end, nothing to slash', () => expect(computeImpact([])).toEqual({ atWindowEnd: false, strategies: [] }));
});

describe('windowEndReadBlock', () => {
  it.each([
    [null, 10, null],
    [10, 10, null], // ends at the read block: read now
    [9, 10, null],
    [11, 10, 11],
    [2 ** 32, 10, null], // beyond uint32
  ])('end %s at read %s → %s', (end, read, out) => expect(windowEndReadBlock(end, read)).toBe(out));
});

describe('formatTokenAmount', () => {
  it.each([
    [1250n * 10n ** 18n, 18, '1,250'],
    [1234567n * 10n ** 15n, 18, '1,234.567'],
    [15n * 10n ** 5n, 6, '1.5'],
    [0n, 18, '0'],
    [1n, 18, '< 0.0001'],
    [123n, 0, '123'],
    [1234567890n, 6, '1,234.5678'], // never rounded up
  ])('%s with %s decimals → %s', (amount, decimals, out) => expect(formatTokenAmount(amount, decimals)).toBe(out));
});

describe('token totals and order', () => {
  it('sums strategies sharing a token; unknown when any is unknown', () => {
    expect(tokenTotals([{ token: WETH, tokensToSlash: 1n }, { token: WETH, tokensToSlash: 2n }])).toEqual([{ token: WETH, amount: 3n }]);
    expect(tokenTotals([{ token: WETH, tokensToSlash: 1n }, { token: null, tokensToSlash: null }])).toBeNull();
    expect(describeTokenTotals([{ token: WETH, amount: 10n ** 18n }, { token: USDC, amount: 25n * 10n ** 5n }])).toBe('1 WETH + 2.5 USDC');
  });
  it('orders one-token slashes by token, largest first; the rest after, in order', () => {
    const items = [
      { id: 'mixed', t: null },
      { id: 'weth-small', t: { token: WETH, amount: 1n } },
      { id: 'usdc', t: { token: USDC, amount: 10n ** 12n } },
      { id: 'weth-big', t: { token: WETH, amount: 5n } },
      { id: 'unknown', t: null },
    ];
    expect(orderByImpact(items, (i) => i.t).map((i) => i.id)).toEqual(['usdc', 'weth-big', 'weth-small', 'mixed', 'unknown']);
  });
});
