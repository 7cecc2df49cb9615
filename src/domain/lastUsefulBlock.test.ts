import { computeLastUsefulBlock, computeRegistrationBound, computeStrategyDeadline } from './lastUsefulBlock';
import type { AllocationFact, RegistrationFact, StrategyDeadlineDetail } from './types';

const S1 = '0x0000000000000000000000000000000000000001';
const S2 = '0x0000000000000000000000000000000000000002';
const S3 = '0x0000000000000000000000000000000000000003';

const alloc = (
  strategy: `0x${string}`,
  currentMagnitude: bigint,
  pendingDiff = 0n,
  effectBlock = 0,
): AllocationFact => ({ strategy, currentMagnitude, pendingDiff, effectBlock });

describe('computeStrategyDeadline', () => {
  const current = 1_000;
  it.each<[string, AllocationFact, Omit<StrategyDeadlineDetail, 'strategy'>]>([
    [
      'nothing pending: unbounded',
      alloc(S1, 10n),
      { lastUsefulBlock: null, currentMagnitude: 10n, remainingMagnitude: 10n, pendingDeallocation: null, noStake: false },
    ],
    [
      'deallocation to zero: slashable until effectBlock − 1',
      alloc(S1, 10n, -10n, 1_100),
      { lastUsefulBlock: 1_099, currentMagnitude: 10n, remainingMagnitude: 0n, pendingDeallocation: { effectBlock: 1_100, diff: -10n }, noStake: false },
    ],
    [
      'deallocation past zero (defensive) counts as to zero',
      alloc(S1, 10n, -15n, 1_100),
      { lastUsefulBlock: 1_099, currentMagnitude: 10n, remainingMagnitude: 0n, pendingDeallocation: { effectBlock: 1_100, diff: -15n }, noStake: false },
    ],
    [
      'deallocation to zero taking effect in the next block: the current block is the last',
      alloc(S1, 10n, -10n, 1_001),
      { lastUsefulBlock: 1_000, currentMagnitude: 10n, remainingMagnitude: 0n, pendingDeallocation: { effectBlock: 1_001, diff: -10n }, noStake: false },
    ],
    [
      'partial deallocation leaves stake: unbounded, 6 remain',
      alloc(S1, 10n, -4n, 1_100),
      { lastUsefulBlock: null, currentMagnitude: 10n, remainingMagnitude: 6n, pendingDeallocation: { effectBlock: 1_100, diff: -4n }, noStake: false },
    ],
    [
      'deallocation leaving 1 wei of magnitude is still partial',
      alloc(S1, 10n, -9n, 1_100),
      { lastUsefulBlock: null, currentMagnitude: 10n, remainingMagnitude: 1n, pendingDeallocation: { effectBlock: 1_100, diff: -9n }, noStake: false },
    ],
    [
      'pending increase: unbounded, not a deallocation',
      alloc(S1, 10n, 5n, 1_100),
      { lastUsefulBlock: null, currentMagnitude: 10n, remainingMagnitude: 15n, pendingDeallocation: null, noStake: false },
    ],
    [
      'pending increase from zero: stake is coming, so not noStake',
      alloc(S1, 0n, 5n, 1_100),
      { lastUsefulBlock: null, currentMagnitude: 0n, remainingMagnitude: 5n, pendingDeallocation: null, noStake: false },
    ],
    [
      'deallocation to zero whose effectBlock == current block has taken effect: noStake',
      alloc(S1, 10n, -10n, 1_000),
      { lastUsefulBlock: 999, currentMagnitude: 0n, remainingMagnitude: 0n, pendingDeallocation: null, noStake: true },
    ],
    [
      'deallocation to zero already past: noStake, the stake left at its effect block',
      alloc(S1, 10n, -10n, 900),
      { lastUsefulBlock: 899, currentMagnitude: 0n, remainingMagnitude: 0n, pendingDeallocation: null, noStake: true },
    ],
    [
      'partial deallocation already past: applied, unbounded',
      alloc(S1, 10n, -4n, 900),
      { lastUsefulBlock: null, currentMagnitude: 6n, remainingMagnitude: 6n, pendingDeallocation: null, noStake: false },
    ],
    [
      'increase already past: applied',
      alloc(S1, 10n, 5n, 1_000),
      { lastUsefulBlock: null, currentMagnitude: 15n, remainingMagnitude: 15n, pendingDeallocation: null, noStake: false },
    ],
    [
      'zero magnitude, nothing pending: noStake',
      alloc(S1, 0n),
      { lastUsefulBlock: 999, currentMagnitude: 0n, remainingMagnitude: 0n, pendingDeallocation: null, noStake: true },
    ],
    [
      'zero magnitude with a stray effectBlock but no diff: noStake',
      alloc(S1, 0n, 0n, 1_100),
      { lastUsefulBlock: 999, currentMagnitude: 0n, remainingMagnitude: 0n, pendingDeallocation: null, noStake: true },
    ],
    [
      'stray effectBlock with no diff is not a pending change',
      alloc(S1, 10n, 0n, 1_100),
      { lastUsefulBlock: null, currentMagnitude: 10n, remainingMagnitude: 10n, pendingDeallocation: null, noStake: false },
    ],
  ])('%s', (_name, fact, expected) => {
    expect(computeStrategyDeadline(fact, current)).toEqual({ strategy: S1, ...expected });
  });

  it('noStake at block 0 is −1', () => {
    expect(computeStrategyDeadline(alloc(S1, 0n), 0).lastUsefulBlock).toBe(-1);
  });

  it('handles uint64-sized magnitudes exactly', () => {
    const max = 18_446_744_073_709_551_615n;
    expect(computeStrategyDeadline(alloc(S1, max, -(max - 1n), 1_100), current)).toMatchObject({
      lastUsefulBlock: null,
      remainingMagnitude: 1n,
    });
    expect(computeStrategyDeadline(alloc(S1, max, -max, 1_100), current).lastUsefulBlock).toBe(1_099);
  });
});

describe('computeRegistrationBound', () => {
  it.each<[string, RegistrationFact, number, number | null]>([
    ['registered: unbounded', { registered: true }, 100_800, null],
    ['deregistered: deregisterBlock + delay', { registered: false, deregisterBlock: 1_000 }, 50, 1_050],
    ['deregistered with delay 0', { registered: false, deregisterBlock: 1_000 }, 0, 1_000],
    ['mainnet delay', { registered: false, deregisterBlock: 20_000_000 }, 100_800, 20_100_800],
  ])('%s', (_name, reg, delay, expected) => {
    expect(computeRegistrationBound(reg, delay)).toBe(expected);
  });
});

describe('computeLastUsefulBlock', () => {
  const current = 1_000;
  const registered: RegistrationFact = { registered: true };
  /** R = deregisterBlock + 50 */
  const deregisteredUntil = (r: number): RegistrationFact => ({ registered: false, deregisterBlock: r - 50 });

  const unbounded = alloc(S1, 10n);
  const partial = alloc(S2, 10n, -4n, 1_100);
  const toZeroAt = (effectBlock: number, strategy: `0x${string}` = S3) => alloc(strategy, 10n, -10n, effectBlock);
  const noStake = alloc(S3, 0n);

  it.each<[string, AllocationFact[], RegistrationFact, number | null, number | null]>([
    ['no strategies, registered → ∞', [], registered, null, null],
    ['no strategies, deregistered → R', [], deregisteredUntil(1_050), 1_050, 1_050],
    ['one strategy unbounded, registered → ∞', [unbounded], registered, null, null],
    ['one strategy to zero, registered → A', [toZeroAt(1_100)], registered, 1_099, null],
    ['one strategy to zero, R later → A', [toZeroAt(1_100)], deregisteredUntil(1_200), 1_099, 1_200],
    ['one strategy to zero, R earlier → R', [toZeroAt(1_100)], deregisteredUntil(1_060), 1_060, 1_060],
    ['one strategy to zero, R == A', [toZeroAt(1_100)], deregisteredUntil(1_099), 1_099, 1_099],
    ['to zero + unbounded, registered → ∞ (one strategy with stake is enough)', [toZeroAt(1_100), unbounded], registered, null, null],
    ['to zero + partial, registered → ∞', [toZeroAt(1_100), partial], registered, null, null],
    ['to zero + unbounded, deregistered → R (R caps the ∞)', [toZeroAt(1_100), unbounded], deregisteredUntil(1_050), 1_050, 1_050],
    ['partial + to zero, deregistered → R', [partial, toZeroAt(1_100)], deregisteredUntil(1_050), 1_050, 1_050],
    ['two to zero, registered → the later A', [toZeroAt(1_100, S2), toZeroAt(1_200)], registered, 1_199, null],
    ['two to zero, R between them → R', [toZeroAt(1_100, S2), toZeroAt(1_200)], deregisteredUntil(1_150), 1_150, 1_150],
    ['two to zero, R before both → R', [toZeroAt(1_100, S2), toZeroAt(1_200)], deregisteredUntil(1_020), 1_020, 1_020],
    ['two to zero, R after both → the later A', [toZeroAt(1_100, S2), toZeroAt(1_200)], deregisteredUntil(1_500), 1_199, 1_500],
    ['noStake + to zero → A (noStake never raises L)', [noStake, toZeroAt(1_100)], registered, 1_099, null],
    ['noStake + unbounded → ∞', [noStake, alloc(S1, 10n)], registered, null, null],
    ['noStake + partial, deregistered → R', [noStake, partial], deregisteredUntil(1_050), 1_050, 1_050],
    ['all noStake, registered → current − 1', [noStake, alloc(S1, 0n)], registered, 999, null],
    ['all noStake, R in the future → current − 1', [noStake], deregisteredUntil(1_500), 999, 1_500],
    ['all noStake, R long past → R', [noStake], deregisteredUntil(900), 900, 900],
    ['deallocated-to-zero already effective counts as noStake', [toZeroAt(1_000)], registered, 999, null],
    ['increase pending, deregistered → R', [alloc(S1, 0n, 5n, 1_100)], deregisteredUntil(1_050), 1_050, 1_050],
  ])('%s', (_name, allocations, registration, expectedL, expectedR) => {
    const result = computeLastUsefulBlock({ allocations, registration, deallocationDelay: 50, currentBlock: current });
    expect(result.lastUsefulBlock).toBe(expectedL);
    expect(result.registrationBound).toBe(expectedR);
    expect(result.strategies.map((s) => s.strategy)).toEqual(allocations.map((a) => a.strategy));
  });

  it('does not depend on the order of strategies', () => {
    const facts = [toZeroAt(1_100, S1), partial, noStake];
    const orders = [
      [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
    ].map((o) => o.map((i) => facts[i]!));
    for (const registration of [registered, deregisteredUntil(1_050)]) {
      const results = orders.map(
        (allocations) => computeLastUsefulBlock({ allocations, registration, deallocationDelay: 50, currentBlock: current }).lastUsefulBlock,
      );
      expect(new Set(results).size).toBe(1);
    }
  });

  it('reports each strategy with its remaining stake', () => {
    const result = computeLastUsefulBlock({
      allocations: [partial, toZeroAt(1_100), noStake],
      registration: registered,
      deallocationDelay: 50,
      currentBlock: current,
    });
    expect(result.strategies.map((s) => [s.lastUsefulBlock, s.remainingMagnitude, s.noStake])).toEqual([
      [null, 6n, false],
      [1_099, 0n, false],
      [999, 0n, true],
    ]);
  });
});
