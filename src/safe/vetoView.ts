/** What the API shows of a request's veto (`GET /api/requests/:id` → `veto`). */
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

export interface VetoView {
  safe: `0x${string}`;
  nonce: number;
  safeTxHash: `0x${string}`;
  typedData: TypedDataJson;
  threshold: number;
  signatures: VetoSignatureView[];
  status: ProposalStatus;
  /** why failed / abandoned, or what the proposal waits for (e.g. a lower nonce) */
  statusReason: string | null;
  executionTxHash: `0x${string}` | null;
  /** the lower Safe nonce that must execute first, when this veto has quorum but waits */
  blockedByNonce: number | null;
  /** earlier proposals for this request set aside by a re-plan, and why (their signatures never execute) */
  superseded: { nonce: number; safeTxHash: `0x${string}`; reason: string; signatures: number }[];
}
