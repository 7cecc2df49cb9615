import { computeStrategyDeadline } from '../domain/lastUsefulBlock';
import type { AllocationFact, StrategyDeadlineDetail } from '../domain/types';
import { sameDetails, sameEnd, strategyViewsOf } from './viewParts';
import type { VetoWindowEndView } from './views';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';

/** every kind of allocation: none pending, a full or partial deallocation, an increase, none left */
const facts: AllocationFact[] = [
  { strategy: A, currentMagnitude: 10n, pendingDiff: 0n, effectBlock: 0 },
  { strategy: A, currentMagnitude: 10n, pendingDiff: -10n, effectBlock: 105 },
  { strategy: A, currentMagnitude: 10n, pendingDiff: -4n, effectBlock: 105 },
  { strategy: A, currentMagnitude: 10n, pendingDiff: 5n, effectBlock: 105 },
  { strategy: A, currentMagnitude: 0n, pendingDiff: 0n, effectBlock: 0 },
  { strategy: A, currentMagnitude: 11n, pendingDiff: 0n, effectBlock: 0 },
  { strategy: B, currentMagnitude: 10n, pendingDiff: 0n, effectBlock: 0 },
  { strategy: A, currentMagnitude: 10n, pendingDiff: -10n, effectBlock: 106 },
  { strategy: A, currentMagnitude: 10n, pendingDiff: -4n, effectBlock: 106 },
];
const heads = [100, 104, 105, 106, 110];

/** each fact's deadline at each head, alone and beside another strategy */
function computations(): StrategyDeadlineDetail[][] {
  const out: StrategyDeadlineDetail[][] = [[]];
  for (const head of heads) {
    for (const f of facts) {
      out.push([computeStrategyDeadline(f, head)]);
      out.push([computeStrategyDeadline(f, head), computeStrategyDeadline(facts[6]!, head)]);
    }
  }
  return out;
}

describe('sameDetails', () => {
  it('says two computations are the same exactly when the views they make are (every pair, every field)', () => {
    const all = computations();
    let same = 0;
    for (const a of all) {
      for (const b of all) {
        const shownSame = JSON.stringify(strategyViewsOf(a)) === JSON.stringify(strategyViewsOf(b));
        expect([sameDetails(a, b), a, b]).toEqual([shownSame, a, b]);
        if (shownSame) same++;
      }
    }
    // the pairs that show the same are not only each computation with itself (heads before a deallocation's effect)
    expect(same).toBeGreaterThan(all.length);
  });

  it('makes frozen views, nested parts included', () => {
    const [views] = [strategyViewsOf([computeStrategyDeadline(facts[1]!, 100)])];
    expect(Object.isFrozen(views)).toBe(true);
    expect(Object.isFrozen(views[0])).toBe(true);
    expect(Object.isFrozen(views[0]!.pendingDeallocation)).toBe(true);
    expect(views[0]).toEqual({ strategy: A, lastUsefulBlock: 104, currentMagnitude: '10', remainingMagnitude: '0', pendingDeallocation: { effectBlock: 105, diff: '-10' } });
  });
});

describe('sameEnd', () => {
  const ends: VetoWindowEndView[] = [
    { block: 150, estimatedAt: '2026-12-04T10:00:00.000Z', estimated: true },
    { block: 150, estimatedAt: '2026-12-04T10:00:00.000Z', estimated: false },
    { block: 150, estimatedAt: '2026-12-04T10:00:12.000Z', estimated: true },
    { block: 151, estimatedAt: '2026-12-04T10:00:00.000Z', estimated: true },
    { timestamp: 1_780_000_000, estimatedAt: '2026-05-28T20:26:40.000Z', estimated: false },
    { timestamp: 1_780_000_001, estimatedAt: '2026-05-28T20:26:40.000Z', estimated: false },
    { estimatedAt: '2026-12-04T10:00:00.000Z', estimated: true },
    { block: 150, timestamp: 1_780_000_000, estimatedAt: '2026-12-04T10:00:00.000Z', estimated: true },
  ];

  it('says two window ends are the same exactly when they show the same', () => {
    for (const a of ends) {
      for (const b of [...ends, ...ends.map((e) => ({ ...e }))]) {
        expect([sameEnd(a, b), a, b]).toEqual([JSON.stringify(a) === JSON.stringify(b), a, b]);
      }
    }
  });
});
