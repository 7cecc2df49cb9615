/** What a Safe desk needs of a request, from the request's view. */
import type { RequestView } from '../requests/views';
import type { RequestSnapshot } from './types';

export function requestSnapshotOf(v: RequestView, nowSec: number): RequestSnapshot {
  const windowEnd = v.vetoWindowEnd.block !== undefined ? { kind: 'block' as const, block: v.vetoWindowEnd.block } : { kind: 'timestamp' as const, timestamp: v.vetoWindowEnd.timestamp ?? 0 };
  // the last block a cancel can land in: exact for block windows, estimated for timestamp ones
  const head = v.queuedAtBlock + v.confirmations;
  const lastVetoBlock =
    windowEnd.kind === 'block' ? windowEnd.block - 1 : head + Math.max(0, Math.floor((Date.parse(v.vetoWindowEnd.estimatedAt) / 1000 - nowSec) / Math.max(1, v.deadlines.blockTimeSeconds)) - 1);
  return {
    requestId: v.requestId,
    queuedTxHash: v.queuedTxHash,
    queuedAtBlock: v.queuedAtBlock,
    status: v.status,
    deadline: v.vetoWindowEnd.block ?? v.vetoWindowEnd.timestamp ?? 0,
    windowEnd,
    lastVetoBlock,
    lastUsefulBlock: v.lastUsefulBlock,
    confirmed: v.confirmed,
    blockTimeSeconds: v.deadlines.blockTimeSeconds,
    everLapsed: v.lapsed !== undefined,
    slashabilityPending: v.deadlines.slashability === 'pending',
    ...(v.cancelled ? { cancelledTxHash: v.cancelled.txHash, cancelledBlock: v.cancelled.block } : {}),
    ...(v.fulfilled ? { fulfilledTxHash: v.fulfilled.txHash, fulfilledBlock: v.fulfilled.block } : {}),
  };
}
