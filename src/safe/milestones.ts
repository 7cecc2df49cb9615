/** How a Safe desk tells what happened: milestone events (alerts) and history lines (the request's timeline). */
import type { Address, Hex } from 'viem';
import { describeError } from '../errors';
import type { VetoProposalRow } from '../store/vetoStore';
import type { DeskContext } from './deskContext';
import { requestIdsOf } from './proposalKinds';
import type { SafeState } from './safeState';
import type { RequestSnapshot, VetoEvent } from './types';

export function eventBase(ctx: DeskContext, p: VetoProposalRow, state: SafeState, req: RequestSnapshot, signers: Address[]) {
  return {
    purpose: ctx.noun,
    requestId: req.requestId,
    queuedAtBlock: req.queuedAtBlock,
    safe: ctx.safe,
    nonce: p.nonce,
    safeTxHash: p.safeTxHash as Hex,
    threshold: state.threshold,
    signers,
    executionTxHash: (p.executionTxHash as Hex | null) ?? null,
  };
}

export async function emit(ctx: DeskContext, events: VetoEvent[]): Promise<void> {
  if (!ctx.o.onEvent) return;
  for (const e of events) {
    try {
      await ctx.o.onEvent(e);
    } catch (err) {
      ctx.o.logger.warn({ err: describeError(err), kind: e.kind, requestId: e.requestId }, `${ctx.noun} event receiver failed`);
    }
  }
}

export async function history(ctx: DeskContext, p: VetoProposalRow, key: string, kind: string, detail: string, txHash: string | null, blockNumber: number | null): Promise<void> {
  try {
    await ctx.o.onHistory?.({ requestIds: requestIdsOf(p), dedupKey: `${ctx.safe}:${p.id}:${key}`, kind, detail, txHash, blockNumber });
  } catch (err) {
    ctx.o.logger.warn({ err: describeError(err), requestId: p.requestId }, 'history receiver failed');
  }
}

