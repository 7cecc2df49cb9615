/**
 * The desk's on-call metrics, counted from the outside of the parts they describe: the sender is
 * wrapped, the Safe desks' milestones and the request views are observed, so the scheduler and the
 * Safe code carry no metrics of their own.
 */
import type { Metrics } from './lib/metrics';
import type { RequestView } from './api/views';
import type { Sender } from './scheduler/sender';
import type { VetoEvent } from './safe';

/** The sender, with every send, bump and settlement counted by purpose and outcome. */
export function countSends(sender: Sender, metrics: Metrics): Sender {
  return {
    ...sender,
    async send(req) {
      const out = await sender.send(req);
      metrics.sends.inc({ purpose: req.purpose, outcome: out.kind });
      return out;
    },
    async bump(row) {
      const next = await sender.bump(row);
      if (next.id !== row.id) metrics.sends.inc({ purpose: row.purpose, outcome: 'bumped' });
      return next;
    },
    async settle(row) {
      const s = await sender.settle(row);
      if (s.kind !== 'pending') metrics.sends.inc({ purpose: row.purpose, outcome: s.kind });
      return s;
    },
  };
}

/**
 * Safe executions (veto, governance's fulfil) as they are reported: the Safe desks report each
 * milestone on every pass, so each is counted once per process.
 */
export function countSafeExecutions(metrics: Metrics): (e: VetoEvent) => void {
  const seen = new Set<string>();
  return (e) => {
    const outcome = e.kind === 'action_failed' ? 'failed' : e.kind === 'veto_executed' || e.kind === 'fulfil_landed' ? 'executed' : null;
    if (!outcome) return;
    const key = `${e.safeTxHash.toLowerCase()}:${outcome}`;
    if (seen.has(key)) return;
    seen.add(key);
    metrics.sends.inc({ purpose: e.purpose === 'fulfil' ? 'fulfil_safe' : 'veto', outcome });
  };
}

const OPEN = new Set(['in_veto_window', 'fulfillable']);

/** Requests by status, and the nearest deadlines among the open ones (in blocks and estimated seconds). */
export function observeRequests(metrics: Metrics, views: readonly RequestView[], nowSec: number): void {
  const counts = new Map<string, number>();
  let windowBlocks = Infinity;
  let windowSeconds = Infinity;
  let lBlocks = Infinity;
  let lSeconds = Infinity;
  let escaping = 0;
  for (const v of views) {
    counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
    if (!OPEN.has(v.status)) continue;
    if (v.atRisk) escaping++;
    const bt = v.deadlines.blockTimeSeconds;
    if (v.status === 'in_veto_window') {
      if (v.deadlines.blocksUntilWindowEnd !== null) {
        windowBlocks = Math.min(windowBlocks, v.deadlines.blocksUntilWindowEnd);
        windowSeconds = Math.min(windowSeconds, v.deadlines.blocksUntilWindowEnd * bt);
      } else if (v.vetoWindowEnd.timestamp !== undefined) {
        windowSeconds = Math.min(windowSeconds, Math.max(0, v.vetoWindowEnd.timestamp - nowSec));
      }
    }
    if (v.deadlines.blocksUntilLastUseful !== null) {
      lBlocks = Math.min(lBlocks, v.deadlines.blocksUntilLastUseful);
      lSeconds = Math.min(lSeconds, v.deadlines.blocksUntilLastUseful * bt);
    }
  }
  metrics.requestsByStatus.reset();
  for (const [status, n] of counts) metrics.requestsByStatus.set({ status }, n);
  metrics.nearestWindowEndBlocks.set(windowBlocks);
  metrics.nearestWindowEndSeconds.set(windowSeconds);
  metrics.nearestLastUsefulBlocks.set(lBlocks);
  metrics.nearestLastUsefulSeconds.set(lSeconds);
  metrics.requestsStakeEscapesFirst.set(escaping);
}
