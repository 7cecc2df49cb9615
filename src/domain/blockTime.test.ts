import {
  DEFAULT_BLOCK_TIME_SECONDS,
  estimateBlockAtTimestamp,
  estimateBlockTime,
  estimateTimestampAtBlock,
} from './blockTime';
import type { BlockRef } from './types';

const b = (number: number, timestamp: number): BlockRef => ({ number, timestamp });

describe('estimateBlockTime', () => {
  it.each<[string, BlockRef[], number]>([
    ['no blocks → fallback', [], 12],
    ['one block → fallback', [b(100, 1_000)], 12],
    ['the same block twice → fallback', [b(100, 1_000), b(100, 1_000)], 12],
    ['two consecutive blocks', [b(100, 1_000), b(101, 1_012)], 12],
    ['regular 2 s chain', [b(10, 100), b(11, 102), b(12, 104)], 2],
    ['irregular gaps: span / count', [b(100, 1_000), b(101, 1_012), b(102, 1_030), b(105, 1_060)], 12],
    ['missed slots lengthen the average', [b(100, 1_000), b(104, 1_050)], 12.5],
    ['unsorted input', [b(105, 1_060), b(100, 1_000), b(102, 1_030), b(101, 1_012)], 12],
    ['duplicates ignored', [b(100, 1_000), b(100, 1_000), b(102, 1_024), b(102, 1_024)], 12],
    ['reorged block: the last occurrence of a number wins', [b(100, 1_000), b(102, 1_024), b(102, 1_030)], 15],
    ['reorged block listed first is overridden', [b(102, 1_030), b(100, 1_000), b(102, 1_024)], 12],
    ['non-monotonic interior does not matter, only the endpoints', [b(100, 1_000), b(101, 1_050), b(102, 1_024)], 12],
    ['endpoints with equal timestamps → fallback', [b(100, 1_000), b(101, 1_000)], 12],
    ['endpoints going back in time → fallback', [b(100, 1_000), b(103, 990)], 12],
    ['sub-second block time', [b(100, 1_000), b(103, 1_001)], 1 / 3],
  ])('%s', (_name, blocks, expected) => {
    expect(estimateBlockTime(blocks)).toBe(expected);
  });

  it('uses the given fallback', () => {
    expect(estimateBlockTime([b(1, 1)], 2)).toBe(2);
    expect(estimateBlockTime([b(1, 5), b(2, 5)], 0.25)).toBe(0.25);
  });

  it('defaults to 12 s', () => {
    expect(DEFAULT_BLOCK_TIME_SECONDS).toBe(12);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects fallback %p: the result must never be ≤ 0', (fallback) => {
    expect(() => estimateBlockTime([b(1, 1), b(2, 13)], fallback)).toThrow(RangeError);
  });

  it('does not mutate its input', () => {
    const blocks = [b(105, 1_060), b(100, 1_000)];
    estimateBlockTime(blocks);
    expect(blocks).toEqual([b(105, 1_060), b(100, 1_000)]);
  });
});

describe('estimateTimestampAtBlock', () => {
  const head = b(100, 1_000);
  it.each([
    ['the head itself', 12, 100, 1_000],
    ['next block', 12, 101, 1_012],
    ['five ahead', 12, 105, 1_060],
    ['one behind', 12, 99, 988],
    ['fractional block time rounds to whole seconds (1012.5 → 1013)', 12.5, 101, 1_013],
    ['fractional block time backwards (987.5 → 988)', 12.5, 99, 988],
    ['sub-second block time', 0.25, 104, 1_001],
  ])('%s', (_name, blockTime, block, expected) => {
    expect(estimateTimestampAtBlock(head, blockTime, block)).toBe(expected);
  });

  it.each([0, -12, Number.NaN])('rejects block time %p', (blockTime) => {
    expect(() => estimateTimestampAtBlock(head, blockTime, 101)).toThrow(RangeError);
  });
});

describe('estimateBlockAtTimestamp', () => {
  const head = b(100, 1_000);
  it.each([
    ['the head timestamp → the head', 12, 1_000, 100],
    ['one second after the head → next block', 12, 1_001, 101],
    ['exactly the next block’s timestamp', 12, 1_012, 101],
    ['one second after the next block', 12, 1_013, 102],
    ['one second before the head → the head (block 99 is at 988)', 12, 999, 100],
    ['exactly a past block’s timestamp', 12, 988, 99],
    ['between two past blocks', 12, 989, 100],
    ['far in the past', 12, 0, 17],
    ['rounded estimate: block 81 at round(1012.5)=1013, not ceil(1013/12.5)=82', 12.5, 1_000 + 1_013, 181],
    ['sub-second block time: first block rounded to ≥ 1001', 0.25, 1_001, 102],
  ])('%s', (_name, blockTime, timestamp, expected) => {
    expect(estimateBlockAtTimestamp(head, blockTime, timestamp)).toBe(expected);
  });

  it('is the inverse of estimateTimestampAtBlock: first block at or after, for every timestamp', () => {
    for (const blockTime of [0.25, 1, 2, 12, 12.1, 12.5, 13.7]) {
      for (let timestamp = 0; timestamp <= 2_000; timestamp += 7) {
        const block = estimateBlockAtTimestamp(head, blockTime, timestamp);
        expect(estimateTimestampAtBlock(head, blockTime, block)).toBeGreaterThanOrEqual(timestamp);
        expect(estimateTimestampAtBlock(head, blockTime, block - 1)).toBeLessThan(timestamp);
      }
    }
  });

  it('rejects a non-positive block time instead of looping', () => {
    expect(() => estimateBlockAtTimestamp(head, 0, 1_100)).toThrow(RangeError);
  });
});
