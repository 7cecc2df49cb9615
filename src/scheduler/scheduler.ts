/**
 * The deadline timers (issue 4). Runs on every ingested block and on a node-cron tick; each pass
 * evaluates every open request with `decideSchedule` (pure, src/domain/schedule.ts) and carries
 * out what is due: sends, settles and bumps the desk's fulfils, logs every decision once
 * (ActionLog) and raises the alerts. Only the lease holder sends; DRY_RUN never sends.
 *
 * Veto execution itself stays with the Safe desk (src/safe), which asks `vetoGate` first.
 */
import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem';
import { slasherAbi } from '../chain/abis';
import { decideSchedule, vetoExecutionHeld, type FulfilRoute, type FulfilSendFacts, type ScheduleConfig, type ScheduleDecision } from '../domain/schedule';
import type { BlockRef, WindowEnd } from '../domain/types';
import type { ActionView, NextActionView, RequestView } from '../api/views';
import type { Db } from '../store/database';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';
import { serialPasses } from '../lib/serialPasses';
import type { AlertDraft } from '../alerts/types';
import { requestKey } from '../alerts/planner';
import type { Lease } from './lease';
import type { Sender, SentTxRow } from './sender';

export interface SchedulerOptions {
  db: Db;
  chainId: number;
  slasher: Address;
  /** the slasher's variant as detected ('V1|V2' until the first log tells them apart) */
  variant: string;
  /** every request, with veto (and fulfil) views */
  views: () => Promise<RequestView[]>;
  /** the indexed head (the block the views were computed at) */
  head: () => Promise<BlockRef | null>;
  /** wall clock, unix seconds */
  now: () => number;
  config: ScheduleConfig & { fulfilFunction: 'fulfillSlashingRequest' | 'fulfillSlashingRequestAndBurnOrRedistribute' };
  /** the slasher key's sender; null: the desk does not hold the slasher key */
  sender: Sender | null;
  /** governance's fulfil Safe is run by the desk (the slasher role is a Safe that was read) */
  fulfilSafe: () => boolean;
  /** the desk holds an executor key (executes Safe transactions) */
  executor: boolean;
  lease: Lease;
  /** CONFIRMATIONS: the desk acts on a request once it is this deep */
  confirmations: number;
  logger: Logger;
  enqueueAlert: (d: AlertDraft) => Promise<unknown>;
  /** node-cron expression of the timer tick (default every 5 s) */
  cronExpression?: string;
  /**
   * true while the index is far behind the chain (a backfill): statuses computed at an old head
   * would send fulfils for requests settled later in the chain, so the scheduler waits
   */
  catchingUp?: () => boolean;
  /** told after every pass (metrics) */
  onPass?: (outcome: 'ok' | 'error', ms: number) => void;
}

/** One decision per request, and the facts it was made from. */
interface Evaluated {
  view: RequestView;
  decision: ScheduleDecision;
  attempts: SentTxRow[];
}

function windowEndOf(v: RequestView): WindowEnd {
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
  const { db, logger } = o;
  const slasher = getAddress(o.slasher);
  let task: ScheduledTask | null = null;
  let stopped = false;
  const purpose = o.config.fulfilFunction === 'fulfillSlashingRequestAndBurnOrRedistribute' && o.variant === 'V4' ? 'fulfil_burn' : 'fulfil';

  function route(v: RequestView): FulfilRoute {
    if (o.sender) return { kind: 'key' };
    if (o.fulfilSafe()) {
      const f = v.fulfil;
      return { kind: 'safe', status: f?.status ?? 'none', signatures: f ? f.signatures.filter((s) => !s.stale).length : 0, threshold: f?.threshold ?? 0, executor: o.executor };
    }
    return { kind: 'none' };
  }

  function sentFacts(attempts: SentTxRow[]): FulfilSendFacts | null {
    const ours = attempts.filter((a) => a.status !== 'replaced');
    const last = ours[ours.length - 1];
    if (!last) return null;
    if (ours.some((a) => a.status === 'mined')) return { state: 'mined', sentAtBlock: last.sentAtBlock };
    if (last.status === 'recorded') return { state: 'pending', sentAtBlock: last.sentAtBlock };
    return { state: 'failed', sentAtBlock: last.sentAtBlock };
  }

  function decide(v: RequestView, head: BlockRef, attempts: SentTxRow[]): ScheduleDecision {
    const veto = v.veto ? { status: v.veto.status, signatures: v.veto.signatures.filter((s) => !s.stale).length, threshold: v.veto.threshold } : null;
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
      config: o.config,
    });
  }

  async function log(v: Pick<RequestView, 'requestId'>, dedupKey: string, kind: string, detail: string, tx?: { txHash?: string | null; blockNumber?: number | null }): Promise<void> {
    try {
      await db.actionLog.create({ data: { dedupKey, slasher, requestId: v.requestId, kind, detail, txHash: tx?.txHash ?? null, blockNumber: tx?.blockNumber ?? null } });
      logger.info({ requestId: v.requestId, kind, detail, txHash: tx?.txHash }, 'scheduler action');
    } catch (e) {
      if ((e as { code?: string }).code !== 'P2002') throw e; // logged before: once is enough
    }
  }

  async function alert(v: RequestView, kind: AlertDraft['kind'], severity: AlertDraft['severity'], suffix: string, title: string, text: string, data: Record<string, unknown>): Promise<void> {
    const key = requestKey(o.chainId, slasher, v);
    await o.enqueueAlert({ dedupKey: `${key}:${kind}${suffix ? `:${suffix}` : ''}`, kind, severity, action: 'trigger', incidentKey: key, requestId: v.requestId, title, text, data }).catch((e) => {
      logger.warn({ err: describeError(e), kind, requestId: v.requestId }, 'alert enqueue failed');
    });
  }

  function fulfilCall(v: RequestView): Hex {
    const functionName = purpose === 'fulfil_burn' ? 'fulfillSlashingRequestAndBurnOrRedistribute' : 'fulfillSlashingRequest';
    return encodeFunctionData({ abi: slasherAbi, functionName, args: [BigInt(v.requestId)] });
  }

  const lWords = (v: RequestView) => (v.lastUsefulBlock === null ? 'no stake deadline known' : `must land by block ${v.lastUsefulBlock}`);

  /** Settles every attempt still in flight (one per account nonce), logging and alerting the outcome. */
  async function settleInflight(byId: Map<string, RequestView>): Promise<void> {
    if (!o.sender) return;
    const open = await db.sentTx.findMany({ where: { slasher, status: 'recorded' }, orderBy: { id: 'asc' } });
    const seenNonces = new Set<number>();
    for (const row of open) {
      if (seenNonces.has(row.txNonce)) continue;
      seenNonces.add(row.txNonce);
      const s = await o.sender.settle(row);
      const v = byId.get(row.requestId);
      if (!v) continue;
      const windowEnd = v.vetoWindowEnd.block;
      if (s.kind === 'mined') {
        const late = windowEnd !== undefined ? ` (${s.blockNumber - windowEnd} block(s) after the window end ${windowEnd})` : '';
        await log(v, `fulfil_landed:${s.row.txHash}`, 'fulfil_landed', `fulfil mined in block ${s.blockNumber}${late}`, { txHash: s.row.txHash, blockNumber: s.blockNumber });
        await alert(v, 'fulfil_landed', 'info', s.row.txHash, `Request ${v.requestId} fulfilled by the desk`, `The fulfil transaction ${s.row.txHash} was mined in block ${s.blockNumber}${late}.`, { txHash: s.row.txHash, blockNumber: s.blockNumber, windowEnd: windowEnd ?? null });
      } else if (s.kind === 'reverted' || s.kind === 'dropped') {
        const reason = s.reason;
        await log(v, `fulfil_failed:${s.row.txHash}`, 'fulfil_failed', `fulfil ${s.kind}: ${reason}`, { txHash: s.row.txHash, blockNumber: s.kind === 'reverted' ? s.blockNumber : null });
        await alert(v, 'action_failed', 'critical', `fulfil:${s.row.txHash}`, `Fulfil of request ${v.requestId} failed: ${reason}`, `Transaction ${s.row.txHash} ${s.kind}: ${reason}.\nThe request ${lWords(v)}; the desk retries while it is fulfillable.`, { txHash: s.row.txHash, reason, action: 'fulfil' });
      }
    }
  }

  async function act(e: Evaluated): Promise<void> {
    const { view: v, decision: d } = e;
    const key = `${v.requestId}@${v.queuedAtBlock}`;
    const dueWhen = v.vetoWindowEnd.block !== undefined ? `block ${v.vetoWindowEnd.block}` : `${v.vetoWindowEnd.estimatedAt}`;
    for (const flag of d.flags) {
      if (flag === 'fulfil_due') {
        const nobody = d.next?.actor === 'nobody';
        const who = d.next?.actor === 'desk' ? (o.config.dryRun ? 'DRY_RUN: the desk will NOT send it.' : 'The desk sends it now.') : nobody ? 'NOBODY is configured to send it.' : "Governance's Safe must execute it.";
        await alert(v, 'fulfil_due', nobody || (d.next?.kind === 'collect_fulfil_signatures') ? 'critical' : 'warning', '', `Fulfil of request ${v.requestId} is due${nobody ? ': nobody can send it' : ''}`, `The veto window ended (${dueWhen}); the fulfil ${lWords(v)}.\n${who}${d.next?.note ? `\n${d.next.note}` : ''}`, { actor: d.next?.actor ?? null, lastUsefulBlock: v.lastUsefulBlock, dryRun: o.config.dryRun });
      } else if (flag === 'fulfil_no_actor') {
        await log(v, `no_actor:${key}`, 'no_actor', d.next?.note ?? 'nobody can fulfil');
      } else if (flag === 'fulfil_no_quorum') {
        await log(v, `fulfil_no_quorum:${key}`, 'fulfil_no_quorum', d.next?.note ?? "governance's fulfil lacks signatures");
        await alert(v, 'fulfil_no_quorum', 'critical', '', `Fulfil of request ${v.requestId} lacks governance signatures`, `${d.next?.note ?? ''}\nWindow end ${dueWhen}; the fulfil ${lWords(v)}.`, { lastUsefulBlock: v.lastUsefulBlock });
      } else if (flag === 'veto_escalation') {
        const signed = v.veto?.signatures.filter((s) => !s.stale).map((s) => s.signer) ?? [];
        await log(v, `veto_escalated:${key}`, 'veto_escalated', `veto has ${signed.length} of ${v.veto?.threshold ?? '?'} signatures and the window closes soon`);
        await alert(v, 'veto_escalated', 'critical', '', `Veto of request ${v.requestId} lacks signatures and the window closes soon`, `${signed.length} of ${v.veto?.threshold ?? '?'} signatures (${signed.join(', ') || 'none'}); the window ends at ${dueWhen} (${v.vetoWindowEnd.estimated ? 'estimated ' : ''}${v.vetoWindowEnd.estimatedAt}).\nSign now, or the request will be fulfillable.`, { signers: signed, threshold: v.veto?.threshold ?? null });
      } else if (flag === 'dry_run_hold') {
        await log(v, `dry_run:${d.next?.kind}:${key}`, 'dry_run', `DRY_RUN: would ${d.next?.kind === 'execute_veto' ? 'execute the veto' : 'send the fulfil'} now`);
      }
    }
    if (!o.sender || d.due === null) return;
    if (!o.lease.held()) return; // a standby computes, the actor sends
    if (d.due === 'send_fulfil') {
      const out = await o.sender.send({ slasher, requestId: v.requestId, requestTxHash: v.queuedTxHash, purpose, to: slasher, data: fulfilCall(v) });
      if (out.kind === 'sent') {
        await log(v, `fulfil_sent:${out.row.txHash}`, 'fulfil_sent', `fulfil sent at nonce ${out.row.txNonce} (head ${out.row.sentAtBlock})`, { txHash: out.row.txHash });
        await alert(v, 'fulfil_sent', 'info', out.row.txHash, `Fulfil of request ${v.requestId} sent`, `Transaction ${out.row.txHash} from ${out.row.account} at nonce ${out.row.txNonce}; it ${lWords(v)}.`, { txHash: out.row.txHash, nonce: out.row.txNonce });
      } else {
        await log(v, `fulfil_refused:${key}:${out.reason}`, 'fulfil_failed', `not sent, the call would revert: ${out.reason}`);
        await alert(v, 'action_failed', 'critical', `fulfil-refused:${out.reason}`, `Fulfil of request ${v.requestId} would revert: ${out.reason}`, `The desk did not send it (simulated against the next block).\nReason: ${out.reason}\nThe request ${lWords(v)}.`, { reason: out.reason, action: 'fulfil' });
      }
    } else if (d.due === 'bump_fulfil') {
      const last = e.attempts.filter((a) => a.status === 'recorded').pop();
      if (!last) return;
      const next = await o.sender.bump(last);
      if (next.id !== last.id) await log(v, `fulfil_bumped:${next.txHash}`, 'fulfil_bumped', `replaced ${last.txHash} at nonce ${next.txNonce}: maxFeePerGas ${last.maxFeePerGas} → ${next.maxFeePerGas}`, { txHash: next.txHash });
    }
  }

  /** Every attempt of these requests, by request id, oldest first (ids in chunks: IN lists stay short). */
  async function sentAttempts(ids: string[]): Promise<Map<string, SentTxRow[]>> {
    const out = new Map<string, SentTxRow[]>();
    for (let k = 0; k < ids.length; k += 500) {
      const rows = await db.sentTx.findMany({ where: { slasher, requestId: { in: ids.slice(k, k + 500) } }, orderBy: { id: 'asc' } });
      for (const r of rows) out.set(r.requestId, [...(out.get(r.requestId) ?? []), r]);
    }
    return out;
  }

  async function pass(): Promise<void> {
    const head = await o.head();
    if (!head || o.catchingUp?.()) return;
    const views = await o.views();
    const byId = new Map(views.map((v) => [v.requestId, v]));
    await settleInflight(byId);
    // a request whose slashability is still pending is decided once the ingest pass that stored it
    // has read it (the same pass, seconds later): its last useful block is not known before
    const open = views.filter((v) => (v.status === 'in_veto_window' || v.status === 'fulfillable') && v.deadlines.slashability !== 'pending');
    const attempts = o.sender && open.length ? await sentAttempts(open.map((v) => v.requestId)) : new Map<string, SentTxRow[]>();
    for (const v of open) {
      const mine = (attempts.get(v.requestId) ?? []).filter((a) => a.requestTxHash === v.queuedTxHash);
      try {
        await act({ view: v, decision: decide(v, head, mine), attempts: mine });
      } catch (e) {
        logger.error({ err: describeError(e), requestId: v.requestId }, 'scheduler action failed');
      }
    }
  }

  const passes = serialPasses(pass, (m) => logger.error({ err: m }, 'scheduler pass failed'), { stopped: () => stopped, onPass: o.onPass });
  const evaluate = () => passes.run();

  return {
    evaluate,
    lease: o.lease,
    start() {
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

    /**
     * Asked by the Safe desk before it executes a ready proposal: the lease, DRY_RUN, and (for a
     * single request's veto) confirmations and the execution policy.
     */
    async vetoGate(requestId: string | null): Promise<string | null> {
      if (o.config.dryRun) return 'DRY_RUN: the desk does not send';
      if (!o.lease.held()) return 'standby: another desk holds the actor lease';
      if (requestId === null) return null;
      const v = (await o.views()).find((x) => x.requestId === requestId);
      const head = await o.head();
      if (!v || !head) return null;
      if (!v.confirmed) return `request ${requestId} is not yet confirmed`;
      return vetoExecutionHeld({ policy: o.config.vetoExecutionPolicy, windowEnd: windowEndOf(v), head, nowSec: o.now(), blockTime: v.deadlines.blockTimeSeconds, leadSec: o.config.vetoEscalationLeadSec });
    },

    /** Adds `nextAction` and `actions` to request views (the API's dashboard facts). */
    async annotate(views: RequestView[]): Promise<RequestView[]> {
      if (views.length === 0) return views;
      const head = await o.head();
      const ids = views.length <= 500 ? views.map((v) => v.requestId) : undefined;
      const [logs, attempts] = await Promise.all([
        db.actionLog.findMany({ where: { slasher, ...(ids ? { requestId: { in: ids } } : {}) }, orderBy: { id: 'asc' } }),
        o.sender ? db.sentTx.findMany({ where: { slasher, ...(ids ? { requestId: { in: ids } } : {}) }, orderBy: { id: 'asc' } }) : Promise.resolve([] as SentTxRow[]),
      ]);
      const attemptsBy = new Map<string, SentTxRow[]>();
      for (const a of attempts) attemptsBy.set(a.requestId, [...(attemptsBy.get(a.requestId) ?? []), a]);
      const logsBy = new Map<string, ActionView[]>();
      for (const l of logs) {
        const list = logsBy.get(l.requestId) ?? [];
        list.push({ kind: l.kind, txHash: (l.txHash as Hex | null) ?? null, blockNumber: l.blockNumber ?? null, detail: l.detail, at: l.createdAt.toISOString() });
        logsBy.set(l.requestId, list);
      }
      return views.map((v) => {
        const d = head ? decide(v, head, (attemptsBy.get(v.requestId) ?? []).filter((a) => a.requestTxHash === v.queuedTxHash)) : null;
        const next: NextActionView | null = d?.next
          ? { kind: d.next.kind, actor: d.next.actor, dueBlock: d.next.dueBlock, dueAt: new Date(d.next.dueAtSec * 1000).toISOString(), estimated: d.next.estimated, note: d.next.note, dryRun: o.config.dryRun }
          : null;
        const history = [...(logsBy.get(v.requestId) ?? [])];
        if (v.veto?.status === 'executed' && v.veto.executionTxHash) history.push({ kind: 'veto_executed', txHash: v.veto.executionTxHash, blockNumber: v.cancelled?.block ?? null, detail: `Safe ${v.veto.safe} executed the veto at nonce ${v.veto.nonce}`, at: v.veto.signatures[v.veto.signatures.length - 1]?.submittedAt ?? new Date(0).toISOString() });
        return { ...v, nextAction: next, actions: history };
      });
    },

    status() {
      return { lease: o.lease.status(), sends: o.sender !== null && !o.config.dryRun, slasherAccount: o.sender?.address ?? null, dryRun: o.config.dryRun, lastError: passes.lastError() };
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
