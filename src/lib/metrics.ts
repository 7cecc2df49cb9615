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
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpLatency: Histogram<'route'>;
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
  };
}
