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
  // ── alerts (issue 5) ──
  alertsEnqueued: Counter<'kind' | 'severity'>;
  /** outcome: delivered | error (will retry) | failed (gave up) */
  alertDeliveries: Counter<'channel' | 'outcome'>;
  alertDeliveriesPending: Gauge<'channel'>;
  alertDeliveriesFailed: Gauge<'channel'>;
  /** from the desk seeing what the alert is about to the channel accepting it */
  alertLatency: Histogram<'channel'>;
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
  };
}
