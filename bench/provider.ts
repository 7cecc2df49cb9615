/**
 * Catch-up through a hosted provider's limits: a V3 slasher holding N requests spread over M
 * blocks (default 1,000 over 1,000,000), read by a fresh desk through the loopback proxy acting
 * as a provider (80 ms a round trip, eth_getLogs capped at 2,000 blocks and 10,000 results with
 * the providers' error texts, HTTP 429 above a rate). The floor is the fewest eth_getLogs calls
 * the cap allows × the latency ÷ the desk's concurrency (its backfill asks one range at a time);
 * goal ≤ 1.5× it, every request listed, no 429 left to fail a pass. Ponder then indexes the same
 * chain through a fresh proxy of the same limits, told the same rate (bench/ponder.ts).
 */
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { startDesk } from '../src/app/desk';
import { anvilDevAccounts, findFreePort, startAnvil } from '../src/devnet/anvil';
import { allocate, deployTestbed, registerOperator, vetoableSlasherAbis } from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase, REORG_DEPTH } from './measure';
import { PONDER_VERSION, preparePonder, runPonder } from './ponder';
import { startRpcProxy, type ProviderLimits } from './rpcProxy';
import { ANVIL_ARGS, SEED_ANVIL_ARGS } from './seed';

/** one catch-up by a fresh desk */
export interface CatchUp {
  seconds: number;
  ratio: number;
  /** the desk's start before the catch-up (database, migrations, the slasher's reads), and its calls */
  startupSeconds: number;
  startupCalls: number;
  calls: Record<string, number>;
  refused: { rateLimited: number; logRange: number; logResults: number };
  listed: number;
  missed: number;
  passFailures: number;
}

/** the catch-up with the rate learnt from 429s (the figures judged), and the setting beside it */
export interface ProviderBench extends CatchUp {
  blocks: number;
  requests: number;
  latencyMs: number;
  rangeCap: number;
  ratePerSecond: number;
  concurrency: number;
  floorSeconds: number;
  /** the same catch-up by a desk told the provider's rate (RPC_MAX_CALLS_PER_SECOND) */
  configured: CatchUp;
  goal: string;
  met: boolean;
  ponder: string;
}

export const PROVIDER_GOAL_RATIO = 1.5;

const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');

export async function measureProviderCatchUp(o: { blocks: number; requests: number; log: (line: string) => void }): Promise<ProviderBench> {
  const latencyMs = 80;
  const rangeCap = 2_000;
  const ratePerSecond = 50;
  const limits: ProviderLimits = { latencyMs, maxLogRange: rangeCap, maxLogResults: 10_000, maxCallsPerSecond: ratePerSecond };
  // a node that keeps no historical states writes nothing to disk (one that keeps them wrote
  // ≈ 260 kB a block); forked from an empty node, it mines an empty block in ≈ 30–60 µs here,
  // where a node holding the testbed's contracts in its own state took ≈ 2–4 ms (see seed.ts)
  const origin = await startAnvil({ extraArgs: ANVIL_ARGS });
  const anvil = await startAnvil({ extraArgs: [...SEED_ANVIL_ARGS, '--fork-url', origin.rpcUrl] });
  try {
    const [keeper, operator] = anvilDevAccounts(2) as { address: Address; privateKey: Hex }[];
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper!.privateKey);
    const testbed = await deployTestbed(wallet, publicClient, { variant: 'V3', vetoWindowBlocks: 10_000_000, deallocationDelay: 10_000, slasher: keeper!.address, vetoCommittee: keeper!.address, avs: AVS });
    const target = { allocationManager: testbed.allocationManager, operator: operator!.address, operatorSet: { avs: AVS, id: 1 } };
    await registerOperator(wallet, publicClient, target);
    await allocate(wallet, publicClient, { ...target, strategy: testbed.strategies[0]!, magnitude: parseEther('1') });
    const deployBlock = Number(await publicClient.getBlockNumber()) - 10;
    const t0 = performance.now();
    const gap = Math.max(1, Math.floor(o.blocks / o.requests) - 1);
    for (let i = 0; i < o.requests; i++) {
      // no client timeout: mining a thousand blocks can take anvil longer than a request may
      await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'anvil_mine', params: [`0x${gap.toString(16)}`] }) });
      const hash = await wallet.writeContract({
        address: testbed.slasher,
        abi: vetoableSlasherAbis.V3,
        functionName: 'queueSlashingRequest',
        args: [{ operator: operator!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description: `provider ${i}` }],
        gas: 400_000n,
      });
      await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    }
    // the chain ends with empty blocks, so that every request is final to both indexers: Ponder
    // counts a block final 30 blocks down on an unknown chain, and left the request of the head
    // block out (its realtime sync waits for blocks a finished chain never mines)
    await publicClient.request({ method: 'anvil_mine', params: ['0x40'] } as never);
    const head = Number(await publicClient.getBlockNumber());
    o.log(`  chain: ${o.requests} requests over blocks ${deployBlock}–${head} (${head - deployBlock + 1} blocks), built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const blocks = head - deployBlock + 1;
    const concurrency = 1;
    const floorSeconds = (Math.ceil(blocks / rangeCap) * latencyMs) / 1000 / concurrency;
    /** a fresh desk on a fresh database catching up through a fresh proxy */
    const catchUp = async (rpcMaxCallsPerSecond: number | undefined): Promise<CatchUp> => {
      const db = await createBenchDatabase('sqlite', '');
      const proxy = await startRpcProxy(anvil.rpcUrl, limits);
      try {
        const t0 = performance.now();
        const desk = await startDesk({
          rpcUrls: [proxy.url],
          rpcMaxCallsPerSecond,
          slasher: testbed.slasher,
          database: db.target,
          port: 0,
          host: '127.0.0.1',
          startBlock: deployBlock,
          confirmations: 0,
          pollIntervalMs: 60_000,
          reorgDepth: REORG_DEPTH,
          maxLogRange: 10_000,
          logger: createLogger('silent'),
          follow: false,
        });
        try {
          // the goal is judged on the catch-up itself; its start (database, the slasher's reads) is printed beside it, as Ponder's is
          const startupSeconds = (performance.now() - t0) / 1000;
          const startupCalls = proxy.total();
          proxy.reset();
          let passFailures = 0;
          const t1 = performance.now();
          for (let k = 0; k < 5; k++) {
            const ok = await desk.ingestor.sync().then(() => true, () => false);
            if (ok && desk.ingestor.status().indexedBlock === head) break;
            passFailures++;
          }
          await desk.ingestor.enriched();
          const seconds = (performance.now() - t1) / 1000;
          const listed = (await desk.database.db.slashingRequest.count()) as number;
          return { seconds, ratio: seconds / floorSeconds, startupSeconds, startupCalls, calls: proxy.counts(), refused: proxy.refusals(), listed, missed: o.requests - listed, passFailures };
        } finally {
          await desk.stop();
        }
      } finally {
        await proxy.close();
        await db.drop();
      }
    };
    const describe = (c: CatchUp) =>
      `${c.seconds.toFixed(1)} s, ${c.ratio.toFixed(2)}× floor (${(c.startupSeconds + c.seconds).toFixed(1)} s and ${c.startupCalls} calls more from its start); calls: ${Object.entries(c.calls).map(([m, n]) => `${m} ${n}`).join(', ')}; refused: ${c.refused.logRange} range, ${c.refused.logResults} size, ${c.refused.rateLimited} HTTP 429; failed passes ${c.passFailures}; listed ${c.listed}/${o.requests}`;
    const learnt = await catchUp(undefined);
    o.log(`  floor ${floorSeconds.toFixed(1)} s (${Math.ceil(blocks / rangeCap)} eth_getLogs × ${latencyMs} ms ÷ ${concurrency})`);
    o.log(`  desk, rate learnt from 429s: ${describe(learnt)}`);
    const configured = await catchUp(ratePerSecond);
    o.log(`  desk, RPC_MAX_CALLS_PER_SECOND=${ratePerSecond}: ${describe(configured)}`);
    const ponder = await ponderBeside({ rpcUrl: anvil.rpcUrl, chainId: await publicClient.getChainId(), slasher: testbed.slasher, startBlock: deployBlock, endBlock: head, floorSeconds, requests: o.requests, proxy: limits, log: o.log });
    o.log(`  ${ponder}`);
    return {
      blocks,
      requests: o.requests,
      latencyMs,
      rangeCap,
      ratePerSecond,
      concurrency,
      floorSeconds,
      ...learnt,
      configured,
      goal: `≤ ${PROVIDER_GOAL_RATIO}× floor, 0 missed, no failed pass`,
      met: learnt.ratio <= PROVIDER_GOAL_RATIO && learnt.missed === 0 && learnt.passFailures === 0,
      ponder,
    };
  } finally {
    await anvil.stop();
    await origin.stop();
  }
}

/** Ponder over the same chain through a fresh proxy of the same limits, told the same rate (its own default, 50/s); one line for the report. */
async function ponderBeside(o: { rpcUrl: string; chainId: number; slasher: Address; startBlock: number; endBlock: number; floorSeconds: number; requests: number; proxy: ProviderLimits; log: (line: string) => void }): Promise<string> {
  const notReady = preparePonder(o.log);
  if (notReady) return `Ponder: not run side by side (${notReady})`;
  const proxy = await startRpcProxy(o.rpcUrl, o.proxy);
  try {
    let run: Awaited<ReturnType<typeof runPonder>>;
    try {
      run = await runPonder({ rpcUrl: proxy.url, chainId: o.chainId, slasher: o.slasher, startBlock: o.startBlock, endBlock: o.endBlock, maxRequestsPerSecond: o.proxy.maxCallsPerSecond ?? 50, port: await findFreePort(), timeoutMs: 20 * 60_000, requests: o.requests });
    } catch (e) {
      // the desk's figures are already measured: a failure of Ponder's run is a line, not the bench's end
      return `Ponder ${PONDER_VERSION}: failed (${e instanceof Error ? e.message : String(e)})`;
    }
    const { logRange, logResults, rateLimited } = proxy.refusals();
    const tail = `calls: ${Object.entries(proxy.counts()).map(([m, n]) => `${m} ${n}`).join(', ')}; refused: ${logRange} range, ${logResults} size, ${rateLimited} HTTP 429; listed ${run.listed}/${o.requests}`;
    if (run.exitedEarly) return `Ponder ${PONDER_VERSION}: did not finish (${run.exitedEarly}); ${tail}`;
    return `Ponder ${PONDER_VERSION}, same proxy, maxRequestsPerSecond ${o.proxy.maxCallsPerSecond}: ${run.seconds.toFixed(1)} s from its start, ${(run.seconds / o.floorSeconds).toFixed(2)}× floor (${run.indexingSeconds.toFixed(1)} s after its server answered); ${tail}`;
  } finally {
    await proxy.close();
  }
}
