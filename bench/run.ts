/**
 * `npm run bench`, seven sections (all by default; `--only <section>` runs one):
 *  - backfill: throughput of the desk over ≥ 10k requests spread across ≥ 20k blocks, next to
 *    the raw eth_getLogs + decode floor measured in the same run on the same node, as a ratio
 *    (goal ≤ 1.3×);
 *  - alerts: event → alert latency (receipt of a queue tx → signed `request_queued` webhook body
 *    on a loopback receiver) over ≥ 100 requests, desk following by websocket and by polling.
 *  - scheduler: fulfil lateness (blocks after the window end) over ≥ 50 requests and blocks from
 *    the threshold signature to the veto, on 1 s blocks (goals: 0 or 1; ≤ 1).
 *  - impact: the RPC calls the impact reads (what a slash takes) add per new request and per
 *    block that moves nothing, with 0 and 20 closed requests (must not grow with them).
 *  - rpc: RPC calls per block, by method, of an idle desk with 6 and with 200 open requests,
 *    counted by a loopback proxy (goal ≤ 3, whatever the number of requests);
 *  - api: p50/p99 of a page, a 304 and one request at 200 requests/s with 10k requests stored
 *    (after a warm-up series, printed), and the desk's RSS beside that of the same desk holding
 *    no request (goals p99 ≤ 25 ms, ≤ 200 MB);
 *  - provider: catch-up of 1,000 requests over 1,000,000 blocks through a proxy with a hosted
 *    provider's latency, eth_getLogs caps and rate limit, against the fewest calls it allows,
 *    and Ponder (installed from npm into .cache/ponder on the first run) through the same limits.
 * Prints figures; never asserts on time. Fails only when a run gives the wrong result.
 *
 *   npm run bench [-- --only backfill|alerts|scheduler|impact|rpc|api|provider] [--idle-blocks 15] [--api-seconds 10]
 *                 [--provider-blocks 1000000] [--provider-requests 1000] [--reps 3] [--postgres] [--no-profile]
 *                 [--alert-requests 100] [--alert-interval-ms 150] [--fulfils 50] [--vetoes 20]
 *
 * --postgres adds the same desk backfill on a fresh PostgreSQL database per run (local server,
 * dropped afterwards); off by default because it doubles the run time.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureDeskBackfill, measureFloor, postgresReachable, type Measurement } from './measure';
import { profileDeskBackfill, type Profile } from './profile';
import { cpuBound, formatReport, GOAL_RATIO, median, writeReport, type BenchReport, type BenchSection, type CpuBound, type Series } from './report';
import { measureAlertLatency } from './alerts';
import { DEFAULT_SEED, loadOrSeedChain } from './seed';
import { measureScheduler } from './scheduler';
import { measureImpactReads } from './impact';
import { measureRpcIdle } from './rpc';
import { measureApi } from './api';
import { measureProviderCatchUp } from './provider';

const RESULTS_FILE = path.resolve(__dirname, '..', '.cache', 'bench-results', 'latest.json');
const POSTGRES_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      reps: { type: 'string', default: '3' },
      postgres: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      'alert-requests': { type: 'string', default: '100' },
      'alert-interval-ms': { type: 'string', default: '150' },
      fulfils: { type: 'string', default: '50' },
      vetoes: { type: 'string', default: '20' },
      'idle-blocks': { type: 'string', default: '15' },
      'api-seconds': { type: 'string', default: '10' },
      'provider-blocks': { type: 'string', default: '1000000' },
      'provider-requests': { type: 'string', default: '1000' },
    },
  });
  const SECTIONS: BenchSection[] = ['backfill', 'alerts', 'scheduler', 'impact', 'rpc', 'api', 'provider'];
  if (values.only !== undefined && !SECTIONS.includes(values.only as BenchSection)) throw new Error(`--only must be one of ${SECTIONS.join(', ')} (got "${values.only}")`);
  const sections: BenchSection[] = values.only ? [values.only as BenchSection] : SECTIONS;
  const alertRequests = Number(values['alert-requests']);
  const alertIntervalMs = Number(values['alert-interval-ms']);
  if (!Number.isInteger(alertRequests) || alertRequests < 1) throw new Error(`--alert-requests must be a positive integer (got "${values['alert-requests']}")`);
  if (!Number.isFinite(alertIntervalMs) || alertIntervalMs < 0) throw new Error(`--alert-interval-ms must be a number of milliseconds ≥ 0 (got "${values['alert-interval-ms']}")`);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // anvil dies with us: stop() on the way out, SIGKILL from startAnvil's exit hook on a signal
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

  const report: BenchReport = { startedAt, node: process.version, sections, series: [], ratios: [], profiles: [], processPeakRssMb: 0 };
  if (sections.includes('backfill')) Object.assign(report, await backfillSection(values, Math.max(1, Number(values.reps))));
  if (sections.includes('alerts')) {
    log(`${sections.length > 1 ? '\n' : ''}alert latency: ${alertRequests} requests, one every ${alertIntervalMs} ms, on a fresh anvil (automine)`);
    const series = await measureAlertLatency({ requests: alertRequests, intervalMs: alertIntervalMs, log });
    report.alerts = { requests: alertRequests, intervalMs: alertIntervalMs, series };
  }
  if (sections.includes('scheduler')) {
    const fulfils = Number(values.fulfils);
    const vetoes = Number(values.vetoes);
    if (!Number.isInteger(fulfils) || fulfils < 1 || !Number.isInteger(vetoes) || vetoes < 1) throw new Error('--fulfils and --vetoes must be positive integers');
    log(`${sections.length > 1 ? '\n' : ''}deadline timers: ${fulfils} fulfils and ${vetoes} vetoes on a fresh anvil mining a block every second`);
    report.scheduler = await measureScheduler({ fulfils, vetoes, log });
  }
  if (sections.includes('impact')) {
    log(`${sections.length > 1 ? '\n' : ''}impact reads: RPC calls per new request and per idle block, with 0 and 20 closed requests (counted on a loopback proxy)`);
    report.impact = await measureImpactReads({ closed: [0, 20], log });
  }
  if (sections.includes('rpc')) {
    const blocks = Number(values['idle-blocks']);
    if (!Number.isInteger(blocks) || blocks < 1) throw new Error('--idle-blocks must be a positive integer');
    log(`${sections.length > 1 ? '\n' : ''}RPC calls per block while idle: a desk (V3, 2-of-3 Safe, executor and slasher keys) following anvil over http, 2 s blocks, through a counting proxy`);
    report.rpc = await measureRpcIdle({ requests: [6, 200], blocks, log });
  }
  if (sections.includes('api')) {
    log(`${sections.length > 1 ? '\n' : ''}API under polling load: the bench chain's requests backfilled into a desk, then 200 requests/s per route (autocannon)`);
    report.api = await measureApi({ seconds: Number(values['api-seconds']), log });
  }
  if (sections.includes('provider')) {
    const blocks = Number(values['provider-blocks']);
    const requests = Number(values['provider-requests']);
    log(`${sections.length > 1 ? '\n' : ''}catch-up through a provider's limits (proxy: 80 ms, eth_getLogs ≤ 2,000 blocks and 10,000 results, HTTP 429 above 50 calls/s)`);
    report.provider = await measureProviderCatchUp({ blocks, requests, log });
  }
  report.processPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log('');
  log(formatReport(report));
  const file = await writeReport(report, RESULTS_FILE);
  log(`\nfigures written to ${path.relative(process.cwd(), file)}; total bench time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function backfillSection(values: { postgres?: boolean; 'no-profile'?: boolean }, reps: number): Promise<Pick<BenchReport, 'chain' | 'series' | 'ratios' | 'cpuBounds' | 'profiles'>> {
  const loaded = await loadOrSeedChain(DEFAULT_SEED, log);
  try {
    const { chain, anvil } = loaded;
    log(
      `chain ${loaded.how} in ${loaded.seconds.toFixed(1)} s: ${chain.params.requests} requests in blocks ${chain.firstRequestBlock}–${chain.lastRequestBlock}, ` +
        `indexing ${chain.deployBlock}–${chain.head} (${chain.head - chain.deployBlock + 1} blocks)`,
    );

    const postgres = values.postgres && (await postgresReachable(POSTGRES_ADMIN_URL));
    if (values.postgres && !postgres) log(`PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: skipping the PostgreSQL series`);

    const floor: Measurement[] = [];
    const sqlite: Measurement[] = [];
    const pg: Measurement[] = [];
    const warm = await measureFloor(anvil.rpcUrl, chain, anvil.pid);
    log(`warm-up floor pass (not counted): ${warm.seconds.toFixed(2)} s, ${warm.getLogsCalls} eth_getLogs calls`);
    // Interleaved, so drift on a shared machine hits every series alike.
    for (let i = 1; i <= reps; i++) {
      floor.push(await measureFloor(anvil.rpcUrl, chain, anvil.pid));
      sqlite.push(await measureDeskBackfill(anvil.rpcUrl, chain, 'sqlite', POSTGRES_ADMIN_URL, anvil.pid));
      if (postgres) pg.push(await measureDeskBackfill(anvil.rpcUrl, chain, 'postgresql', POSTGRES_ADMIN_URL, anvil.pid));
      const last = (s: Measurement[]) => (s.length ? `${s[s.length - 1]!.seconds.toFixed(2)} s` : '-');
      const full = (s: Measurement[]) => (s.length ? ` (complete ${s[s.length - 1]!.completeSeconds?.toFixed(2)} s)` : '');
      log(`  rep ${i}/${reps}: floor ${last(floor)}, desk sqlite ${last(sqlite)}${full(sqlite)}${postgres ? `, desk postgresql ${last(pg)}${full(pg)}` : ''}`);
    }

    const profiles: Profile[] = [];
    if (!values['no-profile']) {
      profiles.push(await profileDeskBackfill(anvil.rpcUrl, chain, 'sqlite', POSTGRES_ADMIN_URL));
      if (postgres) profiles.push(await profileDeskBackfill(anvil.rpcUrl, chain, 'postgresql', POSTGRES_ADMIN_URL));
    }

    // the CPU figures cover `seconds` (until listed) only
    const complete = (runs: Measurement[]) => runs.map((m) => ({ ...m, seconds: m.completeSeconds ?? m.seconds, cpu: undefined }));
    const series: Series[] = [
      { name: 'floor: eth_getLogs + decode', runs: floor },
      { name: 'desk backfill, listed (sqlite)', runs: sqlite },
      { name: '  + strategies read (sqlite)', runs: complete(sqlite) },
      ...(postgres ? [
        { name: 'desk backfill, listed (postgresql)', runs: pg },
        { name: '  + strategies read (postgresql)', runs: complete(pg) },
      ] : []),
    ];
    const floorMedian = median(floor);
    const cores = os.availableParallelism();
    const cpuBounds = [
      cpuBound('desk backfill, listed (sqlite)', sqlite, floorMedian.seconds, cores, false),
      ...(postgres ? [cpuBound('desk backfill, listed (postgresql)', pg, floorMedian.seconds, cores, true)] : []),
    ].filter((b): b is CpuBound => b !== null);
    return {
      chain: {
        how: loaded.how,
        seconds: loaded.seconds,
        stateFile: path.relative(process.cwd(), loaded.stateFile),
        stateMb: Math.round(loaded.stateBytes / 1024 / 1024),
        seed: chain,
      },
      series: series.map((s) => ({ ...s, median: median(s.runs) })),
      ratios: series.slice(1).map((s) => {
        const ratio = median(s.runs).seconds / floorMedian.seconds;
        return { name: `${s.name} / floor`, ratio, goal: GOAL_RATIO, met: ratio <= GOAL_RATIO };
      }),
      cpuBounds,
      profiles,
    };
  } finally {
    await loaded.anvil.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
