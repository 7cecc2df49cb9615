/**
 * Alerting for one tracked slasher: the planner runs after every ingest pass (and on a timer,
 * so a dead RPC is noticed), writes alerts to the outbox, and the dispatcher delivers them per
 * channel, at least once, with exponential backoff. Alerts tell; they never send transactions.
 *
 * @example
 * const alerting = createAlerting({ outbox, chainId, slasher, channels, leadTimesSec, logger, metrics, snapshot });
 * alerting.start();
 * await alerting.evaluate(); // after an ingest pass
 */
import type { RequestView } from '../requests/views';
import type { AlertChannelConfig } from '../config/alertRoutes';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { backoffDelay } from '../lib/retry';
import { createChannel, type AlertChannel } from './channels';
import type { AlertListItem, DeliveryState, DueDelivery, Outbox } from '../store/alertOutbox';
import { AlertKeys, planAlerts, type HealthSignal } from './planner';
import { HEALTH_ALERT_KINDS, type Alert, type AlertDraft } from './types';

export interface AlertingOptions {
  /** the alerts and their deliveries (store/alertOutbox.ts) */
  outbox: Outbox;
  chainId: number;
  slasher: string;
  channels: AlertChannelConfig[];
  leadTimesSec: number[];
  logger: Logger;
  metrics: Metrics;
  /** what the planner looks at: current request views and ingest health (or given to `start`) */
  snapshot?: PlanSnapshot;
  /** milliseconds; injectable for tests */
  nowMs?: () => number;
  retry?: { baseMs: number; maxMs: number; maxAttempts: number };
  /** backup timer of the dispatcher (it is also kicked by every new alert) */
  dispatchIntervalMs?: number;
  /** timer of planner passes between ingest passes (health, clock-driven reminders) */
  planIntervalMs?: number;
  sendTimeoutMs?: number;
}

/** What the planner looks at: current request views and ingest health. */
export type PlanSnapshot = () => Promise<{ views: RequestView[]; health: HealthSignal | null; committeeOwners?: string[] }>;

export const DEFAULT_ALERT_RETRY = { baseMs: 2_000, maxMs: 5 * 60_000, maxAttempts: 60 };

/** above this many new alerts in one planner pass (a backfill), one info line sums them up */
const PER_ALERT_LOG_LIMIT = 50;

export interface Alerting {
  /** runs the planner now; `seenAtMs` = when the desk saw the facts (defaults to now) */
  evaluate(seenAtMs?: number): Promise<number>;
  /** for the Safe and timer work: enqueue one alert (no-op when its dedup key exists) */
  enqueueAlert(draft: AlertDraft, seenAtMs?: number): Promise<Alert | null>;
  list(filter: { state?: DeliveryState; kind?: string; requestId?: string; limit: number }): Promise<AlertListItem[]>;
  channels: AlertChannel[];
  /** delivers what is due now */
  dispatch(): Promise<void>;
  /** starts delivering and planning; `snapshot` is what the planner looks at (when not given at creation) */
  start(snapshot?: PlanSnapshot): void;
  stop(): Promise<void>;
}

export function createAlerting(o: AlertingOptions): Alerting {
  const nowMs = o.nowMs ?? (() => Date.now());
  const retry = o.retry ?? DEFAULT_ALERT_RETRY;
  const outbox = o.outbox;
  const channels = o.channels.map((c) => createChannel(c, { timeoutMs: o.sendTimeoutMs }));
  const byName = new Map(channels.map((c) => [c.name, c]));
  let known: Set<string> | null = null;
  let timers: NodeJS.Timeout[] = [];
  let stopped = false;
  let planSnapshot: PlanSnapshot | undefined = o.snapshot;

  const routeOf = (d: AlertDraft) => channels.filter((c) => c.accepts(d)).map((c) => c.name);

  async function enqueueAlert(d: AlertDraft, seenAtMs?: number): Promise<Alert | null> {
    known ??= await outbox.knownKeys();
    if (known.has(d.dedupKey)) return null;
    const routed = routeOf(d);
    const now = new Date(nowMs());
    const alert = await outbox.insertIfAbsent(d, routed, new Date(seenAtMs ?? now.getTime()), now);
    known.add(d.dedupKey);
    if (alert) {
      o.metrics.alertsEnqueued.inc({ kind: d.kind, severity: d.severity });
      o.logger.info({ alert: { id: alert.id, kind: d.kind, severity: d.severity, requestId: d.requestId, channels: routed } }, alert.title);
      kick();
    }
    return alert as Alert | null;
  }

  /** a planner pass's drafts in one outbox call; returns how many were new */
  async function enqueueMany(k: Set<string>, drafts: AlertDraft[], seenAtMs: number): Promise<number> {
    const fresh = new Map<string, AlertDraft>();
    for (const d of drafts) if (!k.has(d.dedupKey) && !fresh.has(d.dedupKey)) fresh.set(d.dedupKey, d);
    if (fresh.size === 0) return 0;
    const seenAt = new Date(seenAtMs);
    const routed = new Map([...fresh].map(([key, d]) => [key, routeOf(d)]));
    const inserted = await outbox.insertMany([...fresh.values()].map((draft) => ({ draft, channels: routed.get(draft.dedupKey)!, seenAt })), new Date(nowMs()));
    for (const key of fresh.keys()) k.add(key);
    const many = inserted.length > PER_ALERT_LOG_LIMIT;
    const byKind: Record<string, number> = {};
    for (const a of inserted) {
      o.metrics.alertsEnqueued.inc({ kind: a.kind, severity: a.severity });
      byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
      const line = { alert: { id: a.id, kind: a.kind, severity: a.severity, requestId: a.requestId, channels: routed.get(a.dedupKey) } };
      if (many) o.logger.debug(line, a.title);
      else o.logger.info(line, a.title);
    }
    if (many) o.logger.info({ alerts: { count: inserted.length, byKind } }, `${inserted.length} alerts enqueued`);
    if (inserted.length > 0) kick();
    return inserted.length;
  }

  let evaluating: Promise<number> | null = null;
  let again = false;
  const keys = new AlertKeys(o.chainId, o.slasher);
  function evaluate(seenAtMs?: number): Promise<number> {
    const seen = seenAtMs ?? nowMs();
    if (evaluating) {
      again = true;
      return evaluating;
    }
    let settle!: { resolve: (n: number) => void; reject: (e: unknown) => void };
    const current = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
    evaluating = current;
    void (async () => {
      let n = 0;
      try {
        do {
          again = false;
          // the outbox takes alerts from the start; planning waits for what it looks at
          if (!planSnapshot) return n;
          const { views, health, committeeOwners } = await planSnapshot();
          known ??= await outbox.knownKeys();
          const k = known;
          const drafts = planAlerts({
            chainId: o.chainId,
            slasher: o.slasher,
            views,
            health,
            committeeOwners,
            leadTimesSec: o.leadTimesSec,
            nowSec: nowMs() / 1000,
            known: (key) => k.has(key),
            keys,
            incidents: await outbox.incidents(HEALTH_ALERT_KINDS),
          });
          n += await enqueueMany(k, drafts, seen);
        } while (again && !stopped);
      } finally {
        // cleared in the same turn as the loop's last check: a call after it plans again instead
        // of being handed this pass as it settles (see lib/serialPasses)
        evaluating = null;
      }
      return n;
    })().then(settle.resolve, settle.reject);
    return current;
  }

  async function deliver(d: DueDelivery): Promise<void> {
    const channel = byName.get(d.channel);
    const leaseMs = (o.sendTimeoutMs ?? 10_000) * 3;
    if (!channel) return;
    if (!(await outbox.claim(d, new Date(nowMs() + leaseMs)))) return; // another dispatcher has it
    try {
      // the outbox stores what this module wrote: its kinds and severities are ours
      await channel.send(d.alert as Alert);
      const at = new Date(nowMs());
      await outbox.delivered(d, at);
      o.metrics.alertDeliveries.inc({ channel: d.channel, outcome: 'delivered' });
      o.metrics.alertLatency.observe({ channel: d.channel }, Math.max(0, at.getTime() - d.alert.seenAt.getTime()) / 1000);
    } catch (e) {
      const attempt = d.attempts + 1;
      const giveUp = attempt >= retry.maxAttempts;
      const next = giveUp ? null : new Date(nowMs() + backoffDelay(attempt, retry.baseMs, retry.maxMs));
      const error = describeError(e);
      await outbox.attemptFailed(d, error, next);
      o.metrics.alertDeliveries.inc({ channel: d.channel, outcome: giveUp ? 'failed' : 'error' });
      o.logger.warn({ alertId: d.alert.id, channel: d.channel, attempt, next, err: error }, giveUp ? 'alert delivery failed for good' : 'alert delivery failed, will retry');
    }
  }

  let dispatching: Promise<void> | null = null;
  let redispatch = false;
  function dispatch(): Promise<void> {
    if (dispatching) {
      redispatch = true;
      return dispatching;
    }
    dispatching = (async () => {
      do {
        redispatch = false;
        // a channel this desk does not know stays pending for a desk that does (visible in /api/alerts)
        const due = channels.length ? await outbox.due(new Date(nowMs()), [...byName.keys()], 200) : [];
        // channels in parallel, each channel's alerts in order
        const perChannel = new Map<string, DueDelivery[]>();
        for (const d of due) perChannel.set(d.channel, [...(perChannel.get(d.channel) ?? []), d]);
        await Promise.all([...perChannel.values()].map(async (list) => {
          for (const d of list) await deliver(d);
        }));
        if (due.length === 200) redispatch = true;
      } while (redispatch && !stopped);
      await refreshGauges();
    })()
      .catch((e) => o.logger.error({ err: describeError(e) }, 'alert dispatch failed'))
      .finally(() => {
        dispatching = null;
        // a kick that arrived while the gauges were refreshing must not wait for the timer
        if (redispatch && !stopped) void dispatch();
      });
    return dispatching;
  }

  async function refreshGauges(): Promise<void> {
    const counts = await outbox.countsByChannel();
    o.metrics.alertDeliveriesPending.reset();
    o.metrics.alertDeliveriesFailed.reset();
    for (const c of channels) {
      o.metrics.alertDeliveriesPending.set({ channel: c.name }, 0);
      o.metrics.alertDeliveriesFailed.set({ channel: c.name }, 0);
    }
    for (const c of counts) {
      if (c.state === 'pending') o.metrics.alertDeliveriesPending.set({ channel: c.channel }, c.n);
      if (c.state === 'failed') o.metrics.alertDeliveriesFailed.set({ channel: c.channel }, c.n);
    }
  }

  function kick(): void {
    if (!stopped) void dispatch();
  }

  return {
    evaluate,
    enqueueAlert,
    list: (f) => outbox.list(f),
    channels,
    dispatch,
    start(snapshot?: PlanSnapshot) {
      if (snapshot) planSnapshot = snapshot;
      if (timers.length || stopped) return;
      timers = [
        setInterval(kick, o.dispatchIntervalMs ?? 1000),
        setInterval(() => void evaluate().catch((e) => o.logger.error({ err: describeError(e) }, 'alert planning failed')), o.planIntervalMs ?? 5000),
      ];
      kick();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      timers = [];
      await evaluating?.catch(() => undefined);
      await dispatching;
      for (const c of channels) c.close();
    },
  };
}
