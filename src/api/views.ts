/**
 * What the HTTP API returns besides the request views (src/requests/views.ts, re-exported here for
 * the API's clients): health, errors.
 */
import type { ErrorCode } from '../errors';

export * from '../requests/views';

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
  /** governance's fulfil Safe (the slasher role); `note` says why it is off (an EOA role) */
  fulfilExecution?: SafeExecutionView;
  /** the deadline timers: the single-actor lease, whether the desk sends */
  scheduler?: { lease: { holder: boolean; id: string; lastError: string | null }; sends: boolean; slasherAccount: string | null; dryRun: boolean; lastError: string | null };
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


export interface ErrorView {
  error: { code: ErrorCode; message: string };
}

