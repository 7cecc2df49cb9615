/**
 * `GET /api/requests/:id/timeline`: everything that happened to a request, oldest first —
 * queued, the veto proposal and every signature with its source, re-plans, execution, the
 * chain's cancel or fulfil, the scheduler's actions, and each alert with its deliveries.
 * A chain event shows its block and the time the chain gave that block; a block the desk kept no
 * timestamp of gets one extrapolated from the observed block time, marked as an estimate. A Safe
 * proposal shows when the desk planned it.
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { AlertListItem } from '../store/alertOutbox';
import type { AlertsApi } from './alerts';
import { parseRequestId } from './requests';
import type { RequestReadModel, RequestView, TimelineEntry, TimelineView, VetoView } from './views';

export type { TimelineEntry, TimelineView };

const base = { detail: null, at: null, estimated: false, block: null, txHash: null, actor: null, source: null };

/** What the timeline knows of time besides the request view. */
export interface TimelineClock {
  /** the chain's timestamps (unix seconds) of blocks the desk kept */
  blockTimes?: ReadonlyMap<number, number>;
  /** when the desk planned each Safe transaction, by safeTxHash (lower case), ISO 8601 */
  proposedAt?: ReadonlyMap<string, string>;
}

/**
 * The time of a block: the chain's own where the desk kept it, else extrapolated from the window
 * end (V3/V4: a block with a time) at the observed block time. V1/V2 windows are timestamps: no
 * block anchor, so only kept blocks have a time.
 */
function blockTimer(v: RequestView, known: ReadonlyMap<number, number>): (block: number) => { ms: number; estimated: boolean } | null {
  const anchorBlock = v.vetoWindowEnd.block;
  const anchorMs = Date.parse(v.vetoWindowEnd.estimatedAt);
  const seconds = v.deadlines.blockTimeSeconds;
  const canEstimate = anchorBlock !== undefined && Number.isFinite(anchorMs) && seconds > 0;
  return (block) => {
    const exact = known.get(block);
    if (exact !== undefined) return { ms: exact * 1000, estimated: false };
    return canEstimate ? { ms: anchorMs - (anchorBlock - block) * seconds * 1000, estimated: true } : null;
  };
}

/**
 * `landed`: the block and time of the chain event the execution caused (cancel or fulfil): the
 * execution shows them, and sorts right before it.
 */
function safeTxEntries(subject: 'veto' | 'fulfil', x: VetoView, landed: { ms: number; estimated: boolean; block: number } | null, proposedAt: ReadonlyMap<string, string>): { entry: TimelineEntry; sortMs: number | null }[] {
  // a proposal whose planning time is not known comes right after the queueing
  const fallbackMs = -Infinity;
  const planned = (hash: string) => {
    const at = proposedAt.get(hash.toLowerCase()) ?? null;
    const ms = at === null ? NaN : Date.parse(at);
    return { at: Number.isFinite(ms) ? at : null, sortMs: Number.isFinite(ms) ? ms : fallbackMs };
  };
  const name = subject === 'veto' ? 'Veto' : 'Fulfil (governance Safe)';
  const out: { entry: TimelineEntry; sortMs: number | null }[] = [];
  for (const s of x.superseded) {
    const when = planned(s.safeTxHash);
    out.push({ entry: { ...base, kind: 'superseded', subject, title: `${name} proposal at Safe nonce ${s.nonce} set aside`, detail: `${s.reason}; its ${s.signatures} signature(s) will never execute (safeTxHash ${s.safeTxHash})`, at: when.at }, sortMs: when.sortMs });
  }
  const when = planned(x.safeTxHash);
  out.push({ entry: { ...base, kind: 'proposal', subject, title: `${name} proposed: Safe ${x.safe}, nonce ${x.nonce}`, detail: `safeTxHash ${x.safeTxHash}; threshold ${x.threshold}`, at: when.at }, sortMs: when.sortMs });
  for (const s of x.signatures) {
    const ms = Date.parse(s.submittedAt);
    out.push({
      entry: { ...base, kind: 'signature', subject, title: `${name} signed by ${s.signer}`, detail: s.stale ? `no longer counts: ${s.stale}` : null, at: s.submittedAt, actor: s.signer, source: s.source },
      sortMs: Number.isFinite(ms) ? ms : fallbackMs,
    });
  }
  const last = Math.max(landed?.ms ?? -Infinity, ...out.map((e) => e.sortMs ?? -Infinity));
  if (x.status === 'executed') {
    // the execution is the transaction that landed the chain event: its block and time
    const when = landed ? { at: new Date(landed.ms).toISOString(), estimated: landed.estimated, block: landed.block } : {};
    out.push({ entry: { ...base, kind: 'executed', subject, title: `${name} executed (execTransaction)`, detail: x.executionTxHash ? null : 'executed outside the desk (a member wallet or another tool)', txHash: x.executionTxHash, ...when }, sortMs: last });
  } else if (x.status === 'failed') {
    out.push({ entry: { ...base, kind: 'execution_failed', subject, title: `${name} failed`, detail: x.statusReason, txHash: x.executionTxHash }, sortMs: last });
  }
  return out;
}

function alertEntry(a: AlertListItem): TimelineEntry {
  const deliveries = a.deliveries.map((d) => `${d.channel}: ${d.state}${d.state === 'pending' && d.attempts > 0 ? ` (${d.attempts} attempts${d.lastError ? `, last error ${d.lastError}` : ''})` : ''}`);
  return { ...base, kind: 'alert', title: `Alert ${a.kind} (${a.severity}${a.action === 'resolve' ? ', resolve' : ''}): ${a.title}`, detail: deliveries.length ? `sent to ${deliveries.join('; ')}` : 'recorded; no channel routes it', at: a.createdAt };
}

/** Pure: the request view, its alerts and the times the desk kept → the ordered timeline. */
export function buildTimeline(v: RequestView, alerts: readonly AlertListItem[], clock: TimelineClock = {}): TimelineView {
  const timeOf = blockTimer(v, clock.blockTimes ?? new Map());
  const proposedAt = clock.proposedAt ?? new Map<string, string>();
  const items: { entry: TimelineEntry; sortMs: number | null }[] = [];
  const atBlock = (block: number) => {
    const t = timeOf(block);
    return { at: t === null ? null : new Date(t.ms).toISOString(), estimated: t?.estimated ?? false, block, sortMs: t?.ms ?? null };
  };

  const q = atBlock(v.queuedAtBlock);
  // always first, whatever the estimate says
  items.push({ entry: { ...base, kind: 'queued', title: `Queued: slash ${v.operator} in operator set ${v.operatorSetId}`, detail: v.description || null, at: q.at, estimated: q.estimated, block: v.queuedAtBlock, txHash: v.queuedTxHash }, sortMs: -Infinity });
  const landedAt = (block: number | undefined) => {
    const t = block === undefined ? null : timeOf(block);
    return t && block !== undefined ? { ...t, block } : null;
  };
  const veto = v.veto ? safeTxEntries('veto', v.veto, landedAt(v.cancelled?.block), proposedAt) : [];
  const fulfil = v.fulfil ? safeTxEntries('fulfil', v.fulfil, landedAt(v.fulfilled?.block), proposedAt) : [];
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
    items.push({ entry: { ...base, kind: 'action', title: `Desk: ${a.kind.replaceAll('_', ' ')}`, detail: a.detail, at: Number.isFinite(ms) ? a.at : null, block: a.blockNumber, txHash: a.txHash }, sortMs: Number.isFinite(ms) ? ms : null });
  }
  for (const a of alerts) items.push({ entry: alertEntry(a), sortMs: Date.parse(a.createdAt) });

  // stable: equal or unknown times keep the order above (queued, proposal, signatures, …)
  const sorted = items
    .map((it, i) => ({ ...it, i }))
    .sort((a, b) => (a.sortMs ?? Infinity) - (b.sortMs ?? Infinity) || a.i - b.i)
    .map((it) => it.entry);
  return { requestId: v.requestId, entries: sorted };
}

export function registerTimelineRoutes(app: Express, deps: { readModel: RequestReadModel; alerts: AlertsApi; proposedAt?: (requestId: string) => Promise<Map<string, string>> }): void {
  app.get('/api/requests/:id/timeline', async (req, res) => {
    const id = parseRequestId(req.params.id);
    const view = await deps.readModel.getRequest(id);
    if (!view) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
    const blocks = [view.queuedAtBlock, view.cancelled?.block, view.fulfilled?.block, ...(view.actions ?? []).map((a) => a.blockNumber)].filter((b): b is number => typeof b === 'number');
    const [alerts, blockTimes, proposedAt] = await Promise.all([
      deps.alerts.list({ requestId: view.requestId, limit: 200 }),
      deps.readModel.blockTimes?.(blocks) ?? Promise.resolve(new Map<number, number>()),
      deps.proposedAt?.(view.requestId) ?? Promise.resolve(new Map<string, string>()),
    ]);
    res.json(buildTimeline(view, alerts, { blockTimes, proposedAt }));
  });
}
