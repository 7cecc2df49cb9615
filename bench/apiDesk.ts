/**
 * The desk of the API bench, in its own process: the load generator's work and memory are not the
 * desk's. Started by bench/api.ts with the bench chain's RPC URL and slasher; it backfills, waits
 * until the desk has nothing left to do (strategies, impacts, one scheduler cycle), answers
 * `{ url }`, and on `stop` answers the event loop's delays measured meanwhile, then exits.
 * With BENCH_DESK_HEAP_SNAPSHOT=<file>, the memory read after the load also writes a heap snapshot
 * there (to see what the resident memory holds).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { startDesk } from '../src/app/desk';
import { keepHeapCompact } from '../src/app/memory';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase, MAX_LOG_RANGE, REORG_DEPTH } from './measure';

export interface ApiDeskStart {
  rpcUrl: string;
  slasher: `0x${string}`;
  deployBlock: number;
  pollIntervalMs: number;
}

export type ApiDeskMessage = { kind: 'ready'; url: string; requestsStored: number; memory: NodeJS.MemoryUsage } | { kind: 'loop'; p99Ms: number; maxMs: number } | { kind: 'memory'; memory: NodeJS.MemoryUsage; spaces: { name: string; committed: number; used: number }[] } | { kind: 'failed'; error: string };

async function main(start: ApiDeskStart): Promise<void> {
  keepHeapCompact(); // as src/main.ts does
  const send = (m: ApiDeskMessage) => process.send?.(m);
  const db = await createBenchDatabase('sqlite', '');
  const desk = await startDesk({
    rpcUrls: [start.rpcUrl],
    slasher: start.slasher,
    database: db.target,
    port: 0,
    host: '127.0.0.1',
    startBlock: start.deployBlock,
    confirmations: 0,
    pollIntervalMs: start.pollIntervalMs,
    reorgDepth: REORG_DEPTH,
    maxLogRange: MAX_LOG_RANGE,
    logger: createLogger('silent'),
    http: { rateLimit: false },
  });
  await desk.ingestor.sync();
  await desk.ingestor.enriched();
  // settled: every impact read, the lapses recorded, one decision over every request
  while ((await desk.impact.refresh()).read > 0);
  await desk.scheduler.evaluate();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  process.on('message', (m: { kind: string }) => {
    if (m.kind === 'measure') {
      loop.reset();
      loop.enable();
    } else if (m.kind === 'memory') {
      // read before a snapshot, whose full collection would change them
      const memory = process.memoryUsage();
      const spaces = getHeapSpaceStatistics().map((x) => ({ name: x.space_name, committed: x.physical_space_size, used: x.space_used_size }));
      if (process.env.BENCH_DESK_HEAP_SNAPSHOT) writeHeapSnapshot(`${process.env.BENCH_DESK_HEAP_SNAPSHOT}.${process.pid}.heapsnapshot`);
      send({ kind: 'memory', memory, spaces });
    } else if (m.kind === 'loop') {
      send({ kind: 'loop', p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 });
      loop.reset();
    } else if (m.kind === 'stop') {
      void desk
        .stop()
        .then(() => db.drop())
        .finally(() => process.exit(0));
    }
  });
  send({ kind: 'ready', url: desk.url, requestsStored: await desk.database.db.slashingRequest.count(), memory: process.memoryUsage() });
}

process.once('message', (start: ApiDeskStart) => {
  main(start).catch((e: unknown) => {
    process.send?.({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies ApiDeskMessage);
    process.exit(1);
  });
});
