/**
 * Deadline-timer timing (issue 4), on a fresh anvil mining a block every second and a real desk
 * following it (websocket), as in production:
 *  - fulfil lateness: N requests queued by the slasher EOA; the desk holds SLASHER_PRIVATE_KEY and
 *    fulfils each as soon as its window has passed. Per request: block the fulfil landed in minus
 *    the window's end block (goal: every one 0 or 1).
 *  - threshold → veto: M requests vetoed by a real 2-of-3 committee Safe; two owners sign each
 *    veto through the HTTP API. Per request: block the cancel landed in minus the head block when
 *    the second (threshold) signature was accepted (goal ≤ 1). Half reach their threshold one at a
 *    time (each signed once the previous is on chain), half in a burst (all signatures at once).
 * A request fulfilled by anything but the desk, vetoed twice or never decided throws: a wrong
 * result is not a benchmark.
 */
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startDesk } from '../src/desk';
import { anvilDevAccounts, startAnvil } from '../src/devnet/anvil';
import { allocate, deployTestbed, registerOperator, vetoableSlasherAbis } from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';
import { createSafe, deploySafeContracts } from '../src/devnet/safe';
import { createLogger } from '../src/lib/logger';
import { typedDataFromJson } from '../src/safe/safeTx';
import type { RequestView } from '../src/api/views';
import { createBenchDatabase } from './measure';
import { ANVIL_ARGS } from './seed';

export interface BlocksStats {
  count: number;
  /** how many requests per lateness in blocks, e.g. { "0": 48, "1": 2 } */
  histogram: Record<string, number>;
  max: number;
  mean: number;
}

export interface SchedulerBench {
  blockTimeSeconds: number;
  fulfil: BlocksStats & { goal: string; met: boolean };
  /** vetoes reaching their threshold one at a time */
  veto: BlocksStats & { goal: string; met: boolean };
  /** vetoes reaching their threshold together (a burst of signatures) */
  vetoBurst: BlocksStats & { goal: string; met: boolean };
  seconds: number;
}

const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
const WAD = parseEther('1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(values: number[]): BlocksStats {
  const histogram: Record<string, number> = {};
  for (const v of values) histogram[String(v)] = (histogram[String(v)] ?? 0) + 1;
  return { count: values.length, histogram, max: Math.max(...values), mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 };
}

export async function measureScheduler(o: { fulfils: number; vetoes: number; log: (line: string) => void }): Promise<SchedulerBench> {
  const t0 = performance.now();
  const anvil = await startAnvil({ extraArgs: ANVIL_ARGS });
  const db = await createBenchDatabase('sqlite', '');
  try {
    const [keeper, o1, o2, o3, executor, operator] = anvilDevAccounts(6) as { address: Address; privateKey: Hex }[];
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper!.privateKey);
    const contracts = await deploySafeContracts(wallet, publicClient);
    const owners = [o1!, o2!, o3!];
    const safe = await createSafe(wallet, publicClient, contracts, owners.map((x) => x.address), 2);
    const window = 60;
    const testbed = await deployTestbed(wallet, publicClient, { variant: 'V3', vetoWindowBlocks: window, deallocationDelay: 10_000, slasher: keeper!.address, vetoCommittee: safe, avs: AVS });
    const target = { allocationManager: testbed.allocationManager, operator: operator!.address, operatorSet: { avs: AVS, id: 1 } };
    await registerOperator(wallet, publicClient, target);
    await allocate(wallet, publicClient, { ...target, strategy: testbed.strategies[0]!, magnitude: WAD });
    // interval mining from here on: a block every second
    await publicClient.request({ method: 'evm_setAutomine' as never, params: [false] as never });
    await publicClient.request({ method: 'evm_setIntervalMining' as never, params: [1] as never });

    const desk = await startDesk({
      rpcUrls: [anvil.wsUrl],
      slasher: testbed.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      // the bench is the committee signing and polling as fast as it can, not a client to limit
      http: { rateLimit: false },
      confirmations: 0,
      pollIntervalMs: 250,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      vetoes: { executorPrivateKey: executor!.privateKey, contractNetworks: { '31337': contracts as unknown as Record<string, string> } },
      scheduler: { slasherPrivateKey: keeper!.privateKey, leaseTtlMs: 5_000 },
    });
    try {
      const total = o.fulfils + o.vetoes;
      o.log(`  queueing ${total} requests (${o.vetoes} to veto, then ${o.fulfils} to fulfil), window ${window} blocks, 1 s blocks`);
      // all queue transactions at once (explicit nonces), so they land within a block or two
      let nonce = await publicClient.getTransactionCount({ address: keeper!.address, blockTag: 'pending' });
      const hashes: Hex[] = [];
      for (let i = 0; i < total; i++) {
        hashes.push(
          await wallet.writeContract({
            address: testbed.slasher,
            abi: vetoableSlasherAbis.V3,
            functionName: 'queueSlashingRequest',
            args: [{ operator: operator!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description: `bench ${i}` }],
            nonce: nonce++,
            gas: 400_000n,
          }),
        );
      }
      const queued: { id: bigint; block: number }[] = [];
      for (const hash of hashes) {
        const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 200 });
        if (receipt.status !== 'success') throw new Error(`queue transaction ${hash} reverted`);
        const idTopic = receipt.logs.find((l) => getAddress(l.address) === getAddress(testbed.slasher))?.topics[1];
        queued.push({ id: BigInt(idTopic!), block: Number(receipt.blockNumber) });
      }
      // the vetoed requests are the first queued: their vetoes hold the lowest Safe nonces (planned in
      // deadline order), so no unsigned veto of a request left to fulfil blocks them
      const vetoIds = new Set(queued.slice(0, o.vetoes).map((q) => q.id.toString()));
      // the first half reach their threshold one at a time (as a committee signs), the rest in a burst
      const spacedIds = new Set(queued.slice(0, Math.ceil(o.vetoes / 2)).map((q) => q.id.toString()));
      const views = async () => ((await (await fetch(`${desk.url}/api/requests`)).json()) as { requests: RequestView[] }).requests;

      // owners sign each veto, lowest Safe nonce first (a re-plan between reading and signing is
      // answered with SIGNATURE_WRONG_NONCE: read again and sign again); the head block when the
      // threshold signature is accepted is t0
      const thresholdAt = new Map<string, number>();
      while (thresholdAt.size < vetoIds.size) {
        const next = (await views()).filter((v) => vetoIds.has(v.requestId) && v.veto && !thresholdAt.has(v.requestId) && v.veto.status === 'collecting').sort((a, b) => a.veto!.nonce - b.veto!.nonce)[0];
        if (!next) {
          await sleep(100);
          continue;
        }
        const signed = new Set(next.veto!.signatures.map((x) => x.signer.toLowerCase()));
        let replanned = false;
        for (const owner of owners.slice(0, 2)) {
          if (signed.has(owner.address.toLowerCase())) continue;
          const signature = await privateKeyToAccount(owner.privateKey).signTypedData(typedDataFromJson(next.veto!.typedData));
          const res = await fetch(`${desk.url}/api/requests/${next.requestId}/veto/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature }) });
          if (res.status === 422 && (await res.clone().text()).includes('SIGNATURE_WRONG_NONCE')) {
            replanned = true;
            break;
          }
          if (res.status !== 201) throw new Error(`signature refused for request ${next.requestId}: ${res.status} ${await res.text()}`);
          if (owner === owners[1]) thresholdAt.set(next.requestId, Number(await publicClient.getBlockNumber()));
          // spaced phase: one veto at a time, the next signed only once this one is on chain
          if (owner === owners[1] && spacedIds.has(next.requestId)) {
            const until = Date.now() + 15_000;
            while (Date.now() < until && (await views()).find((v) => v.requestId === next.requestId)?.status !== 'vetoed') await sleep(100);
          }
        }
        if (replanned) await sleep(50);
      }

      // wait until every request is decided
      const deadline = Date.now() + (window + total + 60) * 1000;
      let final: RequestView[] = [];
      for (;;) {
        final = (await views()).filter((v) => queued.some((q) => q.id.toString() === v.requestId));
        if (final.length === total && final.every((v) => v.status === 'fulfilled' || v.status === 'vetoed')) break;
        if (Date.now() > deadline) throw new Error(`undecided after the deadline: ${final.filter((v) => v.status !== 'fulfilled' && v.status !== 'vetoed').map((v) => `${v.requestId}:${v.status}`).join(', ')}`);
        await sleep(500);
      }
      const late: number[] = [];
      const vetoLag: number[] = [];
      const burstLag: number[] = [];
      const sent = await desk.database.db.sentTx.findMany({});
      for (const v of final) {
        if (vetoIds.has(v.requestId)) {
          if (v.status !== 'vetoed') throw new Error(`request ${v.requestId} should have been vetoed, is ${v.status}`);
          (spacedIds.has(v.requestId) ? vetoLag : burstLag).push(v.cancelled!.block - thresholdAt.get(v.requestId)!);
        } else {
          if (v.status !== 'fulfilled') throw new Error(`request ${v.requestId} should have been fulfilled, is ${v.status}`);
          const mine = sent.find((s) => s.requestId === v.requestId && s.txHash.toLowerCase() === v.fulfilled!.txHash.toLowerCase());
          if (!mine) throw new Error(`request ${v.requestId} was fulfilled by ${v.fulfilled!.txHash}, not by the desk`);
          late.push(v.fulfilled!.block - v.vetoWindowEnd.block!);
        }
      }
      const f = stats(late);
      const vs = stats(vetoLag);
      const bs = stats(burstLag);
      return {
        blockTimeSeconds: 1,
        fulfil: { ...f, goal: 'every fulfil 0 or 1 block after the window end', met: f.max <= 1 && Math.min(...late) >= 0 },
        veto: { ...vs, goal: '≤ 1 block from threshold to veto', met: vs.max <= 1 },
        vetoBurst: { ...bs, goal: '≤ 1 block from threshold to veto', met: bs.max <= 1 },
        seconds: (performance.now() - t0) / 1000,
      };
    } finally {
      await desk.stop();
    }
  } finally {
    await db.drop();
    await anvil.stop();
  }
}
