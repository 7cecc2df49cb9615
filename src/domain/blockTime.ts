import type { BlockRef } from './types';

/** Mainnet slot time; used when too few blocks were observed to measure anything. */
export const DEFAULT_BLOCK_TIME_SECONDS = 12;

/**
 * Seconds per block measured over the observed blocks: the timestamp span from the lowest to
 * the highest block number, divided by the number of blocks between them.
 *
 * The span over the count is the mean gap, so missed slots and irregular producers weigh in
 * exactly as they delay future blocks, without sorting or averaging each gap. Input may be
 * unsorted; a block number seen twice (a reorg replaced it) keeps its last occurrence, as the
 * caller appends newer observations. Fewer than two distinct blocks, or a span that does not
 * move forward in time (reorged, inconsistent input), gives `fallbackSeconds`.
 *
 * @throws RangeError when `fallbackSeconds` is not a positive finite number: every caller
 * divides by the result, so it must never be ≤ 0.
 *
 * @example
 * estimateBlockTime([
 *   { number: 100, timestamp: 1_000 },
 *   { number: 103, timestamp: 1_036 }, // a missed slot between
 * ]); // => 12
 * estimateBlockTime([{ number: 100, timestamp: 1_000 }]); // => 12 (fallback)
 */
export function estimateBlockTime(blocks: BlockRef[], fallbackSeconds = DEFAULT_BLOCK_TIME_SECONDS): number {
  assertPositiveFinite(fallbackSeconds, 'fallbackSeconds');
  const byNumber = new Map<number, number>();
  for (const b of blocks) byNumber.set(b.number, b.timestamp);
  if (byNumber.size < 2) return fallbackSeconds;

  let first = Infinity;
  let last = -Infinity;
  for (const n of byNumber.keys()) {
    first = Math.min(first, n);
    last = Math.max(last, n);
  }
  const span = (byNumber.get(last) ?? 0) - (byNumber.get(first) ?? 0);
  const perBlock = span / (last - first);
  return Number.isFinite(perBlock) && perBlock > 0 ? perBlock : fallbackSeconds;
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
