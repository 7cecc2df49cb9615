/**
 * The alert planner: pure. Given the request views and the desk's health after an ingest pass,
 * it says which alerts should exist. The outbox makes "should exist" idempotent (unique dedup
 * key), so the planner can be run as often as we like, by as many desks as we like.
 */
import type { RequestView } from '../requests/views';
import type { AlertDraft, AlertKind, AlertSeverity } from './types';
import { untrustedLine } from '../lib/untrustedText';
import { IMPACT_NOT_READ_YET } from '../requests/readModel';
import { descriptionLine, formatDuration, impactLines, requestSummary, vetoProgressLine, windowEndLine, lastUsefulLine } from './summary';

/** Health facts the planner alerts on (from the ingestor's status). */
export interface HealthSignal {
  lagBlocks: number | null;
  /** lag above which the indexer counts as lagging */
  lagThresholdBlocks: number;
  /** the last ingest pass failed (RPC down, …) */
  lastError: string | null;
  /** ingest stopped (reorg deeper than REORG_DEPTH, …) */
  fatal: string | null;
  /** sending accounts (executor, slasher) holding less than ALERT_MIN_BALANCE */
  lowBalances?: { role: 'executor' | 'slasher'; account: string; balanceEth: string; minEth: string }[];
  /** the Safe Transaction Service sync's last error, null once it answers again */
  txServiceError?: string | null;
}

export interface PlanInput {
  chainId: number;
  slasher: string;
  views: RequestView[];
  health: HealthSignal | null;
  /** the committee Safe's owners, when known: reminders name who has not signed */
  committeeOwners?: string[];
  /** seconds before the window closes, any order */
  leadTimesSec: number[];
  nowSec: number;
  /** whether an alert with this dedup key already exists */
  known: (dedupKey: string) => boolean;
  /** health incidents so far: kind → the open one's key (if any) and how many were opened */
  incidents: ReadonlyMap<string, { open: string | null; count: number }>;
  /** terminal events (veto, fulfil) older than this many blocks are history, not news */
  recentBlocks?: number;
  /** the key texts made by earlier plans of the same chain and slasher (made afresh without) */
  keys?: AlertKeys;
}

export const DEFAULT_RECENT_BLOCKS = 64;
const OPEN = new Set(['in_veto_window', 'fulfillable']);
/** the one alert a decided request can still raise */
const CLOSING: Partial<Record<RequestView['status'], AlertKind>> = { vetoed: 'request_vetoed', fulfilled: 'request_fulfilled', lapsed: 'stake_escaped' };
/** blocks a new request's alerts wait for its impact to be read */
export const IMPACT_WAIT_BLOCKS = 2;

export function requestKey(chainId: number, slasher: string, v: Pick<RequestView, 'requestId' | 'queuedAtBlock'>): string {
  return `${chainId}:${slasher.toLowerCase()}:${v.requestId}@${v.queuedAtBlock}`;
}

/** A request's key and the dedup keys of its alerts without a suffix, by kind, as made so far. */
interface RequestKeys {
  queuedAtBlock: number;
  key: string;
  byKind: Partial<Record<AlertKind, string>>;
}

/**
 * The texts a plan compares with the alerts that exist, made once per request and kept by whoever
 * plans on every block (see `PlanInput.keys`): a plan looks at every request, and making and
 * hashing new key texts for each of 10k requests was most of its work and of its garbage.
 */
export class AlertKeys {
  private readonly prefix: string;
  private readonly byId = new Map<string, RequestKeys>();
  constructor(
    readonly chainId: number,
    readonly slasher: string,
  ) {
    this.prefix = `${chainId}:${slasher.toLowerCase()}:`;
  }

  /** `requestKey`'s text, and its dedup keys kept with it (an id reused on V4 gets new ones) */
  of(v: Pick<RequestView, 'requestId' | 'queuedAtBlock'>): RequestKeys {
    let k = this.byId.get(v.requestId);
    if (k === undefined || k.queuedAtBlock !== v.queuedAtBlock) this.byId.set(v.requestId, (k = { queuedAtBlock: v.queuedAtBlock, key: `${this.prefix}${v.requestId}@${v.queuedAtBlock}`, byKind: {} }));
    return k;
  }
}

/** the dedup key of alert `kind` of a request: `${requestKey}:${kind}${suffix}` */
function dedupKeyOf(k: RequestKeys, kind: AlertKind, suffix: string): string {
  if (suffix !== '') return `${k.key}:${kind}${suffix}`;
  return (k.byKind[kind] ??= `${k.key}:${kind}`);
}

/** Seconds until the veto window closes, from blocks × observed block time when block-based. */
export function secondsUntilWindowEnd(v: RequestView, nowSec: number): number | null {
  if (v.deadlines.blocksUntilWindowEnd !== null && v.vetoWindowEnd.block !== undefined) return v.deadlines.blocksUntilWindowEnd * v.deadlines.blockTimeSeconds;
  if (v.vetoWindowEnd.timestamp !== undefined) return v.vetoWindowEnd.timestamp - nowSec;
  return null;
}

export function reminderSeverity(leadSec: number): AlertSeverity {
  return leadSec <= 2 * 3600 ? 'critical' : leadSec <= 12 * 3600 ? 'warning' : 'info';
}

type DraftExtra = { suffix?: string; action?: 'trigger' | 'resolve'; data?: Record<string, unknown> };

/**
 * Adds the alert `kind` of `v` unless it was planned before; its title and text are built only
 * then (a pass looks at every request, and most of their alerts are known already).
 */
function addDraft(out: AlertDraft[], p: PlanInput, v: RequestView, keys: RequestKeys, kind: AlertKind, severity: AlertSeverity, suffix: string, make: () => { title: string; text: string; extra?: DraftExtra }): void {
  const dedupKey = dedupKeyOf(keys, kind, suffix);
  const key = keys.key;
  if (p.known(dedupKey)) return;
  const { title, text, extra = {} } = make();
  out.push({
    dedupKey,
    kind,
    severity,
    action: extra.action ?? 'trigger',
    incidentKey: key,
    requestId: v.requestId,
    title,
    text,
    data: { status: v.status, operator: v.operator, operatorSetId: v.operatorSetId, queuedAtBlock: v.queuedAtBlock, ...extra.data },
  });
}

function isRecent(head: number, block: number | undefined, recent: number): boolean {
  return block !== undefined && head - block <= recent;
}

export function planAlerts(p: PlanInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  const recent = p.recentBlocks ?? DEFAULT_RECENT_BLOCKS;
  const keys = p.keys && p.keys.chainId === p.chainId && p.keys.slasher === p.slasher ? p.keys : new AlertKeys(p.chainId, p.slasher);
  for (const v of p.views) {
    const key = keys.of(v);
    // decided and alerted: nothing more to plan (most requests of a long-lived slasher)
    const closing = CLOSING[v.status];
    if (closing !== undefined && p.known(dedupKeyOf(key, closing, ''))) continue;
    const queuedKey = dedupKeyOf(key, 'request_queued', '');
    const head = v.queuedAtBlock + v.confirmations;
    const open = OPEN.has(v.status);
    // its operator set's slashability is read at the end of the same ingest pass: until then the
    // last useful block (and so at-risk, lapsed, every reminder's text) is not known yet
    if (open && v.deadlines.slashability === 'pending') continue;
    // what it slashes is read right after (same pass): wait for it, but never longer than a block
    // or two — an alert without amounts beats none when the reads fail
    if (open && v.impact === null && v.impactReason === IMPACT_NOT_READ_YET && v.confirmations < IMPACT_WAIT_BLOCKS) continue;
    const alertedBefore = p.known(queuedKey);

    if (open) {
      addDraft(out, p, v, key, 'request_queued', v.atRisk ? 'critical' : 'warning', '', () => ({
        title: `Slashing request #${v.requestId} queued`,
        text: requestSummary(v),
        extra: { data: { strategies: v.strategies, wadsToSlash: v.wadsToSlash, description: v.description, vetoWindowEnd: v.vetoWindowEnd, lastUsefulBlock: v.lastUsefulBlock, impact: v.impact, impactReason: v.impactReason } },
      }));
      if (v.atRisk) {
        addDraft(out, p, v, key, 'request_at_risk', 'critical', '', () => ({
          title: `Request #${v.requestId} at risk: stake can escape before the veto window ends`,
          text: [`The veto window ends after the last useful block L: a fulfil can no longer land in time.`, windowEndLine(v), lastUsefulLine(v), `Operator: ${v.operator} (set ${v.operatorSetId})`].join('\n'),
          extra: { data: { lastUsefulBlock: v.lastUsefulBlock, vetoWindowEnd: v.vetoWindowEnd } },
        }));
      }
      // the read model emits `overwrote` (V4) although RequestView does not declare it yet
      const overwrote = (v as { overwrote?: unknown }).overwrote;
      if (typeof overwrote === 'number' && overwrote > 0) {
        addDraft(out, p, v, key, 'v4_request_overwritten', 'critical', `:${overwrote}`, () => ({
          title: `Request id #${v.requestId} was overwritten (${overwrote}×)`,
          text: [`A V4 slasher reused id ${v.requestId}: the earlier request(s) under this id can no longer be vetoed or fulfilled by id.`, requestSummary(v)].join('\n'),
          extra: { data: { overwrote } },
        }));
      }
    }

    if (v.status === 'in_veto_window') {
      const left = secondsUntilWindowEnd(v, p.nowSec);
      if (left !== null) {
        // time already elapsed since queueing: a lead longer than the whole window is not a reminder
        const total = left + v.confirmations * v.deadlines.blockTimeSeconds;
        // only the tightest lead passed: a desk that starts late sends one reminder, not four
        let lead: number | undefined;
        for (const l of p.leadTimesSec) if (left <= l && total > l && (lead === undefined || l < lead)) lead = l;
        if (lead !== undefined) {
          addDraft(out, p, v, key, 'veto_reminder', reminderSeverity(lead), `:${lead}s`, () => ({
            title: `Veto window for request #${v.requestId} closes in ≈ ${formatDuration(left)}`,
            text: [vetoProgressLine(v, p.committeeOwners), windowEndLine(v), `Blocks left: ${v.deadlines.blocksUntilWindowEnd ?? 'n/a'} at ≈ ${v.deadlines.blockTimeSeconds}s per block`, lastUsefulLine(v), `Operator: ${v.operator} (set ${v.operatorSetId})`, ...impactLines(v), descriptionLine(v)].join('\n'),
            extra: { data: { leadSeconds: lead, secondsLeft: left, blocksLeft: v.deadlines.blocksUntilWindowEnd, impact: v.impact, impactReason: v.impactReason } },
          }));
        }
      }
    }

    if (v.status === 'vetoed' && (alertedBefore || isRecent(head, v.cancelled?.block, recent))) {
      addDraft(out, p, v, key, 'request_vetoed', 'info', '', () => ({
        title: `Request #${v.requestId} vetoed`,
        text: [`Cancelled at block ${v.cancelled?.block ?? '?'}, tx ${v.cancelled?.txHash ?? '?'}`, `Operator: ${v.operator} (set ${v.operatorSetId})`, descriptionLine(v)].join('\n'),
        extra: { action: 'resolve', data: { cancelled: v.cancelled } },
      }));
    }
    if (v.status === 'fulfilled' && (alertedBefore || isRecent(head, v.fulfilled?.block, recent))) {
      addDraft(out, p, v, key, 'request_fulfilled', 'warning', '', () => ({
        title: `Request #${v.requestId} fulfilled: operator slashed`,
        text: [`Fulfilled at block ${v.fulfilled?.block ?? '?'}, tx ${v.fulfilled?.txHash ?? '?'}`, requestSummary(v)].join('\n'),
        extra: { action: 'resolve', data: { fulfilled: v.fulfilled } },
      }));
    }
    if (v.status === 'lapsed' && (alertedBefore || (v.lastUsefulBlock !== null && head - v.lastUsefulBlock <= recent))) {
      addDraft(out, p, v, key, 'stake_escaped', 'critical', '', () => ({
        title: `Request #${v.requestId} lapsed: the stake escaped`,
        text: [`Nothing fulfilled it by the last useful block: the operator can no longer be slashed for it.`, lastUsefulLine(v), requestSummary(v)].join('\n'),
        extra: { data: { lastUsefulBlock: v.lastUsefulBlock } },
      }));
    }
  }
  if (p.health) out.push(...planHealth(p));
  return out;
}

interface HealthCondition {
  kind: AlertKind;
  active: boolean;
  severity: AlertSeverity;
  title: string;
  text: string;
}

function healthConditions(h: HealthSignal): HealthCondition[] {
  const reorg = h.fatal !== null && /reorg/i.test(h.fatal);
  return [
    {
      kind: 'desk_indexer_lagging',
      active: h.lagBlocks !== null && h.lagBlocks > h.lagThresholdBlocks,
      severity: 'warning',
      title: `Indexer lagging ${h.lagBlocks ?? '?'} blocks behind the head`,
      text: `The desk is ${h.lagBlocks ?? '?'} blocks behind (threshold ${h.lagThresholdBlocks}): deadlines it shows may be stale.`,
    },
    {
      kind: 'desk_ingest_error',
      active: h.fatal === null && h.lastError !== null,
      severity: 'critical',
      title: 'Desk cannot read the chain (RPC down or ingest failing)',
      text: `Last ingest error: ${untrustedLine(h.lastError ?? '', 500)}. The desk retries; new requests are not seen until it recovers.`,
    },
    {
      kind: 'balance_low',
      active: (h.lowBalances?.length ?? 0) > 0,
      severity: 'critical',
      title: `Balance too low to pay gas: ${(h.lowBalances ?? []).map((b) => `${b.role} ${b.account}`).join(', ')}`,
      text: `${(h.lowBalances ?? []).map((b) => `The ${b.role} account ${b.account} holds ${b.balanceEth} ETH, less than ALERT_MIN_BALANCE ${b.minEth} ETH.`).join('\n')}\nThe next ${
        (h.lowBalances ?? []).some((b) => b.role === 'slasher') ? 'fulfil' : 'veto execution'
      } may not be sent: fund the account now.`,
    },
    {
      kind: 'tx_service_unreachable',
      active: typeof h.txServiceError === 'string',
      severity: 'warning',
      title: 'Safe Transaction Service unreachable',
      text: `Last error: ${untrustedLine(h.txServiceError ?? '', 500)}. Signatures made in Safe{Wallet} do not reach the desk until it answers again; signatures given to the desk directly still work, and no deadline depends on the service.`,
    },
    {
      kind: 'desk_reorg_too_deep',
      active: reorg,
      severity: 'critical',
      title: 'Ingest stopped: reorg deeper than REORG_DEPTH',
      text: `${untrustedLine(h.fatal ?? '', 500)}. The desk no longer follows the chain; restart it with a fresh database or a larger REORG_DEPTH.`,
    },
  ];
}

function planHealth(p: PlanInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (const c of healthConditions(p.health!)) {
    const seen = p.incidents.get(c.kind);
    const open = seen?.open ?? null;
    if (c.active && !open) {
      // numbered, not timed: two desks opening the same incident agree on its key
      const incidentKey = `${p.chainId}:${p.slasher.toLowerCase()}:desk:${c.kind}:#${(seen?.count ?? 0) + 1}`;
      out.push({ dedupKey: `${incidentKey}:trigger`, kind: c.kind, severity: c.severity, action: 'trigger', incidentKey, title: c.title, text: c.text, data: { ...p.health } });
    } else if (!c.active && open && !p.known(`${open}:resolve`)) {
      out.push({ dedupKey: `${open}:resolve`, kind: c.kind, severity: 'info', action: 'resolve', incidentKey: open, title: `Resolved: ${c.title.split(':')[0]}`, text: 'The condition has cleared.', data: { ...p.health } });
    }
  }
  return out;
}
