import { getAddress } from 'viem';
import type { OperatorSetStateRow } from './ingestFacts';

/**
 * Once a deallocation to zero has taken effect, `getAllocation` reads plain zero and forgets when
 * the stake left. Keep the earlier fact (pending to zero, effect block passed) so the last useful
 * block stays exact instead of drifting with the head.
 */
export function carryForwardDeallocations(
  fresh: OperatorSetStateRow[],
  previous: { operator: string; operatorSetId: number; allocations: OperatorSetStateRow['allocations'] }[],
): OperatorSetStateRow[] {
  const prevByKey = new Map(previous.map((p) => [`${getAddress(p.operator)}:${p.operatorSetId}`, p]));
  return fresh.map((row) => {
    const prev = prevByKey.get(`${getAddress(row.operator)}:${row.operatorSetId}`);
    if (!prev) return row;
    const allocations = row.allocations.map((a) => {
      const old = prev.allocations.find((p) => p.strategy === a.strategy);
      const emptied = a.currentMagnitude === 0n && a.pendingDiff === 0n;
      const oldToZero = old && old.pendingDiff < 0n && old.currentMagnitude + old.pendingDiff <= 0n && old.effectBlock <= row.readAtBlock;
      return emptied && oldToZero ? old! : a;
    });
    return { ...row, allocations };
  });
}
