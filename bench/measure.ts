/**
 * The two measurements the backfill goal compares, against the same node:
 *  - floor: adaptive eth_getLogs over the slasher's topics + decode of every log, nothing else;
 *  - desk: a fresh database, `startDesk(follow: false)`, then one `ingestor.sync()` to the head:
 *    every request stored and listed, its status and veto window exact (V3: the request block is
 *    the log's block); then `ingestor.enriched()`: the strategies read from the getter in the
 *    background and the slashability re-read that follows (`completeSeconds`).
 * A run that indexes a different number of requests than were seeded throws: a wrong result is
 * not a benchmark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';
import { getAddress } from 'viem';
import { createChainClient } from '../src/chain/client';
import { decodeSlasherLog, SLASHER_TOPICS } from '../src/chain/decode';
import { fetchLogRanges } from '../src/chain/logs';
import { startDesk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { DatabaseTarget } from '../src/store/database';
import { expectedRequest, type BenchChain } from './seed';

/** The desk's own backfill ranges (ingest.ts: initial min(2000, maxLogRange), max maxLogRange). */
export const INITIAL_LOG_RANGE = 2_000;
export const MAX_LOG_RANGE = 10_000;
export const REORG_DEPTH = 64;

export interface Measurement {
  seconds: number;
  requests: number;
  blocks: number;
  logs: number;
  /** peak resident set of this process while the measurement ran, sampled every 20 ms */
  peakRssMb: number;
  /** CPU time spent during `seconds` (see cpuMeter) */
  cpu?: CpuTime;
  /** desk only: startDesk (open + migrate the database, read the slasher's facts), not timed in `seconds` */
  startupSeconds?: number;
  getLogsCalls?: number;
  /**
   * desk only: until every request is complete too: the strategies a backfill stores unread,
   * read from the getter in the background, and the slashability re-read that follows
   */
  completeSeconds?: number;
}

export async function measureFloor(rpcUrl: string, chain: BenchChain, anvilPid?: number): Promise<Measurement> {
  const { client, close } = createChainClient({ rpcUrls: [rpcUrl] });
  const rss = sampleRss();
  try {
    const cpu = cpuMeter(anvilPid);
    const started = performance.now();
    let logs = 0;
    let requests = 0;
    let calls = 0;
    for await (const range of fetchLogRanges({
      client,
      address: chain.slasher,
      topic0: SLASHER_TOPICS,
      fromBlock: chain.deployBlock,
      toBlock: chain.head,
      initialRange: INITIAL_LOG_RANGE,
      maxRange: MAX_LOG_RANGE,
    })) {
      calls++;
      for (const raw of range.logs) {
        logs++;
        if (decodeSlasherLog(raw)?.kind === 'queued') requests++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuTime = cpu.stop();
    if (requests !== chain.params.requests) {
      throw new Error(`floor decoded ${requests} SlashingRequested logs, ${chain.params.requests} were seeded`);
    }
    return { seconds, requests, blocks: chain.head - chain.deployBlock + 1, logs, peakRssMb: rss.stop(), getLogsCalls: calls, cpu: cpuTime };
  } finally {
    rss.stop();
    await close();
  }
}

export type DbKind = DatabaseTarget['kind'];

export async function measureDeskBackfill(rpcUrl: string, chain: BenchChain, kind: DbKind, postgresAdminUrl: string, anvilPid?: number): Promise<Measurement> {
  const db = await createBenchDatabase(kind, postgresAdminUrl);
  const rss = sampleRss();
  try {
    const t0 = performance.now();
    const desk = await startDesk({
      rpcUrls: [rpcUrl],
      slasher: chain.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      startBlock: chain.deployBlock,
      confirmations: 0,
      pollIntervalMs: 60_000,
      reorgDepth: REORG_DEPTH,
      maxLogRange: MAX_LOG_RANGE,
      logger: createLogger('silent'),
      follow: false,
    });
    try {
      const cpu = cpuMeter(anvilPid);
      const t1 = performance.now();
      const status = await desk.ingestor.sync();
      const seconds = (performance.now() - t1) / 1000;
      const cpuTime = cpu.stop();
      await desk.ingestor.enriched();
      const completeSeconds = (performance.now() - t1) / 1000;
      if (status.indexedBlock !== chain.head) throw new Error(`desk indexed to block ${status.indexedBlock}, head is ${chain.head}`);
      const requests = await verifyIndexed(desk.database.db, chain);
      return {
        seconds,
        requests,
        blocks: chain.head - chain.deployBlock + 1,
        logs: requests,
        peakRssMb: rss.stop(),
        cpu: cpuTime,
        startupSeconds: (t1 - t0) / 1000,
        completeSeconds,
      };
    } finally {
      await desk.stop();
    }
  } finally {
    rss.stop();
    await db.drop();
  }
}

type DeskDb = Awaited<ReturnType<typeof startDesk>>['database']['db'];

/** Exactly the seeded requests, and a sample of them with the seeded strategies and text. */
export async function verifyIndexed(db: DeskDb, chain: BenchChain): Promise<number> {
  const slasher = getAddress(chain.slasher);
  const count = await db.slashingRequest.count({ where: { slasher } });
  if (count !== chain.params.requests) {
    throw new Error(`the desk indexed ${count} requests, ${chain.params.requests} were seeded`);
  }
  const n = chain.params.requests;
  for (const i of [0, 1, Math.floor(n / 2), n - 1]) {
    const row = await db.slashingRequest.findUnique({ where: { slasher_requestId: { slasher, requestId: String(i) } } });
    const want = expectedRequest(chain, i);
    const got = row && { operator: row.operator, operatorSetId: row.operatorSetId, strategies: JSON.parse(row.strategies) as string[], description: row.description };
    const ok =
      got &&
      getAddress(got.operator) === want.operator &&
      got.operatorSetId === want.operatorSetId &&
      got.description === want.description &&
      got.strategies.map((s) => getAddress(s)).join() === want.strategies.join();
    if (!ok) throw new Error(`request ${i} indexed as ${JSON.stringify(got)}, seeded as ${JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  return count;
}

export interface BenchDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export async function createBenchDatabase(kind: DbKind, postgresAdminUrl: string): Promise<BenchDatabase> {
  const name = `vd_bench_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-bench-'));
    return { target: { kind, url: `file:${path.join(dir, `${name}.db`)}` }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  await adminQuery(postgresAdminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { target: { kind, url: url.toString() }, drop: () => adminQuery(postgresAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function postgresReachable(adminUrl: string): Promise<boolean> {
  return adminQuery(adminUrl, 'SELECT 1').then(
    () => true,
    () => false,
  );
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Peak RSS (MB) of this process between start and the first stop(). */
export function sampleRss(everyMs = 20): { stop(): number } {
  let peak = process.memoryUsage.rss();
  let stopped: number | null = null;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), everyMs);
  timer.unref();
  return {
    stop() {
      if (stopped === null) {
        clearInterval(timer);
        peak = Math.max(peak, process.memoryUsage.rss());
        stopped = Math.round(peak / 1024 / 1024);
      }
      return stopped;
    },
  };
}

export interface CpuTime {
  /** this process, every thread (JS, GC helpers, libuv pool), milliseconds */
  processMs: number;
  /** this process's main (JavaScript) thread alone; null where /proc cannot tell */
  mainThreadMs: number | null;
  /** the anvil node serving the logs; null where /proc cannot tell */
  anvilMs: number | null;
}

/**
 * CPU time from now until stop(): this process (process.cpuUsage), its main thread and the anvil
 * process (Linux /proc, clock ticks of 10 ms: coarse, but a backfill runs for hundreds of them).
 * Wall time cannot beat the CPU a run needs: spread over every core at best, and the main
 * thread's share not spread at all.
 */
export function cpuMeter(anvilPid?: number): { stop(): CpuTime } {
  const tick = 10; // USER_HZ is 100 on Linux
  const ticks = (file: string): number | null => {
    try {
      const fields = fs.readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * tick; // utime + stime
    } catch {
      return null;
    }
  };
  const mainFile = `/proc/self/task/${process.pid}/stat`;
  const anvilFile = anvilPid === undefined ? null : `/proc/${anvilPid}/stat`;
  const usage = process.cpuUsage();
  const main = ticks(mainFile);
  const anvil = anvilFile ? ticks(anvilFile) : null;
  return {
    stop() {
      const u = process.cpuUsage(usage);
      const mainNow = ticks(mainFile);
      const anvilNow = anvilFile ? ticks(anvilFile) : null;
      return {
        processMs: (u.user + u.system) / 1000,
        mainThreadMs: main !== null && mainNow !== null ? mainNow - main : null,
        anvilMs: anvil !== null && anvilNow !== null ? anvilNow - anvil : null,
      };
    },
  };
}
