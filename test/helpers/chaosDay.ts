/**
 * A scripted day of slashing requests under faults, seeded and bounded, for `npm run chaos` and
 * its shorter in-suite run (test/chaos.int.test.ts).
 *
 * The desk runs as a real process (`src/main.ts`) on PostgreSQL, reading the chain through the
 * JSON-RPC fault proxy (drops, delays, 429, 5xx, and one long stall); anvil mines a block a
 * second. Requests are queued over the day (by the keeper, while the desk is down: the desk sends
 * its fulfils from the same key), the committee signs the vetoes through the desk's API (two of
 * three owners, retrying while the desk is down, as people would), the rest are let pass and must
 * be fulfilled by the desk. Meanwhile the desk is SIGKILLed at random points (startup included),
 * the chain reorganises (depth 1–10, never the blocks of a queued request: a slash that was never
 * queued cannot be lost), and the database goes away once (see `databaseOutage`).
 *
 * Afterwards the chain is read block by block: every request ends vetoed or fulfilled as planned,
 * each by exactly one transaction (execTransaction of the committee Safe, or the fulfil), vetoes
 * inside their window, fulfils within `fulfilSlackBlocks` of the window end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeFunctionData, getAddress, parseAbi, type Hex } from 'viem';
import type { RequestView } from '../../src/api/views';
import { safeAbi } from '../../src/safe/safeTx';
import { createTestDatabase } from './databases';
import { databaseOutage, fulfilSlackBlocks, type ChaosOptions, type ChaosReport } from './chaosParts';
import { spawnDesk, type DeskProcess } from './deskProcess';
import { seededRandom, startRpcProxy, type RpcProxy } from './rpcProxy';
import { signTypedVeto, startSafeFixture, type SafeFixture } from './safeFixture';

const slasherAbi = parseAbi(['function cancelSlashingRequest(uint256)', 'function fulfillSlashingRequest(uint256)', 'function queueSlashingRequest((address,uint32,address[],uint256[],string))']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { fulfilSlackBlocks, type ChaosOptions, type ChaosReport };

interface Planned {
  index: number;
  veto: boolean;
  id?: bigint;
  queuedBlock?: bigint;
  signAtBlock?: bigint;
}

export async function runChaosDay(o: ChaosOptions): Promise<ChaosReport> {
  const log = o.log ?? (() => undefined);
  const random = seededRandom(o.seed);
  const between = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  const t0 = Date.now();
  const problems: string[] = [];
  const f: SafeFixture = await startSafeFixture({ window: o.window, slashable: true });
  const db = await createTestDatabase('postgresql');
  const proxy: RpcProxy = await startRpcProxy(f.anvil.rpcUrl, { seed: o.seed ^ 0x5eed, rates: o.rates });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-chaos-'));
  let desk: DeskProcess | null = null;
  let deskAlive = false;
  let stopping = false;
  let deskRuns = 0;
  const report: ChaosReport = {
    seed: o.seed,
    seconds: 0,
    requests: { vetoed: 0, letPass: 0 },
    kills: 0,
    selfExits: 0,
    killedInStartup: 0,
    killedWhileActing: 0,
    startupMs: { median: 0, max: 0 },
    reorgs: [],
    stallMs: 0,
    databaseOutageMs: 0,
    rpc: proxy.counts,
    signaturesPosted: 0,
    problems,
    lost: 0,
    duplicated: 0,
    late: 0,
    worstFulfilLagBlocks: 0,
    tightestVetoMarginBlocks: Number.POSITIVE_INFINITY,
  };

  // one test-side chain writer at a time (queueing and reorgs must not interleave)
  let chainLock: Promise<unknown> = Promise.resolve();
  const withChain = <T,>(fn: () => Promise<T>): Promise<T> => {
    const run = chainLock.then(fn, fn);
    chainLock = run.catch(() => undefined);
    return run;
  };

  // exactly the share of vetoes, in a seeded order
  const vetoes = new Set<number>();
  while (vetoes.size < Math.round(o.requests * o.vetoShare)) vetoes.add(Math.floor(random() * o.requests));
  const plan: Planned[] = Array.from({ length: o.requests }, (_, index) => ({ index, veto: vetoes.has(index) }));
  // requests are queued in the kill gaps of the first 70 % of the day, a few at a time
  const gaps = Math.max(1, Math.floor(o.kills * 0.7));
  const byGap = new Map<number, Planned[]>();
  for (const p of plan) byGap.set(p.index % gaps, [...(byGap.get(p.index % gaps) ?? []), p]);

  const env = {
    RPC_URL: proxy.url,
    SLASHER_ADDRESS: f.testbed.slasher,
    EXECUTOR_PRIVATE_KEY: f.executor.privateKey,
    SLASHER_PRIVATE_KEY: f.keeperAccount.privateKey,
    DATABASE_URL: db.url,
    POLL_INTERVAL_MS: '500',
    CONFIRMATIONS: '0',
    // kept only when the day finds a problem
    LOG_LEVEL: 'info',
  };

  const startups: number[] = [];
  let serving = false;
  async function spawn(): Promise<DeskProcess> {
    const spawnedAt = Date.now();
    const d = await spawnDesk(env);
    const run = ++deskRuns;
    deskAlive = true;
    serving = false;
    void (async () => {
      while (d.child.exitCode === null && d.child.signalCode === null) {
        const ok = await fetch(`${d.url}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
        if (ok) {
          if (desk === d) serving = true;
          startups.push(Date.now() - spawnedAt);
          return;
        }
        await sleep(200);
      }
    })();
    d.child.once('exit', (code, signal) => {
      if (fs.existsSync(logDir)) fs.writeFileSync(path.join(logDir, `desk-${run}.log`), d.output());
      if (desk === d) deskAlive = false;
      if (signal !== 'SIGKILL' && !stopping) log(`desk run ${run} exited by itself (${code ?? signal})`);
    });
    return d;
  }

  async function queue(p: Planned): Promise<void> {
    await withChain(async () => {
      // the keeper's earlier transactions (and the desk's, same key) out of the pool first
      for (let i = 0; i < 30; i++) {
        const [pending, latest] = await Promise.all([f.publicClient.getTransactionCount({ address: f.keeperAccount.address, blockTag: 'pending' }), f.publicClient.getTransactionCount({ address: f.keeperAccount.address, blockTag: 'latest' })]);
        if (pending === latest) break;
        await sleep(300);
      }
      for (let attempt = 0; ; attempt++) {
        try {
          p.id = await f.queue(`chaos ${p.index} (${p.veto ? 'veto' : 'let pass'})`);
          break;
        } catch (e) {
          if (attempt >= 5) throw e;
          await sleep(500);
        }
      }
      p.queuedBlock = f.queuedAt.get(p.id)!;
      p.signAtBlock = p.queuedBlock + BigInt(between(3, Math.floor(o.window / 3)));
      if (p.veto) report.requests.vetoed++;
      else report.requests.letPass++;
      log(`queued request ${p.id} (${p.veto ? 'veto' : 'let pass'}) at block ${p.queuedBlock} (${Math.round((Date.now() - t0) / 1000)} s)`);
    });
  }

  /** the committee: two owners sign each veto through the desk's API, retrying while it is down */
  async function committee(): Promise<void> {
    while (!stopping) {
      await sleep(700);
      if (!desk || !deskAlive) continue;
      const head = await f.publicClient.getBlockNumber({ cacheTime: 0 }).catch(() => null);
      if (head === null) continue;
      for (const p of plan) {
        if (!p.veto || p.id === undefined || head < p.signAtBlock!) continue;
        if ((await f.slasherStatus(p.id)) !== 0) continue;
        try {
          const r = await fetch(`${desk.url}/api/requests/${p.id}`, { signal: AbortSignal.timeout(3_000) });
          if (r.status !== 200) continue;
          const v = ((await r.json()) as RequestView).veto;
          if (!v || v.status !== 'collecting') continue;
          const have = new Set(v.signatures.filter((s) => !s.stale).map((s) => getAddress(s.signer)));
          for (const owner of f.owners.slice(0, 2)) {
            if (have.has(owner.address)) continue;
            const res = await fetch(`${desk.url}/api/requests/${p.id}/veto/signatures`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ signature: await signTypedVeto(owner.privateKey, v.typedData), safeTxHash: v.safeTxHash }),
              // intake reads the Safe through the faulty proxy: slow under faults, never given up early
              signal: AbortSignal.timeout(20_000),
            });
            report.signaturesPosted++;
            if (res.status !== 201 && res.status !== 409) log(`signature for ${p.id} answered ${res.status} ${(await res.text()).slice(0, 200)}`);
          }
        } catch {
          // the desk went down meanwhile: the next round tries again
        }
      }
    }
  }

  async function reorg(): Promise<void> {
    await withChain(async () => {
      for (let tries = 0; tries < 20; tries++) {
        const head = await f.publicClient.getBlockNumber({ cacheTime: 0 });
        let depth = between(1, 10);
        // never the blocks of a queued request: keep the reorg above the newest one
        const newestQueue = plan.reduce((m, p) => (p.queuedBlock !== undefined && p.queuedBlock > m ? p.queuedBlock : m), 0n);
        depth = Math.min(depth, Number(head - newestQueue));
        if (depth >= 1) {
          await f.publicClient.request({ method: 'anvil_reorg', params: [depth, []] } as never);
          report.reorgs.push(depth);
          log(`reorg of depth ${depth} at head ${head} (${Math.round((Date.now() - t0) / 1000)} s)`);
          return;
        }
        await sleep(1_000);
      }
    });
  }

  /** the faults besides the kills, at seeded times of the day */
  async function faults(dayMs: number): Promise<void> {
    const events: { at: number; run: () => Promise<void>; name: string }[] = [];
    for (let i = 0; i < o.reorgs; i++) events.push({ at: between(0.1 * dayMs, 0.85 * dayMs), run: reorg, name: 'reorg' });
    events.push({ at: between(0.2 * dayMs, 0.5 * dayMs), name: 'stall', run: async () => {
      log(`RPC stall of ${o.stallMs} ms from block ${await f.publicClient.getBlockNumber({ cacheTime: 0 })}`);
      await proxy.stall(o.stallMs);
      report.stallMs = o.stallMs;
    } });
    if (o.databaseOutageMs > 0) events.push({ at: between(0.3 * dayMs, 0.7 * dayMs), name: 'database outage', run: async () => {
      log(`database outage of ${o.databaseOutageMs} ms from block ${await f.publicClient.getBlockNumber({ cacheTime: 0 })}`);
      await databaseOutage(db, o.databaseOutageMs);
      report.databaseOutageMs = o.databaseOutageMs;
    } });
    events.sort((a, b) => a.at - b.at);
    const start = Date.now();
    await Promise.all(events.map(async (e) => {
      await sleep(Math.max(0, start + e.at - Date.now()));
      if (!stopping) await e.run().catch((err: unknown) => problems.push(`${e.name} failed: ${(err as Error).message}`));
    }));
  }

  try {
    await f.publicClient.request({ method: 'evm_setIntervalMining', params: [1] } as never);
    const firstBlock = await f.publicClient.getBlockNumber({ cacheTime: 0 });
    const committeeDone = committee();
    const lifeMs = (1 - o.workingShare) * ((o.upMs[0] + o.upMs[1]) / 2) + o.workingShare * (12_000 + (o.workingMs[0] + o.workingMs[1]) / 2);
    const faultsDone = faults(o.kills * (lifeMs + 1_500));

    // the day: up for a random while (from spawn: kills land in start-up too), SIGKILL, queue in the gap
    for (let k = 0; k < o.kills; k++) {
      desk = await spawn();
      const working = random() < o.workingShare;
      let until = Date.now() + (working ? 120_000 : between(o.upMs[0], o.upMs[1]));
      let acting = false;
      while (Date.now() < until) {
        await sleep(100);
        if (!deskAlive) {
          report.selfExits++;
          await sleep(2_000);
          desk = await spawn();
        }
        if (working && !acting && serving) {
          const h = await fetch(`${desk.url}/api/health`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.json() as Promise<{ scheduler?: { lease?: { holder?: boolean } } }>, () => null);
          if (h?.scheduler?.lease?.holder) {
            acting = true;
            until = Date.now() + between(o.workingMs[0], o.workingMs[1]);
          }
        }
      }
      if (acting) report.killedWhileActing++;
      if (!serving) report.killedInStartup++;
      await desk.kill9();
      deskAlive = false;
      report.kills++;
      for (const p of byGap.get(k) ?? []) await queue(p);
    }
    for (const p of plan) if (p.id === undefined) await queue(p);

    // the rest of the day: the desk stays up until every request is decided on chain
    desk = await spawn();
    const lastQueued = plan.reduce((m, p) => (p.queuedBlock! > m ? p.queuedBlock! : m), 0n);
    const slack = fulfilSlackBlocks(o);
    const deadline = lastQueued + BigInt(o.window + slack);
    for (;;) {
      if (!deskAlive) {
        report.selfExits++;
        await sleep(2_000);
        desk = await spawn();
      }
      const statuses = await Promise.all(plan.map((p) => f.slasherStatus(p.id!)));
      if (statuses.every((s, i) => s === (plan[i]!.veto ? 1 : 2))) break;
      if ((await f.publicClient.getBlockNumber({ cacheTime: 0 })) > deadline + 5n) break;
      await sleep(1_000);
    }
    stopping = true;
    const sorted = [...startups].sort((a, b) => a - b);
    report.startupMs = { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
    await faultsDone;
    await committeeDone;

    // the chain, block by block: who sent what for which request
    const head = await f.publicClient.getBlockNumber({ cacheTime: 0 });
    const vetoTxs = new Map<string, { block: bigint; ok: boolean }[]>();
    const fulfilTxs = new Map<string, { block: bigint; ok: boolean }[]>();
    for (let n = firstBlock; n <= head; n++) {
      const block = await f.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        const from = getAddress(tx.from);
        if (from === f.executor.address) {
          const ok = (await f.publicClient.getTransactionReceipt({ hash: tx.hash })).status === 'success';
          const outer = decodeFunctionData({ abi: safeAbi, data: tx.input });
          const inner = outer.functionName === 'execTransaction' ? decodeFunctionData({ abi: slasherAbi, data: outer.args[2] as Hex }) : null;
          if (!inner || inner.functionName !== 'cancelSlashingRequest') {
            problems.push(`unexpected transaction from the executor: ${tx.hash}`);
            continue;
          }
          const id = String(inner.args[0]);
          vetoTxs.set(id, [...(vetoTxs.get(id) ?? []), { block: n, ok }]);
        } else if (from === f.keeperAccount.address && tx.input.startsWith('0x0b6d4a20')) {
          const ok = (await f.publicClient.getTransactionReceipt({ hash: tx.hash })).status === 'success';
          const id = String(decodeFunctionData({ abi: slasherAbi, data: tx.input }).args[0]);
          fulfilTxs.set(id, [...(fulfilTxs.get(id) ?? []), { block: n, ok }]);
        }
      }
    }
    for (const p of plan) {
      const id = String(p.id);
      const windowEnd = p.queuedBlock! + BigInt(o.window);
      const status = await f.slasherStatus(p.id!);
      const vetoes = vetoTxs.get(id) ?? [];
      const fulfils = fulfilTxs.get(id) ?? [];
      const mine = p.veto ? vetoes : fulfils;
      const other = p.veto ? fulfils : vetoes;
      if (status !== (p.veto ? 1 : 2)) {
        report.lost++;
        problems.push(`request ${id} (${p.veto ? 'veto' : 'let pass'}) ended in status ${status}`);
      }
      if (mine.length > 1 || other.length > 0) {
        report.duplicated += mine.length - 1 + other.length;
        problems.push(`request ${id}: ${vetoes.length} veto and ${fulfils.length} fulfil transactions`);
      }
      const landed = mine.find((t) => t.ok);
      if (!landed) continue;
      log(`request ${id}: ${p.veto ? 'veto' : 'fulfil'} landed at block ${landed.block}, window ${p.queuedBlock}..${windowEnd}${p.veto ? `, signing from block ${p.signAtBlock}` : ''}`);
      if (p.veto) {
        report.tightestVetoMarginBlocks = Math.min(report.tightestVetoMarginBlocks, Number(windowEnd - landed.block));
        if (landed.block >= windowEnd) (report.late++, problems.push(`veto of ${id} landed at ${landed.block}, window ended at ${windowEnd}`));
      } else {
        report.worstFulfilLagBlocks = Math.max(report.worstFulfilLagBlocks, Number(landed.block - windowEnd));
        if (landed.block > windowEnd + BigInt(slack)) (report.late++, problems.push(`fulfil of ${id} landed at ${landed.block}, ${landed.block - windowEnd} blocks after its window end`));
      }
    }
    // and the desk agrees with the chain (within a few of its passes)
    let disagree: string[] = [];
    for (let i = 0; i < 30; i++) {
      disagree = [];
      for (const p of plan) {
        const r = await fetch(`${desk.url}/api/requests/${p.id}`).then((x) => x.json() as Promise<RequestView>).catch(() => null);
        if (r?.status !== (p.veto ? 'vetoed' : 'fulfilled')) disagree.push(`the desk shows request ${p.id} as ${r?.status ?? 'missing'}`);
      }
      if (disagree.length === 0) break;
      await sleep(1_000);
    }
    problems.push(...disagree);
    if (problems.length > 0) log(`desk logs kept in ${logDir}`);
    else fs.rmSync(logDir, { recursive: true, force: true });
  } finally {
    stopping = true;
    await desk?.stop().catch(() => undefined);
    await proxy.close();
    await db.drop().catch(() => undefined);
    await f.stop();
  }
  report.seconds = Math.round((Date.now() - t0) / 1000);
  return report;
}
