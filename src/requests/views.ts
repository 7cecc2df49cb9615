/**
 * The request as the desk sees it — its deadlines, its Safe proposals (veto, governance's fulfil,
 * rejections, batches), the next action — in the shapes every consumer reads: the Safe desks, the
 * scheduler, alerts and the HTTP API. Plain JSON: block numbers are numbers, ids/wads/magnitudes
 * are decimal strings, addresses are checksummed.
 */
import type { RequestStatus } from '../domain/types';
import type { ProposalStatus, SignatureSource } from '../store/vetoStore';

type Address = `0x${string}`;

/** EIP-712 typed data of a Safe transaction as JSON (uint256 values as decimal strings): what an owner signs. */
export interface TypedDataJson {
  domain: { chainId: number; verifyingContract: Address };
  types: { EIP712Domain: { name: string; type: string }[]; SafeTx: readonly { readonly name: string; readonly type: string }[] };
  primaryType: 'SafeTx';
  message: {
    to: Address;
    value: string;
    data: Address;
    operation: 0 | 1;
    safeTxGas: string;
    baseGas: string;
    gasPrice: string;
    gasToken: Address;
    refundReceiver: Address;
    nonce: string;
  };
}

export type Hex = `0x${string}`;

export interface VetoWindowEndView {
  /** V3/V4: first block at which a fulfil is allowed */
  block?: number;
  /** V1/V2: first unix second at which a fulfil is allowed */
  timestamp?: number;
  /** ISO 8601 wall-clock time of the window end */
  estimatedAt: string;
  /** true when `estimatedAt` comes from the observed block time rather than a known timestamp */
  estimated: boolean;
}

export interface StrategyDeadlineView {
  strategy: Hex;
  lastUsefulBlock: number | null;
  currentMagnitude: string;
  remainingMagnitude: string;
  pendingDeallocation: { effectBlock: number; diff: string } | null;
}

export interface DeadlinesView {
  blockTimeSeconds: number;
  blocksUntilWindowEnd: number | null;
  blocksUntilLastUseful: number | null;
  registrationBound: number | null;
  strategies: StrategyDeadlineView[];
  /**
   * read: the operator set's slashability was read at `slashabilityReadAtBlock`;
   * pending: not read yet (the last useful block shows as unbounded until the ingest pass that
   * stored the request finishes); untracked: not read at all, because the AVS is unknown or the
   * request is vetoed or fulfilled (its L no longer matters)
   */
  slashability: 'read' | 'pending' | 'untracked';
  slashabilityReadAtBlock: number | null;
}

export interface ChainEventRef {
  block: number;
  txHash: Hex;
}

export interface RequestView {
  /** decimal string */
  requestId: string;
  /** checksummed */
  slasher: Hex;
  variant: 'V1' | 'V2' | 'V3' | 'V4';
  operator: Hex;
  operatorSetId: number;
  /** null while not read yet from the slasher's getter (deadlines.slashability is then `pending`) */
  strategies: Hex[] | null;
  /** decimal strings (1e18 = 100%) */
  wadsToSlash: string[];
  description: string;
  queuedAtBlock: number;
  queuedTxHash: Hex;
  status: RequestStatus;
  vetoWindowEnd: VetoWindowEndView;
  /** null = unbounded */
  lastUsefulBlock: number | null;
  lastUsefulBlockEstimatedAt: string | null;
  atRisk: boolean;
  /** buried under CONFIRMATIONS blocks */
  confirmed: boolean;
  confirmations: number;
  deadlines: DeadlinesView;
  cancelled?: ChainEventRef;
  fulfilled?: ChainEventRef;
  /** V4 only: earlier requests this one overwrote under the same id */
  overwrote?: number;
  /** V4: a later request reused this id */
  overwritten?: boolean;
  /**
   * set when its stake escaped once (it lapsed at `block`); a request never expires on chain, so
   * it can be fulfillable again (`slashableAgainAtBlock`), and the desk then does not fulfil it
   * unless FULFIL_AFTER_LAPSE is set
   */
  lapsed?: { block: number; slashableAgainAtBlock: number | null };
  /** the committee's veto of this request: the proposal to sign now, or the one that executed */
  veto?: VetoView;
  /** governance's fulfil Safe transaction, when the slasher is a Safe */
  fulfil?: VetoView;
  /** what the scheduler will do next for this request; null = nothing left to do */
  nextAction?: NextActionView | null;
  /** what the desk decided and did for this request, and what the chain did to it, oldest first */
  actions?: ActionView[];
}

/** The scheduler's next step for a request. */
export interface NextActionView {
  /**
   * fulfil: send the fulfil at `dueBlock`/`dueAt`; execute_veto: execute the veto (threshold met);
   * collect_veto_signatures: the veto lacks signatures (escalates at `escalateAt`);
   * collect_fulfil_signatures: governance's fulfil Safe transaction lacks signatures;
   * await_confirmations: the request is not yet buried under CONFIRMATIONS blocks;
   * await_fulfil: the fulfil is sent, waiting for it to be mined;
   * unblock_veto: the veto has its signatures but waits behind a Safe nonce nothing can execute
   * at (`note` says which and the ways out; `veto.blocked` has them).
   */
  kind: 'fulfil' | 'execute_veto' | 'collect_veto_signatures' | 'collect_fulfil_signatures' | 'await_confirmations' | 'await_fulfil' | 'unblock_veto';
  /** who carries it out: the desk itself, Safe owners (signatures), or nobody (no key, no Safe: an alert fires) */
  actor: 'desk' | 'owners' | 'nobody';
  /** block at (or after) which it is due; null = now / not block-bound */
  dueBlock: number | null;
  /** ISO 8601 wall-clock estimate of when it is due */
  dueAt: string;
  /** true when `dueAt` is derived from the observed block time */
  estimated: boolean;
  /** in words, e.g. why nobody can act or that DRY_RUN holds it back */
  note: string | null;
  /** DRY_RUN: the desk computes and alerts but will not send */
  dryRun: boolean;
}

/** One entry of a request's action history. */
export interface ActionView {
  kind: string;
  txHash: Hex | null;
  blockNumber: number | null;
  detail: string;
  /** ISO 8601 */
  at: string;
}

export interface RequestListView {
  requests: RequestView[];
}

/** What the API needs from the store; implemented outside `api/`. */
export interface RequestListPage extends RequestListView {
  /** pass as `cursor` for the page after this one; null on the last page */
  nextCursor: string | null;
}

export interface RequestReadModel {
  listRequests(filter: { status?: RequestStatus[] }): Promise<RequestView[]>;
  /** one page in the API's order (open first, then by deadline); see requests/paging.ts */
  pageRequests(filter: { status?: RequestStatus[]; limit: number; cursor?: string }): Promise<RequestListPage>;
  getRequest(requestId: bigint): Promise<RequestView | null>;
  /** the chain's timestamps (unix seconds) of these blocks, where the desk kept them */
  blockTimes?(numbers: number[]): Promise<Map<number, number>>;
}

// ── Safe proposals ──

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

/** `GET/POST /api/safe/rejections/:nonce`: a rejection at a blocking nonce. */
export interface RejectionView {
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
  typedData: TypedDataJson;
  threshold: number;
  signatures: VetoView['signatures'];
  status: VetoView['status'];
  statusReason: string | null;
  executionTxHash: Hex | null;
  /** the first signed proposal without quorum at this nonce (null: none, a gap) */
  blocking: { requestId: string; status: string; signatures: number } | null;
  /** requests whose ready proposals wait behind this nonce */
  unblocks: string[];
}

/** `POST /api/safe/batches`, `GET /api/safe/batches/:nonce`: one Safe transaction vetoing several requests. */
export interface BatchView extends Omit<RejectionView, 'blocking' | 'unblocks'> {
  requestIds: string[];
  /** MultiSendCallOnly, called with DELEGATECALL (operation 1) */
  to: Address;
  operation: 1;
}

/** `GET /api/safe/plan`: the Safe nonces in use and how each blocked nonce resolves. */
export interface SafePlanView {
  safe: Address;
  safeNonce: number;
  threshold: number;
  /** where a request nobody has signed yet is served (it holds no nonce) */
  servedNonce: number;
  entries: { nonce: number; kind: 'veto' | 'rejection' | 'batch'; requestId: string | null; requestIds?: string[]; status: string; signatures: number; safeTxHash: Hex; holds: boolean }[];
  blocked: {
    nonce: number;
    blockingRequestId: string | null;
    waiting: string[];
    explanation: string;
    rejection: string;
    waysOut: NonNullable<VetoView['blocked']>['waysOut'];
  }[];
}
