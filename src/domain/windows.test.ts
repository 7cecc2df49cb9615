import { computeVetoWindowEnd, isWindowPassedAtNextBlock } from './windows';
import type { BlockRef, VetoWindow, WindowEnd } from './types';

describe('computeVetoWindowEnd', () => {
  it.each<[string, VetoWindow, number, WindowEnd]>([
    ['V3/V4 blocks', { kind: 'blocks', blocks: 50 }, 1_000, { kind: 'block', block: 1_050 }],
    ['V3/V4 zero-length window ends at the request block', { kind: 'blocks', blocks: 0 }, 1_000, { kind: 'block', block: 1_000 }],
    ['V3/V4 max uint32 window', { kind: 'blocks', blocks: 4_294_967_295 }, 1, { kind: 'block', block: 4_294_967_296 }],
    ['V1/V2 3 days', { kind: 'seconds', seconds: 259_200 }, 1_700_000_000, { kind: 'timestamp', timestamp: 1_700_259_200 }],
    ['V1/V2 VETO_PERIOD 0 ends at the request timestamp', { kind: 'seconds', seconds: 0 }, 1_700_000_000, { kind: 'timestamp', timestamp: 1_700_000_000 }],
  ])('%s', (_name, window, request, expected) => {
    expect(computeVetoWindowEnd(window, request)).toEqual(expected);
  });
});

describe('isWindowPassedAtNextBlock — block windows', () => {
  const end: WindowEnd = { kind: 'block', block: 1_050 };
  const at = (number: number): BlockRef => ({ number, timestamp: 1_700_000_000 });

  it.each([
    ['head = end − 3', 1_047, false],
    ['head = end − 2 (next block is end − 1: a cancel still lands)', 1_048, false],
    ['head = end − 1 (next block == end: fulfil allowed, cancel not)', 1_049, true],
    ['head = end', 1_050, true],
    ['head = end + 1', 1_051, true],
  ])('%s → %s', (_name, head, expected) => {
    expect(isWindowPassedAtNextBlock(end, at(head), 1_700_000_000)).toBe(expected);
  });

  it('ignores the wall clock: a block window is only about block numbers', () => {
    expect(isWindowPassedAtNextBlock(end, at(1_048), 9_999_999_999)).toBe(false);
    expect(isWindowPassedAtNextBlock(end, at(1_049), 0)).toBe(true);
  });

  it('zero-length window is passed from the request block itself', () => {
    const zero = computeVetoWindowEnd({ kind: 'blocks', blocks: 0 }, 1_000);
    expect(isWindowPassedAtNextBlock(zero, at(1_000), 0)).toBe(true);
    expect(isWindowPassedAtNextBlock(zero, at(999), 0)).toBe(true);
    expect(isWindowPassedAtNextBlock(zero, at(998), 0)).toBe(false);
  });
});

describe('isWindowPassedAtNextBlock — timestamp windows', () => {
  const T = 1_700_259_200;
  const end: WindowEnd = { kind: 'timestamp', timestamp: T };
  const head = (timestamp: number): BlockRef => ({ number: 5_000, timestamp });

  it.each([
    ['head T−2, now T−2: next block at ≥ T−1', T - 2, T - 2, false],
    ['head T−1, now T−1: next block at ≥ T', T - 1, T - 1, true],
    ['head T−1, clock behind the head (T−5): head.timestamp+1 still decides', T - 1, T - 5, true],
    ['head T−10, now T−1: next block at ≥ T−1', T - 10, T - 1, false],
    ['head T−10, now T: a stale head does not keep the window open', T - 10, T, true],
    ['head T−10, now T−0.5: rounded up to T', T - 10, T - 0.5, true],
    ['head T−10, now T−1.5: rounded up to T−1', T - 10, T - 1.5, false],
    ['head T, now T (equal timestamps)', T, T, true],
    ['head T+100, now T−100 (skewed clock)', T + 100, T - 100, true],
  ])('%s → %s', (_name, headTs, nowSec, expected) => {
    expect(isWindowPassedAtNextBlock(end, head(headTs), nowSec)).toBe(expected);
  });

  it('VETO_PERIOD 0 is passed from the request block itself', () => {
    const zero = computeVetoWindowEnd({ kind: 'seconds', seconds: 0 }, T);
    expect(isWindowPassedAtNextBlock(zero, head(T), T)).toBe(true);
    expect(isWindowPassedAtNextBlock(zero, head(T - 1), T - 1)).toBe(true);
    expect(isWindowPassedAtNextBlock(zero, head(T - 2), T - 2)).toBe(false);
  });
});
