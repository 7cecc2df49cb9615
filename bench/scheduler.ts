/**
 * Deadline-timer timing, on a fresh anvil mining a block every second and a real desk
 * following it (websocket), as in production:
 *  - fulfil lateness: N requests queued by the slasher EOA; the desk holds SLASHER_PRIVATE_KEY and
 *    fulfils each as soon as its window has passed. Per request: block the fulfil landed in minus
 *    the window's end block (goal: every one 0 or 1).
 *  - threshold → veto: M requests vetoed by a real 2-of-3 committee Safe; two owners sign each
 *    veto through the HTTP API. Per request: block the cancel landed in minus the head block when
 *    the second (threshold) signature was accepted (goal ≤ 1). Half reach their threshold one at a
 *    time (each signed once the previous is on chain), half in a burst (all signatures at once).
 *  - interleaved: the common committee pattern — most requests let pass — as 10 × (let-pass,
 *    veto, veto), queued one at a time, each veto signed by two owners (what the desk serves, with
 *    its safeTxHash) once it is seen: half the vetoes come right behind an unsigned request that
 *    ends its window first. Per veto: blocks from the threshold signature to the cancel on chain
 *    (goal: every one ≤ 1, 0 lost); the let-pass requests must be fulfilled by the desk.
 * A request fulfilled by anything but the desk, vetoed twice or never decided throws: a wrong
 * result is not a benchmark.
 */
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startDesk } from '../src/app/desk';
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
  /** vetoes interleaved with let-pass requests; `behindUnsigned` are those right after an unsigned one */
  vetoInterleaved: BlocksStats & { goal: string; met: boolean; behindUnsigned: BlocksStats; lost: number };
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
      const views = async () => ((await (await fetch(`${desk.url}/api/requests?limit=1000`)).json()) as { requests: RequestView[] }).requests;

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

      // interleaved: 10 × (let pass, veto, veto), one at a time as a committee meets them
      o.log('  interleaved: 10 × (let-pass, veto, veto), queued one at a time, each veto signed once it is seen');
      const lagAll: number[] = [];
      const lagBehind: number[] = [];
      const letPass: bigint[] = [];
      const seen = async (id: bigint) => {
        for (let i = 0; i < 200; i++) {
          const r = await fetch(`${desk.url}/api/requests/${id}`);
          if (r.status === 200) {
            const v = (await r.json()) as RequestView;
            if (v.veto && v.deadlines.slashability !== 'pending') return v;
          }
          await sleep(100);
        }
        throw new Error(`request ${id} never seen by the desk`);
      };
      let lost = 0;
      for (let k = 0; k < 10; k++) {
        for (const kind of ['pass', 'veto', 'veto'] as const) {
          const hash = await wallet.writeContract({ address: testbed.slasher, abi: vetoableSlasherAbis.V3, functionName: 'queueSlashingRequest', args: [{ operator: operator!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description: `interleaved ${k} ${kind}` }], gas: 400_000n });
          const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 200 });
          const id = BigInt(receipt.logs.find((l) => getAddress(l.address) === getAddress(testbed.slasher))!.topics[1]!);
          if (kind === 'pass') {
            letPass.push(id);
            continue;
          }
          const behind = lagAll.length % 2 === 0; // the first veto of each triple comes right after the let-pass one
          let v = await seen(id);
          let at = 0;
          for (const owner of owners.slice(0, 2)) {
            const signature = await privateKeyToAccount(owner.privateKey).signTypedData(typedDataFromJson(v.veto!.typedData));
            const res = await fetch(`${desk.url}/api/requests/${id}/veto/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature, safeTxHash: v.veto!.safeTxHash }) });
            if (res.status !== 201) throw new Error(`interleaved: signature refused for request ${id}: ${res.status} ${await res.text()}`);
            if (owner === owners[1]) at = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
            else v = await seen(id);
          }
          const until = Date.now() + 20_000;
          let done: RequestView | undefined;
          while (Date.now() < until) {
            const r = (await (await fetch(`${desk.url}/api/requests/${id}`)).json()) as RequestView;
            if (r.status === 'vetoed' && r.cancelled) {
              done = r;
              break;
            }
            await sleep(100);
          }
          if (!done) {
            lost++;
            continue;
          }
          lagAll.push(done.cancelled!.block - at);
          if (behind) lagBehind.push(done.cancelled!.block - at);
        }
      }
      // the let-pass ones are fulfilled by the desk once their windows close
      const passDeadline = Date.now() + (window + 60) * 1000;
      for (;;) {
        const states = await Promise.all(letPass.map(async (id) => ((await (await fetch(`${desk.url}/api/requests/${id}`)).json()) as RequestView).status));
        if (states.every((st) => st === 'fulfilled')) break;
        if (Date.now() > passDeadline) throw new Error(`interleaved: let-pass requests not fulfilled: ${states.join(', ')}`);
        await sleep(500);
      }
      const il = stats(lagAll.length ? lagAll : [Number.NaN]);
      return {
        vetoInterleaved: { ...il, goal: 'every veto ≤ 1 block from threshold to chain, 0 lost', met: lost === 0 && il.max <= 1, behindUnsigned: stats(lagBehind.length ? lagBehind : [Number.NaN]), lost },
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
