/**
 * The chaos day in the suite, shortened (see test/helpers/chaosDay.ts; `npm run chaos` is the full
 * day: 50 kills, a 60 s RPC stall). Here: 6 SIGKILLs of the desk process at random points, an RPC
 * proxy that drops, delays and answers 429/5xx, a 15 s stall, 4 reorgs of depth 1–10, the
 * database gone once, vetoes and let-pass requests mixed: nothing lost, nothing sent twice,
 * every veto and fulfil in time.
 */
import { runChaosDay } from './helpers/chaosDay';

describe('a short chaos day on PostgreSQL', () => {
  it('loses no request, duplicates no transaction, lands every veto and fulfil in time', async () => {
    const report = await runChaosDay({
      seed: Number(process.env.CHAOS_SEED ?? 14),
      kills: 6,
      requests: 4,
      vetoShare: 0.5,
      window: 120,
      upMs: [1_000, 9_000],
      workingShare: 0.5,
      workingMs: [0, 6_000],
      stallMs: 15_000,
      reorgs: 4,
      databaseOutageMs: 4_000,
      rates: { drop: 0.02, delay: 0.05, tooMany: 0.02, serverError: 0.02, maxDelayMs: 1_500 },
      log: process.env.CHAOS_LOG ? (l) => process.stdout.write(`${l}\n`) : undefined,
    });
    process.stdout.write(`chaos (short): ${JSON.stringify(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(6);
    expect(report.reorgs).toHaveLength(4);
    expect(report.requests.vetoed + report.requests.letPass).toBe(4);
    expect([report.lost, report.duplicated, report.late]).toEqual([0, 0, 0]);
  }, 480_000);
});
