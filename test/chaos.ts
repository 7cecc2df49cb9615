/**
 * `npm run chaos`: the full chaos day (test/helpers/chaosDay.ts) — 50 SIGKILLs of the desk at
 * random points, a 60 s RPC stall besides drops, delays, 429 and 5xx answers, 12 reorgs of depth
 * 1–10, the database gone once, 30 requests (vetoes and let-pass mixed) with a 200-block veto
 * window at a block a second. About 13 minutes.
 * Options: --seed N, --kills N, --requests N. Prints the figures; exits 1 on any problem.
 */
import { runChaosDay } from './helpers/chaosDay';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const report = await runChaosDay({
    seed: arg('seed', 1414),
    kills: arg('kills', 50),
    requests: arg('requests', 30),
    vetoShare: 0.5,
    window: 200,
    upMs: [1_000, 12_000],
    workingShare: 0.6,
    workingMs: [0, 10_000],
    stallMs: 60_000,
    reorgs: 12,
    databaseOutageMs: 5_000,
    rates: { drop: 0.02, delay: 0.05, tooMany: 0.02, serverError: 0.02, maxDelayMs: 2_000 },
    log: (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
  });
  process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}

void main();
