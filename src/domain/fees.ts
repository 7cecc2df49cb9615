/**
 * EIP-1559 fees for the desk's transactions, as pure functions of the market, the deadline and a
 * cap. A transaction is re-priced only when it is actually underpriced (its fee cap below the
 * next block's base fee, or its tip below the market's after a patience of blocks) — or when its
 * deadline is so close that one more block of waiting could cost the deadline — and never above
 * MAX_FEE_PER_GAS_GWEI.
 */

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface FeeMarket {
  /** base fee of the latest block */
  baseFeePerGas: bigint;
  /** the node's suggested tip (eth_maxPriorityFeePerGas) */
  priorityFeePerGas: bigint;
}

/** Blocks left before the deadline at which a transaction is priced as urgent. */
export const URGENT_BLOCKS = 3;

/** A replacement must raise both fees by at least 12.5 % (geth, reth and anvil refuse less). */
const BUMP_NUM = 1125n;
const BUMP_DEN = 1000n;

/** The next block's base fee can be at most 12.5 % above the latest's. */
export function nextBaseFeeBound(baseFeePerGas: bigint): bigint {
  return (baseFeePerGas * 1125n) / 1000n + 1n;
}

function capped(f: Fees, cap: bigint | null): Fees & { capped: boolean } {
  if (cap === null || f.maxFeePerGas <= cap) return { ...f, capped: false };
  return { maxFeePerGas: cap, maxPriorityFeePerGas: f.maxPriorityFeePerGas > cap ? cap : f.maxPriorityFeePerGas, capped: true };
}

/**
 * Fees for a first attempt: room for the base fee to double (four when urgent) and the market's tip
 * (twice it when urgent).
 *
 * @example
 * initialFees({ baseFeePerGas: 10n, priorityFeePerGas: 1n }, 100, null); // => { maxFeePerGas: 21n, maxPriorityFeePerGas: 1n, capped: false }
 */
export function initialFees(market: FeeMarket, blocksLeft: number | null, cap: bigint | null): Fees & { capped: boolean } {
  const urgent = blocksLeft !== null && blocksLeft <= URGENT_BLOCKS;
  const tip = urgent ? market.priorityFeePerGas * 2n : market.priorityFeePerGas;
  const maxFeePerGas = market.baseFeePerGas * (urgent ? 4n : 2n) + tip;
  return capped({ maxFeePerGas, maxPriorityFeePerGas: tip }, cap);
}

/**
 * Why an attempt in flight should be replaced with higher fees now, or null.
 *
 * @param waited blocks since it was broadcast
 * @param blocksLeft blocks left before its deadline (null: none)
 */
export function underpricedReason(sent: Fees, market: FeeMarket, waited: number, blocksLeft: number | null, patienceBlocks: number): string | null {
  if (waited < 1) return null;
  const next = nextBaseFeeBound(market.baseFeePerGas);
  if (sent.maxFeePerGas < next) return `its fee cap ${sent.maxFeePerGas} wei is below the next block's base fee (up to ${next} wei)`;
  if (sent.maxPriorityFeePerGas < market.priorityFeePerGas && waited >= patienceBlocks) return `its tip ${sent.maxPriorityFeePerGas} wei is below the market's ${market.priorityFeePerGas} wei after ${waited} blocks`;
  if (blocksLeft !== null && blocksLeft <= URGENT_BLOCKS && waited >= 1) {
    const want = initialFees(market, blocksLeft, null);
    if (sent.maxFeePerGas < want.maxFeePerGas || sent.maxPriorityFeePerGas < want.maxPriorityFeePerGas) return `not mined and only ${blocksLeft} block(s) left before its deadline`;
  }
  return null;
}

/**
 * Fees of a replacement: at least 12.5 % above the attempt it replaces (both fees), and at least
 * what a first attempt would get now. `null` when the cap leaves no room for a valid replacement.
 */
export function replacementFees(sent: Fees, market: FeeMarket, blocksLeft: number | null, cap: bigint | null): (Fees & { capped: boolean }) | null {
  const fresh = initialFees(market, blocksLeft, null);
  const minTip = (sent.maxPriorityFeePerGas * BUMP_NUM) / BUMP_DEN + 1n;
  const minMax = (sent.maxFeePerGas * BUMP_NUM) / BUMP_DEN + 1n;
  let tip = fresh.maxPriorityFeePerGas > minTip ? fresh.maxPriorityFeePerGas : minTip;
  let max = fresh.maxFeePerGas > minMax ? fresh.maxFeePerGas : minMax;
  if (max < tip) max = tip;
  if (cap !== null && max > cap) {
    if (cap < minMax) return null;
    max = cap;
    if (tip > max) tip = max;
    if (tip < minTip) return null;
    return { maxFeePerGas: max, maxPriorityFeePerGas: tip, capped: true };
  }
  return { maxFeePerGas: max, maxPriorityFeePerGas: tip, capped: false };
}

/**
 * For each account nonce in flight, the attempt whose deadline its price must serve: its own or
 * that of any attempt at a higher nonce, whichever comes first — a transaction lands only after
 * every lower nonce of its account, so a rejection (no deadline of its own) or a fulfil due later,
 * ahead of an urgent veto, is as urgent as that veto.
 */
export function deadlinesPassedDown<T extends { txNonce: number; deadlineBlock: number | null }>(inFlight: readonly T[]): Map<number, T> {
  const out = new Map<number, T>();
  let soonest: T | null = null;
  for (const row of [...inFlight].sort((a, b) => b.txNonce - a.txNonce)) {
    if (row.deadlineBlock !== null && (soonest === null || row.deadlineBlock < soonest.deadlineBlock!)) soonest = row;
    out.set(row.txNonce, soonest !== null && (row.deadlineBlock === null || soonest.deadlineBlock! < row.deadlineBlock) ? soonest : row);
  }
  return out;
}
