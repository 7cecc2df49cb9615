/**
 * What a Safe proposal is for. The proposal machinery (nonce planning, signature intake and
 * diagnosis, nonce plan, execution, milestones) is the same for the committee's vetoes and
 * governance's fulfils when the slasher role is a Safe; a purpose says what differs:
 * the call, when a proposal is planned, when it may execute, and when the chain made it moot.
 */
import { getAddress, type Address } from 'viem';
import { DeskError, type ErrorCode } from '../errors';
import type { RequestStatus } from '../domain/types';
import type { PlanHold } from '../domain/noncePlan';
import { buildFulfilSafeTx, buildVetoSafeTx, type FulfilFunction, type SafeTx } from './safeTx';

/** The facts of a request a purpose decides on (a subset of the service's RequestSnapshot). */
export interface PurposeRequest {
  requestId: string;
  status: RequestStatus;
  everLapsed?: boolean;
  slashabilityPending?: boolean;
  lastVetoBlock?: number;
  lastUsefulBlock?: number | null;
  cancelledTxHash?: string;
  fulfilledTxHash?: string;
  cancelledBlock?: number;
  fulfilledBlock?: number;
}

export interface ProposalPurpose {
  name: 'veto' | 'fulfil';
  /** the Safe in words, for messages: "committee Safe", "governance Safe" */
  safeLabel: string;
  /** the Safe transaction for `requestId` at `nonce` */
  buildTx(requestId: bigint, nonce: bigint): SafeTx;
  /** request statuses in which a proposal is planned and collects signatures */
  collects: readonly RequestStatus[];
  /** the chain already did what the proposal does: its transaction hash and block when the request view knows them */
  done(req: PurposeRequest): { txHash: string | null; block: number | null } | null;
  /** why an active proposal is given up for good (null: still live) */
  closed(req: PurposeRequest): string | null;
  /** the request closed because time ran out for it (not because the chain decided otherwise): with quorum, a failure */
  missed(req: PurposeRequest): boolean;
  /** why a proposal with quorum must not execute yet (null: it may) */
  hold(req: PurposeRequest): PlanHold | null;
  /** the last block its execution can do its job in (fees grow as it nears); null: unbounded */
  deadlineBlock(req: PurposeRequest): number | null;
  /** what the execTransaction is recorded as */
  sendPurpose: 'safe_veto' | 'safe_fulfil';
  /** why a signature for this request is refused outright (null: accepted) */
  refuse(req: PurposeRequest): DeskError | null;
  /** a simulated revert that only means "not yet": the proposal stays ready and is tried next pass */
  notYet: RegExp | null;
  /** no proposal (the Safe path is off, or none planned yet) */
  unavailableCode: Extract<ErrorCode, 'VETO_NOT_AVAILABLE' | 'FULFIL_NOT_AVAILABLE'>;
  /** the proposal is settled (executed or failed): nothing left to sign */
  settledCode: Extract<ErrorCode, 'VETO_NOT_AVAILABLE' | 'FULFIL_CLOSED'>;
  /** milestone event kinds */
  events: {
    quorum: 'quorum_reached' | 'fulfil_quorum_reached';
    executed: 'veto_executed' | 'fulfil_landed';
    /** a proposal with quorum waits behind a nonce nothing can execute at */
    blocked: 'veto_blocked' | 'fulfil_blocked';
    /** another transaction took the nonce owners had signed at: they must sign again */
    signAgain: 'veto_sign_again' | 'fulfil_sign_again';
  };
  /** why nothing is planned when the Safe address holds no code */
  noCode(safe: Address): string;
}

/** The committee's veto: `cancelSlashingRequest(id)`, planned and executed inside the window. */
export function vetoPurpose(slasher: Address): ProposalPurpose {
  const s = getAddress(slasher);
  return {
    name: 'veto',
    safeLabel: 'committee Safe',
    buildTx: (id, nonce) => buildVetoSafeTx(s, id, nonce),
    collects: ['in_veto_window'],
    done: (r) => (r.status === 'vetoed' ? { txHash: r.cancelledTxHash ?? null, block: r.cancelledBlock ?? null } : null),
    closed: (r) => (r.status === 'in_veto_window' ? null : `the veto window closed before the threshold was met (request is ${r.status})`),
    missed: (r) => r.status === 'fulfillable' || r.status === 'lapsed' || r.status === 'fulfilled',
    hold: () => null,
    deadlineBlock: (r) => r.lastVetoBlock ?? null,
    sendPurpose: 'safe_veto',
    refuse: (r) => (r.status === 'in_veto_window' ? null : new DeskError('VETO_WINDOW_CLOSED', `request ${r.requestId} is ${r.status}: it can no longer be vetoed`)),
    notYet: null,
    unavailableCode: 'VETO_NOT_AVAILABLE',
    settledCode: 'VETO_NOT_AVAILABLE',
    events: { quorum: 'quorum_reached', executed: 'veto_executed', blocked: 'veto_blocked', signAgain: 'veto_sign_again' },
    noCode: (safe) => `the veto committee ${safe} is not a contract: no Safe vetoes are planned (it cancels with its own transactions)`,
  };
}

/**
 * Governance's fulfil when the slasher role is a Safe: `fulfillSlashingRequest(id)` (or V4's
 * `fulfillSlashingRequestAndBurnOrRedistribute(id)`), planned while the window runs so owners sign
 * in time, executed once the request is `fulfillable`, abandoned when it is vetoed or lapses.
 */
export function fulfilPurpose(slasher: Address, fn: FulfilFunction, fulfilAfterLapse = false): ProposalPurpose {
  const s = getAddress(slasher);
  return {
    name: 'fulfil',
    safeLabel: 'governance Safe',
    buildTx: (id, nonce) => buildFulfilSafeTx(s, fn, id, nonce),
    collects: ['in_veto_window', 'fulfillable'],
    done: (r) => (r.status === 'fulfilled' ? { txHash: r.fulfilledTxHash ?? null, block: r.fulfilledBlock ?? null } : null),
    closed: (r) =>
      r.status === 'vetoed'
        ? 'the request was vetoed: its fulfil is not needed and never executes'
        : r.status === 'lapsed'
          ? 'the last useful block passed before the fulfil executed: a fulfil now would slash nothing'
          : null,
    missed: (r) => r.status === 'lapsed',
    hold: (r) =>
      r.status !== 'fulfillable'
        ? { reason: `the veto window has not passed yet (request is ${r.status}): the fulfil executes at its end`, hard: true }
        : r.everLapsed && !fulfilAfterLapse
          ? { reason: 'its stake escaped once (the request lapsed) and the operator is slashable again: the desk does not fulfil it unless FULFIL_AFTER_LAPSE=true', hard: true }
          : r.slashabilityPending
            ? // as the desk's own key waits: a lapse found by that read would hold it for good
              { reason: 'what its stake did since the request was queued is still being read (a lapse may be found): the fulfil waits for that read', hard: true, transient: true }
            : null,
    deadlineBlock: (r) => r.lastUsefulBlock ?? null,
    sendPurpose: 'safe_fulfil',
    refuse: (r) =>
      r.status === 'in_veto_window' || r.status === 'fulfillable' ? null : new DeskError('FULFIL_CLOSED', `request ${r.requestId} is ${r.status}: there is nothing to fulfil`),
    notYet: /VetoPeriodNotPassed/,
    unavailableCode: 'FULFIL_NOT_AVAILABLE',
    settledCode: 'FULFIL_CLOSED',
    events: { quorum: 'fulfil_quorum_reached', executed: 'fulfil_landed', blocked: 'fulfil_blocked', signAgain: 'fulfil_sign_again' },
    noCode: (safe) => `the slasher role ${safe} is not a contract (an EOA keeper): no fulfil Safe transactions are planned; fulfils are sent with that account's key (the desk's SLASHER_PRIVATE_KEY, or the keeper's own on the embedded devnet)`,
  };
}
