import {
  DEFAULT_BLOCK_TIME_SECONDS,
  estimateBlockAtTimestamp,
  estimateBlockTime,
  estimateTimestampAtBlock,
  knownSlotSeconds,
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
    ['irregular gaps: the median interval', [b(100, 1_000), b(101, 1_012), b(102, 1_030), b(105, 1_060)], 12],
    ['an interval over a gap counts per block', [b(100, 1_000), b(104, 1_050)], 12.5],
    ['unsorted input', [b(105, 1_060), b(100, 1_000), b(102, 1_030), b(101, 1_012)], 12],
    ['duplicates ignored', [b(100, 1_000), b(100, 1_000), b(102, 1_024), b(102, 1_024)], 12],
    ['reorged block: the last occurrence of a number wins', [b(100, 1_000), b(102, 1_024), b(102, 1_030)], 15],
    ['reorged block listed first is overridden', [b(102, 1_030), b(100, 1_000), b(102, 1_024)], 12],
    ['two blocks sharing a timestamp measure nothing → fallback', [b(100, 1_000), b(101, 1_000)], 12],
    ['time going backwards measures nothing → fallback', [b(100, 1_000), b(103, 990)], 12],
    ['sub-second block time', [b(100, 1_000), b(103, 1_001)], 1 / 3],
    ['one long pause among 2 s blocks (a restart) is ignored', [b(1, 100), b(2, 102), b(3, 104), b(4, 5_000), b(5, 5_002), b(6, 5_004)], 2],
    ['the intervals into and out of a run are ignored', [b(1, 100), b(2, 102), b(3, 150), b(4, 150), b(5, 150), b(6, 199), b(7, 201), b(8, 203)], 2],
  ])('%s', (_name, blocks, expected) => {
    expect(estimateBlockTime(blocks)).toBe(expected);
  });

  it('uses the given fallback', () => {
    expect(estimateBlockTime([b(1, 1)], { fallbackSeconds: 2 })).toBe(2);
    expect(estimateBlockTime([b(1, 5), b(2, 5)], { fallbackSeconds: 0.25 })).toBe(0.25);
  });

  it('defaults to 12 s', () => {
    expect(DEFAULT_BLOCK_TIME_SECONDS).toBe(12);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects fallback or slot %p: the result must never be ≤ 0', (bad) => {
    expect(() => estimateBlockTime([b(1, 1), b(2, 13)], { fallbackSeconds: bad })).toThrow(RangeError);
    expect(() => estimateBlockTime([b(1, 1), b(2, 13)], { slotSeconds: bad })).toThrow(RangeError);
  });

  it('does not mutate its input', () => {
    const blocks = [b(105, 1_060), b(100, 1_000)];
    estimateBlockTime(blocks);
    expect(blocks).toEqual([b(105, 1_060), b(100, 1_000)]);
  });

  describe('bounded by the chain’s slot time', () => {
    it('is never below the slot (blocks cannot come sooner)', () => {
      expect(estimateBlockTime([b(100, 1_000), b(101, 1_005), b(102, 1_010)], { slotSeconds: 12 })).toBe(12);
    });
    it('keeps a measured time above the slot (missed slots)', () => {
      expect(estimateBlockTime([b(100, 1_000), b(101, 1_012), b(102, 1_036), b(103, 1_060)], { slotSeconds: 12 })).toBe(24);
    });
    it('is the slot when nothing could be measured', () => {
      expect(estimateBlockTime([b(100, 1_000), b(101, 1_000)], { slotSeconds: 12 })).toBe(12);
      expect(estimateBlockTime([], { slotSeconds: 2 })).toBe(2);
    });
    it.each([
      [1, 12],
      [17000, 12],
      [11155111, 12],
      [560048, 12],
      [31337, undefined],
      [8453, undefined],
    ])('chain %p → slot %p', (chainId, slot) => {
      expect(knownSlotSeconds(chainId)).toBe(slot);
    });
  });

  /**
   * The devnet as `npm start` makes it: the Safe suite, the testbed and the seeded requests mined
   * under automine (bursts of blocks sharing a second, an odd block alone in its second), then a
   * block every 2 s. The desk reads the last 32 stored headers.
   */
  describe('on a devnet-like history (seeded bursts, then a block every 2 s)', () => {
    const T0 = 1_800_000_000;
    function devnetHistory(intervalBlocks: number): BlockRef[] {
      const out: BlockRef[] = [];
      let n = 1;
      // seeding: seconds T0..T0+5; bursts of 30, a lone block, 25, 40, a lone block, 30
      for (const [second, count] of [[0, 30], [1, 1], [2, 25], [3, 40], [4, 1], [5, 30]] as const) {
        for (let k = 0; k < count; k++) out.push(b(n++, T0 + second));
      }
      const last = out[out.length - 1]!;
      for (let k = 1; k <= intervalBlocks; k++) out.push(b(n++, last.timestamp + 2 * k));
      return out;
    }
    const recent = (blocks: BlockRef[]) => blocks.slice(-32);

    it('the old span-over-count measure is badly wrong there (the 0.58 s the board showed)', () => {
      const h = recent(devnetHistory(3));
      const spanPerBlock = (h[h.length - 1]!.timestamp - h[0]!.timestamp) / (h[h.length - 1]!.number - h[0]!.number);
      expect(spanPerBlock).toBeLessThan(0.5);
    });

    it.each([2, 3, 5, 10, 31, 32, 100])('within 25 %% of 2 s once %p blocks were mined on the interval', (k) => {
      const estimate = estimateBlockTime(recent(devnetHistory(k)));
      expect(Math.abs(estimate - 2) / 2).toBeLessThanOrEqual(0.25);
    });

    it('exactly 2 s as soon as two interval blocks give one clean interval', () => {
      expect(estimateBlockTime(recent(devnetHistory(2)))).toBe(2);
    });

    it('before that, seeded blocks are all there is: the embedded devnet gives its 2 s as the slot time', () => {
      for (const k of [0, 1]) expect(estimateBlockTime(recent(devnetHistory(k)), { slotSeconds: 2 })).toBe(2);
      // without it: nothing to measure (the fallback), or a lone seeded block at the window's edge
      expect(estimateBlockTime(recent(devnetHistory(1)))).toBe(12);
      expect(estimateBlockTime(recent(devnetHistory(0)))).toBe(1);
    });

    it('the whole seeded history (no window) too', () => {
      expect(estimateBlockTime(devnetHistory(4))).toBe(2);
    });
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
