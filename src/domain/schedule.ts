/**
 * The scheduler's decisions, as pure functions of (request, chain head, signatures, config, now).
 * No I/O: `src/scheduler/` reads the facts, asks here, and carries out the answer. Fees are not
 * decided here: the sender re-prices what is actually underpriced (domain/fees.ts).
 */
import { estimateTimestampAtBlock } from './blockTime';
import type { BlockRef, RequestStatus, WindowEnd } from './types';

export type VetoExecutionPolicy = 'at_threshold' | 'before_deadline';

/** The committee veto of a request, as the Safe desk sees it. */
export interface VetoFacts {
  status: 'collecting' | 'ready' | 'executed' | 'failed' | 'abandoned';
  signatures: number;
  threshold: number;
  /** set when it has its signatures but waits behind a nonce nothing can execute at: the explanation */
  blocked?: string | null;
  /** what a ready veto waits for, in words (a hold, the lease, a lower nonce) */
  reason?: string | null;
}

/** Who can fulfil: the desk with the slasher's key, governance's Safe through the desk, or nobody. */
export type FulfilRoute =
  | { kind: 'key' }
  | { kind: 'safe'; status: VetoFacts['status'] | 'none'; signatures: number; threshold: number; executor: boolean }
  | { kind: 'none' };

/** The desk's own fulfil transaction for this request, if one was sent. */
export interface FulfilSendFacts {
  /** pending: broadcast, not mined yet; mined: included and succeeded; failed: reverted or dropped for good */
  state: 'pending' | 'mined' | 'failed';
  /** head block when the newest attempt was broadcast */
  sentAtBlock: number;
}

export interface ScheduleConfig {
  dryRun: boolean;
  vetoExecutionPolicy: VetoExecutionPolicy;
  vetoEscalationLeadSec: number;
  feeBumpBlocks: number;
  /** FULFIL_AFTER_LAPSE: fulfil a request whose stake escaped once when it is slashable again */
  fulfilAfterLapse?: boolean;
}

export interface ScheduleInput {
  request: {
    status: RequestStatus;
    windowEnd: WindowEnd;
    /** L; null = unbounded */
    lastUsefulBlock: number | null;
    atRisk: boolean;
    /** buried under CONFIRMATIONS blocks: the desk acts only on confirmed requests */
    confirmed: boolean;
    /** the block at which the request is confirmed */
    confirmedAtBlock: number;
    /** the whole veto window, in seconds (estimated for block windows) */
    windowSeconds: number;
  };
  head: BlockRef;
  /** wall clock, unix seconds */
  nowSec: number;
  /** seconds per block, observed */
  blockTime: number;
  veto: VetoFacts | null;
  fulfil: FulfilRoute;
  sent: FulfilSendFacts | null;
  /** an execution of this request's veto is still on its way to the chain */
  vetoInFlight?: boolean;
  /** the block its stake escaped at, when it lapsed once (null/absent: never) */
  lapsedAtBlock?: number | null;
  config: ScheduleConfig;
}

export type NextActionKind =
  | 'fulfil'
  | 'execute_veto'
  | 'collect_veto_signatures'
  | 'collect_fulfil_signatures'
  | 'await_confirmations'
  | 'await_fulfil'
  /** the veto has its signatures but a lower Safe nonce must be filled first */
  | 'unblock_veto';

export interface NextAction {
  kind: NextActionKind;
  actor: 'desk' | 'owners' | 'nobody';
  /** null: due now / not block-bound */
  dueBlock: number | null;
  /** unix seconds (estimate when `estimated`) */
  dueAtSec: number;
  estimated: boolean;
  note: string | null;
}

/** What the scheduler should do now (besides showing `next`). */
export type DueAction = 'send_fulfil' | null;

/** Conditions that deserve an alert (each alerted once per request by the caller's dedup). */
export type ScheduleFlag =
  /** fulfil can land now (window passed, L not passed) */
  | 'fulfil_due'
  /** fulfil is due and nobody configured can send it */
  | 'fulfil_no_actor'
  /** governance's fulfil Safe transaction lacks signatures while the window closes / has closed */
  | 'fulfil_no_quorum'
  /** the veto lacks signatures and the window closes within VETO_ESCALATION_LEAD_TIME */
  | 'veto_escalation'
  /** DRY_RUN held back a transaction the desk would have sent */
  | 'dry_run_hold'
  /** the fulfil is due but an execution of the request's veto is still in flight: cancel it first */
  | 'veto_in_flight'
  /** the request lapsed once and is fulfillable again */
  | 'slashable_again';

export interface ScheduleDecision {
  next: NextAction | null;
  due: DueAction;
  flags: ScheduleFlag[];
}

/**
 * Seconds until the window ends (negative once passed). Block windows: blocks left × the observed
 * block time, never mixing the head's timestamp with the wall clock (a head whose timestamp lags
 * the clock would make a window far away in blocks look already closed).
 */
export function secondsUntilWindowEnd(windowEnd: WindowEnd, head: BlockRef, nowSec: number, blockTime: number): number {
  if (windowEnd.kind === 'timestamp') return windowEnd.timestamp - nowSec;
  return (windowEnd.block - head.number) * blockTime;
}

/**
 * The escalation lead actually used: VETO_ESCALATION_LEAD_TIME, but at most a quarter of the whole
 * window (a 15-minute window escalates in its last 3¾ minutes, not at once).
 *
 * @example
 * escalationLead(3600, 259_200); // => 3600
 * escalationLead(3600, 800); // => 200
 */
export function escalationLead(leadSec: number, windowSeconds: number): number {
  return windowSeconds > 0 ? Math.min(leadSec, windowSeconds / 4) : leadSec;
}

/** When the window ends, as (block, unix second, estimated?). */
function windowDue(windowEnd: WindowEnd, head: BlockRef, blockTime: number) {
  return windowEnd.kind === 'block'
    ? { dueBlock: windowEnd.block, dueAtSec: estimateTimestampAtBlock(head, blockTime, windowEnd.block), estimated: windowEnd.block > head.number }
    : { dueBlock: null, dueAtSec: windowEnd.timestamp, estimated: false };
}

/**
 * Whether a veto with its signatures may be executed now under the policy. `at_threshold`: at
 * once. `before_deadline`: held until the window closes within the escalation lead time, and
 * never later than the block before the last block a cancel can land in.
 *
 * @example
 * vetoExecutionHeld({ policy: 'at_threshold', windowEnd, head, nowSec, blockTime, leadSec: 3600 }); // => null
 */
export function vetoExecutionHeld(p: { policy: VetoExecutionPolicy; windowEnd: WindowEnd; head: BlockRef; nowSec: number; blockTime: number; leadSec: number }): string | null {
  if (p.policy === 'at_threshold') return null;
  const left = secondsUntilWindowEnd(p.windowEnd, p.head, p.nowSec, p.blockTime);
  // two blocks of margin: the transaction must land before the window's end block
  if (left <= p.leadSec + 2 * p.blockTime) return null;
  return `VETO_EXECUTION_POLICY=before_deadline: held until ${Math.round(p.leadSec / 60)} min before the window closes (about ${Math.round((left - p.leadSec) / 60)} min from now)`;
}

/**
 * The next action for one request and what is due now.
 *
 * - In the veto window: the veto is executed at its threshold (by the Safe desk) or its
 *   signatures are collected; it escalates within VETO_ESCALATION_LEAD_TIME of the window's end.
 *   When the slasher is a Safe, governance's fulfil signatures are collected meanwhile.
 * - Fulfillable (a transaction sent now lands at or after window end and at or before L): the
 *   desk sends the fulfil (key), or executes governance's Safe transaction (quorum), or alerts
 *   that nobody can. A pending send is replaced with higher fees after FEE_BUMP_BLOCKS blocks,
 *   or at once when L is that close.
 * - Decided (vetoed, fulfilled) or lapsed: nothing left to do.
 *
 * Unconfirmed requests are shown but never acted on.
 */
export function decideSchedule(input: ScheduleInput): ScheduleDecision {
  const { request: r, head, blockTime, config } = input;
  const flags: ScheduleFlag[] = [];
  if (r.status === 'vetoed' || r.status === 'fulfilled' || r.status === 'lapsed') return { next: null, due: null, flags };
  const nextBlockAt = estimateTimestampAtBlock(head, blockTime, head.number + 1);

  if (!r.confirmed) {
    return {
      next: { kind: 'await_confirmations', actor: 'desk', dueBlock: r.confirmedAtBlock, dueAtSec: estimateTimestampAtBlock(head, blockTime, r.confirmedAtBlock), estimated: true, note: `the desk acts once the request is buried under CONFIRMATIONS blocks (block ${r.confirmedAtBlock})` },
      due: null,
      flags,
    };
  }

  if (r.status === 'in_veto_window') {
    const w = windowDue(r.windowEnd, head, blockTime);
    const left = secondsUntilWindowEnd(r.windowEnd, head, input.nowSec, blockTime);
    const v = input.veto;
    if (v && v.status === 'ready' && v.blocked) {
      return {
        next: { kind: 'unblock_veto', actor: 'owners', dueBlock: w.dueBlock, dueAtSec: w.dueAtSec, estimated: w.estimated, note: v.blocked },
        due: null,
        flags,
      };
    }
    if (v && v.status === 'ready') {
      const held = vetoExecutionHeld({ policy: config.vetoExecutionPolicy, windowEnd: r.windowEnd, head, nowSec: input.nowSec, blockTime, leadSec: config.vetoEscalationLeadSec });
      const dueAtSec = held ? Math.max(nextBlockAt, w.dueAtSec - config.vetoEscalationLeadSec) : nextBlockAt;
      return {
        next: { kind: 'execute_veto', actor: 'desk', dueBlock: null, dueAtSec, estimated: true, note: held ?? (config.dryRun ? 'DRY_RUN: the desk will not send the execution' : null) },
        due: null,
        flags: config.dryRun ? ['dry_run_hold'] : flags,
      };
    }
    // a lead as long as the window itself would escalate every request the moment it is queued:
    // never more than a quarter of the window
    const lead = escalationLead(config.vetoEscalationLeadSec, r.windowSeconds);
    // a veto short of signatures escalates; one that has them and is blocked says so itself (veto_blocked)
    if (v && v.status === 'collecting' && left <= lead) flags.push('veto_escalation');
    if (input.fulfil.kind === 'safe' && input.fulfil.status !== 'ready' && left <= lead) flags.push('fulfil_no_quorum');
    if (v && v.status === 'collecting') {
      return {
        next: { kind: 'collect_veto_signatures', actor: 'owners', dueBlock: w.dueBlock, dueAtSec: w.dueAtSec, estimated: w.estimated, note: `${v.signatures} of ${v.threshold} signatures; a veto must land before the window ends${escapedWords(input)}` },
        due: null,
        flags,
      };
    }
    // no veto in progress: the next step is the fulfil at the window's end
    return { next: fulfilNext(input, w), due: null, flags };
  }

  // fulfillable: the window has passed (for a transaction sent now) and L has not
  const f = input.fulfil;
  const now = { dueBlock: null, dueAtSec: nextBlockAt, estimated: true };
  // a veto still in flight can no longer land: it is cancelled whoever fulfils, or its account's
  // nonce holds every later transaction of that key (a governance fulfil it executes included)
  const vetoFlag = () => (input.vetoInFlight ? flags.push('veto_in_flight') : 0);
  if (input.lapsedAtBlock != null) {
    flags.push('slashable_again');
    if (!config.fulfilAfterLapse) {
      vetoFlag();
      return {
        next: { kind: 'fulfil', actor: 'nobody', ...now, note: `its stake escaped at block ${input.lapsedAtBlock} and the operator is slashable again: a fulfil now slashes stake allocated after the window. FULFIL_AFTER_LAPSE=false: the desk does not fulfil it; governance decides` },
        due: null,
        flags,
      };
    }
  }
  flags.push('fulfil_due');
  vetoFlag();
  if (f.kind === 'none') {
    flags.push('fulfil_no_actor');
    return { next: { kind: 'fulfil', actor: 'nobody', ...now, note: noActorNote(r.lastUsefulBlock) }, due: null, flags };
  }
  if (f.kind === 'safe') {
    if (f.status !== 'ready' && f.status !== 'executed') {
      flags.push('fulfil_no_quorum');
      return { next: { kind: 'collect_fulfil_signatures', actor: 'owners', ...now, note: `governance's fulfil has ${f.signatures} of ${f.threshold} signatures; ${deadlineWords(r.lastUsefulBlock)}` }, due: null, flags };
    }
    return { next: { kind: 'fulfil', actor: f.executor ? 'desk' : 'owners', ...now, note: f.executor ? null : 'EXECUTOR_PRIVATE_KEY is not set: a governance owner must execute the fulfil from their wallet' }, due: null, flags };
  }
  // the desk holds the slasher key
  const s = input.sent;
  if (config.dryRun) {
    flags.push('dry_run_hold');
    return { next: { kind: 'fulfil', actor: 'desk', ...now, note: 'DRY_RUN: the desk computes and alerts but does not send' }, due: null, flags };
  }
  if (s?.state === 'mined') return { next: null, due: null, flags };
  if (s?.state === 'pending') {
    return { next: { kind: 'await_fulfil', actor: 'desk', ...now, note: `sent at block ${s.sentAtBlock}, waiting to be mined (re-priced if it is underpriced)` }, due: null, flags };
  }
  // a veto still in flight cannot land any more (a transaction sent now lands after the window):
  // it is cancelled in the same pass, and the fulfil is not held for it — from another key it
  // owes the veto nothing, from the same key it takes the next nonce, mined right behind the
  // cancellation. Holding it cost a block at least, where L may be a block after the window.
  const note = input.vetoInFlight ? "an execution of this request's veto is still in flight although the window has passed: it is cancelled, and the fulfil goes now" : s ? 'the last attempt failed: sending again' : null;
  return { next: { kind: 'fulfil', actor: 'desk', ...now, note }, due: 'send_fulfil', flags };
}

function fulfilNext(input: ScheduleInput, w: { dueBlock: number | null; dueAtSec: number; estimated: boolean }): NextAction {
  const f = input.fulfil;
  const r = input.request;
  if (f.kind === 'none') return { kind: 'fulfil', actor: 'nobody', ...w, note: noActorNote(r.lastUsefulBlock) };
  if (f.kind === 'safe' && f.status !== 'ready') {
    return { kind: 'collect_fulfil_signatures', actor: 'owners', ...w, note: `governance's fulfil has ${f.signatures} of ${f.threshold} signatures; it executes at the window's end once it has them` };
  }
  const note = input.config.dryRun ? 'DRY_RUN: the desk computes and alerts but does not send' : r.atRisk ? `at risk: the window ends after the last useful block ${r.lastUsefulBlock}` : null;
  return { kind: 'fulfil', actor: f.kind === 'safe' && !f.executor ? 'owners' : 'desk', ...w, note };
}

/** In the window after the stake escaped: what a veto still does, said beside the call for one. */
function escapedWords(input: ScheduleInput): string {
  const at = input.lapsedAtBlock ?? (input.request.lastUsefulBlock !== null && input.head.number > input.request.lastUsefulBlock ? input.request.lastUsefulBlock + 1 : null);
  return at === null ? '' : ` (the operator's stake escaped at block ${at}: a fulfil now slashes nothing, or stake allocated since; a veto keeps it from doing either)`;
}

function deadlineWords(lastUsefulBlock: number | null): string {
  return lastUsefulBlock === null ? 'no stake deadline is known' : `it must land by block ${lastUsefulBlock}`;
}

function noActorNote(lastUsefulBlock: number | null): string {
  return `nobody configured to fulfil: set SLASHER_PRIVATE_KEY, or make the slasher a Safe the desk collects signatures for; ${deadlineWords(lastUsefulBlock)}`;
}
