import type { BlockRef } from './types';

/** Mainnet slot time; used when nothing better is known. */
export const DEFAULT_BLOCK_TIME_SECONDS = 12;

/**
 * Slot times of the chains that have one: a block can come no sooner than its slot (missed slots
 * only make blocks later). Ethereum mainnet, Holesky, Sepolia and Hoodi: 12 s.
 */
export const KNOWN_SLOT_SECONDS: Readonly<Record<number, number>> = {
  1: 12,
  17000: 12,
  11155111: 12,
  560048: 12,
};

/** The chain's slot time in seconds, or undefined when the chain has none we know of. */
export function knownSlotSeconds(chainId: number): number | undefined {
  return KNOWN_SLOT_SECONDS[chainId];
}

export interface EstimateBlockTimeOptions {
  /**
   * The chain's slot time (blocks never come sooner): a lower bound on the estimate, and the
   * answer when nothing could be measured
   */
  slotSeconds?: number;
  /** the answer when nothing could be measured and no slot time is known; default 12 */
  fallbackSeconds?: number;
}

/**
 * Seconds per block: the median interval between observed blocks that each carry a timestamp of
 * their own, bounded below by the chain's slot time where one is known.
 *
 * A block sharing its timestamp with an adjacent block (a run: blocks mined in a burst, such as a
 * devnet's seeded history, or a sub-second chain) says nothing about how fast blocks come in real
 * time, and neither do the intervals into and out of such a run (the time before a burst or after
 * it). So an interval counts only between two observed blocks that are both outside any run; it
 * is divided by the number of blocks it spans (a gap in the observations, or a missed slot). The
 * median of those intervals ignores the odd long pause (a stopped devnet, a restart) that a mean
 * would smear over every future block.
 *
 * Input may be unsorted; a block number seen twice (a reorg replaced it) keeps its last
 * occurrence, as the caller appends newer observations. With no interval to measure, the answer
 * is the slot time, else `fallbackSeconds`.
 *
 * @throws RangeError when `slotSeconds` or `fallbackSeconds` is not a positive finite number:
 * every caller divides by the result, so it must never be ≤ 0.
 *
 * @example
 * // a burst of seeded blocks in one second, then a block every 2 s
 * estimateBlockTime([
 *   { number: 10, timestamp: 1_000 }, { number: 11, timestamp: 1_000 }, { number: 12, timestamp: 1_000 },
 *   { number: 13, timestamp: 1_002 }, { number: 14, timestamp: 1_004 }, { number: 15, timestamp: 1_006 },
 * ]); // => 2
 * estimateBlockTime([{ number: 100, timestamp: 1_000 }, { number: 101, timestamp: 1_005 }], { slotSeconds: 12 }); // => 12
 */
export function estimateBlockTime(blocks: readonly BlockRef[], options: EstimateBlockTimeOptions = {}): number {
  const fallback = options.fallbackSeconds ?? DEFAULT_BLOCK_TIME_SECONDS;
  assertPositiveFinite(fallback, 'fallbackSeconds');
  if (options.slotSeconds !== undefined) assertPositiveFinite(options.slotSeconds, 'slotSeconds');
  const slot = options.slotSeconds;

  const byNumber = new Map<number, number>();
  for (const b of blocks) byNumber.set(b.number, b.timestamp);
  const sorted = [...byNumber].sort((a, b) => a[0] - b[0]);

  // a block is in a run when the block right before or after it (by number) has its timestamp
  const inRun = sorted.map(([n, t], i) => {
    const prev = sorted[i - 1];
    const next = sorted[i + 1];
    return (prev !== undefined && prev[0] === n - 1 && prev[1] === t) || (next !== undefined && next[0] === n + 1 && next[1] === t);
  });
  const intervals: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    if (inRun[i - 1] || inRun[i]) continue;
    const [n0, t0] = sorted[i - 1]!;
    const [n1, t1] = sorted[i]!;
    // time going backwards (inconsistent or reorged input) measures nothing
    if (t1 > t0) intervals.push((t1 - t0) / (n1 - n0));
  }
  const measured = intervals.length > 0 ? median(intervals) : undefined;
  if (measured === undefined) return slot ?? fallback;
  return slot !== undefined ? Math.max(slot, measured) : measured;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Expected timestamp of `block`, extrapolated from `head` at `blockTime` seconds per block and
 * rounded to whole seconds (chain timestamps are whole seconds). Works backwards too.
 *
 * @example
 * estimateTimestampAtBlock({ number: 100, timestamp: 1_000 }, 12, 105); // => 1_060
 */
export function estimateTimestampAtBlock(head: BlockRef, blockTime: number, block: number): number {
  assertPositiveFinite(blockTime, 'blockTime');
  return Math.round(head.timestamp + (block - head.number) * blockTime);
}

/**
 * First block whose expected timestamp (by {@link estimateTimestampAtBlock}) is ≥ `timestamp`.
 * For a timestamp at or before the head this is a block ≤ head, by the same arithmetic.
 *
 * Defined through `estimateTimestampAtBlock` so the two never disagree: the block returned here,
 * fed back, always estimates at or after `timestamp`, and the block before it estimates before.
 * A plain `ceil(Δt / blockTime)` disagrees once the estimate is rounded: at 12.5 s per block,
 * block 81 after a head at 0 estimates at round(1012.5) = 1013, yet ceil(1013 / 12.5) = 82.
 *
 * @example
 * estimateBlockAtTimestamp({ number: 100, timestamp: 1_000 }, 12, 1_013); // => 102
 * estimateBlockAtTimestamp({ number: 100, timestamp: 1_000 }, 12, 1_000); // => 100
 */
export function estimateBlockAtTimestamp(head: BlockRef, blockTime: number, timestamp: number): number {
  assertPositiveFinite(blockTime, 'blockTime');
  let block = head.number + Math.ceil((timestamp - head.timestamp) / blockTime);
  // Rounding moves the answer by at most ~1/blockTime blocks (plus float noise): step to it.
  while (estimateTimestampAtBlock(head, blockTime, block - 1) >= timestamp) block -= 1;
  while (estimateTimestampAtBlock(head, blockTime, block) < timestamp) block += 1;
  return block;
}

function assertPositiveFinite(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive finite number of seconds, got ${value}`);
  }
}
