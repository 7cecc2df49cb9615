/** The shapes a Safe desk takes in (requests) and gives out (views, milestones). */
import type { Address, Hex } from 'viem';
import type { RequestStatus, WindowEnd } from '../domain/types';
import type { PlanHold } from '../domain/noncePlan';
import type { ProposalPurpose } from './proposalPurpose';
import type { VetoView } from '../requests/views';

/** What a Safe desk needs to know of a request (from the request read model). */
export interface RequestSnapshot {
  requestId: string;
  queuedTxHash: string;
  queuedAtBlock: number;
  status: RequestStatus;
  /** window end (block or unix second): alternatives at one nonce prefer the earliest */
  deadline: number;
  windowEnd: WindowEnd;
  /** the last block a cancel can land in (block windows: windowEnd − 1; timestamp windows: estimated) */
  lastVetoBlock: number;
  /** L; null = unbounded */
  lastUsefulBlock: number | null;
  /** buried under CONFIRMATIONS blocks: the desk acts on it */
  confirmed: boolean;
  /** seconds per block, observed (time left before the window end) */
  blockTimeSeconds: number;
  /** its stake escaped once (it lapsed): it may be slashable again, but the desk does not fulfil it unless told */
  everLapsed: boolean;
  /** what its stake did since it was queued is still being read (a lapse may be found): nothing acts on it yet */
  slashabilityPending?: boolean;
  cancelledTxHash?: string;
  fulfilledTxHash?: string;
  /** the blocks of those transactions */
  cancelledBlock?: number;
  fulfilledBlock?: number;
}

/** A veto or fulfil milestone, for alerting. */
export interface VetoEvent {
  kind: ProposalPurpose['events'][keyof ProposalPurpose['events']] | 'action_failed';
  purpose: ProposalPurpose['name'];
  requestId: string;
  queuedAtBlock: number;
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
  threshold: number;
  signers: Address[];
  executionTxHash: Hex | null;
  /** block the execution was included in (executed), so a re-execution after a reorg is its own milestone */
  executionBlock?: number | null;
  /** action_failed: the real cause; blocked / sign-again: the explanation */
  reason: string | null;
  /** blocked: the nonce nothing can execute at and how to get past it */
  blocked?: VetoView['blocked'];
  /** sign again: who must, and which nonce they lost */
  signAgain?: VetoView['signAgain'];
  /** blocks left before the window ends (veto) or L (fulfil), when known */
  blocksLeft?: number | null;
}
