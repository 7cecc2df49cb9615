/** Prints the backfill figures as a table and writes them as JSON. Figures only: no assertions on time. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AlertLatencySeries } from './alerts';
import type { SchedulerBench } from './scheduler';
import type { RpcBench } from './rpc';
import type { ApiBench } from './api';
import type { ProviderBench } from './provider';
import type { Measurement } from './measure';
import type { Profile, ProfileLine } from './profile';
import type { BenchChain } from './seed';

export const GOAL_RATIO = 1.3;

export interface Series {
  name: string;
  runs: Measurement[];
}

export type BenchSection = 'backfill' | 'alerts' | 'scheduler' | 'impact' | 'rpc' | 'api' | 'provider';

export interface BenchReport {
  startedAt: string;
  node: string;
  /** what this run measured (`--only`) */
  sections: BenchSection[];
  /** impact section: RPC calls the impact reads add (bench/impact.ts) */
  impact?: import('./impact').ImpactBenchRow[];
  /** backfill section (absent with `--only alerts`) */
  chain?: { how: 'seeded' | 'loaded'; seconds: number; stateFile: string; stateMb: number; seed: BenchChain };
  series: (Series & { median: Measurement })[];
  ratios: { name: string; ratio: number; goal: number; met: boolean }[];
  /**
   * What the CPU time alone allows: a run needing C ms of CPU over N cores takes at least C/N ms
   * of wall time, and its main thread's M ms at least M ms however the rest is spread.
   */
  cpuBounds?: CpuBound[];
  profiles: Profile[];
  /** alerts section: event → alert latency per transport, milliseconds (absent with `--only backfill`) */
  alerts?: { requests: number; intervalMs: number; series: AlertLatencySeries[] };
  /** scheduler section: fulfil lateness and threshold → veto, in blocks */
  scheduler?: SchedulerBench;
  /** rpc section: calls per block of an idle desk, by method */
  rpc?: RpcBench;
  /** api section: latency under 200 rps with 10k requests, RSS */
  api?: ApiBench;
  /** provider section: catch-up through a hosted provider's limits vs the fewest calls they allow */
  provider?: ProviderBench;
  processPeakRssMb: number;
}

export interface CpuBound {
  name: string;
  cores: number;
  /** medians over the runs: this process (every thread), its main thread, anvil */
  processMs: number;
  mainThreadMs: number | null;
  anvilMs: number | null;
  floorSeconds: number;
  /** (process + anvil) / cores / floor: the lowest ratio the work allows, perfectly parallel */
  allCoresRatio: number | null;
  /** main thread / floor: the lowest ratio while that work stays on one thread */
  mainThreadRatio: number | null;
  /** PostgreSQL's own server processes are not counted */
  excludesDatabaseServer: boolean;
}

/** The CPU bound of a series, against the floor's median wall time. */
export function cpuBound(name: string, runs: Measurement[], floorSeconds: number, cores: number, excludesDatabaseServer: boolean): CpuBound | null {
  const of = (pick: (m: Measurement) => number | null | undefined): number | null => {
    const v = runs.map(pick).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return v.length ? v[Math.floor((v.length - 1) / 2)]! : null;
  };
  const processMs = of((m) => m.cpu?.processMs);
  if (processMs === null) return null;
  const mainThreadMs = of((m) => m.cpu?.mainThreadMs);
  const anvilMs = of((m) => m.cpu?.anvilMs);
  const floorMs = floorSeconds * 1000;
  return {
    name,
    cores,
    processMs,
    mainThreadMs,
    anvilMs,
    floorSeconds,
    allCoresRatio: anvilMs === null ? null : (processMs + anvilMs) / cores / floorMs,
    mainThreadRatio: mainThreadMs === null ? null : mainThreadMs / floorMs,
    excludesDatabaseServer,
  };
}

export function median(runs: Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatReport(r: BenchReport): string {
  const out = r.series.length ? formatBackfill(r) : [];
  if (r.alerts) out.push(...(out.length ? [''] : []), ...formatAlerts(r.alerts));
  if (r.scheduler) out.push(...(out.length ? [''] : []), ...formatScheduler(r.scheduler));
  if (r.rpc) out.push(...(out.length ? [''] : []), ...formatRpc(r.rpc));
  if (r.api) out.push(...(out.length ? [''] : []), ...formatApi(r.api));
  if (r.provider) out.push(...(out.length ? [''] : []), ...formatProvider(r.provider));
  out.push('', `peak RSS of the bench process: ${r.processPeakRssMb} MB (anvil not included)`);
  return out.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

function formatAlerts(a: NonNullable<BenchReport['alerts']>): string[] {
  const rows = [['event → request_queued alert (ms)', 'count', 'min', 'p50', 'p90', 'p99', 'max', 'mean']];
  const ms = (n: number) => fmt(n, 1);
  for (const s of a.series) {
    for (const [what, st] of [
      ['end to end: receipt → signed webhook received', s.endToEnd],
      ['  desk: receipt → seenAt (ingest saw the block)', s.detect],
      ['  desk: seenAt → deliveredAt (plan + outbox + POST)', s.deliver],
    ] as const) {
      rows.push([what, fmt(st.count), ms(st.min), ms(st.p50), ms(st.p90), ms(st.p99), ms(st.max), ms(st.mean)]);
    }
  }
  const out: string[] = [];
  a.series.forEach((s, i) => {
    const t = table([rows[0]!, ...rows.slice(1 + i * 3, 4 + i * 3)]);
    const others = Object.entries(s.otherKinds).map(([k, n]) => `${k} ×${n}`).join(', ');
    out.push(
      `${i ? '\n' : ''}alert latency, ${s.name}: ${s.requests} requests one every ${s.intervalMs} ms, ${s.seconds.toFixed(1)} s; sender's tx round trip p50 ${ms(s.sendMs.p50)} ms` +
        (others ? `; other alerts on the channel: ${others}` : ''),
      ...t,
    );
  });
  return out;
}

function formatBackfill(r: BenchReport): string[] {
  const rows = [['', 'requests', 'blocks', 'logs', 'seconds (median)', 'runs (s)', 'requests/s', 'blocks/s', 'CPU ms node/main/anvil', 'peak RSS MB', 'startup s']];
  const ms = (n: number | null | undefined) => (typeof n === 'number' ? fmt(n) : '?');
  for (const s of r.series) {
    const m = s.median;
    rows.push([
      s.name,
      fmt(m.requests),
      fmt(m.blocks),
      fmt(m.logs),
      fmt(m.seconds, 3),
      s.runs.map((x) => x.seconds.toFixed(2)).join(' / '),
      fmt(m.requests / m.seconds),
      fmt(m.blocks / m.seconds),
      m.cpu ? `${ms(m.cpu.processMs)} / ${ms(m.cpu.mainThreadMs)} / ${ms(m.cpu.anvilMs)}` : '-',
      fmt(Math.max(...s.runs.map((x) => x.peakRssMb))),
      m.startupSeconds === undefined ? '-' : m.startupSeconds.toFixed(2),
    ]);
  }
  const out = [...table(rows), ''];
  for (const q of r.ratios) {
    out.push(`ratio ${q.name}: ${q.ratio.toFixed(2)}×  (goal ≤ ${q.goal}×: ${q.met ? 'met' : 'NOT met'})`);
  }
  for (const b of r.cpuBounds ?? []) {
    const x = (n: number | null) => (n === null ? '?' : `${n.toFixed(2)}×`);
    out.push(
      `CPU bound ${b.name}: ${fmt(b.processMs)} ms node + ${b.anvilMs === null ? '?' : fmt(b.anvilMs)} ms anvil${b.excludesDatabaseServer ? ' (+ the database server, not counted)' : ''} over ${b.cores} cores ≥ ${x(b.allCoresRatio)} the floor however well it overlaps; ` +
        `its main thread alone ${b.mainThreadMs === null ? '?' : fmt(b.mainThreadMs)} ms ≥ ${x(b.mainThreadRatio)}`,
    );
  }
  for (const p of r.profiles) {
    const head = `where the desk's time goes (${p.kind}, one instrumented backfill; nested rows overlap, e.g. db ⊂ store.applyBatch ⊃ http)`;
    out.push('', `${head}: until listed (sync() returned after ${p.syncSeconds.toFixed(2)} s), shares of that:`, ...profileRows(p.listedLines));
    out.push('', `… and until complete (strategies read, slashability re-read: ${p.completeSeconds.toFixed(2)} s), shares of that:`, ...profileRows(p.lines));
  }
  return out;
}

function profileRows(lines: ProfileLine[]): string[] {
  const prow = lines.filter((l) => l.wallMs >= 1).map((l) => [l.what, fmt(l.calls), `${fmt(l.wallMs)} ms`, `${(l.share * 100).toFixed(1)} %`]);
  const pw = [0, 1, 2, 3].map((c) => Math.max(...prow.map((row) => row[c]!.length), 4));
  return prow.map((row) => `  ${row[0]!.padEnd(pw[0]!)}  ${row[1]!.padStart(pw[1]!)} calls  ${row[2]!.padStart(pw[2]!)}  ${row[3]!.padStart(pw[3]!)}`);
}

export async function writeReport(r: BenchReport, file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(r, null, 2));
  return file;
}

function formatScheduler(s: SchedulerBench): string[] {
  const hist = (h: Record<string, number>) => Object.entries(h).sort((a, b) => Number(a[0]) - Number(b[0])).map(([k, v]) => `${k}: ${v}`).join(', ');
  return [
    `deadline timers (${s.blockTimeSeconds} s blocks, desk following by websocket):`,
    `  fulfil lateness, blocks after the window end, over ${s.fulfil.count} requests: {${hist(s.fulfil.histogram)}} (max ${s.fulfil.max}, mean ${s.fulfil.mean}); goal: ${s.fulfil.goal}: ${s.fulfil.met ? 'met' : 'NOT met'}`,
    `  threshold → veto, blocks, one veto at a time, over ${s.veto.count} requests: {${hist(s.veto.histogram)}} (max ${s.veto.max}, mean ${s.veto.mean}); goal: ${s.veto.goal}: ${s.veto.met ? 'met' : 'NOT met'}`,
    `  threshold → veto, blocks, ${s.vetoBurst.count} vetoes reaching their threshold together: {${hist(s.vetoBurst.histogram)}} (max ${s.vetoBurst.max}, mean ${s.vetoBurst.mean}); goal: ${s.vetoBurst.goal}: ${s.vetoBurst.met ? 'met' : 'NOT met'}`,
    `  threshold → veto, blocks, ${s.vetoInterleaved.count} vetoes interleaved with let-pass requests: {${hist(s.vetoInterleaved.histogram)}} (max ${s.vetoInterleaved.max}, mean ${s.vetoInterleaved.mean}; of them right behind an unsigned request: {${hist(s.vetoInterleaved.behindUnsigned.histogram)}}); lost: ${s.vetoInterleaved.lost}; goal: ${s.vetoInterleaved.goal}: ${s.vetoInterleaved.met ? 'met' : 'NOT met'}`,
  ];
}

function formatRpc(b: RpcBench): string[] {
  const out = [`RPC calls per block while idle (${b.blockTimeSeconds} s blocks, http polling), goal ${b.goal}, independent of the request count: ${b.met ? 'met' : 'NOT met'}`];
  for (const r of b.runs) {
    out.push(`  ${String(r.openRequests).padStart(4)} open requests: ${r.callsPerBlock.toFixed(2)} calls per block over ${r.blocks} blocks — ${Object.entries(r.byMethod).map(([m, c]) => `${m} ${c}`).join(', ') || 'none'}`);
  }
  return out;
}

function formatApi(b: ApiBench): string[] {
  const out = [`API with ${b.requestsStored} requests stored, goal ${b.goal}: ${b.met ? 'met' : 'NOT met'}`];
  for (const s of b.series) out.push(`  ${s.name.padEnd(48)} ${String(s.requests).padStart(6)} requests at ${s.rps}/s: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms${s.non2xx ? `, ${s.non2xx} errors` : ''} (event loop p99 ${s.loopP99Ms} ms, max ${s.loopMaxMs} ms)${s.warmUp ? ' — not held to the goal' : ''}`);
  for (const f of b.floor) out.push(`  floor: ${f.name.padEnd(41)} ${String(f.requests).padStart(6)} requests at 200/s: p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (a bare node:http process answering the desk's bytes)`);
  out.push(`  RSS of the desk process: ${b.rssMb} MB after the load (goal ≤ ${200} MB), ${b.peakRssMb} MB at its peak; the same desk holding no request: ${b.emptyRssMb} MB`);
  return out;
}

function formatProvider(b: ProviderBench): string[] {
  return [
    `catch-up through a provider (${b.latencyMs} ms, ${b.rangeCap}-block eth_getLogs cap, 429 above ${b.ratePerSecond}/s), ${b.requests} requests over ${b.blocks} blocks, goal ${b.goal}: ${b.met ? 'met' : 'NOT met'}`,
    `  desk ${b.seconds.toFixed(1)} s vs floor ${b.floorSeconds.toFixed(1)} s: ${b.ratio.toFixed(2)}× (from its start ${(b.startupSeconds + b.seconds).toFixed(1)} s, ${b.startupCalls} calls before the catch-up); listed ${b.listed} (missed ${b.missed}); failed passes ${b.passFailures}; HTTP 429 answered ${b.refused.rateLimited}, ranges refused ${b.refused.logRange}`,
    `  calls: ${Object.entries(b.calls).map(([m, c]) => `${m} ${c}`).join(', ')}`,
    `  told the rate (RPC_MAX_CALLS_PER_SECOND=${b.ratePerSecond}): ${b.configured.seconds.toFixed(1)} s, ${b.configured.ratio.toFixed(2)}×; HTTP 429 answered ${b.configured.refused.rateLimited}; missed ${b.configured.missed}; calls: ${Object.entries(b.configured.calls).map(([m, c]) => `${m} ${c}`).join(', ')}`,
    `  ${b.ponder}`,
  ];
}
