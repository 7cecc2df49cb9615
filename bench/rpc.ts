/**
 * RPC calls per block while nothing happens (a paid RPC bills per call): a real desk with a V3
 * slasher, a 2-of-3 committee Safe, executor and slasher keys set, following anvil mining a block
 * every 2 s over http through a counting proxy. Counted over a stretch of idle blocks with 6 open
 * requests, then again with 200. Goal: ≤ 3 calls per block, whatever the number of requests.
 */
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { startDesk } from '../src/app/desk';
import { anvilDevAccounts, startAnvil } from '../src/devnet/anvil';
import { allocate, deployTestbed, registerOperator, vetoableSlasherAbis } from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';
import { createSafe, deploySafeContracts } from '../src/devnet/safe';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase } from './measure';
import { startRpcProxy } from './rpcProxy';
import { ANVIL_ARGS } from './seed';

export interface RpcIdleRun {
  openRequests: number;
  blocks: number;
  callsPerBlock: number;
  byMethod: Record<string, number>;
}

export interface RpcBench {
  blockTimeSeconds: number;
  goal: string;
  runs: RpcIdleRun[];
  met: boolean;
}

export const RPC_GOAL_CALLS_PER_BLOCK = 3;
const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 100) / 100;

export async function measureRpcIdle(o: { requests: number[]; blocks: number; log: (line: string) => void }): Promise<RpcBench> {
  const blockTime = 2;
  const anvil = await startAnvil({ extraArgs: ANVIL_ARGS });
  const db = await createBenchDatabase('sqlite', '');
  const proxy = await startRpcProxy(anvil.rpcUrl);
  try {
    const [keeper, o1, o2, o3, executor, operator] = anvilDevAccounts(6) as { address: Address; privateKey: Hex }[];
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper!.privateKey);
    const contracts = await deploySafeContracts(wallet, publicClient);
    const safe = await createSafe(wallet, publicClient, contracts, [o1!, o2!, o3!].map((x) => x.address), 2);
    const testbed = await deployTestbed(wallet, publicClient, { variant: 'V3', vetoWindowBlocks: 1_000_000, deallocationDelay: 10_000, slasher: keeper!.address, vetoCommittee: safe, avs: AVS });
    const target = { allocationManager: testbed.allocationManager, operator: operator!.address, operatorSet: { avs: AVS, id: 1 } };
    await registerOperator(wallet, publicClient, target);
    await allocate(wallet, publicClient, { ...target, strategy: testbed.strategies[0]!, magnitude: parseEther('1') });
    let queued = 0;
    /** queues up to `total` requests, all in one block (automine off while they go in) */
    const queueUpTo = async (total: number) => {
      let nonce = await publicClient.getTransactionCount({ address: keeper!.address, blockTag: 'pending' });
      const hashes: Hex[] = [];
      for (; queued < total; queued++) {
        hashes.push(
          await wallet.writeContract({
            address: testbed.slasher,
            abi: vetoableSlasherAbis.V3,
            functionName: 'queueSlashingRequest',
            args: [{ operator: operator!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description: `idle ${queued}` }],
            nonce: nonce++,
            gas: 400_000n,
          }),
        );
      }
      for (const hash of hashes) await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250 });
    };
    await queueUpTo(o.requests[0]!);
    await publicClient.request({ method: 'evm_setAutomine' as never, params: [false] as never });
    await publicClient.request({ method: 'evm_setIntervalMining' as never, params: [blockTime] as never });

    const desk = await startDesk({
      rpcUrls: [proxy.url],
      slasher: testbed.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      http: { rateLimit: false },
      confirmations: 0,
      pollIntervalMs: 2_000,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      vetoes: { executorPrivateKey: executor!.privateKey, contractNetworks: { '31337': contracts as unknown as Record<string, string> } },
      scheduler: { slasherPrivateKey: keeper!.privateKey },
    });
    const runs: RpcIdleRun[] = [];
    try {
      for (const n of o.requests) {
        await queueUpTo(n);
        // settle: the desk lists every request and has read their strategies, then a few blocks more
        for (;;) {
          const r = (await (await fetch(`${desk.url}/api/requests?limit=1000`)).json()) as { requests: unknown[] };
          if (r.requests.length >= n) break;
          await sleep(500);
        }
        await desk.ingestor.enriched();
        await sleep(3 * blockTime * 1000);
        const from = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
        proxy.reset();
        await sleep(o.blocks * blockTime * 1000);
        const to = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
        const counts = proxy.counts();
        const blocks = Math.max(1, to - from);
        const byMethod = Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([m, c]) => [m, round(c / blocks)]));
        const run = { openRequests: n, blocks, callsPerBlock: round(proxy.total() / blocks), byMethod };
        runs.push(run);
        o.log(`  ${n} open requests, ${blocks} idle blocks: ${run.callsPerBlock} calls per block (${Object.entries(byMethod).map(([m, c]) => `${m} ${c}`).join(', ') || 'none'})`);
      }
    } finally {
      await desk.stop();
    }
    return { blockTimeSeconds: blockTime, goal: `≤ ${RPC_GOAL_CALLS_PER_BLOCK} calls per block`, runs, met: runs.every((r) => r.callsPerBlock <= RPC_GOAL_CALLS_PER_BLOCK) };
  } finally {
    await proxy.close();
    await db.drop();
    await anvil.stop();
  }
}
