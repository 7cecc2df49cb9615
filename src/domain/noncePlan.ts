/**
 * The Safe nonce plan: which nonce each proposal stands at, which ones execute now, which ones
 * wait and why. Pure: a function of the proposals, their signatures, the Safe's nonce and
 * threshold, and the requests' deadlines.
 *
 * A Safe executes strictly by nonce and a signature binds one nonce, so:
 * - a nonce is held only by a proposal someone signed; unsigned requests hold nothing and are all
 *   served at the lowest nonce no signed proposal holds (most requests are let pass: reserving
 *   nonces for them in deadline order would block every veto after the first let-pass);
 * - a proposal's nonce is fixed by its first signature; several proposals may share a nonce as
 *   alternatives, the first to reach its threshold executes and the others lose that nonce;
 * - a request may carry signatures at several nonces (a signer who covered the next few nonces):
 *   only the lowest (its primary) holds a nonce, the others are backups that take over when the
 *   primary loses its nonce, so a move needs no new round;
 * - a ready proposal behind a nonce nobody can execute is blocked: the plan names that nonce, who
 *   holds it and how far each holder is from its threshold, so owners can be asked at once.
 */

export type PlanProposalKind = 'call' | 'batch' | 'rejection';

export interface PlanProposal {
  id: number;
  /** `call`: a veto or fulfil of one request; `batch`: vetoes of several (MultiSend); `rejection`: fills a nonce */
  kind: PlanProposalKind;
  /** [id] for a call, the ids of a batch, [] for a rejection */
  requestIds: readonly string[];
  nonce: number;
  /** owners whose signatures count now (current owners; removed owners' signatures excluded) */
  signers: readonly string[];
  /** our execution of it is on its way to the chain (sent, or reorged out and being re-sent) */
  inFlight?: boolean;
}

/** Why a ready proposal of a request may not execute now. */
export interface PlanHold {
  reason: string;
  /**
   * true: executing now would fail or be wrong (a fulfil before the window's end, a request not
   * yet buried under CONFIRMATIONS); false: a policy choice (`before_deadline`), released as
   * soon as a proposal behind it must go
   */
  hard: boolean;
  /**
   * ends without anyone acting: the desk is still reading what it waits for (e.g. a request's
   * stake history), or blocks still have to come (CONFIRMATIONS). A proposal waiting behind it
   * is told so, but nobody needs to act
   */
  transient?: boolean;
}

export interface PlanRequest {
  requestId: string;
  /** a proposal can still act on it: a veto while its window runs, a fulfil until it can land no more */
  open: boolean;
  /** the window's end (block or unix second): alternatives at one nonce prefer the earliest */
  deadline: number;
  hold?: PlanHold | null;
}

export interface NoncePlanInput {
  /** the Safe's `nonce()` */
  safeNonce: number;
  threshold: number;
  /** proposals neither executed nor set aside */
  proposals: readonly PlanProposal[];
  /** every request the Safe acts on (closed ones included: their proposals are dead) */
  requests: readonly PlanRequest[];
}

export type DeadReason = 'nonce_used' | 'request_closed';

export interface LiveProposal {
  id: number;
  nonce: number;
  ready: boolean;
  /** holds its nonce: signed, and the lowest signed proposal of its request (or a batch / rejection) */
  holds: boolean;
}

export interface BlockingHolder {
  proposalId: number;
  kind: PlanProposalKind;
  requestIds: readonly string[];
  signers: readonly string[];
  /** signatures still missing for its threshold (0: ready but held) */
  missing: number;
  /** set when it is ready but held back (e.g. a fulfil before its window's end) */
  held: string | null;
  /** ready, and held only until the desk has read what its hold waits for: it goes by itself */
  transient: boolean;
}

export interface BlockedProposal {
  proposalId: number;
  kind: PlanProposalKind;
  requestIds: readonly string[];
  nonce: number;
  /** the lowest nonce nothing can execute at: everything from here up to `nonce` waits */
  blockingNonce: number;
  /** signed proposals at the blocking nonce (empty: nobody holds it, a gap) */
  holders: BlockingHolder[];
}

export interface ExecutionStep {
  proposalId: number;
  nonce: number;
  /** already sent: settle it, never send a second transaction for it */
  inFlight: boolean;
}

export interface NoncePlan {
  /** the nonce every request without a signed proposal is served at */
  servedNonce: number;
  /** the highest nonce a signature is accepted at: beyond it nothing is planned */
  maxNonce: number;
  live: Map<number, LiveProposal>;
  dead: { id: number; reason: DeadReason }[];
  /** per open request, the proposal people should see and sign (null: served unsigned at `servedNonce`) */
  current: Map<string, { nonce: number; proposalId: number | null }>;
  /** what to execute now, one per consecutive nonce from the Safe's */
  execute: ExecutionStep[];
  /** ready proposals waiting behind a nonce nothing can execute at */
  blocked: BlockedProposal[];
}

/** Signatures are accepted this many nonces above the highest planned one (a signer may cover the next few). */
export const NONCE_SLACK = 5;

/**
 * @example
 * // a let-pass request (1) and a vetoed one (2): the unsigned veto holds nothing
 * planNonces({
 *   safeNonce: 7, threshold: 2,
 *   proposals: [{ id: 10, kind: 'call', requestIds: ['2'], nonce: 7, signers: ['0xa', '0xb'] }],
 *   requests: [{ requestId: '1', open: true, deadline: 100 }, { requestId: '2', open: true, deadline: 120 }],
 * });
 * // => execute [{ proposalId: 10, nonce: 7 }], servedNonce 8, request 1 served at 8
 */
export function planNonces(input: NoncePlanInput): NoncePlan {
  const { safeNonce, threshold } = input;
  const requests = new Map(input.requests.map((r) => [r.requestId, r]));
  const isOpen = (id: string) => requests.get(id)?.open === true;

  const dead: NoncePlan['dead'] = [];
  const alive: PlanProposal[] = [];
  for (const p of input.proposals) {
    if (p.nonce < safeNonce && !p.inFlight) dead.push({ id: p.id, reason: 'nonce_used' });
    else if (p.kind !== 'rejection' && (p.requestIds.length === 0 || !p.requestIds.every(isOpen))) dead.push({ id: p.id, reason: 'request_closed' });
    else alive.push(p);
  }
  const ready = (p: PlanProposal) => p.signers.length >= threshold && threshold > 0;

  // the primary of each request: its lowest signed call proposal
  const primary = new Map<string, PlanProposal>();
  for (const p of alive) {
    if (p.kind !== 'call' || p.signers.length === 0) continue;
    const id = p.requestIds[0]!;
    const best = primary.get(id);
    if (!best || p.nonce < best.nonce || (p.nonce === best.nonce && p.id < best.id)) primary.set(id, p);
  }
  const holds = (p: PlanProposal) => p.inFlight === true || (p.signers.length > 0 && (p.kind !== 'call' || primary.get(p.requestIds[0]!) === p));
  const held = new Set(alive.filter(holds).map((p) => p.nonce));
  let servedNonce = safeNonce;
  while (held.has(servedNonce)) servedNonce++;
  const maxNonce = Math.max(servedNonce, ...held) + NONCE_SLACK;

  const live = new Map<number, LiveProposal>();
  for (const p of alive) live.set(p.id, { id: p.id, nonce: p.nonce, ready: ready(p), holds: holds(p) });

  const current = new Map<string, { nonce: number; proposalId: number | null }>();
  for (const r of input.requests) {
    if (!r.open) continue;
    const mine = alive.filter((p) => p.kind === 'call' && p.requestIds[0] === r.requestId && p.signers.length > 0);
    const readyOne = mine.filter(ready).sort((a, b) => a.nonce - b.nonce)[0];
    const p = readyOne ?? primary.get(r.requestId);
    current.set(r.requestId, p ? { nonce: p.nonce, proposalId: p.id } : { nonce: servedNonce, proposalId: null });
  }

  const { execute, chain } = executionSequence(alive, safeNonce, ready, requests);
  const blocked = blockedProposals(alive, safeNonce, chain, ready, requests, threshold);
  return { servedNonce, maxNonce, live, dead, current, execute, blocked };
}

function holdOf(p: PlanProposal, requests: Map<string, PlanRequest>): PlanHold | null {
  if (p.kind === 'rejection') return null;
  // a batch is held by the strongest of its requests' holds: hard before soft (a soft one gives
  // way, a hard one must not), then one that lasts before one that passes
  const rank = (h: PlanHold) => (h.hard ? 0 : 2) + (h.transient ? 1 : 0);
  let best: PlanHold | null = null;
  for (const id of p.requestIds) {
    const h = requests.get(id)?.hold;
    if (h && (!best || rank(h) < rank(best))) best = h;
  }
  return best;
}

function deadlineOf(p: PlanProposal, requests: Map<string, PlanRequest>): number {
  return Math.min(...p.requestIds.map((id) => requests.get(id)?.deadline ?? Number.MAX_SAFE_INTEGER));
}

/**
 * Which proposal executes at each nonce from the Safe's: the one already in flight, else a batch
 * (it vetoes the most), else the call whose window ends first, else a rejection, and a rejection
 * only when something ready waits behind it (otherwise it would only cost a collecting veto its
 * nonce). Requests an earlier step already acts on are not acted on twice. Soft holds (policy)
 * give way when a step behind them must go now; a hard hold ends the sequence.
 */
function executionSequence(
  alive: PlanProposal[],
  safeNonce: number,
  ready: (p: PlanProposal) => boolean,
  requests: Map<string, PlanRequest>,
): { execute: ExecutionStep[]; chain: PlanProposal[] } {
  const chain: { p: PlanProposal; hold: PlanHold | null }[] = [];
  const covered = new Set<string>();
  const readyAbove = (n: number) => alive.some((q) => q.nonce > n && (ready(q) || q.inFlight) && q.kind !== 'rejection' && !q.requestIds.some((id) => covered.has(id)));
  for (let n = safeNonce; ; n++) {
    const cands = alive.filter((p) => p.nonce === n && (p.inFlight || ready(p)) && !p.requestIds.some((id) => covered.has(id)));
    const pick =
      cands.find((p) => p.inFlight) ??
      pickBest(cands.filter((p) => p.kind === 'batch' && holdOf(p, requests)?.hard !== true), requests) ??
      pickBest(cands.filter((p) => p.kind === 'call' && holdOf(p, requests)?.hard !== true), requests) ??
      (readyAbove(n) ? cands.find((p) => p.kind === 'rejection') : undefined);
    if (!pick) break;
    chain.push({ p: pick, hold: pick.inFlight ? null : holdOf(pick, requests) });
    for (const id of pick.requestIds) covered.add(id);
  }
  // soft holds give way to the last step that must go now
  let last = -1;
  chain.forEach((s, i) => {
    if (!s.hold) last = i;
  });
  return {
    execute: chain.slice(0, last + 1).map((s) => ({ proposalId: s.p.id, nonce: s.p.nonce, inFlight: s.p.inFlight === true })),
    chain: chain.map((s) => s.p),
  };
}

function pickBest(cands: PlanProposal[], requests: Map<string, PlanRequest>): PlanProposal | undefined {
  return [...cands].sort((a, b) => b.requestIds.length - a.requestIds.length || deadlineOf(a, requests) - deadlineOf(b, requests) || a.id - b.id)[0];
}

function blockedProposals(
  alive: PlanProposal[],
  safeNonce: number,
  chain: PlanProposal[],
  ready: (p: PlanProposal) => boolean,
  requests: Map<string, PlanRequest>,
  threshold: number,
): BlockedProposal[] {
  // the first nonce nothing can execute at (steps held by policy still count as executable)
  const stop = safeNonce + chain.length;
  const inChain = new Set(chain.map((p) => p.id));
  const covered = new Set(chain.flatMap((p) => p.requestIds));
  const out: BlockedProposal[] = [];
  for (const p of alive) {
    // below `stop` a proposal not in the chain loses its nonce to the one that is; at `stop` it
    // waits for its own hold, not for anyone else
    if (p.kind === 'rejection' || !ready(p) || inChain.has(p.id) || p.nonce <= stop) continue;
    if (p.requestIds.some((id) => covered.has(id))) continue; // acted on by a step before it
    // a copy whose request a step before it acts on can never execute (a batch reverts whole):
    // no way past the nonce, so not named as its holder
    const holders = alive
      .filter((q) => q.nonce === stop && q.signers.length > 0 && !q.requestIds.some((id) => covered.has(id)))
      .map((q) => {
        const h = holdOf(q, requests);
        const held = ready(q) && h ? h : null;
        return { proposalId: q.id, kind: q.kind, requestIds: q.requestIds, signers: q.signers, missing: Math.max(0, threshold - q.signers.length), held: held ? held.reason : null, transient: held?.transient === true };
      });
    out.push({ proposalId: p.id, kind: p.kind, requestIds: p.requestIds, nonce: p.nonce, blockingNonce: stop, holders });
  }
  return out.sort((a, b) => a.nonce - b.nonce || a.proposalId - b.proposalId);
}
