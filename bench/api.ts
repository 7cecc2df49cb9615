/**
 * The API under polling load with 10k requests stored (the bench chain, backfilled first): p50 and
 * p99 of `GET /api/requests` (a page of 100), of one request, and of a page answered 304 from its
 * ETag, each at a fixed 200 requests/s from autocannon; and the desk's resident memory (this
 * process holds the desk: its RSS, with autocannon's share, is printed). Goal p99 ≤ 25 ms, RSS ≤ 200 MB.
 */
import autocannon from 'autocannon';
import { startDesk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase, MAX_LOG_RANGE, REORG_DEPTH } from './measure';
import { DEFAULT_SEED, loadOrSeedChain } from './seed';

export interface ApiLatency {
  name: string;
  path: string;
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export interface ApiBench {
  requestsStored: number;
  series: ApiLatency[];
  rssMb: number;
  goal: string;
  met: boolean;
}

export const API_GOAL_P99_MS = 25;
export const RSS_GOAL_MB = 200;

async function load(url: string, rate: number, seconds: number, headers?: Record<string, string>): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, overallRate: rate, duration: seconds, headers });
}

export async function measureApi(o: { seconds: number; log: (line: string) => void }): Promise<ApiBench> {
  const loaded = await loadOrSeedChain(DEFAULT_SEED, o.log);
  const db = await createBenchDatabase('sqlite', '');
  try {
    const { chain, anvil } = loaded;
    const desk = await startDesk({
      rpcUrls: [anvil.rpcUrl],
      slasher: chain.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      startBlock: chain.deployBlock,
      confirmations: 0,
      pollIntervalMs: 2_000,
      reorgDepth: REORG_DEPTH,
      maxLogRange: MAX_LOG_RANGE,
      logger: createLogger('silent'),
      http: { rateLimit: false },
      follow: false,
    });
    try {
      await desk.ingestor.sync();
      await desk.ingestor.enriched();
      const first = (await (await fetch(`${desk.url}/api/requests`)).json()) as { requests: { requestId: string }[] };
      const id = first.requests[0]!.requestId;
      const etag = (await fetch(`${desk.url}/api/requests`)).headers.get('etag') ?? '';
      const runs: [string, string, Record<string, string> | undefined][] = [
        ['page of 100', '/api/requests', undefined],
        ['page of 100, If-None-Match (304)', '/api/requests', { 'if-none-match': etag }],
        ['one request', `/api/requests/${id}`, undefined],
      ];
      const series: ApiLatency[] = [];
      for (const [name, path, headers] of runs) {
        const r = await load(`${desk.url}${path}`, 200, o.seconds, headers);
        const s = { name, path, rps: 200, requests: r.requests.total, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx - (headers ? r['3xx'] ?? 0 : 0) };
        series.push(s);
        o.log(`  ${name}: ${s.requests} requests at 200/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms${s.non2xx ? `, ${s.non2xx} errors` : ''}`);
      }
      const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
      o.log(`  resident memory of the process holding the desk (and autocannon): ${rssMb} MB`);
      const requestsStored = await desk.database.db.slashingRequest.count();
      return { requestsStored, series, rssMb, goal: `p99 ≤ ${API_GOAL_P99_MS} ms at 200 rps; RSS ≤ ${RSS_GOAL_MB} MB`, met: series.every((s) => s.p99Ms <= API_GOAL_P99_MS) && rssMb <= RSS_GOAL_MB };
    } finally {
      await desk.stop();
    }
  } finally {
    await db.drop();
    await loaded.anvil.stop();
  }
}
