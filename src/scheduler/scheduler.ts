/**
 * The deadline timers. One cycle runs after every ingested block and on a node-cron tick:
 *
 * 1. the senders tend what is in flight (settle, re-send what a reorg removed, re-price what is
 *    underpriced), and their reports become history and alerts;
 * 2. the Safe desks reconcile (plan nonces, execute vetoes and governance fulfils);
 * 3. every open request is decided (`decideSchedule`, pure, src/domain/schedule.ts) and what is
 *    due is carried out: the desk's own fulfils with the slasher key, logged once and alerted.
 *
 * Only the lease holder sends; DRY_RUN never sends.
 */
import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem';
import { slasherAbi } from '../chain/abis';
import { decideSchedule, type FulfilRoute, type FulfilSendFacts, type ScheduleConfig, type ScheduleDecision } from '../domain/schedule';
import type { BlockRef, WindowEnd } from '../domain/types';
import type { ActionView, NextActionView, RequestView } from '../requests/views';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';
import { serialPasses } from '../lib/serialPasses';
import type { SchedulerEvent } from './events';
import type { ActionLogStore } from '../store/actionLogStore';
import type { LapseStore } from '../store/lapseStore';
import type { SentTxRow, SentTxStore } from '../store/sentTxStore';
import type { SendIntent, Sender, Senders, TendReport } from '../sender/sender';
import type { Lease } from './lease';
import { FULFILS, VETO_SENDS, requestIdsOfSend } from './sends';

export interface SchedulerOptions {
  sentTxs: SentTxStore;
  actionLog: ActionLogStore;
  lapses: LapseStore;
  chainId: number;
  slasher: Address;
  /** the slasher's variant as detected ('V1|V2' until the first log tells them apart) */
  variant: string;
  /** every request, with veto (and fulfil) views */
  views: () => Promise<RequestView[]>;
  /** the indexed head (the block the views were computed at) */
  head: () => Promise<BlockRef | null>;
  /** the indexed chain's block hashes from a block up (a sent transaction's block not among them was reorged out) */
  canonical: (fromBlock: number) => Promise<Map<number, string>>;
  /** REORG_DEPTH: how far back a mined transaction is checked against the indexed chain */
  reorgDepth: number;
  /** wall clock, unix seconds */
  now: () => number;
  config: ScheduleConfig & { fulfilFunction: 'fulfillSlashingRequest' | 'fulfillSlashingRequestAndBurnOrRedistribute' };
  /** the slasher key's sender; null: the desk does not hold the slasher key */
  sender: Sender | null;
  /** every account the desk sends from (the executor's too) */
  senders: Senders;
  /** the Safe desks, reconciled each cycle after the senders settled */
  safes: { reconcile(): Promise<void> }[];
  /** governance's fulfil Safe is run by the desk (the slasher role is a Safe that was read) */
  fulfilSafe: () => boolean;
  /** the desk holds an executor key (executes Safe transactions) */
  executor: boolean;
  lease: Lease;
  /** CONFIRMATIONS: the desk acts on a request once it is this deep */
  confirmations: number;
  logger: Logger;
  /** told of every milestone worth telling people (the desk turns them into alerts) */
  onEvent: (e: SchedulerEvent) => Promise<unknown>;
  /** node-cron expression of the timer tick (default every 5 s) */
  cronExpression?: string;
  /**
   * true while the index is far behind the chain (a backfill): statuses computed at an old head
   * would send fulfils for requests settled later in the chain, so the scheduler waits
   */
  catchingUp?: () => boolean;
  /** a reason fulfils wait (lapses that happened while the desk was stopped are not read yet), else null */
  fulfilsHeld?: () => Promise<string | null>;
  /** told after every pass (metrics) */
  onPass?: (outcome: 'ok' | 'error', ms: number) => void;
}

function windowEndOf(v: Pick<RequestView, 'vetoWindowEnd'>): WindowEnd {
  return v.vetoWindowEnd.block !== undefined ? { kind: 'block', block: v.vetoWindowEnd.block } : { kind: 'timestamp', timestamp: v.vetoWindowEnd.timestamp ?? 0 };
}

/** The whole veto window in seconds: blocks × observed block time, or end − estimated queue time. */
function windowSecondsOf(v: RequestView, head: BlockRef): number {
  const bt = v.deadlines.blockTimeSeconds;
  if (v.vetoWindowEnd.block !== undefined) return (v.vetoWindowEnd.block - v.queuedAtBlock) * bt;
  const queuedAt = head.timestamp - (head.number - v.queuedAtBlock) * bt;
  return Math.max(0, (v.vetoWindowEnd.timestamp ?? 0) - queuedAt);
}

export function createScheduler(o: SchedulerOptions) {
  const { logger } = o;
  const slasher = getAddress(o.slasher);
  let task: ScheduledTask | null = null;
  let stopped = false;
  const purpose = o.config.fulfilFunction === 'fulfillSlashingRequestAndBurnOrRedistribute' && o.variant === 'V4' ? 'fulfil_burn' : 'fulfil';

  function route(v: RequestView): FulfilRoute {
    if (o.sender) return { kind: 'key' };
    if (o.fulfilSafe()) {
      const f = v.fulfil;
      return { kind: 'safe', status: f && f.signatures.length > 0 ? f.status : (f?.status === 'collecting' ? 'none' : (f?.status ?? 'none')), signatures: f ? f.signatures.filter((s) => !s.stale).length : 0, threshold: f?.threshold ?? 0, executor: o.executor };
    }
    return { kind: 'none' };
  }

  function sentFacts(attempts: SentTxRow[]): FulfilSendFacts | null {
    const ours = attempts.filter((a) => a.status !== 'replaced' && FULFILS.has(a.purpose));
    const last = ours[ours.length - 1];
    if (!last) return null;
    if (ours.some((a) => a.status === 'mined')) return { state: 'mined', sentAtBlock: last.sentAtBlock };
    if (last.status === 'recorded') return { state: 'pending', sentAtBlock: last.sentAtBlock };
    return { state: 'failed', sentAtBlock: last.sentAtBlock };
  }

  function decide(v: RequestView, head: BlockRef, attempts: SentTxRow[], vetoInFlight: boolean): ScheduleDecision {
    const veto = v.veto
      ? { status: v.veto.signatures.length === 0 && v.veto.status === 'collecting' ? ('collecting' as const) : v.veto.status, signatures: v.veto.signatures.filter((s) => !s.stale).length, threshold: v.veto.threshold, blocked: v.veto.blocked ? v.veto.statusReason : null, reason: v.veto.statusReason }
      : null;
    return decideSchedule({
      request: {
        status: v.status,
        windowEnd: windowEndOf(v),
        lastUsefulBlock: v.lastUsefulBlock,
        atRisk: v.atRisk,
        confirmed: v.confirmed,
        confirmedAtBlock: v.queuedAtBlock + o.confirmations,
        windowSeconds: windowSecondsOf(v, head),
      },
      head,
      nowSec: o.now(),
      blockTime: v.deadlines.blockTimeSeconds,
      veto,
      fulfil: route(v),
      sent: sentFacts(attempts.filter((a) => a.requestTxHash === v.queuedTxHash)),
      vetoInFlight,
      lapsedAtBlock: v.lapsed?.block ?? null,
      config: o.config,
    });
  }

  async function log(requestId: string, dedupKey: string, kind: string, detail: string, tx?: { txHash?: string | null; blockNumber?: number | null }): Promise<void> {
    if (await o.actionLog.append({ dedupKey, requestId, kind, detail, txHash: tx?.txHash ?? null, blockNumber: tx?.blockNumber ?? null })) {
      logger.info({ requestId, kind, detail, txHash: tx?.txHash }, 'scheduler action');
    }
  }

  async function alert(v: Pick<RequestView, 'requestId' | 'queuedAtBlock'>, kind: SchedulerEvent['kind'], severity: SchedulerEvent['severity'], key: string, title: string, text: string, data: Record<string, unknown>): Promise<void> {
    await o.onEvent({ kind, severity, requestId: v.requestId, queuedAtBlock: v.queuedAtBlock, key, title, text, data }).catch((e) => {
      logger.warn({ err: describeError(e), kind, requestId: v.requestId }, 'alert enqueue failed');
    });
  }

  function fulfilCall(v: RequestView): Hex {
    const functionName = purpose === 'fulfil_burn' ? 'fulfillSlashingRequestAndBurnOrRedistribute' : 'fulfillSlashingRequest';
    return encodeFunctionData({ abi: slasherAbi, functionName, args: [BigInt(v.requestId)] });
  }

  const lWords = (v: RequestView) => (v.lastUsefulBlock === null ? 'no stake deadline known' : `must land by block ${v.lastUsefulBlock}`);
  const what = (row: SentTxRow) => (FULFILS.has(row.purpose) ? 'fulfil' : row.purpose === 'cancel' ? 'cancellation' : row.purpose.replace('safe_', '') + ' execution');

  /** What the senders' pass did, as history and alerts. */
  async function report(r: TendReport, byId: Map<string, RequestView>): Promise<void> {
    for (const { row, fromBlock } of r.reorged) {
      for (const id of requestIdsOfSend(row)) {
        await log(id, `tx_reorged:${row.txHash}:${fromBlock}`, 'tx_reorged_out', `the ${what(row)} ${row.txHash} mined in block ${fromBlock} was removed by a reorg: the same transaction is being sent again`, { txHash: row.txHash, blockNumber: fromBlock });
        const v = byId.get(id);
        if (v) await alert(v, 'tx_reorged', 'warning', `${row.txHash}:${fromBlock}`, `The ${what(row)} of request ${id} was removed by a reorg`, `Transaction ${row.txHash} was mined in block ${fromBlock}; a reorg removed that block. The desk sends the same signed transaction again (same hash: never a second action) while it is valid, else executes it again with the same signatures.`, { txHash: row.txHash, block: fromBlock, purpose: row.purpose });
      }
    }
    for (const b of r.bumped) {
      for (const id of requestIdsOfSend(b.to)) await log(id, `bumped:${b.to.txHash}`, `${FULFILS.has(b.to.purpose) ? 'fulfil' : b.to.purpose}_bumped`, `replaced ${b.from.txHash} at account nonce ${b.to.txNonce} (${b.reason}): maxFeePerGas ${b.from.maxFeePerGas} → ${b.to.maxFeePerGas}`, { txHash: b.to.txHash });
    }
    for (const c of r.capReached) {
      // a transaction with no request (a rejection) holding up one with a deadline: that one's request
      for (const id of new Set([...requestIdsOfSend(c.row), ...(c.blocking ? requestIdsOfSend(c.blocking) : [])])) {
        const v = byId.get(id);
        if (v) await alert(v, 'fee_cap_reached', 'critical', `${c.row.account}:${c.row.txNonce}`, `The ${what(c.row)} of request ${id} needs more than MAX_FEE_PER_GAS_GWEI allows`, `Transaction ${c.row.txHash} is underpriced (${c.reason}) and MAX_FEE_PER_GAS_GWEI (${c.capWei} wei) leaves no room to re-price it. Raise the cap, or it may miss its deadline.`, { txHash: c.row.txHash, capWei: String(c.capWei), reason: c.reason });
      }
    }
    for (const s of r.settled) {
      if (s.kind === 'pending') continue;
      if (s.row.purpose === 'cancel') {
        if (s.kind === 'mined') for (const id of requestIdsOfSend(s.row)) await log(id, `cancelled:${s.row.txHash}`, 'tx_cancelled', `account nonce ${s.row.txNonce} freed by a 0-value transfer (the transaction there could no longer do its job)`, { txHash: s.row.txHash, blockNumber: s.blockNumber });
        continue;
      }
      if (!FULFILS.has(s.row.purpose)) continue; // the Safe desks read their executions themselves
      const v = byId.get(s.row.requestId);
      if (!v) continue;
      const windowEnd = v.vetoWindowEnd.block;
      if (s.kind === 'mined') {
        const late = windowEnd !== undefined ? ` (${s.blockNumber - windowEnd} block(s) after the window end ${windowEnd})` : '';
        const again = s.row.reorgs > 0 ? ' again, after a reorg removed it' : '';
        await log(v.requestId, `fulfil_landed:${s.row.txHash}:${s.blockNumber}`, 'fulfil_landed', `fulfil mined${again} in block ${s.blockNumber}${late}`, { txHash: s.row.txHash, blockNumber: s.blockNumber });
        // one alert per inclusion: a fulfil that landed again after a reorg is news again
        await alert(v, 'fulfil_landed', 'info', s.row.reorgs > 0 ? `${s.row.txHash}:${s.blockNumber}` : s.row.txHash, `Request #${v.requestId} fulfilled by the desk${again}`, `The fulfil transaction ${s.row.txHash} was mined${again} in block ${s.blockNumber}${late}.`, { txHash: s.row.txHash, blockNumber: s.blockNumber, windowEnd: windowEnd ?? null });
      } else {
        const reason = s.reason;
        await log(v.requestId, `fulfil_failed:${s.row.txHash}`, 'fulfil_failed', `fulfil ${s.kind}: ${reason}`, { txHash: s.row.txHash, blockNumber: s.kind === 'reverted' ? s.blockNumber : null });
        await alert(v, 'action_failed', 'critical', `fulfil:${s.row.txHash}`, `Fulfil of request ${v.requestId} failed: ${reason}`, `Transaction ${s.row.txHash} ${s.kind}: ${reason}.\nThe request ${lWords(v)}; the desk retries while it is fulfillable.`, { txHash: s.row.txHash, reason, action: 'fulfil' });
      }
    }
  }

  /** The stake escaped once: remembered (a lapsed request can become fulfillable again). */
  async function followLapses(views: RequestView[], head: BlockRef): Promise<void> {
    await o.lapses.recordLapses(views.filter((v) => v.status === 'lapsed' && !v.lapsed).map((v) => ({ requestId: v.requestId, requestTxHash: v.queuedTxHash })), head.number);
    for (const v of views) {
      if (v.lapsed && (v.status === 'fulfillable' || v.status === 'in_veto_window') && v.lapsed.slashableAgainAtBlock === null) {
        await o.lapses.markSlashableAgain(v.requestId, v.queuedTxHash, head.number);
        const act = o.config.fulfilAfterLapse ? 'FULFIL_AFTER_LAPSE=true: the desk fulfils it.' : 'FULFIL_AFTER_LAPSE=false: the desk does not fulfil it; governance decides.';
        await alert(v, 'request_slashable_again', 'critical', `${v.lapsed.block}`, `Request #${v.requestId} is slashable again after its stake escaped`, `The stake of operator ${v.operator} escaped at block ${v.lapsed.block} (stake_escaped), and the operator is slashable again: a fulfil now would slash stake allocated after the window.\n${act}`, { lapsedAtBlock: v.lapsed.block, operator: v.operator });
        await log(v.requestId, `slashable_again:${v.lapsed.block}`, 'slashable_again', `slashable again at block ${head.number} after its stake escaped at block ${v.lapsed.block}`);
      }
    }
  }

  /** `held`: why fulfils wait this pass (read once per pass), else null */
  async function act(v: RequestView, d: ScheduleDecision, vetoRows: SentTxRow[], held: string | null): Promise<SendIntent | null> {
    const key = `${v.requestId}@${v.queuedAtBlock}`;
    const dueWhen = v.vetoWindowEnd.block !== undefined ? `block ${v.vetoWindowEnd.block}` : `${v.vetoWindowEnd.estimatedAt}`;
    for (const flag of d.flags) {
      if (flag === 'fulfil_due') {
        const nobody = d.next?.actor === 'nobody';
        const who = held && !nobody ? `The desk holds it for now: ${held}.` : d.next?.actor === 'desk' ? (o.config.dryRun ? 'DRY_RUN: the desk will NOT send it.' : 'The desk sends it now.') : nobody ? 'NOBODY is configured to send it.' : "Governance's Safe must execute it.";
        await alert(v, 'fulfil_due', nobody || d.next?.kind === 'collect_fulfil_signatures' ? 'critical' : 'warning', '', `Fulfil of request ${v.requestId} is due${nobody ? ': nobody can send it' : ''}`, `The veto window ended (${dueWhen}); the fulfil ${lWords(v)}.\n${who}${d.next?.note ? `\n${d.next.note}` : ''}`, { actor: d.next?.actor ?? null, lastUsefulBlock: v.lastUsefulBlock, dryRun: o.config.dryRun });
      } else if (flag === 'fulfil_no_actor') {
        await log(v.requestId, `no_actor:${key}`, 'no_actor', d.next?.note ?? 'nobody can fulfil');
      } else if (flag === 'fulfil_no_quorum') {
        await log(v.requestId, `fulfil_no_quorum:${key}`, 'fulfil_no_quorum', d.next?.note ?? "governance's fulfil lacks signatures");
        await alert(v, 'fulfil_no_quorum', 'critical', '', `Fulfil of request ${v.requestId} lacks governance signatures`, `${d.next?.note ?? ''}\nWindow end ${dueWhen}; the fulfil ${lWords(v)}.`, { lastUsefulBlock: v.lastUsefulBlock });
      } else if (flag === 'veto_escalation') {
        const signed = v.veto?.signatures.filter((s) => !s.stale).map((s) => s.signer) ?? [];
        await log(v.requestId, `veto_escalated:${key}`, 'veto_escalated', `veto has ${signed.length} of ${v.veto?.threshold ?? '?'} signatures and the window closes soon`);
        await alert(v, 'veto_escalated', 'critical', '', `Veto of request ${v.requestId} lacks signatures and the window closes soon`, `${signed.length} of ${v.veto?.threshold ?? '?'} signatures (${signed.join(', ') || 'none'}); the window ends at ${dueWhen} (${v.vetoWindowEnd.estimated ? 'estimated ' : ''}${v.vetoWindowEnd.estimatedAt}).\nSign now, or the request will be fulfillable.`, { signers: signed, threshold: v.veto?.threshold ?? null });
      } else if (flag === 'dry_run_hold') {
        await log(v.requestId, `dry_run:${d.next?.kind}:${key}`, 'dry_run', `DRY_RUN: would ${d.next?.kind === 'execute_veto' ? 'execute the veto' : 'send the fulfil'} now`);
      } else if (flag === 'veto_in_flight' && o.lease.held() && !o.config.dryRun) {
        // the window has passed: a veto still in flight can no longer land, and must not hold the
        // account's nonce: replace it with a transfer to ourselves (the fulfil goes in this pass)
        for (const row of vetoRows) {
          const s = o.senders.byAddress(row.account);
          // a failure here is the next pass's to retry: the request's other flags still alert
          const c = await s?.cancel(row, `the veto window of request ${v.requestId} has passed`, v.lastUsefulBlock).catch((e: unknown) => {
            logger.warn({ err: describeError(e), requestId: v.requestId, txHash: row.txHash }, 'cancelling a veto past its window failed; tried again on the next pass');
            return null;
          });
          if (c) await log(v.requestId, `veto_cancel:${row.txHash}`, 'veto_cancelled', `the veto execution ${row.txHash} was still in flight when the window passed: replaced by ${c.txHash}`, { txHash: c.txHash });
        }
      }
    }
    if (!o.sender || d.due !== 'send_fulfil') return null;
    if (!o.lease.held() || held) return null; // a standby computes, the actor sends
    return { purpose, slasher, requestId: v.requestId, requestTxHash: v.queuedTxHash, to: slasher, data: fulfilCall(v), deadlineBlock: v.lastUsefulBlock };
  }

  /** The due fulfils, sent together (simulated concurrently, consecutive nonces), then logged and alerted. */
  async function sendFulfils(due: { v: RequestView; intent: SendIntent }[]): Promise<void> {
    if (!o.sender || due.length === 0) return;
    const outcomes = await o.sender.sendMany(due.map((d) => d.intent));
    for (const [i, out] of outcomes.entries()) {
      const v = due[i]!.v;
      const key = `${v.requestId}@${v.queuedAtBlock}`;
      if (out.kind === 'withheld') continue; // the desk holding the lease sends it
      if (out.kind === 'sent') {
        await log(v.requestId, `fulfil_sent:${out.row.txHash}`, 'fulfil_sent', `fulfil sent at nonce ${out.row.txNonce} (head ${out.row.sentAtBlock})`, { txHash: out.row.txHash });
        await alert(v, 'fulfil_sent', 'info', out.row.txHash, `Fulfil of request ${v.requestId} sent`, `Transaction ${out.row.txHash} from ${out.row.account} at nonce ${out.row.txNonce}; it ${lWords(v)}.`, { txHash: out.row.txHash, nonce: out.row.txNonce });
      } else {
        await log(v.requestId, `fulfil_refused:${key}:${out.reason}`, 'fulfil_failed', `not sent, the call would revert: ${out.reason}`);
        await alert(v, 'action_failed', 'critical', `fulfil-refused:${out.reason}`, `Fulfil of request ${v.requestId} would revert: ${out.reason}`, `The desk did not send it (simulated against the next block).\nReason: ${out.reason}\nThe request ${lWords(v)}.`, { reason: out.reason, action: 'fulfil' });
      }
    }
  }

  /**
   * A fulfil in flight once its request's stake escaped slashes nothing now, and landing later it
   * would slash stake allocated after the window (FULFIL_AFTER_LAPSE leaves that to governance):
   * cancelled, rather than re-priced as urgent, its deadline passed, on every block.
   */
  async function cancelLapsedFulfils(views: readonly RequestView[], inFlight: readonly SentTxRow[]): Promise<void> {
    // most passes have no fulfil in flight: the views (thousands) are looked through only when one is
    const fulfils = inFlight.filter((r) => FULFILS.has(r.purpose) || r.purpose === 'safe_fulfil');
    if (fulfils.length === 0 || !o.lease.held() || o.config.dryRun) return;
    const lapsed = new Map(views.filter((v) => v.status === 'lapsed' || (v.lapsed !== undefined && !o.config.fulfilAfterLapse)).map((v) => [`${v.requestId}:${v.queuedTxHash}`, v]));
    for (const row of fulfils) {
      const v = lapsed.get(`${row.requestId}:${row.requestTxHash}`);
      if (!v) continue;
      const c = await o.senders.byAddress(row.account)?.cancel(row, `the stake of request ${v.requestId} escaped before its fulfil landed`).catch((e: unknown) => (logger.warn({ err: describeError(e), requestId: v.requestId, txHash: row.txHash }, 'cancelling a fulfil past its last useful block failed; tried again on the next pass'), null));
      if (c) await log(v.requestId, `fulfil_cancel:${row.txHash}`, 'fulfil_cancelled', `the fulfil ${row.txHash} was still in flight when the stake escaped: replaced by ${c.txHash}`, { txHash: c.txHash });
    }
  }

  /** Decides every open request; what is due is sent, the rest alerted and logged. */
  async function decideAll(head: BlockRef, held: string | null): Promise<void> {
    const views = await o.views();
    await followLapses(views, head);
    const inFlight = await o.sentTxs.inFlight();
    await cancelLapsedFulfils(views, inFlight);
    // a request whose slashability is still pending is decided once the ingest pass that stored it
    // has read it (the same pass, seconds later): its last useful block is not known before
    const open = views.filter((v) => (v.status === 'in_veto_window' || v.status === 'fulfillable') && v.deadlines.slashability !== 'pending');
    if (open.length === 0) return;
    const attempts = await o.sentTxs.forRequests(slasher, open.map((v) => v.requestId));
    const inFlightVetoes = inFlight.filter((r) => VETO_SENDS.has(r.purpose));
    const due: { v: RequestView; intent: SendIntent }[] = [];
    for (const v of open) {
      const mine = attempts.filter((a) => a.requestId === v.requestId && a.requestTxHash === v.queuedTxHash);
      const vetoRows = inFlightVetoes.filter((r) => requestIdsOfSend(r).includes(v.requestId));
      try {
        const intent = await act(v, decide(v, head, mine, vetoRows.length > 0), vetoRows, held);
        if (intent) due.push({ v, intent });
      } catch (e) {
        logger.error({ err: describeError(e), requestId: v.requestId }, 'scheduler action failed');
      }
    }
    await sendFulfils(due);
  }

  async function cycle(): Promise<void> {
    const head = await o.head();
    if (!head || o.catchingUp?.()) return;
    const held = (await o.fulfilsHeld?.()) ?? null;
    {
      // a standby (or DRY_RUN) only reads what the chain did with what was sent; the actor re-sends and re-prices
      const send = o.lease.held() && !o.config.dryRun;
      const from = Math.max(0, head.number - o.reorgDepth);
      const canonical = { fromBlock: from, hashes: await o.canonical(from) };
      for (const s of o.senders.all()) {
        // the slasher key's fulfils in flight are not re-sent while fulfils are held (a lapse may be unread)
        const r = await s.tend(head.number, canonical, { send: send && !(s.address === o.sender?.address && held) });
        if (r.settled.every((x) => x.kind === 'pending') && r.reorged.length + r.bumped.length + r.capReached.length === 0) continue;
        await report(r, new Map((await o.views()).map((v) => [v.requestId, v])));
      }
    }
    // the Safe desks and the fulfils due now, side by side: neither waits a block for the other
    await Promise.all([
      (async () => {
        for (const s of o.safes) await s.reconcile();
      })(),
      decideAll(head, held),
    ]);
  }

  const passes = serialPasses(cycle, (m) => logger.error({ err: m }, 'scheduler pass failed'), { stopped: () => stopped, onPass: o.onPass });
  const evaluate = () => passes.run();

  return {
    evaluate,
    lease: o.lease,
    start() {
      // becoming the actor: act at once, not at the next block or tick
      o.lease.subscribe((holder) => holder && void evaluate());
      o.lease.start();
      task = cronSchedule(o.cronExpression ?? '*/5 * * * * *', () => void evaluate(), { noOverlap: true });
    },
    async stop() {
      stopped = true;
      await task?.destroy();
      task = null;
      await passes.idle();
      await o.lease.stop();
    },
    async idle(): Promise<void> {
      await passes.idle();
    },



    /** Adds `nextAction` and `actions` to request views (the API's dashboard facts). */
    async annotate(views: RequestView[]): Promise<RequestView[]> {
      if (views.length === 0) return views;
      const head = await o.head();
      const ids = views.length <= 500 ? views.map((v) => v.requestId) : undefined;
      const [logs, attempts, inFlight] = await Promise.all([o.actionLog.forRequests(ids), o.sentTxs.forRequests(slasher, ids), o.sentTxs.inFlight()]);
      const attemptsBy = new Map<string, SentTxRow[]>();
      for (const a of attempts) attemptsBy.set(a.requestId, [...(attemptsBy.get(a.requestId) ?? []), a]);
      const vetoInFlight = new Set(inFlight.filter((r) => VETO_SENDS.has(r.purpose)).flatMap(requestIdsOfSend));
      const logsBy = new Map<string, ActionView[]>();
      for (const l of logs) {
        const list = logsBy.get(l.requestId) ?? [];
        list.push({ kind: l.kind, txHash: (l.txHash as Hex | null) ?? null, blockNumber: l.blockNumber ?? null, detail: l.detail, at: l.createdAt.toISOString() });
        logsBy.set(l.requestId, list);
      }
      return views.map((v) => {
        const d = head ? decide(v, head, (attemptsBy.get(v.requestId) ?? []).filter((a) => a.requestTxHash === v.queuedTxHash), vetoInFlight.has(v.requestId)) : null;
        const next: NextActionView | null = d?.next
          ? { kind: d.next.kind, actor: d.next.actor, dueBlock: d.next.dueBlock, dueAt: new Date(d.next.dueAtSec * 1000).toISOString(), estimated: d.next.estimated, note: d.next.note, dryRun: o.config.dryRun }
          : null;
        return { ...v, nextAction: next, actions: logsBy.get(v.requestId) ?? [] };
      });
    },

    status() {
      return { lease: o.lease.status(), sends: o.sender !== null && !o.config.dryRun, slasherAccount: o.sender?.address ?? null, dryRun: o.config.dryRun, lastError: passes.lastError() };
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
