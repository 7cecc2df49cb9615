import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the desk exports. Each call to `createMetrics` owns a fresh registry. */
export interface Metrics {
  registry: Registry;
  /** latest block number the RPC reported */
  headBlock: Gauge;
  /** highest block whose logs are committed to the store */
  indexedBlock: Gauge;
  /** headBlock − indexedBlock */
  lagBlocks: Gauge;
  requestsByStatus: Gauge<'status'>;
  /** outcome: ok | error | retry (set by the RPC wrapper) */
  rpcRequests: Counter<'method' | 'outcome'>;
  rpcLatency: Histogram<'method'>;
  reorgs: Counter;
  reorgDepth: Histogram;
  logsIngested: Counter<'event'>;
  backfillBlocks: Counter;
  strategiesRead: Counter;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpLatency: Histogram<'route'>;
  // ── alerts ──
  alertsEnqueued: Counter<'kind' | 'severity'>;
  /** outcome: delivered | error (will retry) | failed (gave up) */
  alertDeliveries: Counter<'channel' | 'outcome'>;
  alertDeliveriesPending: Gauge<'channel'>;
  alertDeliveriesFailed: Gauge<'channel'>;
  /** from the desk seeing what the alert is about to the channel accepting it */
  alertLatency: Histogram<'channel'>;
  // ── on-call: the scheduler, what the desk sends, its accounts, the nearest deadline ──
  /** outcome: ok | error */
  schedulerPasses: Counter<'outcome'>;
  /** unix seconds of the last scheduler pass that finished (ok or not) */
  schedulerLastPass: Gauge;
  schedulerPassDuration: Histogram;
  /**
   * purpose: fulfil | fulfil_burn (the slasher key's own transactions), veto | fulfil_safe (Safe
   * execTransactions); outcome: sent | refused | bumped | mined | reverted | dropped (own
   * transactions), executed | failed (Safe transactions)
   */
  sends: Counter<'purpose' | 'outcome'>;
  /** ether held by each sending account, by role (executor | slasher) */
  accountBalance: Gauge<'role' | 'account'>;
  /** blocks until the nearest veto window end among requests in their window; +Inf when none */
  nearestWindowEndBlocks: Gauge;
  nearestWindowEndSeconds: Gauge;
  /** blocks until the nearest last useful block L among open requests; +Inf when none is bounded */
  nearestLastUsefulBlocks: Gauge;
  nearestLastUsefulSeconds: Gauge;
  /** open requests whose stake escapes before their window ends (the API's `atRisk`) */
  requestsStakeEscapesFirst: Gauge;
  /** 1 when the endpoint answered its last call, 0 when it could not be reached */
  rpcEndpointUp: Gauge<'endpoint'>;
  /** unix seconds of the last ingest pass that read the chain's head */
  lastSynced: Gauge;
  /** 1 while this desk holds the actor lease (it alone sends) */
  leaseHeld: Gauge;
}

export const METRIC_PREFIX = 'vetodesk_';

/**
 * Creates the desk's metrics on their own registry (not prom-client's global one), so tests can
 * create as many as they like, with the default process metrics under the same prefix.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.headBlock.set(1234);
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];
  const name = (n: string): string => `${METRIC_PREFIX}${n}`;

  return {
    registry,
    headBlock: new Gauge({
      name: name('head_block'),
      help: 'Latest block number reported by the RPC',
      registers,
    }),
    indexedBlock: new Gauge({
      name: name('indexed_block'),
      help: 'Highest block whose logs are committed to the store',
      registers,
    }),
    lagBlocks: new Gauge({
      name: name('lag_blocks'),
      help: 'Head block minus indexed block',
      registers,
    }),
    requestsByStatus: new Gauge({
      name: name('requests'),
      help: 'Slashing requests known to the desk, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    rpcRequests: new Counter({
      name: name('rpc_requests_total'),
      help: 'JSON-RPC calls made, by method and outcome',
      labelNames: ['method', 'outcome'] as const,
      registers,
    }),
    rpcLatency: new Histogram({
      name: name('rpc_request_duration_seconds'),
      help: 'JSON-RPC call latency, by method',
      labelNames: ['method'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    reorgs: new Counter({
      name: name('reorgs_total'),
      help: 'Chain reorganisations reverted',
      registers,
    }),
    reorgDepth: new Histogram({
      name: name('reorg_depth_blocks'),
      help: 'Depth of reverted reorganisations, in blocks',
      buckets: [1, 2, 3, 5, 8, 13, 21, 34, 64, 128],
      registers,
    }),
    strategiesRead: new Counter({
      name: name('strategies_read_total'),
      help: 'Requests stored by a backfill without strategies whose strategies were then read from the getter',
      registers,
    }),
    logsIngested: new Counter({
      name: name('logs_ingested_total'),
      help: 'Contract logs ingested, by event name',
      labelNames: ['event'] as const,
      registers,
    }),
    backfillBlocks: new Counter({
      name: name('backfill_blocks_total'),
      help: 'Blocks scanned by the historical backfill',
      registers,
    }),
    httpRequests: new Counter({
      name: name('http_requests_total'),
      help: 'HTTP requests served, by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpLatency: new Histogram({
      name: name('http_request_duration_seconds'),
      help: 'HTTP request latency, by route',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    alertsEnqueued: new Counter({
      name: name('alerts_enqueued_total'),
      help: 'Alerts written to the outbox by this process, by kind and severity',
      labelNames: ['kind', 'severity'] as const,
      registers,
    }),
    alertDeliveries: new Counter({
      name: name('alert_deliveries_total'),
      help: 'Alert delivery attempts, by channel and outcome (delivered, error = will retry, failed = gave up)',
      labelNames: ['channel', 'outcome'] as const,
      registers,
    }),
    alertDeliveriesPending: new Gauge({
      name: name('alert_deliveries_pending'),
      help: 'Alert deliveries waiting in the outbox, by channel',
      labelNames: ['channel'] as const,
      registers,
    }),
    alertDeliveriesFailed: new Gauge({
      name: name('alert_deliveries_failed'),
      help: 'Alert deliveries given up after the last retry, by channel',
      labelNames: ['channel'] as const,
      registers,
    }),
    alertLatency: new Histogram({
      name: name('alert_latency_seconds'),
      help: 'Seconds from the desk seeing an event to the channel accepting its alert',
      labelNames: ['channel'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 1800],
      registers,
    }),
    schedulerPasses: new Counter({
      name: name('scheduler_passes_total'),
      help: 'Deadline-timer passes over the open requests, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    schedulerLastPass: new Gauge({
      name: name('scheduler_last_pass_timestamp_seconds'),
      help: 'Unix time at which the last deadline-timer pass finished',
      registers,
    }),
    schedulerPassDuration: new Histogram({
      name: name('scheduler_pass_duration_seconds'),
      help: 'Duration of deadline-timer passes',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    sends: new Counter({
      name: name('sends_total'),
      help: 'Transactions the desk sent or executed and how they ended, by purpose (fulfil, fulfil_burn, veto, fulfil_safe) and outcome',
      labelNames: ['purpose', 'outcome'] as const,
      registers,
    }),
    accountBalance: new Gauge({
      name: name('account_balance_eth'),
      help: 'Ether held by each account the desk sends from, by role (executor, slasher)',
      labelNames: ['role', 'account'] as const,
      registers,
    }),
    nearestWindowEndBlocks: new Gauge({
      name: name('nearest_window_end_blocks'),
      help: 'Blocks until the nearest veto window end among requests in their window (+Inf when none)',
      registers,
    }),
    nearestWindowEndSeconds: new Gauge({
      name: name('nearest_window_end_seconds'),
      help: 'Estimated seconds until the nearest veto window end among requests in their window (+Inf when none)',
      registers,
    }),
    nearestLastUsefulBlocks: new Gauge({
      name: name('nearest_last_useful_blocks'),
      help: 'Blocks until the nearest last useful block L among open requests (+Inf when no L is bounded)',
      registers,
    }),
    nearestLastUsefulSeconds: new Gauge({
      name: name('nearest_last_useful_seconds'),
      help: 'Estimated seconds until the nearest last useful block L among open requests (+Inf when no L is bounded)',
      registers,
    }),
    requestsStakeEscapesFirst: new Gauge({
      name: name('requests_stake_escapes_first'),
      help: 'Open requests whose stake leaves before their veto window ends (the slash cannot land in time)',
      registers,
    }),
    rpcEndpointUp: new Gauge({
      name: name('rpc_endpoint_up'),
      help: 'Whether the RPC endpoint (redacted) answered its last call: 1 yes, 0 unreachable',
      labelNames: ['endpoint'] as const,
      registers,
    }),
    lastSynced: new Gauge({
      name: name('last_synced_timestamp_seconds'),
      help: 'Unix time of the last ingest pass that read the chain head',
      registers,
    }),
    leaseHeld: new Gauge({
      name: name('actor_lease_held'),
      help: 'Whether this desk holds the actor lease and so is the one that sends (1) or stands by (0)',
      registers,
    }),
  };
}
