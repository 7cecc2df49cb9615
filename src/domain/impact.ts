/**
 * What a slash takes, from chain facts read elsewhere (DOMAIN.md §2): per strategy the shares the
 * operator has slashable (at the window end where it could be read, else now), the shares the
 * slash takes (`wadsToSlash × slashable / 1e18`, rounded down), what remains, and where the funds
 * go (burned at the default burn address, or redistributed to the set's recipient). Pure.
 */

export const WAD = 10n ** 18n;
/** where a set that does not redistribute sends slashed funds (EigenLayer's DEFAULT_BURN_ADDRESS) */
export const DEFAULT_BURN_ADDRESS = '0x00000000000000000000000000000000000E16E4';

export interface TokenFact {
  address: string;
  symbol: string;
  decimals: number;
}

export interface StrategyImpactInput {
  strategy: string;
  /** wadsToSlash[i] (1e18 = 100%) */
  wad: bigint;
  /** `getAllocatedStake` now */
  slashableNow: bigint;
  /** `getMinimumSlashableStake` at the window end; null when not read (window passed, or no such getter) */
  slashableAtWindowEnd: bigint | null;
  token: TokenFact | null;
}

export interface StrategyImpact {
  strategy: string;
  token: TokenFact | null;
  slashableShares: bigint;
  slashableSharesNow: bigint;
  sharesToSlash: bigint;
  remainingShares: bigint;
}

/** Shares a slash of `wad` takes out of `slashable`. A wad above 100% (the slasher would revert) counts as 100%. */
export function sharesToSlash(wad: bigint, slashable: bigint): bigint {
  if (wad <= 0n || slashable <= 0n) return 0n;
  return ((wad > WAD ? WAD : wad) * slashable) / WAD;
}

/**
 * Per strategy: slashable shares at the window end when every strategy was read there (the
 * request cannot land earlier), else now; `atWindowEnd` says which.
 */
export function computeImpact(strategies: StrategyImpactInput[]): { atWindowEnd: boolean; strategies: StrategyImpact[] } {
  const atWindowEnd = strategies.length > 0 && strategies.every((s) => s.slashableAtWindowEnd !== null);
  return {
    atWindowEnd,
    strategies: strategies.map((s) => {
      const slashable = atWindowEnd ? s.slashableAtWindowEnd! : s.slashableNow;
      const taken = sharesToSlash(s.wad, slashable);
      return { strategy: s.strategy, token: s.token, slashableShares: slashable, slashableSharesNow: s.slashableNow, sharesToSlash: taken, remainingShares: slashable - taken };
    }),
  };
}

export type RedistributionFact =
  /** the redistribution getters answered */
  | { known: true; redistributing: boolean; recipient: string }
  /** an older core without them: never guessed */
  | { known: false };

/** The future block to read the window end at, or null when the window has ended (read "now" instead). */
export function windowEndReadBlock(windowEndBlock: number | null, readBlock: number): number | null {
  if (windowEndBlock === null || windowEndBlock <= readBlock) return null;
  // uint32 on chain
  return windowEndBlock > 0xffff_ffff ? null : windowEndBlock;
}

/** `1250000000000000000000n, 18` → `1,250`; up to `maxFraction` decimals, trailing zeros dropped, never rounded up. */
export function formatTokenAmount(amount: bigint, decimals: number, maxFraction = 4): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const unit = 10n ** BigInt(Math.max(0, decimals));
  const whole = abs / unit;
  const shown = Math.min(maxFraction, Math.max(0, decimals));
  const frac = shown > 0 ? ((abs % unit) * 10n ** BigInt(shown)) / unit : 0n;
  const fracText = shown > 0 ? frac.toString().padStart(shown, '0').replace(/0+$/, '') : '';
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (whole === 0n && frac === 0n && abs > 0n) return `${negative ? '-' : ''}< 0.${'0'.repeat(Math.max(0, shown - 1))}1`;
  return `${negative ? '-' : ''}${wholeText}${fracText ? `.${fracText}` : ''}`;
}

export interface TokenAmount {
  token: TokenFact;
  amount: bigint;
}

/**
 * The tokens a request's slash takes, summed per token (two strategies can share one token);
 * null when any strategy's token or amount is unknown.
 */
export function tokenTotals(strategies: { token: TokenFact | null; tokensToSlash: bigint | null }[]): TokenAmount[] | null {
  const totals = new Map<string, TokenAmount>();
  for (const s of strategies) {
    if (!s.token || s.tokensToSlash === null) return null;
    const key = s.token.address.toLowerCase();
    const t = totals.get(key);
    if (t) t.amount += s.tokensToSlash;
    else totals.set(key, { token: s.token, amount: s.tokensToSlash });
  }
  return [...totals.values()];
}

/** "1,250 stETH + 3 USDC" */
export function describeTokenTotals(totals: TokenAmount[]): string {
  return totals.map((t) => `${formatTokenAmount(t.amount, t.token.decimals)} ${t.token.symbol}`).join(' + ');
}

/**
 * Order for `sort=impact`: requests whose slash is in one token first, grouped by token (by
 * symbol), largest amount first within a token; amounts in different tokens are never compared
 * with each other (the desk knows no prices). Then the rest, in input order.
 */
export function orderByImpact<T>(items: T[], single: (t: T) => TokenAmount | null): T[] {
  const keyed = items.map((item, index) => ({ item, index, t: single(item) }));
  const group = (t: TokenAmount) => `${t.token.symbol}\u0000${t.token.address.toLowerCase()}`;
  const cmpBig = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  return keyed
    .sort((a, b) => {
      if (!a.t || !b.t) return a.t ? -1 : b.t ? 1 : a.index - b.index;
      const ka = group(a.t);
      const kb = group(b.t);
      if (ka !== kb) return ka < kb ? -1 : 1;
      return cmpBig(a.t.amount, b.t.amount) || a.index - b.index;
    })
    .map((k) => k.item);
}
