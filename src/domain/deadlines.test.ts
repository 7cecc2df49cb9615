import { chainClock, describeDeadlines, type DescribeDeadlinesParameters } from './deadlines';
import type { AllocationFact, BlockRef } from './types';

const S1 = '0x0000000000000000000000000000000000000001';
const S2 = '0x0000000000000000000000000000000000000002';
const T0 = 1_700_000_000; // 2023-11-14T22:13:20.000Z
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const toZero = (effectBlock: number): AllocationFact => ({ strategy: S1, currentMagnitude: 5n, pendingDiff: -5n, effectBlock });
const steady: AllocationFact = { strategy: S2, currentMagnitude: 7n, pendingDiff: 0n, effectBlock: 0 };

/** a chain at exactly 12 s per block with block 1_000 at T0 */
const blockAt = (number: number): BlockRef => ({ number, timestamp: T0 + (number - 1_000) * 12 });

const base = (over: Partial<DescribeDeadlinesParameters> = {}): DescribeDeadlinesParameters => ({
  window: { kind: 'blocks', blocks: 50 },
  requestBlockOrTimestamp: 1_000,
  onchain: 'requested',
  allocations: [toZero(1_101)],
  registration: { registered: true },
  deallocationDelay: 25,
  head: blockAt(1_010),
  recentBlocks: [blockAt(1_000), blockAt(1_005)],
  nowSec: T0 + 121,
  ...over,
});

describe('describeDeadlines', () => {
  it('block window in progress, L after it', () => {
    expect(describeDeadlines(base())).toEqual({
      status: 'in_veto_window',
      vetoWindowEnd: { block: 1_050, estimatedAt: iso(T0 + 600), estimated: true },
      lastUsefulBlock: 1_100,
      lastUsefulBlockEstimatedAt: iso(T0 + 1_200),
      atRisk: false,
      blocksUntilWindowEnd: 40,
      blocksUntilLastUseful: 90,
      strategies: [
        { strategy: S1, lastUsefulBlock: 1_100, currentMagnitude: 5n, remainingMagnitude: 0n, pendingDeallocation: { effectBlock: 1_101, diff: -5n }, noStake: false },
      ],
      blockTimeSeconds: 12,
    });
  });

  it('the JSDoc example: window ends after L → at risk at once', () => {
    const result = describeDeadlines(base({ allocations: [toZero(1_041)] }));
    expect(result).toMatchObject({
      status: 'in_veto_window',
      atRisk: true,
      lastUsefulBlock: 1_040,
      vetoWindowEnd: { block: 1_050, estimatedAt: '2023-11-14T22:23:20.000Z', estimated: true },
      blocksUntilWindowEnd: 40,
      blocksUntilLastUseful: 30,
      blockTimeSeconds: 12,
    });
  });

  it('L exactly at the window end: not at risk, fulfillable for one block', () => {
    const input = base({ allocations: [toZero(1_051)] });
    expect(describeDeadlines(input)).toMatchObject({ lastUsefulBlock: 1_050, atRisk: false, status: 'in_veto_window' });
    expect(describeDeadlines({ ...input, head: blockAt(1_049) })).toMatchObject({
      status: 'fulfillable',
      blocksUntilWindowEnd: 1,
      blocksUntilLastUseful: 1,
    });
    expect(describeDeadlines({ ...input, head: blockAt(1_050) })).toMatchObject({
      status: 'lapsed',
      blocksUntilWindowEnd: 0,
      blocksUntilLastUseful: 0,
    });
  });

  it('a mined window-end block that was observed gets its real timestamp, not an estimate', () => {
    const mined: BlockRef = { number: 1_050, timestamp: T0 + 650 }; // slower than 12 s
    const result = describeDeadlines(base({ head: blockAt(1_060), recentBlocks: [blockAt(1_000), mined] }));
    expect(result.vetoWindowEnd).toEqual({ block: 1_050, estimatedAt: iso(T0 + 650), estimated: false });
    expect(result.blocksUntilWindowEnd).toBe(0);
    expect(result.status).toBe('fulfillable');
  });

  it('the window-end block being the head is exact', () => {
    const result = describeDeadlines(base({ head: blockAt(1_050), recentBlocks: [blockAt(1_000)] }));
    expect(result.vetoWindowEnd).toEqual({ block: 1_050, estimatedAt: iso(T0 + 600), estimated: false });
  });

  it('a mined window-end block that was not observed is still an estimate', () => {
    const result = describeDeadlines(base({ head: blockAt(1_060), recentBlocks: [blockAt(1_000)] }));
    expect(result.vetoWindowEnd).toEqual({ block: 1_050, estimatedAt: iso(T0 + 600), estimated: true });
  });

  it('the head wins over a stale copy of its number in recentBlocks', () => {
    const result = describeDeadlines(base({ head: blockAt(1_050), recentBlocks: [blockAt(1_000), { number: 1_050, timestamp: T0 + 1 }] }));
    expect(result.vetoWindowEnd.estimatedAt).toBe(iso(T0 + 600));
    expect(result.blockTimeSeconds).toBe(12);
  });

  it('timestamp window (V1/V2): exact timestamp, no block, no block count', () => {
    const requestTimestamp = T0 - 259_200 + 300;
    const result = describeDeadlines(base({ window: { kind: 'seconds', seconds: 259_200 }, requestBlockOrTimestamp: requestTimestamp }));
    expect(result.vetoWindowEnd).toEqual({ timestamp: T0 + 300, estimatedAt: iso(T0 + 300), estimated: false });
    expect('block' in result.vetoWindowEnd).toBe(false);
    expect(result.blocksUntilWindowEnd).toBeNull();
    expect(result.status).toBe('in_veto_window');
    // window end ≈ block 1_025 ≤ L = 1_100
    expect(result.atRisk).toBe(false);
  });

  it('timestamp window ending after L is at risk (by the block-time estimate)', () => {
    const result = describeDeadlines(
      base({ window: { kind: 'seconds', seconds: 600 }, requestBlockOrTimestamp: T0 + 1, allocations: [toZero(1_051)] }),
    );
    // T0 + 601 first reached by block 1_051 > L = 1_050
    expect(result).toMatchObject({ atRisk: true, lastUsefulBlock: 1_050, status: 'in_veto_window' });
  });

  it('VETO_PERIOD 0: fulfillable at once', () => {
    const result = describeDeadlines(base({ window: { kind: 'seconds', seconds: 0 }, requestBlockOrTimestamp: T0 + 120 }));
    expect(result.status).toBe('fulfillable');
    expect(result.vetoWindowEnd).toEqual({ timestamp: T0 + 120, estimatedAt: iso(T0 + 120), estimated: false });
  });

  it('unbounded L: no deadline times, never at risk', () => {
    const result = describeDeadlines(base({ allocations: [steady] }));
    expect(result).toMatchObject({
      lastUsefulBlock: null,
      lastUsefulBlockEstimatedAt: null,
      blocksUntilLastUseful: null,
      atRisk: false,
    });
  });

  it('deregistered operator bounds L by deregisterBlock + delay', () => {
    const result = describeDeadlines(base({ allocations: [steady], registration: { registered: false, deregisterBlock: 1_020 } }));
    expect(result).toMatchObject({ lastUsefulBlock: 1_045, atRisk: true, blocksUntilLastUseful: 35 });
    expect(result.lastUsefulBlockEstimatedAt).toBe(iso(T0 + 540));
  });

  it('a decided request is not at risk, even when its window ended after L', () => {
    for (const onchain of ['cancelled', 'completed'] as const) {
      const result = describeDeadlines(base({ onchain, allocations: [toZero(1_041)] }));
      expect(result.atRisk).toBe(false);
      expect(result.status).toBe(onchain === 'cancelled' ? 'vetoed' : 'fulfilled');
    }
  });

  it('all strategies without stake: L = head − 1, lapsed once the window passes', () => {
    const empty: AllocationFact = { strategy: S1, currentMagnitude: 0n, pendingDiff: 0n, effectBlock: 0 };
    const result = describeDeadlines(base({ allocations: [empty], head: blockAt(1_060) }));
    expect(result).toMatchObject({
      status: 'lapsed',
      lastUsefulBlock: 1_059,
      lastUsefulBlockEstimatedAt: iso(T0 + 59 * 12),
      blocksUntilLastUseful: 0,
    });
    expect(result.strategies[0]?.noStake).toBe(true);
  });

  it('no recent blocks: falls back to 12 s and still answers', () => {
    const result = describeDeadlines(base({ recentBlocks: [], head: { number: 1_010, timestamp: T0 } }));
    expect(result.blockTimeSeconds).toBe(12);
    expect(result.vetoWindowEnd.estimatedAt).toBe(iso(T0 + 480));
  });

  it('measures the block time from recent blocks and the head', () => {
    const result = describeDeadlines(
      base({ head: { number: 1_010, timestamp: T0 + 150 }, recentBlocks: [{ number: 1_000, timestamp: T0 }] }),
    );
    expect(result.blockTimeSeconds).toBe(15);
    expect(result.vetoWindowEnd.estimatedAt).toBe(iso(T0 + 150 + 40 * 15));
  });
});

describe('chainClock: the times it knows', () => {
  const head = blockAt(1_100);
  const recent = [blockAt(1_098), blockAt(1_099)];

  it('gives the times of the kept blocks exactly, from the list or from the map, and estimates the rest', () => {
    const kept = new Map([[1_010, T0 + 500]]);
    const fromMap = chainClock(head, recent, { knownTimes: kept });
    const fromList = chainClock(head, recent, { knownBlocks: [{ number: 1_010, timestamp: T0 + 500 }] });
    for (const clock of [fromMap, fromList]) {
      expect(clock.timeOfBlock(1_010)).toEqual({ timestamp: T0 + 500, estimated: false });
      expect(clock.timeOfBlock(1_011)).toEqual({ timestamp: blockAt(1_011).timestamp, estimated: true });
      expect(clock.timeOfBlock(1_099)).toEqual({ timestamp: blockAt(1_099).timestamp, estimated: false });
    }
  });

  it('takes the head, then the recent blocks, then the list, and the map last, where they disagree', () => {
    const kept = new Map([
      [1_100, 1],
      [1_099, 2],
      [1_050, 3],
      [1_040, 4],
    ]);
    const clock = chainClock(head, recent, { knownBlocks: [{ number: 1_050, timestamp: T0 + 601 }, { number: 1_099, timestamp: 5 }], knownTimes: kept });
    expect(clock.timeOfBlock(1_100).timestamp).toBe(head.timestamp);
    expect(clock.timeOfBlock(1_099).timestamp).toBe(blockAt(1_099).timestamp);
    expect(clock.timeOfBlock(1_050).timestamp).toBe(T0 + 601);
    expect(clock.timeOfBlock(1_040)).toEqual({ timestamp: 4, estimated: false });
    // the map is no part of the block-time estimate (old and sparse)
    expect(clock.blockTimeSeconds).toBe(chainClock(head, recent).blockTimeSeconds);
  });
});
