/**
 * The API under polling load with 10k requests stored (the bench chain, backfilled first): p50 and
 * p99 of `GET /api/requests` (a page of 100), of one request, and of a page answered 304 from its
 * ETag, each at a fixed 200 requests/s from autocannon; then a page of 100 again while a block
 * comes every 2 s (each block is an ingest pass that writes, so the views are computed again).
 * The desk runs in its own process (bench/apiDesk.ts): its resident memory is its own, and the
 * load generator takes nothing from its event loop. Goal p99 ≤ 25 ms, RSS ≤ 200 MB. The same
 * loads against a bare process answering the desk's bytes (bench/apiFloor.ts) give the floor the
 * desk's latencies stand on: the machine's and the load generator's own tail. The RSS of
 * a desk of the same code holding no request, under the same page load, is measured beside it: what
 * the process costs alone, and so what the requests cost.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import type { ApiDeskMessage, ApiDeskStart } from './apiDesk';
import type { FloorAnswer, FloorMessage } from './apiFloor';
import { DEFAULT_SEED, loadOrSeedChain } from './seed';
import { deskLaunch } from './deskLaunch';

export interface ApiLatency {
  name: string;
  path: string;
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** the desk's event loop meanwhile: p99 and longest delay */
  loopP99Ms: number;
  loopMaxMs: number;
  /** the first seconds after the backfill settled: printed, not held to the goal */
  warmUp?: boolean;
}

export interface ApiBench {
  requestsStored: number;
  series: ApiLatency[];
  /** the desk process's resident memory after the load, and its peak since it started */
  rssMb: number;
  peakRssMb: number;
  /** a desk with no request stored, after the same page load: the process's own share */
  emptyRssMb: number;
  /** the same loads against a bare server answering the same bytes (bench/apiFloor.ts): what the machine gives */
  floor: { name: string; requests: number; p50Ms: number; p99Ms: number }[];
  goal: string;
  met: boolean;
}

export const API_GOAL_P99_MS = 25;
const WARM_UP = 'page of 100, right after the backfill (warm-up)';
export const RSS_GOAL_MB = 200;

async function load(url: string, rate: number, seconds: number, headers?: Record<string, string>): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, overallRate: rate, duration: seconds, headers });
}

/** VmRSS and VmHWM of a process, in MB */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

function next(child: ChildProcess, kind: ApiDeskMessage['kind']): Promise<ApiDeskMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ApiDeskMessage) => {
      if (m.kind === 'failed') reject(new Error(`the bench desk failed: ${m.error}`));
      else if (m.kind === kind) resolve(m);
      else return;
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null) => reject(new Error(`the bench desk exited (${code}) before answering ${kind}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * The floor series: the desk's answers recorded, then served by a bare process under the same
 * loads (the desk stays up meanwhile, idle as between its own series).
 */
async function measureFloor(url: string, routes: { name: string; route: string; headers?: Record<string, string> }[], seconds: number): Promise<ApiBench['floor']> {
  const answers: FloorAnswer[] = [];
  for (const route of new Set(routes.map((r) => r.route))) {
    const res = await fetch(`${url}${route}`);
    answers.push({ path: route, body: await res.text(), contentType: res.headers.get('content-type') ?? 'application/json', etag: res.headers.get('etag') ?? '' });
  }
  const child = fork(path.join(__dirname, 'apiFloor.ts'), { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const listening = new Promise<FloorMessage>((resolve, reject) => {
      child.once('message', (m: FloorMessage) => resolve(m));
      child.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
    });
    child.send(answers);
    const { port } = await listening;
    const out: ApiBench['floor'] = [];
    for (const r of routes) {
      const res = await load(`http://127.0.0.1:${port}${r.route}`, 200, seconds, r.headers);
      out.push({ name: r.name, requests: res.requests.total, p50Ms: res.latency.p50, p99Ms: res.latency.p99 });
    }
    return out;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** A bench desk in its own process, settled; `stop` ends it (killed if it does not exit in 15 s). */
async function startBenchDesk(start: ApiDeskStart): Promise<{ child: ChildProcess; started: Extract<ApiDeskMessage, { kind: 'ready' }>; stop(): Promise<void> }> {
  // run as `npm start` runs the desk (its environment and node's flags; BENCH_DESK_NODE_ARGS adds to them)
  const launch = deskLaunch();
  const child = fork(path.join(__dirname, 'apiDesk.ts'), {
    execArgv: [...launch.nodeArgs, ...(process.env.BENCH_DESK_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.send({ kind: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  try {
    const ready = next(child, 'ready');
    child.send(start);
    return { child, started: (await ready) as Extract<ApiDeskMessage, { kind: 'ready' }>, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function measureApi(o: { seconds: number; log: (line: string) => void }): Promise<ApiBench> {
  const loaded = await loadOrSeedChain(DEFAULT_SEED, o.log);
  const { chain, anvil } = loaded;
  let desk: Awaited<ReturnType<typeof startBenchDesk>> | null = null;
  try {
    desk = await startBenchDesk({ rpcUrl: anvil.rpcUrl, slasher: chain.slasher, deployBlock: chain.deployBlock, pollIntervalMs: 2_000 });
    const { child, started } = desk;
    const url = started.url;
    o.log(`  desk settled (pid ${child.pid}): ${started.requestsStored} requests stored, RSS ${memoryOf(child.pid!).rssMb} MB`);
    const first = (await (await fetch(`${url}/api/requests`)).json()) as { requests: { requestId: string }[] };
    const id = first.requests[0]!.requestId;
    const etag = (await fetch(`${url}/api/requests`)).headers.get('etag') ?? '';
    const mineEvery2s = async (during: () => Promise<autocannon.Result>) => {
      const timer = setInterval(() => void fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }) }).catch(() => undefined), 2_000);
      try {
        return await during();
      } finally {
        clearInterval(timer);
      }
    };
    // the first series after the backfill meets what the backfill left (its garbage, code not yet
    // optimised, the first passes over 10k requests): measured and printed, but the goal is the
    // steady state a board polled all day sees
    const runs: [string, string, Record<string, string> | undefined, boolean][] = [
      [WARM_UP, '/api/requests', undefined, false],
      ['page of 100', '/api/requests', undefined, false],
      ['page of 100, If-None-Match (304)', '/api/requests', { 'if-none-match': etag }, false],
      ['one request', `/api/requests/${id}`, undefined, false],
      ['page of 100, a block every 2 s', '/api/requests', undefined, true],
    ];
    const series: ApiLatency[] = [];
    for (const [name, route, headers, mining] of runs) {
      child.send({ kind: 'measure' });
      const run = () => load(`${url}${route}`, 200, o.seconds, headers);
      const r = mining ? await mineEvery2s(run) : await run();
      const loopAnswer = next(child, 'loop');
      child.send({ kind: 'loop' });
      const loop = (await loopAnswer) as Extract<ApiDeskMessage, { kind: 'loop' }>;
      const s: ApiLatency = { name, path: route, rps: 200, requests: r.requests.total, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx - (headers ? (r['3xx'] ?? 0) : 0), loopP99Ms: Math.round(loop.p99Ms), loopMaxMs: Math.round(loop.maxMs), ...(name === WARM_UP ? { warmUp: true } : {}) };
      series.push(s);
      o.log(`  ${name}: ${s.requests} requests at 200/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms${s.non2xx ? `, ${s.non2xx} errors` : ''}; desk event loop delay p99 ${s.loopP99Ms} ms, max ${s.loopMaxMs} ms`);
    }
    const { rssMb, peakMb } = memoryOf(child.pid!);
    const memoryAnswer = next(child, 'memory');
    child.send({ kind: 'memory' });
    const { memory: m, spaces } = (await memoryAnswer) as Extract<ApiDeskMessage, { kind: 'memory' }>;
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    o.log(`  resident memory of the desk process: ${rssMb} MB now, ${peakMb} MB at its peak (backfill included); JS heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB (array buffers ${mb(m.arrayBuffers)} MB)`);
    o.log(`  V8's heap by space, resident (used) MB: ${spaces.filter((x) => x.committed >= 512 * 1024).map((x) => `${x.name.replace(/_space$/, '')} ${mb(x.committed)} (${mb(x.used)})`).join(', ')}`);
    const floor = await measureFloor(
      url,
      runs.filter(([name, , , mining]) => name !== WARM_UP && !mining).map(([name, route, headers]) => ({ name, route, headers })),
      o.seconds,
    );
    for (const f of floor) o.log(`  floor, ${f.name} (a bare node:http process answering the same bytes): p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms`);
    await desk.stop();
    desk = null;

    // the same desk holding no request (it starts indexing at the head), under the same page load
    const head = Number(BigInt(((await (await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) })).json()) as { result: string }).result));
    desk = await startBenchDesk({ rpcUrl: anvil.rpcUrl, slasher: chain.slasher, deployBlock: head, pollIntervalMs: 2_000 });
    await load(`${desk.started.url}/api/requests`, 200, o.seconds);
    const emptyRssMb = memoryOf(desk.child.pid!).rssMb;
    o.log(`  resident memory of the same desk holding ${desk.started.requestsStored} requests, after the same page load: ${emptyRssMb} MB; the ${started.requestsStored} requests account for ${rssMb - emptyRssMb} MB (${(((rssMb - emptyRssMb) * 1024) / Math.max(1, started.requestsStored)).toFixed(1)} kB each)`);
    return {
      requestsStored: started.requestsStored,
      series,
      rssMb,
      peakRssMb: peakMb,
      emptyRssMb,
      floor,
      goal: `p99 ≤ ${API_GOAL_P99_MS} ms at 200 rps; RSS ≤ ${RSS_GOAL_MB} MB`,
      met: series.every((s) => s.warmUp || s.p99Ms <= API_GOAL_P99_MS) && rssMb <= RSS_GOAL_MB,
    };
  } finally {
    await desk?.stop();
    await anvil.stop();
  }
}
