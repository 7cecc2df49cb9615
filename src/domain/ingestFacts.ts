/**
 * The shapes ingest hands to storage: a request's fact, a kept block header, an operator set's
 * slashability as read. Plain data, so the chain readers and the store agree without importing
 * each other.
 */
import type { RequestFact } from './projection';
import type { AllocationFact } from './types';

export interface NewFact {
  requestId: bigint;
  fact: RequestFact;
}

export interface BlockRow {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

export interface OperatorSetStateRow {
  operator: string;
  operatorSetId: number;
  registered: boolean;
  deregisterBlock: number | null;
  allocations: AllocationFact[];
  readAtBlock: number;
}
