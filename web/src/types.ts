/**
 * The desk's API shapes as the page uses them (see GET /api/openapi.json). Kept here rather than
 * imported from the server: the page only knows the desk through HTTP. Fields added by newer desks
 * are optional, so an older desk still renders.
 */
export type Hex = `0x${string}`;
export type RequestStatus = 'in_veto_window' | 'vetoed' | 'fulfillable' | 'fulfilled' | 'lapsed';
export const REQUEST_STATUSES: readonly RequestStatus[] = ['in_veto_window', 'fulfillable', 'vetoed', 'fulfilled', 'lapsed'];

export interface TypedDataJson {
  domain: { chainId: number | string; verifyingContract: Hex };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: {
    to: Hex;
    value: string;
    data: Hex;
    operation: number;
    safeTxGas: string;
    baseGas: string;
    gasPrice: string;
    gasToken: Hex;
    refundReceiver: Hex;
    nonce: string;
  };
}

export interface SafeTxView {
  safe: Hex;
  nonce: number;
  safeTxHash: Hex;
  typedData: TypedDataJson;
  threshold: number;
  signatures: { signer: Hex; source: string; submittedAt: string; stale?: string }[];
  status: 'collecting' | 'ready' | 'executed' | 'failed' | 'abandoned';
  statusReason: string | null;
  executionTxHash: Hex | null;
  blockedByNonce?: number | null;
  /** it has its signatures but waits behind a Safe nonce nothing can execute at: why, and the ways out */
  blocked?: BlockedView | null;
  /** owners whose signatures went void when another transaction took their nonce: they sign this one again */
  signAgain?: { signers: Hex[]; lostNonce: number } | null;
  alternatives?: { nonce: number; safeTxHash: Hex; status: string; signatures: number }[];
  superseded?: { nonce: number; safeTxHash: Hex; reason: string; signatures: number }[];
}

export interface WayOut {
  kind: 'sign_blocking' | 'sign_rejection' | 'sign_here';
  nonce: number;
  requestId: string | null;
  missing: number;
  /** GET it for the typed data; POST the signature to its signatures route */
  href: string;
  words: string;
}

export interface BlockedView {
  nonce: number;
  blockingRequestId: string | null;
  holders: { kind: string; requestIds: string[]; signers: Hex[]; missing: number; held: string | null }[];
  blocksLeft: number | null;
  waysOut: WayOut[];
}

/** GET /api/safe/rejections/:nonce */
export interface RejectionView {
  safe: Hex;
  nonce: number;
  safeTxHash: Hex;
  typedData: TypedDataJson;
  threshold: number;
  signatures: { signer: Hex; source: string; submittedAt: string; stale?: string }[];
  status: string;
  statusReason: string | null;
  executionTxHash: Hex | null;
  blocking: { requestId: string; status: string; signatures: number } | null;
  unblocks: string[];
}

export interface NextAction {
  kind: string;
  actor: 'desk' | 'owners' | 'nobody' | string;
  dueBlock: number | null;
  dueAt: string;
  estimated: boolean;
  note: string | null;
  dryRun: boolean;
}

export interface ImpactView {
  readAtBlock: number;
  atWindowEnd: boolean;
  /** both null: an older core without the redistribution getters (unknown) */
  redistribution: { redistributing: boolean | null; recipient: Hex | null };
  strategies: {
    strategy: Hex;
    token: { address: Hex; symbol: string; decimals: number } | null;
    slashableShares: string;
    slashableSharesNow: string;
    sharesToSlash: string;
    tokensToSlash: string | null;
    remainingShares: string;
  }[];
}

export interface RequestView {
  requestId: string;
  slasher: Hex;
  variant: string;
  operator: Hex;
  operatorSetId: number;
  /** null while the desk has not read them yet */
  strategies: Hex[] | null;
  wadsToSlash: string[];
  description: string;
  queuedAtBlock: number;
  queuedTxHash: Hex;
  status: RequestStatus;
  vetoWindowEnd: { block?: number; timestamp?: number; estimatedAt: string; estimated: boolean };
  lastUsefulBlock: number | null;
  lastUsefulBlockEstimatedAt: string | null;
  atRisk: boolean;
  confirmed: boolean;
  confirmations: number;
  deadlines: {
    blockTimeSeconds: number;
    blocksUntilWindowEnd: number | null;
    blocksUntilLastUseful: number | null;
    registrationBound: number | null;
    slashability: 'read' | 'pending' | 'untracked';
    slashabilityReadAtBlock: number | null;
    strategies: { strategy: Hex; lastUsefulBlock: number | null; currentMagnitude: string; remainingMagnitude: string; pendingDeallocation: { effectBlock: number; diff: string } | null }[];
  };
  /** what the slash takes and where the funds go (null while unknown: impactReason says why) */
  impact: ImpactView | null;
  impactReason: string | null;
  cancelled?: { block: number; txHash: Hex };
  fulfilled?: { block: number; txHash: Hex };
  overwrote?: number;
  veto?: SafeTxView;
  fulfil?: SafeTxView;
  nextAction?: NextAction | null;
  actions?: { kind: string; txHash: Hex | null; blockNumber: number | null; detail: string; at: string }[];
}

export interface HealthView {
  status: 'ok' | 'degraded' | 'starting' | 'error';
  chainId: number | null;
  headBlock: number | null;
  indexedBlock: number | null;
  lagBlocks: number | null;
  variant?: string | null;
  slasher?: string;
  problems?: string[];
  vetoExecution?: { executor: string | null; sends: boolean; safe: string; owners: string[]; threshold: number | null; nonce: number | null; note?: string };
  rpc?: RpcHealth;
  /** names of the alert channels; empty: nobody is told of an alert */
  alertChannels?: string[];
}

export interface RpcHealth {
  reachable: boolean;
  endpoint: string | null;
  unreachableSince: string | null;
  lastHeadAt: string | null;
}

export interface DevQueued {
  requestId: string;
  txHash: Hex;
  block: number;
}

export interface TimelineEntry {
  kind: string;
  subject?: 'veto' | 'fulfil';
  title: string;
  detail: string | null;
  at: string | null;
  estimated: boolean;
  block: number | null;
  txHash: string | null;
  actor: string | null;
  source: string | null;
}

export interface Note {
  id: number;
  requestId: string;
  author: Hex;
  body: string;
  links: string[];
  createdAt: string;
}

export interface SessionView {
  address: Hex | null;
  owner: boolean | null;
  expiresAt: string | null;
}

export interface StrategyToken {
  strategy: Hex;
  token: Hex | null;
  symbol: string | null;
}

export interface DevAccount {
  label: string;
  address: Hex;
  privateKey: Hex;
}

export interface SafeExecutionCall {
  safe: Hex;
  nonce: number;
  safeTxHash: Hex;
  threshold: number;
  signers: Hex[];
  to: Hex;
  value: '0';
  data: Hex;
}
