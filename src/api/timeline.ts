/**
 * `GET /api/requests/:id/timeline`: everything that happened to a request, oldest first —
 * queued, the veto proposal and every signature with its source, re-plans, execution, the
 * chain's cancel or fulfil, the scheduler's actions, and each alert with its deliveries.
 * Block-only events get a wall-clock time estimated from the observed block time, marked so.
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { AlertListItem } from '../store/alertOutbox';
import type { AlertsApi } from './alerts';
import { parseRequestId } from './requests';
import type { RequestReadModel, RequestView, VetoView } from './views';

export interface TimelineEntry {
  kind: 'queued' | 'proposal' | 'superseded' | 'signature' | 'executed' | 'execution_failed' | 'cancelled' | 'fulfilled' | 'action' | 'alert';
  /** which Safe transaction a proposal/signature/execution entry belongs to */
  subject?: 'veto' | 'fulfil';
  title: string;
  detail: string | null;
  /** ISO 8601; null when unknown */
  at: string | null;
  /** true when `at` is derived from the observed block time */
  estimated: boolean;
  block: number | null;
  txHash: string | null;
  /** signer of a signature */
  actor: string | null;
  /** signature source: http | cli | tx-service */
  source: string | null;
}

export interface TimelineView {
  requestId: string;
  entries: TimelineEntry[];
}

const base = { detail: null, at: null, estimated: false, block: null, txHash: null, actor: null, source: null };

/**
 * The wall-clock estimate of a block, anchored on the window end (V3/V4: a block with an
 * estimated time). V1/V2 windows are timestamps: no block anchor, so null.
 */
function blockTimeEstimator(v: RequestView): (block: number) => number | null {
  const anchorBlock = v.vetoWindowEnd.block;
  const anchorMs = Date.parse(v.vetoWindowEnd.estimatedAt);
  const seconds = v.deadlines.blockTimeSeconds;
  if (anchorBlock === undefined || !Number.isFinite(anchorMs) || !(seconds > 0)) return () => null;
  return (block) => anchorMs - (anchorBlock - block) * seconds * 1000;
}

/**
 * `landedMs`: the estimated time of the chain event the execution caused (cancel or fulfil), so
 * the execution sorts right before it.
 */
function safeTxEntries(subject: 'veto' | 'fulfil', x: VetoView, landedMs: number | null): { entry: TimelineEntry; sortMs: number | null }[] {
  // a proposal has no recorded time: it comes right after the queueing
  const fallbackMs = -Infinity;
  const name = subject === 'veto' ? 'Veto' : 'Fulfil (governance Safe)';
  const out: { entry: TimelineEntry; sortMs: number | null }[] = [];
  for (const s of x.superseded) {
    out.push({ entry: { ...base, kind: 'superseded', subject, title: `${name} proposal at Safe nonce ${s.nonce} set aside`, detail: `${s.reason}; its ${s.signatures} signature(s) will never execute (safeTxHash ${s.safeTxHash})` }, sortMs: fallbackMs });
  }
  out.push({ entry: { ...base, kind: 'proposal', subject, title: `${name} proposed: Safe ${x.safe}, nonce ${x.nonce}`, detail: `safeTxHash ${x.safeTxHash}; threshold ${x.threshold}` }, sortMs: fallbackMs });
  for (const s of x.signatures) {
    const ms = Date.parse(s.submittedAt);
    out.push({
      entry: { ...base, kind: 'signature', subject, title: `${name} signed by ${s.signer}`, detail: s.stale ? `no longer counts: ${s.stale}` : null, at: s.submittedAt, actor: s.signer, source: s.source },
      sortMs: Number.isFinite(ms) ? ms : fallbackMs,
    });
  }
  const last = Math.max(landedMs ?? -Infinity, ...out.map((e) => e.sortMs ?? -Infinity));
  if (x.status === 'executed') {
    out.push({ entry: { ...base, kind: 'executed', subject, title: `${name} executed (execTransaction)`, detail: x.executionTxHash ? null : 'executed outside the desk (a member wallet or another tool)', txHash: x.executionTxHash }, sortMs: last });
  } else if (x.status === 'failed') {
    out.push({ entry: { ...base, kind: 'execution_failed', subject, title: `${name} failed`, detail: x.statusReason, txHash: x.executionTxHash }, sortMs: last });
  }
  return out;
}

function alertEntry(a: AlertListItem): TimelineEntry {
  const deliveries = a.deliveries.map((d) => `${d.channel}: ${d.state}${d.state === 'pending' && d.attempts > 0 ? ` (${d.attempts} attempts${d.lastError ? `, last error ${d.lastError}` : ''})` : ''}`);
  return { ...base, kind: 'alert', title: `Alert ${a.kind} (${a.severity}${a.action === 'resolve' ? ', resolve' : ''}): ${a.title}`, detail: deliveries.length ? `sent to ${deliveries.join('; ')}` : 'recorded; no channel routes it', at: a.createdAt };
}

/** Pure: the request view and its alerts → the ordered timeline. */
export function buildTimeline(v: RequestView, alerts: readonly AlertListItem[]): TimelineView {
  const estimate = blockTimeEstimator(v);
  const items: { entry: TimelineEntry; sortMs: number | null }[] = [];
  const atBlock = (block: number) => {
    const ms = estimate(block);
    return { at: ms === null ? null : new Date(ms).toISOString(), estimated: ms !== null, block, sortMs: ms };
  };

  const q = atBlock(v.queuedAtBlock);
  // always first, whatever the estimate says
  items.push({ entry: { ...base, kind: 'queued', title: `Queued: slash ${v.operator} in operator set ${v.operatorSetId}`, detail: v.description || null, at: q.at, estimated: q.estimated, block: v.queuedAtBlock, txHash: v.queuedTxHash }, sortMs: -Infinity });
  const veto = v.veto ? safeTxEntries('veto', v.veto, v.cancelled ? estimate(v.cancelled.block) : null) : [];
  const fulfil = v.fulfil ? safeTxEntries('fulfil', v.fulfil, v.fulfilled ? estimate(v.fulfilled.block) : null) : [];
  items.push(...veto, ...fulfil);
  /** an executed Safe transaction caused the chain event: never list the event before it (estimates drift) */
  const after = (entries: typeof veto, ms: number | null) => Math.max(ms ?? -Infinity, ...entries.filter((e) => e.entry.kind === 'executed').map((e) => e.sortMs ?? -Infinity));
  if (v.cancelled) {
    const c = atBlock(v.cancelled.block);
    items.push({ entry: { ...base, kind: 'cancelled', title: 'Vetoed on chain (cancelSlashingRequest)', at: c.at, estimated: c.estimated, block: c.block, txHash: v.cancelled.txHash }, sortMs: after(veto, c.sortMs) });
  }
  if (v.fulfilled) {
    const f = atBlock(v.fulfilled.block);
    items.push({ entry: { ...base, kind: 'fulfilled', title: 'Fulfilled on chain: stake slashed', at: f.at, estimated: f.estimated, block: f.block, txHash: v.fulfilled.txHash }, sortMs: after(fulfil, f.sortMs) });
  }
  for (const a of v.actions ?? []) {
    const ms = Date.parse(a.at);
    items.push({ entry: { ...base, kind: 'action', title: `Desk: ${a.kind.replaceAll('_', ' ')}`, detail: a.detail, at: a.at, block: a.blockNumber, txHash: a.txHash }, sortMs: Number.isFinite(ms) ? ms : null });
  }
  for (const a of alerts) items.push({ entry: alertEntry(a), sortMs: Date.parse(a.createdAt) });

  // stable: equal or unknown times keep the order above (queued, proposal, signatures, …)
  const sorted = items
    .map((it, i) => ({ ...it, i }))
    .sort((a, b) => (a.sortMs ?? Infinity) - (b.sortMs ?? Infinity) || a.i - b.i)
    .map((it) => it.entry);
  return { requestId: v.requestId, entries: sorted };
}

export function registerTimelineRoutes(app: Express, deps: { readModel: RequestReadModel; alerts: AlertsApi }): void {
  app.get('/api/requests/:id/timeline', async (req, res) => {
    const id = parseRequestId(req.params.id);
    const view = await deps.readModel.getRequest(id);
    if (!view) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
    const alerts = await deps.alerts.list({ requestId: view.requestId, limit: 200 });
    res.json(buildTimeline(view, alerts));
  });
}
