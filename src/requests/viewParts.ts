/**
 * The parts of a request's view that seldom change from one block to the next (its strategies'
 * deadlines, its window's end), and when two computations of them show the same: the read model
 * then hands out the copy it made before instead of a new one per request per block.
 */
import type { StrategyDeadlineDetail } from '../domain/types';
import type { StrategyDeadlineView, VetoWindowEndView } from './views';

/** A strategy's deadline as the views show it (frozen: the same copy serves the views of many blocks). */
export function strategyViewsOf(details: readonly StrategyDeadlineDetail[]): readonly StrategyDeadlineView[] {
  return Object.freeze(
    details.map((s) =>
      Object.freeze({
        strategy: s.strategy,
        lastUsefulBlock: s.lastUsefulBlock,
        currentMagnitude: s.currentMagnitude.toString(),
        remainingMagnitude: s.remainingMagnitude.toString(),
        pendingDeallocation: s.pendingDeallocation ? Object.freeze({ effectBlock: s.pendingDeallocation.effectBlock, diff: s.pendingDeallocation.diff.toString() }) : null,
      }),
    ),
  );
}

/** whether two computations of a request's strategies show the same (every field a view shows) */
export function sameDetails(a: readonly StrategyDeadlineDetail[], b: readonly StrategyDeadlineDetail[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.strategy !== y.strategy || x.lastUsefulBlock !== y.lastUsefulBlock || x.currentMagnitude !== y.currentMagnitude || x.remainingMagnitude !== y.remainingMagnitude) return false;
    const p = x.pendingDeallocation;
    const q = y.pendingDeallocation;
    if (p === null || q === null ? p !== q : p.effectBlock !== q.effectBlock || p.diff !== q.diff) return false;
  }
  return true;
}

/** whether two descriptions of a veto window's end show the same */
export function sameEnd(a: VetoWindowEndView, b: VetoWindowEndView): boolean {
  return a.block === b.block && a.timestamp === b.timestamp && a.estimatedAt === b.estimatedAt && a.estimated === b.estimated && 'block' in a === 'block' in b && 'timestamp' in a === 'timestamp' in b;
}

