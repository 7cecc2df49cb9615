/**
 * A proposal set aside while its request was closed can be needed again: the slasher never expires
 * a request (a lapsed one is fulfillable again once the operator is slashable again), and a reorg
 * can reopen a vetoed or fulfilled one. Its signatures bind its Safe nonce, not the request's
 * state, so while that nonce is unused they still execute: the proposal is live again, its
 * signatures count, and the owners are not asked to sign what they signed.
 */
import type { VetoProposalRow } from '../store/vetoStore';
import type { ProposalPurpose } from './proposalPurpose';
import { proposalKind } from './proposalKinds';
import type { RequestSnapshot } from './types';

/** The failure of a proposal that had its threshold and did not land before its request closed. */
export function missedReason(noun: string, cause: string): string {
  return `${noun === 'veto' ? 'the veto had its threshold but did not land before the window closed' : 'the fulfil had its threshold but did not land in time'}: ${cause}`;
}

const MISSED = /^the (veto|fulfil) had its threshold but did not land/;

/**
 * Why `p` is live again, or null: it was set aside because its request closed (abandoned, or failed
 * for missing its deadline with its threshold), the request is open for this purpose again, the
 * same request (not one a reorg put under its id), and the Safe has not used its nonce.
 * Failures of its own (a simulation that would revert) are not undone here: only an owner
 * signing it again does that.
 */
export function revivedBecause(p: Pick<VetoProposalRow, 'requestId' | 'requestTxHash' | 'status' | 'statusReason' | 'nonce'>, req: RequestSnapshot | undefined, purpose: Pick<ProposalPurpose, 'collects' | 'done' | 'hold'>, safeNonce: number): string | null {
  if (proposalKind(p) !== 'veto') return null; // a single request's call (batches and rejections are the owners' own)
  const setAside = p.status === 'abandoned' || (p.status === 'failed' && MISSED.test(p.statusReason ?? ''));
  if (!setAside || !req || req.queuedTxHash !== p.requestTxHash) return null;
  if (p.nonce < safeNonce || !purpose.collects.includes(req.status) || purpose.done(req)) return null;
  // one the desk would hold for good (a lapse, FULFIL_AFTER_LAPSE=false) stays aside: live, it
  // would hold its nonce ahead of every later fulfil of that Safe (an owner signing it again
  // makes it live, as signing a new one would)
  // (a hold while its slashability is read is not for good: the plan keeps it from executing meanwhile)
  if (req.everLapsed && req.status === 'fulfillable' && purpose.hold({ ...req, slashabilityPending: false })?.hard) return null;
  return `its request is ${req.status} again and Safe nonce ${p.nonce} is unused: its signatures count again (${p.statusReason ?? p.status})`;
}
