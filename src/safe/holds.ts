/**
 * Why a veto with its signatures may not execute yet, per request: not buried under
 * CONFIRMATIONS (hard: a reorg could put another request under the id), or held by
 * VETO_EXECUTION_POLICY=before_deadline (soft: it gives way as soon as a veto behind it must go).
 */
import { vetoExecutionHeld, type VetoExecutionPolicy } from '../domain/schedule';
import type { BlockedProposal, PlanHold } from '../domain/noncePlan';
import type { BlockRef } from '../domain/types';
import type { RequestSnapshot } from './types';

export interface VetoPolicy {
  policy: VetoExecutionPolicy;
  /** VETO_ESCALATION_LEAD_TIME, seconds */
  leadSec: number;
}

export function vetoHold(req: RequestSnapshot, head: BlockRef | null, nowSec: number, p: VetoPolicy): PlanHold | null {
  // it ends by itself as blocks come: a block behind it is not alerted during the grace (the ways
  // out a blocked alert offers, a rejection or signing again at its nonce, would void it)
  if (!req.confirmed) return { reason: `request ${req.requestId} is not yet buried under CONFIRMATIONS blocks`, hard: true, transient: true };
  if (!head) return null;
  const held = vetoExecutionHeld({ policy: p.policy, windowEnd: req.windowEnd, head, nowSec, blockTime: req.blockTimeSeconds, leadSec: p.leadSec });
  return held ? { reason: held, hard: false } : null;
}

/**
 * How long a block behind a passing hold (a ready proposal held while the desk still reads what
 * it waits for) goes without an alert, in blocks; and its deadline must leave three times that.
 */
export const PASSING_HOLD_GRACE_BLOCKS = 10;

/**
 * The blocked proposals whose alert waits: blocked only behind a ready proposal whose hold is
 * passing — it goes by itself, nobody needs to act — for at most PASSING_HOLD_GRACE_BLOCKS since
 * first seen so (a read that does not end is no longer passing), and while their deadline leaves
 * time to act if it does not. `since` (proposal id → head first seen so) is kept across passes.
 */
export function withheldBlockAlerts(blocked: readonly BlockedProposal[], blocksLeft: (proposalId: number) => number | null, head: number, since: Map<number, number>): Set<number> {
  const passing = blocked.filter((b) => b.holders.some((h) => h.missing === 0 && h.transient)).map((b) => b.proposalId);
  for (const id of [...since.keys()]) if (!passing.includes(id)) since.delete(id);
  const out = new Set<number>();
  for (const id of passing) {
    if (!since.has(id)) since.set(id, head);
    // an unknown deadline (a batch's, or one still being read) leaves the grace alone to bound it
    const left = blocksLeft(id);
    if (head - since.get(id)! < PASSING_HOLD_GRACE_BLOCKS && (left === null || left > 3 * PASSING_HOLD_GRACE_BLOCKS)) out.add(id);
  }
  return out;
}
