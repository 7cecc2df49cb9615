/**
 * What the HTTP API returns. Plain JSON: block numbers are numbers, ids/wads/magnitudes are
 * decimal strings, addresses are checksummed. `openapi.ts` describes the same shapes.
 */
import type { ErrorCode } from '../errors';
import type { RequestStatus } from '../domain/types';
import type { VetoView } from '../safe/vetoView';

export type { VetoView } from '../safe/vetoView';

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

export interface HealthView {
  status: 'ok' | 'degraded' | 'starting' | 'error';
  chainId: number | null;
  headBlock: number | null;
  indexedBlock: number | null;
  lagBlocks: number | null;
  variant?: string | null;
  slasher?: string;
  database?: 'sqlite' | 'postgresql';
  problems?: string[];
  /** veto execution: who sends execTransaction; executor null = the desk never sends */
  vetoExecution?: SafeExecutionView;
  /** issue 4: governance's fulfil Safe (the slasher role); `note` says why it is off (an EOA role) */
  fulfilExecution?: SafeExecutionView;
  /** whether the RPC answers; while it does not, `lagBlocks` counts the blocks made since the last head read */
  rpc?: RpcHealthView;
  /** the alert channels configured (names); empty: alerts are recorded, nobody is told */
  alertChannels?: string[];
}

/** The RPC as the desk last found it. Endpoints are shown redacted. */
export interface RpcHealthView {
  /** false when no endpoint answered its last call */
  reachable: boolean;
  /** the endpoint in trouble, else the one that answered last */
  endpoint: string | null;
  /** ISO 8601: since when no endpoint answers; null while one does */
  unreachableSince: string | null;
  /** ISO 8601: when the desk last read the head */
  lastHeadAt: string | null;
  endpoints: { url: string; reachable: boolean | null; unreachableSince: string | null; lastError: string | null }[];
}

/** A Safe desk's execution facts: who sends execTransaction (executor null = the desk never sends) and what it last read of the Safe. */
export interface SafeExecutionView {
  executor: string | null;
  sends: boolean;
  safe: string;
  owners: string[];
  threshold: number | null;
  nonce: number | null;
  note?: string;
  lastError?: string;
  txService?: { url: string; lastError: string | null };
}

export interface RequestListView {
  requests: RequestView[];
}

export interface ErrorView {
  error: { code: ErrorCode; message: string };
}

/** What the API needs from the store; implemented outside `api/`. */
export interface RequestReadModel {
  listRequests(filter: { status?: RequestStatus[] }): Promise<RequestView[]>;
  getRequest(requestId: bigint): Promise<RequestView | null>;
  /** the chain's timestamps (unix seconds) of these blocks, where the desk kept them */
  blockTimes?(numbers: number[]): Promise<Map<number, number>>;
}
