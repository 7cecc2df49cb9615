/**
 * One reconcile pass of a Safe desk, the only place that changes proposal states:
 *
 * 1. settle what the chain did: our executions (mined, reverted), executions by others (a member's
 *    wallet, Safe{Wallet}), and executions a reorg removed (the Safe's nonce is back at or below
 *    the proposal's: the proposal is live again and executes again, same signatures);
 * 2. plan the nonces (domain/noncePlan.ts) from the live proposals and their valid signatures;
 * 3. set aside what can never execute: its nonce went to another transaction (owners must sign
 *    again: said at once, by name) or its request closed (a veto with quorum that missed its
 *    window is a failure, with its real cause, never "threshold not met");
 * 4. store each live proposal's state and what it waits for, report milestones;
 * 5. execute what the plan says, back to back from the Safe's nonce.
 */
import { getAddress, type Hex } from 'viem';
import { planNonces, type NoncePlan, type PlanHold, type PlanProposal } from '../domain/noncePlan';
import type { SentTxRow } from '../store/sentTxStore';
import type { VetoProposalRow, VetoSignatureRow } from '../store/vetoStore';
import { ACTIVE, bySignatureProposal, isAlt, type DeskContext } from './deskContext';
import { batchRequestIds, proposalKind, requestIdsOf } from './proposalKinds';
export { requestIdsOf };
import type { SafeState } from './safeState';
import { decisionGone, executionFailed, executionRemoved, executionSucceeded, findExecutions, simulationReverted } from './executions';
import type { RequestSnapshot, VetoEvent } from './types';
import { vetoHold, withheldBlockAlerts } from './holds';
import { missedReason, revivedBecause } from './revive';
import { emit, eventBase, history } from './milestones';
import { blockedView, blockedWords } from './blockedView';

/** Executed/failed proposals older than this are history: no milestone events (a first start on an old database pages no one). */
const EVENT_HORIZON_MS = 24 * 3600_000;
/** reverted executions of one proposal after which it fails (each was simulated first: a cause that stays is not sent again) */
const MAX_REVERTED_EXECUTIONS = 3;

const sendPurposeOf = (ctx: DeskContext, p: { requestId: string }) =>
  proposalKind(p) === 'rejection' ? 'safe_rejection' : proposalKind(p) === 'batch' ? 'safe_batch' : ctx.purpose.sendPurpose;

/**
 * @param fresh `state` was read for this pass (not kept from an earlier one): before calling an
 *   execution reorged out, and before executing, a kept state is read again and the pass redone
 */
export async function reconcilePass(ctx: DeskContext, state: SafeState, fresh = false, again = false): Promise<void> {
  const { o, purpose, noun } = ctx;
  const { store, logger } = o;
  const requests = await o.requests();
  const byId = new Map(requests.map((r) => [r.requestId, r]));
  const headRef = (await o.head?.()) ?? null;
  const head = headRef?.number ?? state.readAtBlock;
  ctx.last.requests = byId;
  ctx.last.head = head;
  ctx.last.headRef = headRef;
  const events: VetoEvent[] = [];

  let rows = await store.currentProposals();
  // the writes below are made on the rows as read; one that did not land (another desk moved the
  // row since) ends this pass before its alerts and executions, and the pass runs again on fresh rows
  let moved = false;
  const landed = async (write: Promise<boolean>) => (await write) || !(moved = true);
  // a kept state behind an execution the desk stored (this desk's or another's on the same
  // database): read the Safe again rather than call that execution reorged out
  if (!fresh && rows.some((p) => p.status === 'executed' && state.nonce <= p.nonce)) return reconcilePass(ctx, await ctx.stateCache.fresh(), true);
  // two desks storing one first signature at once: one proposal per safeTxHash and request (on V4
  // a later request under the same id has the same call: its signatures are never another's)
  const seen = new Map<string, VetoProposalRow>();
  for (const p of rows.filter((x) => ACTIVE.has(x.status))) {
    const key = `${p.safeTxHash}:${p.requestTxHash}`;
    const first = seen.get(key);
    if (!first) seen.set(key, p);
    else await store.mergeDuplicate(first.id, p.id, `merged into proposal ${first.id} (same safeTxHash)`);
  }
  if (seen.size !== rows.filter((x) => ACTIVE.has(x.status)).length) rows = await store.currentProposals();

  const sent = await o.sentTxs.forProposals(rows.map((p) => p.id));
  const sentBy = new Map<number, SentTxRow[]>();
  for (const t of sent) sentBy.set(t.proposalId!, [...(sentBy.get(t.proposalId!) ?? []), t]);
  // ours on its way: an attempt in flight, or one still recorded as mined although the Safe has not
  // used its nonce (a reorg the sender has not settled yet): never a second transaction for it
  const inFlight = (p: VetoProposalRow) => (sentBy.get(p.id) ?? []).some((t) => t.status === 'recorded' || (t.status === 'mined' && state.nonce <= p.nonce));
  // recent executions the chain no longer has although the Safe's nonce moved on: a reorg gave
  // their nonce to another transaction. Which one, and the Safe as it is now: read before anything
  const removed = new Set<number>();
  for (const p of rows) if (p.status === 'executed' && state.nonce > p.nonce && !inFlight(p) && (await executionRemoved(ctx, p, head))) removed.add(p.id);
  if (removed.size > 0 && !fresh) return reconcilePass(ctx, await ctx.stateCache.fresh(), true);

  // ── 1. what the chain did ──
  const lookFor: VetoProposalRow[] = [];
  for (const p of rows) {
    // a removed execution of ours is no execution, whatever its row still says
    const mine = (sentBy.get(p.id) ?? []).filter((t) => !removed.has(p.id) || t.txHash.toLowerCase() !== p.executionTxHash?.toLowerCase());
    if (p.status === 'executed') {
      const back = mine.some((t) => t.status === 'recorded');
      // executed: the Safe used this nonce and the execution is included. If the Safe has not, ours
      // is back in flight, or a recent one is gone (its nonce went elsewhere), a reorg removed it
      if (back || state.nonce <= p.nonce || removed.has(p.id)) {
        const reason = `its execution ${p.executionTxHash ?? ''} was removed by a reorg: ${back || inFlight(p) ? 'the same transaction is being sent again' : state.nonce > p.nonce ? `Safe nonce ${p.nonce} went to another transaction` : 'executing it again with the same signatures'}`;
        // moved since it was read (the other desk saw the same reorg): decided again on fresh rows
        if (!(await landed(store.reopen(p.id, reason, p)))) continue;
        logger.warn({ requestId: p.requestId, nonce: p.nonce, txHash: p.executionTxHash }, `${noun} execution reorged out`);
        await history(ctx, p, `reorged:${p.executionTxHash}:${p.executionBlock ?? head}`, `${noun}_reorged_out`, `the ${noun} execution ${p.executionTxHash ?? ''}${p.executionBlock !== null ? ` in block ${p.executionBlock}` : ''} at nonce ${p.nonce} was removed by a reorg`, p.executionTxHash, p.executionBlock);
        p.status = 'collecting';
        p.statusReason = reason;
      } else {
        // the chain re-included it in another block by itself: the execution moved
        const ours = mine.find((t) => t.status === 'mined' && t.txHash === p.executionTxHash);
        if (ours && ours.blockNumber !== null && p.executionBlock !== null && ours.blockNumber !== p.executionBlock) await markExecuted(ctx, p, ours.txHash as Hex, ours.blockNumber, events, state);
      }
      if (p.status === 'executed') continue;
    }
    const revived = revivedBecause(p, byId.get(p.requestId), purpose, state.nonce);
    if (revived) {
      if (!(await landed(store.reopen(p.id, revived, p)))) continue;
      logger.warn({ requestId: p.requestId, nonce: p.nonce }, `${noun} live again: ${revived}`);
      await history(ctx, p, `reopened:${head}`, `${noun}_reopened`, `the ${noun} at Safe nonce ${p.nonce} is live again with its signatures: ${revived}`, null, null);
      p.status = 'collecting';
      p.statusReason = revived;
    }
    if (!ACTIVE.has(p.status)) continue;
    if (!isAlt(p)) {
      const req = byId.get(p.requestId);
      if (!req || req.queuedTxHash !== p.requestTxHash) {
        await store.supersede(p.id, 'a reorg replaced the request under this id: signatures over the old proposal are set aside');
        p.status = 'abandoned';
        continue;
      }
    }
    const mined = mine.find((t) => t.status === 'mined');
    if (mined && state.nonce > p.nonce) {
      const ok = await executionSucceeded(ctx, mined, p);
      if (ok) await markExecuted(ctx, p, mined.txHash as Hex, mined.blockNumber, events, state);
      else await landed(executionFailed(ctx, p, 'ExecutionFailure: the Safe ran the transaction but the call inside failed', mined.txHash));
      p.status = ok ? 'executed' : 'failed';
      continue;
    }
    const lastTx = mine[mine.length - 1];
    // a revert with the Safe's nonce not past this proposal's: most often the execution before it
    // did not land first (sent back to back, that one was stuck, replaced or reverted) and these
    // signatures still execute once that nonce is used. It stays planned, simulated again before
    // any new send; only repeated reverts of its own fail it (GS026, the signatures checked against
    // the Safe's nonce below this one, is the order's). A nonce the Safe has passed is looked for
    // below (a member's wallet may have executed the same transaction first: executed, not failed).
    if (lastTx && !inFlight(p) && lastTx.status === 'reverted' && state.nonce <= p.nonce) {
      const reverts = mine.filter((t) => t.status === 'reverted' && !/GS026/.test(t.error ?? '')).length;
      if (reverts >= MAX_REVERTED_EXECUTIONS) {
        await landed(executionFailed(ctx, p, `its execution reverted ${reverts} times, each after a simulation that passed (the last ${lastTx.txHash}: ${lastTx.error ?? 'no reason'}): not sent again; owners who sign it again make a fresh proposal`, lastTx.txHash));
        continue;
      }
      const why = `its execution ${lastTx.txHash} reverted (${lastTx.error ?? 'no reason'})`;
      // this pass's cause, should it fail it as missed below; what is shown is the plan's reason
      p.statusReason = state.nonce < p.nonce ? `${why} with the Safe still at nonce ${state.nonce}: it executes at nonce ${p.nonce} with the same signatures once the nonces below are used` : `${why}: sent again if a new simulation passes (${reverts} of ${MAX_REVERTED_EXECUTIONS} reverts)`;
    }
    if (p.nonce < state.nonce && !inFlight(p)) lookFor.push(p);
  }
  // executed by someone else? one walk of the Safe's logs for every proposal whose nonce it used
  if (lookFor.length > 0) {
    const found = await findExecutions(ctx, lookFor, byId);
    for (const p of lookFor) {
      const hit = found.get(p.safeTxHash.toLowerCase());
      if (!hit) continue;
      await markExecuted(ctx, p, hit.txHash, hit.blockNumber, events, state);
      p.status = 'executed';
    }
  }

  // ── 2. the plan ──
  const live = rows.filter((p) => ACTIVE.has(p.status));
  const sigRows = await store.signatures(live.map((p) => p.id));
  const owners = new Set(state.owners);
  for (const s of sigRows) {
    const stale = owners.has(getAddress(s.signer)) ? null : `${s.signer} is no longer an owner of the Safe`;
    if (stale !== s.staleReason) await store.markSignatureStale(s.id, stale);
    s.staleReason = stale;
  }
  const sigs = bySignatureProposal(sigRows);
  const valid = (id: number) => (sigs.get(id) ?? []).filter((s) => !s.staleReason);
  const plan = planNonces({
    safeNonce: state.nonce,
    threshold: state.threshold,
    proposals: live.map((p): PlanProposal => ({ id: p.id, kind: proposalKind(p) === 'veto' ? 'call' : proposalKind(p) === 'batch' ? 'batch' : 'rejection', requestIds: requestIdsOf(p), nonce: p.nonce, signers: valid(p.id).map((s) => getAddress(s.signer)), inFlight: inFlight(p) })),
    requests: requests.map((r) => ({ requestId: r.requestId, open: purpose.collects.includes(r.status), deadline: r.deadline, hold: holdOf(ctx, r) })),
  });
  ctx.last.plan = plan;
  ctx.last.state = state;

  // ── 3. what can never execute ──
  const rowById = new Map(rows.map((p) => [p.id, p]));
  for (const d of plan.dead) {
    const p = rowById.get(d.id)!;
    const signers = valid(p.id).map((s) => getAddress(s.signer));
    if (d.reason === 'nonce_used') {
      const to = requestIdsOf(p).length === 1 ? plan.current.get(requestIdsOf(p)[0]!) : undefined;
      // its request reads decided by a transaction the chain no longer has: set aside once the
      // ingest reads that reorg and the request is open again, so that its signers are asked
      const req = isAlt(p) ? undefined : byId.get(p.requestId);
      const decided = !to && req ? purpose.done(req) : null;
      if (decided && (await decisionGone(ctx, decided, head))) continue;
      if (!to && req && !decided && signers.length >= state.threshold && state.threshold > 0 && purpose.missed(req)) {
        // it had its threshold, lost its nonce (a reorg) and its deadline has passed: a failure with its cause, never silent
        const reason = missedReason(noun, `another transaction took Safe nonce ${p.nonce}`);
        if (await landed(store.setStatus(p.id, 'failed', { statusReason: reason }, p.status))) events.push({ ...eventBase(ctx, p, state, req, signers), kind: 'action_failed', reason });
        p.status = 'failed';
        continue;
      }
      // moved since it was read (another desk saw its execution, say): decided again next pass
      if (!(await landed(store.supersede(p.id, `Safe nonce ${p.nonce} was used by another transaction${to ? `: sign again at nonce ${to.nonce}` : ''}`, p.status)))) continue;
      p.status = 'abandoned';
      if (to && signers.length > 0 && req) {
        events.push({ ...eventBase(ctx, p, state, req, signers), kind: purpose.events.signAgain, reason: `another transaction took Safe nonce ${p.nonce}, where ${signers.join(', ')} had signed the ${noun} of request ${p.requestId}: their signatures are void. Sign again at nonce ${to.nonce}.`, signAgain: { signers, lostNonce: p.nonce } });
      }
      continue;
    }
    // request closed (or replaced): decided by the chain, or too late
    const ids = requestIdsOf(p);
    const req = ids.length === 1 ? byId.get(ids[0]!) : undefined;
    const done = req ? purpose.done(req) : null;
    const ours = done?.txHash ? (sentBy.get(p.id) ?? []).find((t) => t.txHash.toLowerCase() === done.txHash!.toLowerCase()) : undefined;
    if (ours) {
      // our own execution did it (settled here even before the sender's pass has read its receipt)
      await markExecuted(ctx, p, ours.txHash as Hex, ours.blockNumber, events, state);
      p.status = 'executed';
      continue;
    }
    if (done && !isAlt(p) && p.nonce < state.nonce) {
      const hit = (await findExecutions(ctx, [p], byId)).get(p.safeTxHash.toLowerCase());
      if (hit) {
        await markExecuted(ctx, p, hit.txHash, hit.blockNumber, events, state);
        p.status = 'executed';
        continue;
      }
    }
    if (done && !isAlt(p)) {
      // a recent decision whose transaction is gone sets nothing aside (the next ingest pass
      // reopens the request, and these signatures stand)
      if (await decisionGone(ctx, done, head)) {
        logger.warn({ requestId: p.requestId, nonce: p.nonce, txHash: done.txHash }, `${noun} kept: the transaction that decided its request is not on the chain the node serves`);
        continue;
      }
      await landed(store.setStatus(p.id, 'abandoned', { statusReason: `not needed: the request was ${req!.status} by transaction ${done.txHash ?? 'unknown'}` }, p.status));
    } else if (signers.length >= state.threshold && state.threshold > 0 && !isAlt(p) && req && !done && purpose.missed(req)) {
      // quorum, and still the chain did not see it: say why, never "threshold not met"
      const cause = p.statusReason ?? 'the desk could not execute it in time';
      const reason = missedReason(noun, cause);
      if (await landed(store.setStatus(p.id, 'failed', { statusReason: reason }, p.status))) events.push({ ...eventBase(ctx, p, state, req, signers), kind: 'action_failed', reason });
    } else {
      const closed = req ? purpose.closed(req) : `a request of this ${proposalKind(p)} closed`;
      await landed(store.setStatus(p.id, 'abandoned', { statusReason: closed ?? 'no longer needed' }, p.status));
    }
    p.status = 'abandoned';
  }

  // ── 4. states and reasons ──
  const gate = o.executor ? await o.gate?.() : null;
  // a standby's gate is its own (the desk holding the lease sends): stored, the two desks would
  // rewrite each other's reason every block; DRY_RUN and the fulfils' unread history are everyone's
  const sharedGate = o.standby?.() ? ((await o.sharedGate?.()) ?? null) : gate;
  const blockedById = new Map(plan.blocked.map((b) => [b.proposalId, blockedView(ctx, b, state.threshold, head)]));
  const withheld = withheldBlockAlerts(plan.blocked, (id) => blockedById.get(id)?.blocksLeft ?? null, head, ctx.passingSince);
  const executing = new Set(plan.execute.map((s) => s.proposalId));
  for (const p of live) {
    const l = plan.live.get(p.id);
    if (!l) continue;
    const status = l.ready ? 'ready' : 'collecting';
    let reason: string | null = null;
    if (l.ready) {
      const b = blockedById.get(p.id);
      const req = requestIdsOf(p).length === 1 ? byId.get(requestIdsOf(p)[0]!) : undefined;
      const hold = req ? holdOf(ctx, req) : null;
      const flying = (sentBy.get(p.id) ?? []).filter((t) => t.status === 'recorded').pop();
      if (flying) reason = p.statusReason?.includes('reorg') ? p.statusReason : `its execution ${flying.txHash} is on its way to the chain`;
      else if (b) reason = blockedWords(ctx, b);
      else if (!o.executor) reason = `${hold?.hard ? `held: ${hold.reason}; then ` : ''}EXECUTOR_PRIVATE_KEY is not set: an owner must execute this ${noun} from their wallet (GET /api/requests/${p.requestId}/${noun}/execution)`;
      else if (sharedGate) reason = `held: ${sharedGate}`;
      else if (!executing.has(p.id) && hold) reason = `held: ${hold.reason}`;
      else if (p.nonce > state.nonce && !executing.has(p.id)) reason = `waiting for the Safe transaction at nonce ${state.nonce} to execute first`;
    }
    if (status !== p.status || reason !== p.statusReason) {
      if (!(await landed(store.setStatus(p.id, status, { statusReason: reason }, p.status)))) continue;
    }
    p.status = status;
    p.statusReason = reason;
  }

  // a row another desk moved since this pass read it: what follows would act on a stale picture,
  // so the pass runs again at once on fresh rows (once: a second miss waits for the next block).
  // What it gathered stands (each from a write that landed): a sign-again alert is raised once
  if (moved) {
    await emit(ctx, events);
    return again ? undefined : reconcilePass(ctx, await ctx.stateCache.fresh(), true, true);
  }

  // ── milestones ──
  const horizon = Date.now() - EVENT_HORIZON_MS;
  for (const p of rows) {
    if (isAlt(p) && proposalKind(p) !== 'batch') continue;
    const ids = requestIdsOf(p);
    const req = ids.length === 1 ? byId.get(ids[0]!) : undefined;
    if (!req || req.queuedTxHash !== p.requestTxHash) continue;
    const signers = valid(p.id).map((s) => getAddress(s.signer));
    if (p.status === 'ready') {
      events.push({ ...eventBase(ctx, p, state, req, signers), kind: purpose.events.quorum, reason: null });
      const b = blockedById.get(p.id);
      // behind a ready proposal held only while the desk reads, nobody needs to act: no alert yet
      if (b && !withheld.has(p.id)) events.push({ ...eventBase(ctx, p, state, req, signers), kind: purpose.events.blocked, reason: blockedWords(ctx, b), blocked: b, blocksLeft: b.blocksLeft });
    } else if (p.status === 'failed' && p.updatedAt.getTime() >= horizon) {
      events.push({ ...eventBase(ctx, p, state, req, signers), kind: 'action_failed', reason: p.statusReason ?? 'execution failed' });
    }
  }
  await emit(ctx, events);

  // ── 5. execute ──
  if (!o.executor || gate) return;
  // what executes is planned on the Safe as it is now, as a send simulates it: never on a kept state
  if (!fresh && plan.execute.some((step) => !step.inFlight)) return reconcilePass(ctx, await ctx.stateCache.fresh(), true);
  await executePlan(ctx, plan, rowById, valid, byId, state, head);
}

/** Why a request's ready proposal may not execute now: its purpose's hold, else a veto's (confirmations, policy). */
export function holdOf(ctx: DeskContext, r: RequestSnapshot): PlanHold | null {
  return ctx.purpose.hold(r) ?? (ctx.o.vetoPolicy ? vetoHold(r, ctx.last.headRef, (ctx.o.now ?? (() => Date.now() / 1000))(), ctx.o.vetoPolicy) : null);
}

async function markExecuted(ctx: DeskContext, p: VetoProposalRow, txHash: Hex, block: number | null, events: VetoEvent[], state: SafeState): Promise<void> {
  // the execution block tells executions apart (a reorg that moves one is a new milestone): read it
  // when the caller only knows the transaction, so one execution is never reported twice
  const blockNumber = block ?? (await ctx.o.client.getTransactionReceipt({ hash: txHash }).then((r) => Number(r.blockNumber)).catch(() => null));
  ctx.stateCache.invalidate(); // its nonce is used: the next pass reads the Safe again
  await ctx.o.store.setStatus(p.id, 'executed', { executionTxHash: txHash, executionBlock: blockNumber, statusReason: proposalKind(p) === 'batch' ? `vetoed requests ${batchRequestIds(p).join(', ')}` : null });
  ctx.o.logger.info({ requestId: p.requestId, nonce: p.nonce, txHash, blockNumber }, `${ctx.noun} executed`);
  await history(ctx, p, `executed:${txHash}:${blockNumber ?? ''}`, `${ctx.noun}_executed`, `Safe ${ctx.safe} executed the ${proposalKind(p) === 'veto' ? ctx.noun : proposalKind(p)} at nonce ${p.nonce}${blockNumber !== null ? ` in block ${blockNumber}` : ''}`, txHash, blockNumber);
  const req = isAlt(p) ? undefined : ctx.last.requests.get(p.requestId);
  if (req) {
    const sigs = (await ctx.o.store.signatures([p.id])).filter((s) => !s.staleReason).map((s) => getAddress(s.signer));
    events.push({ ...eventBase(ctx, { ...p, executionTxHash: txHash }, state, req, sigs), kind: ctx.purpose.events.executed, reason: null, executionBlock: blockNumber });
  }
}

async function executePlan(
  ctx: DeskContext,
  plan: NoncePlan,
  rowById: Map<number, VetoProposalRow>,
  valid: (id: number) => VetoSignatureRow[],
  byId: Map<string, RequestSnapshot>,
  state: SafeState,
  head: number,
): Promise<void> {
  const { o, purpose } = ctx;
  const executor = o.executor!;
  const sentNow: SentTxRow[] = [];
  let behind = false;
  // simulated reverts count while a proposal is ready (a hold meanwhile keeps them): one set aside starts again
  for (const id of [...ctx.simulationReverts.keys()]) if (rowById.get(id)?.status !== 'ready') ctx.simulationReverts.delete(id);
  for (const step of plan.execute) {
    const p = rowById.get(step.proposalId)!;
    if (step.inFlight) {
      behind = true;
      continue;
    }
    const chosen = valid(p.id)
      .slice(0, state.threshold)
      .map((s) => ({ signer: getAddress(s.signer), signature: s.signature as Hex }));
    const ids = requestIdsOf(p);
    const deadlines = ids.map((id) => byId.get(id)).filter((r): r is RequestSnapshot => r !== undefined).map((r) => purpose.deadlineBlock(r)).filter((b): b is number => b !== null);
    const outcome = await executor.execute(p, chosen, { behindPending: behind, purpose: sendPurposeOf(ctx, p), slasher: ctx.slasher, deadlineBlock: deadlines.length ? Math.min(...deadlines) : null });
    if (outcome.kind === 'sent') {
      ctx.simulationReverts.delete(p.id);
      sentNow.push(outcome.row);
      behind = true;
      await history(ctx, p, `sent:${outcome.row.txHash}`, `${ctx.noun}_sent`, `execTransaction sent at nonce ${p.nonce} (account nonce ${outcome.row.txNonce}, head ${head})`, outcome.row.txHash, null);
      continue;
    }
    if (outcome.kind === 'deferred') break; // the next pass, once the one before it is mined
    if (purpose.notYet?.test(outcome.reason)) break; // an RPC whose pending block is its latest: next pass
    const failed = await simulationReverted(ctx, p, head, outcome.reason);
    o.logger.warn({ requestId: p.requestId, reason: outcome.reason, failed }, `${ctx.noun} execution would revert; not sent`);
    break;
  }
  // what is already mined (automine, fast chains) is settled now; the rest by the next pass (a
  // node may serve the receipt a moment after it mined the block: two short looks, no more)
  for (const row of sentNow) {
    let s = await executor.settle(row).catch(() => null);
    for (let i = 0; i < 2 && s?.kind === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await executor.settle(row).catch(() => null);
    }
    if (s?.kind === 'mined') {
      const p = rowById.get(row.proposalId!)!;
      if (await executionSucceeded(ctx, s.row, p)) {
        const events: VetoEvent[] = [];
        await markExecuted(ctx, p, s.row.txHash as Hex, s.blockNumber, events, state);
        await emit(ctx, events);
      }
    }
  }
}
