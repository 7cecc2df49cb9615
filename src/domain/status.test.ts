import { deriveRequestStatus, isAtRisk } from './status';
import type { BlockRef, OnchainStatus, RequestStatus, WindowEnd } from './types';

const blockEnd = (block: number): WindowEnd => ({ kind: 'block', block });
const tsEnd = (timestamp: number): WindowEnd => ({ kind: 'timestamp', timestamp });
const T0 = 1_700_000_000;

describe('deriveRequestStatus', () => {
  const at = (number: number, timestamp = T0): BlockRef => ({ number, timestamp });

  it.each<[OnchainStatus, RequestStatus]>([
    ['cancelled', 'vetoed'],
    ['completed', 'fulfilled'],
  ])('on-chain %s → %s, whatever the window and L', (onchain, expected) => {
    for (const head of [at(1_000), at(1_049), at(1_200)]) {
      for (const lastUsefulBlock of [null, 1_010, 1_100]) {
        expect(deriveRequestStatus({ onchain, windowEnd: blockEnd(1_050), lastUsefulBlock, head, nowSec: T0 })).toBe(expected);
      }
    }
  });

  describe('block window ending at 1_050, L = 1_100', () => {
    it.each<[string, number, RequestStatus]>([
      ['head = end − 2', 1_048, 'in_veto_window'],
      ['head = end − 1 (next block == end)', 1_049, 'fulfillable'],
      ['head = end', 1_050, 'fulfillable'],
      ['head = L − 2', 1_098, 'fulfillable'],
      ['head = L − 1 (next block == L: the last chance)', 1_099, 'fulfillable'],
      ['head = L (no block ≤ L is still to come)', 1_100, 'lapsed'],
      ['head = L + 1', 1_101, 'lapsed'],
    ])('%s → %s', (_name, head, expected) => {
      expect(
        deriveRequestStatus({ onchain: 'requested', windowEnd: blockEnd(1_050), lastUsefulBlock: 1_100, head: at(head), nowSec: T0 }),
      ).toBe(expected);
    });
  });

  it.each<[string, WindowEnd, number | null, number, RequestStatus]>([
    ['L unbounded never lapses', blockEnd(1_050), null, 1_000_000, 'fulfillable'],
    ['L == windowEnd: fulfillable for exactly one block', blockEnd(1_050), 1_050, 1_049, 'fulfillable'],
    ['L == windowEnd, head at it: lapsed', blockEnd(1_050), 1_050, 1_050, 'lapsed'],
    ['windowEnd = L + 1: in window, then straight to lapsed', blockEnd(1_051), 1_050, 1_049, 'in_veto_window'],
    ['windowEnd = L + 1, head = L', blockEnd(1_051), 1_050, 1_050, 'lapsed'],
    ['L already past while the window is open stays in_veto_window (a veto still matters)', blockEnd(1_051), 900, 1_000, 'in_veto_window'],
    ['zero-length window at the request block', blockEnd(1_000), null, 1_000, 'fulfillable'],
    ['zero-length window, L = request block, head = request block', blockEnd(1_000), 1_000, 1_000, 'lapsed'],
  ])('%s', (_name, windowEnd, lastUsefulBlock, head, expected) => {
    expect(deriveRequestStatus({ onchain: 'requested', windowEnd, lastUsefulBlock, head: at(head), nowSec: T0 })).toBe(expected);
  });

  describe('timestamp window ending at T', () => {
    const T = T0 + 259_200;
    it.each<[string, number, number, number | null, number, RequestStatus]>([
      ['head T−2, now T−2', T - 2, T - 2, null, 5_000, 'in_veto_window'],
      ['head T−1, now T−1 (next block at ≥ T)', T - 1, T - 1, null, 5_000, 'fulfillable'],
      ['stale head T−100, now T', T - 100, T, null, 5_000, 'fulfillable'],
      ['stale head T−100, now T−1', T - 100, T - 1, null, 5_000, 'in_veto_window'],
      ['equal timestamps head = now = T', T, T, null, 5_000, 'fulfillable'],
      ['passed, head = L − 1', T, T, 5_001, 5_000, 'fulfillable'],
      ['passed, head = L', T, T, 5_000, 5_000, 'lapsed'],
      ['passed, head = L + 1', T, T, 4_999, 5_000, 'lapsed'],
    ])('%s → %s', (_name, headTs, nowSec, lastUsefulBlock, headNumber, expected) => {
      expect(
        deriveRequestStatus({ onchain: 'requested', windowEnd: tsEnd(T), lastUsefulBlock, head: at(headNumber, headTs), nowSec }),
      ).toBe(expected);
    });

    it('VETO_PERIOD 0 is fulfillable from the request block on', () => {
      expect(
        deriveRequestStatus({ onchain: 'requested', windowEnd: tsEnd(T0), lastUsefulBlock: null, head: at(5_000, T0), nowSec: T0 }),
      ).toBe('fulfillable');
    });
  });
});

describe('isAtRisk', () => {
  const head: BlockRef = { number: 1_000, timestamp: T0 };

  it.each<[string, WindowEnd, number | null, boolean]>([
    ['block window, L unbounded', blockEnd(1_000_000), null, false],
    ['block window ends before L', blockEnd(1_049), 1_050, false],
    ['block window ends exactly at L: F = L works', blockEnd(1_050), 1_050, false],
    ['block window ends at L + 1: no F fits', blockEnd(1_051), 1_050, true],
    ['block window far beyond L', blockEnd(2_000), 1_050, true],
    ['zero-length block window at L', blockEnd(1_000), 1_000, false],
    ['L already past, window already passed before it', blockEnd(900), 950, false],
    ['timestamp window, L unbounded', tsEnd(T0 + 1_000_000), null, false],
    ['timestamp window at block 1_050’s estimated timestamp, L = 1_050', tsEnd(T0 + 600), 1_050, false],
    ['timestamp window at block 1_050’s estimated timestamp, L = 1_049', tsEnd(T0 + 600), 1_049, true],
    ['timestamp window one second later needs block 1_051, L = 1_050', tsEnd(T0 + 601), 1_050, true],
    ['timestamp window one second after block 1_049, L = 1_050', tsEnd(T0 + 589), 1_050, false],
    ['timestamp window in the past (block 998), L = 998', tsEnd(T0 - 24), 998, false],
    ['timestamp window in the past (block 998), L = 997', tsEnd(T0 - 24), 997, true],
  ])('%s → %s', (_name, windowEnd, lastUsefulBlock, expected) => {
    expect(isAtRisk({ windowEnd, lastUsefulBlock, head, blockTime: 12 })).toBe(expected);
  });

  it('timestamp windows follow the block-time estimate', () => {
    const windowEnd = tsEnd(T0 + 600);
    expect(isAtRisk({ windowEnd, lastUsefulBlock: 1_050, head, blockTime: 12 })).toBe(false);
    // Slower blocks: the window's end is reached sooner in block numbers.
    expect(isAtRisk({ windowEnd, lastUsefulBlock: 1_025, head, blockTime: 24 })).toBe(false);
    // Faster blocks: it takes more blocks, beyond L.
    expect(isAtRisk({ windowEnd, lastUsefulBlock: 1_050, head, blockTime: 6 })).toBe(true);
  });
});
