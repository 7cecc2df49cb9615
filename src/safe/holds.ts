/**
 * Why a veto with its signatures may not execute yet, per request: not buried under
 * CONFIRMATIONS (hard: a reorg could put another request under the id), or held by
 * VETO_EXECUTION_POLICY=before_deadline (soft: it gives way as soon as a veto behind it must go).
 */
import { vetoExecutionHeld, type VetoExecutionPolicy } from '../domain/schedule';
import type { PlanHold } from '../domain/noncePlan';
import type { BlockRef } from '../domain/types';
import type { RequestSnapshot } from './types';

export interface VetoPolicy {
  policy: VetoExecutionPolicy;
  /** VETO_ESCALATION_LEAD_TIME, seconds */
  leadSec: number;
}

export function vetoHold(req: RequestSnapshot, head: BlockRef | null, nowSec: number, p: VetoPolicy): PlanHold | null {
  if (!req.confirmed) return { reason: `request ${req.requestId} is not yet buried under CONFIRMATIONS blocks`, hard: true };
  if (!head) return null;
  const held = vetoExecutionHeld({ policy: p.policy, windowEnd: req.windowEnd, head, nowSec, blockTime: req.blockTimeSeconds, leadSec: p.leadSec });
  return held ? { reason: held, hard: false } : null;
}
