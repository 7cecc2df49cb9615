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
  strategies: Hex[];
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
  /** V4: a later request reused this id */
  overwritten?: boolean;
  /** the committee's veto of this request (when a veto service runs and one was planned) */
  veto?: VetoView;
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
  vetoExecution?: { executor: string | null; sends: boolean; safe: string; owners: string[]; threshold: number | null; nonce: number | null; note?: string; lastError?: string; txService?: { url: string; lastError: string | null } };
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
}
