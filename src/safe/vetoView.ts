/** What the API shows of a request's veto (`GET /api/requests/:id` → `veto`) or fulfil. */
import type { ProposalStatus, SignatureSource } from '../store/vetoStore';
import type { TypedDataJson } from './safeTx';

export interface VetoSignatureView {
  signer: `0x${string}`;
  source: SignatureSource;
  /** ISO 8601 */
  submittedAt: string;
  /** set when the signature no longer counts (the signer stopped being an owner) */
  stale?: string;
}

/** One way past a blocking nonce. */
export interface WayOutView {
  /**
   * sign_blocking: sign the proposal holding the blocking nonce (it then executes first);
   * sign_rejection: sign the rejection at that nonce (it only fills the nonce);
   * sign_here: sign this same veto again at that nonce (an alternative there)
   */
  kind: 'sign_blocking' | 'sign_rejection' | 'sign_here';
  nonce: number;
  /** the request whose proposal to sign (sign_blocking, sign_here) */
  requestId: string | null;
  /** signatures still needed that way */
  missing: number;
  /** where to GET the typed data to sign (POST the signature to the same resource's signatures route) */
  href: string;
  words: string;
}

export interface BlockedView {
  /** the lowest nonce nothing can execute at */
  nonce: number;
  /** the request whose proposal holds that nonce without quorum (null: nobody holds it) */
  blockingRequestId: string | null;
  holders: { kind: 'veto' | 'rejection' | 'batch'; requestIds: string[]; signers: `0x${string}`[]; missing: number; held: string | null }[];
  /** blocks left before this proposal can no longer land (window end for a veto) */
  blocksLeft: number | null;
  waysOut: WayOutView[];
}

export interface VetoView {
  safe: `0x${string}`;
  nonce: number;
  safeTxHash: `0x${string}`;
  typedData: TypedDataJson;
  threshold: number;
  signatures: VetoSignatureView[];
  status: ProposalStatus;
  /** why failed / abandoned, or what a ready proposal waits for, in words */
  statusReason: string | null;
  executionTxHash: `0x${string}` | null;
  /** the lower Safe nonce that must execute first, when this proposal has quorum but waits */
  blockedByNonce: number | null;
  /** set when this proposal has quorum but waits behind a nonce nothing can execute at: why, and the ways out */
  blocked: BlockedView | null;
  /**
   * owners whose signatures went void when another transaction took the nonce they signed at:
   * they must sign this proposal again
   */
  signAgain: { signers: `0x${string}`[]; lostNonce: number } | null;
  /** the same call signed at other nonces (a signer covered the next few), lowest first */
  alternatives: { nonce: number; safeTxHash: `0x${string}`; status: ProposalStatus; signatures: number }[];
  /** earlier proposals for this request set aside, and why (their signatures never execute) */
  superseded: { nonce: number; safeTxHash: `0x${string}`; reason: string; signatures: number }[];
}
