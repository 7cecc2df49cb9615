/**
 * The RPC calls the impact reads add (what a slash takes, where the funds go), counted on a
 * loopback JSON-RPC proxy in front of anvil by selector, so the count is independent of the
 * desk's own bookkeeping: per new request, and per block that changes nothing — with no closed
 * requests and with many (the reads are for open requests only, so closed ones must not add any).
 * Counts, not times: the figures are exact and the same on every run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeFunctionData, getAddress, multicall3Abi, parseEther, toFunctionSelector, type Address, type Hex } from 'viem';
import { anvilDevAccounts, startAnvil } from '../src/devnet/anvil';
import { createDevClients } from '../src/devnet/devnet';
import { allocate, cancelRequest, deployTestbed, queueRequest, registerOperator, setOperatorShares } from '../src/devnet/deploy';
import { startDesk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../src/store/database';

/** A fresh SQLite file per run (the counts do not depend on the database). */
async function createTestDatabaseLike(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-bench-impact-'));
  return { target: { kind: 'sqlite', url: `file:${path.join(dir, 'impact.db')}` }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
const WAD = parseEther('1');

/** Every call the impact reader (and the token reader it uses) can make, by selector. */
const IMPACT_SELECTORS = new Map(
  [
    'getAllocatedStake((address,uint32),address[],address[])',
    'getMinimumSlashableStake((address,uint32),address[],address[],uint32)',
    'isRedistributingOperatorSet((address,uint32))',
    'getRedistributionRecipient((address,uint32))',
    'sharesToUnderlyingView(uint256)',
    'underlyingToken()',
    'symbol()',
    'decimals()',
  ].map((sig) => [toFunctionSelector(sig), sig.slice(0, sig.indexOf('('))]),
);

/** The selectors of the view calls an eth_call carries: itself, or the calls inside a Multicall3 aggregate3. */
function innerSelectors(data: string): string[] {
  if (data.startsWith('0x82ad56cb')) {
    try {
      const { args } = decodeFunctionData({ abi: multicall3Abi, data: data as Hex });
      return (args[0] as readonly { callData: Hex }[]).map((c) => c.callData.slice(0, 10));
    } catch {
      return [];
    }
  }
  return [data.slice(0, 10)];
}

interface Counter {
  ethCalls: number;
  /** eth_calls that carried impact reads (a multicall counts once) */
  impactCalls: number;
  /** the view calls inside them */
  impactViews: number;
  /** HTTP round trips that carried at least one impact call */
  impactRoundTrips: number;
  all: number;
}

/** A loopback proxy that forwards to `target` and counts what passes. */
async function countingProxy(target: string): Promise<{ url: string; counter: Counter; reset(): Counter; close(): Promise<void> }> {
  let counter: Counter = { ethCalls: 0, impactCalls: 0, impactViews: 0, impactRoundTrips: 0, all: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const parsed = JSON.parse(body) as unknown;
        const calls = (Array.isArray(parsed) ? parsed : [parsed]) as { method?: string; params?: { data?: string; input?: string }[] }[];
        let impact = 0;
        for (const c of calls) {
          counter.all++;
          if (c.method !== 'eth_call') continue;
          counter.ethCalls++;
          const data = c.params?.[0]?.data ?? c.params?.[0]?.input ?? '';
          const views = innerSelectors(data).filter((sel) => IMPACT_SELECTORS.has(sel as `0x${string}`)).length;
          if (views > 0) impact++;
          counter.impactViews += views;
        }
        counter.impactCalls += impact;
        if (impact > 0) counter.impactRoundTrips++;
      } catch {
        /* forwarded as is */
      }
      void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get counter() {
      return counter;
    },
    reset() {
      const c = counter;
      counter = { ethCalls: 0, impactCalls: 0, impactViews: 0, impactRoundTrips: 0, all: 0 };
      return c;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ImpactBenchRow {
  closedRequests: number;
  /** impact eth_calls for one new request (its set, strategies and tokens read before) */
  perNewRequest: Counter;
  /** impact eth_calls for a block that moved nothing */
  perIdleBlock: Counter;
  /** impact eth_calls for one pass that finds 20 new requests */
  perTwentyNewRequests: Counter;
}

export async function measureImpactReads(o: { closed: number[]; log: (line: string) => void }): Promise<ImpactBenchRow[]> {
  const rows: ImpactBenchRow[] = [];
  for (const closed of o.closed) rows.push(await measureOnce(closed));
  o.log('  closed requests | impact eth_calls per new request (views inside, round trips) | per idle block | all RPC per idle block');
  for (const r of rows) {
    o.log(`  ${String(r.closedRequests).padStart(15)} | ${String(r.perNewRequest.impactCalls).padStart(18)} (${r.perNewRequest.impactViews} views, ${r.perNewRequest.impactRoundTrips} round trips) | ${String(r.perIdleBlock.impactCalls).padStart(14)} | ${r.perIdleBlock.all}`);
  }
  for (const r of rows) o.log(`  ${r.closedRequests} closed: one pass finding 20 new requests: ${r.perTwentyNewRequests.impactCalls} impact eth_calls (${r.perTwentyNewRequests.impactViews} views)`);
  const base = rows[0]!;
  for (const r of rows.slice(1)) {
    const ratio = base.perNewRequest.impactCalls === 0 ? 'n/a' : (r.perNewRequest.impactCalls / base.perNewRequest.impactCalls).toFixed(2);
    o.log(`  ${r.closedRequests} closed vs ${base.closedRequests}: per new request ×${ratio}, per idle block ${r.perIdleBlock.impactCalls} vs ${base.perIdleBlock.impactCalls}`);
  }
  return rows;

  async function measureOnce(closedCount: number): Promise<ImpactBenchRow> {
    const anvil = await startAnvil({});
    const proxy = await countingProxy(anvil.rpcUrl);
    const db = await createTestDatabaseLike();
    const accounts = anvilDevAccounts(6);
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, accounts[0]!.privateKey);
    const { wallet: committee } = createDevClients(anvil.rpcUrl, accounts[1]!.privateKey);
    try {
      const testbed = await deployTestbed(wallet, publicClient, { variant: 'V3', vetoWindowBlocks: 50, deallocationDelay: 10, slasher: accounts[0]!.address, vetoCommittee: accounts[1]!.address, avs: AVS });
      const operator = accounts[5]!.address;
      const target = { allocationManager: testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
      const strategies = testbed.strategies.slice(0, 2);
      await registerOperator(wallet, publicClient, target);
      for (const strategy of strategies) await allocate(wallet, publicClient, { ...target, strategy, magnitude: WAD });
      await setOperatorShares(wallet, publicClient, { allocationManager: testbed.allocationManager, operator, strategies, shares: [1_000n * WAD, 1_000n * WAD] });
      const queue = async (i: number) => (await queueRequest(wallet, publicClient, { slasher: testbed.slasher, request: { operator, operatorSetId: 1, strategies, wadsToSlash: [WAD / 100n, WAD / 100n], description: `bench impact #${i}` } })).requestId;
      const desk = await startDesk({ rpcUrls: [proxy.url], slasher: testbed.slasher, database: db.target, port: 0, host: '127.0.0.1', startBlock: Number(testbed.deployBlock), confirmations: 0, avs: AVS, pollIntervalMs: 60_000, reorgDepth: 16, maxLogRange: 10_000, logger: createLogger('silent'), follow: false, http: { rateLimit: false } });
      try {
        const step = async () => {
          await desk.ingestor.sync();
          await desk.impact.refresh();
        };
        // closed requests: read while open, then vetoed
        for (let i = 0; i < closedCount; i++) {
          const id = await queue(i);
          await step();
          await cancelRequest(committee, publicClient, { slasher: testbed.slasher, requestId: id });
        }
        // a first open request: the set's redistribution and the tokens are remembered after it
        await queue(-1);
        await step();
        await step();
        proxy.reset();
        await queue(closedCount);
        await step();
        const perNewRequest = proxy.reset();
        await publicClient.request({ method: 'anvil_mine', params: ['0x1'] } as never);
        await step();
        const perIdleBlock = proxy.reset();
        for (let i = 0; i < 20; i++) await queue(1_000 + i);
        await step();
        const perTwentyNewRequests = proxy.reset();
        return { closedRequests: closedCount, perNewRequest, perIdleBlock, perTwentyNewRequests };
      } finally {
        await desk.stop();
      }
    } finally {
      await proxy.close();
      await anvil.stop();
      await db.drop();
    }
  }
}
