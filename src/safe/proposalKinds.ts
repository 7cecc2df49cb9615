import type { Address, Hex } from 'viem';
import { buildCallSafeTx, type SafeTx } from './safeTx';

/**
 * A proposal row is a veto or a fulfil (request id; which one is the Safe's business: the
 * committee's or governance's), a rejection (`rejection:<nonce>`) or a MultiSend batch
 * veto (`batch:<nonce>:<id>,<id>…`): the kinds share the proposal table and its signature and
 * execution machinery; only the veto kind belongs to one request.
 */
export const REJECTION = 'rejection:';
export const BATCH = 'batch:';

export type ProposalKind = 'veto' | 'rejection' | 'batch';

export function proposalKind(p: { requestId: string }): ProposalKind {
  return p.requestId.startsWith(REJECTION) ? 'rejection' : p.requestId.startsWith(BATCH) ? 'batch' : 'veto';
}

/** Safe operation: a batch is a DELEGATECALL (1) into MultiSendCallOnly, everything else a call (0). */
export function proposalOperation(p: { requestId: string }): 0 | 1 {
  return proposalKind(p) === 'batch' ? 1 : 0;
}

export function batchKey(nonce: number, requestIds: readonly string[]): string {
  return `${BATCH}${nonce}:${requestIds.join(',')}`;
}

/** The request ids a batch proposal vetoes ([] for other kinds). */
export function batchRequestIds(p: { requestId: string }): string[] {
  if (proposalKind(p) !== 'batch') return [];
  return p.requestId.slice(BATCH.length).split(':')[1]?.split(',').filter(Boolean) ?? [];
}

/** The Safe transaction a stored proposal stands for (what its safeTxHash hashes). */
export function storedSafeTx(p: { requestId: string; to: string; data: string; nonce: number }): SafeTx {
  return buildCallSafeTx(p.to as Address, p.data as Hex, BigInt(p.nonce), proposalOperation(p));
}

/** The requests a proposal decides: a batch's, a veto's own, none for a rejection. */
export const requestIdsOf = (p: { requestId: string }) => (proposalKind(p) === 'batch' ? batchRequestIds(p) : proposalKind(p) !== 'veto' ? [] : [p.requestId]);
