/**
 * The desk's on-call metrics, counted from the outside of the parts they describe: the request
 * views are observed here; the senders report each send and settlement through their `observe`
 * hook, so the scheduler and the Safe code carry no metrics of their own.
 */
import type { Metrics } from '../lib/metrics';
import type { RequestView } from '../requests/views';

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
