/**
 * Event → alert latency: a real desk (`startDesk`, following the chain) on a fresh anvil with
 * automine, its generic webhook configured from the environment alone (`ALERT_WEBHOOK_URL`,
 * `ALERT_WEBHOOK_SECRET` through `loadConfig`), and a loopback receiver that checks the HMAC
 * signature of every body. Requests are queued one at a time at a steady pace; per request:
 *  - t0: the moment the queue transaction's receipt is readable from the node. With automine,
 *    anvil mines the block before `eth_sendRawTransaction` answers, so t0 is taken when the send
 *    returns and confirmed with an immediate `eth_getTransactionReceipt` (polled every 2 ms if it
 *    were ever missing, t0 then being when it appeared). The block timestamp is not used: it has
 *    one-second resolution, coarser than what is measured.
 *  - t1: when the receiver has read the whole signed `request_queued` body.
 * The desk's own stored split comes from `GET /api/alerts`: `seenAt` (the ingest pass that saw
 * the block finished and handed it to the planner) and the webhook delivery's `deliveredAt`.
 * All clocks are this process's wall clock (the desk runs in-process).
 * A missing, duplicated or badly signed alert throws: a wrong result is not a benchmark.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { loadConfig } from '../src/config/config';
import { startDesk, type Desk } from '../src/app/desk';
import { anvilDevAccounts, startAnvil } from '../src/devnet/anvil';
import { allocate, deployTestbed, registerOperator, vetoableSlasherAbis } from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase } from './measure';
import { ANVIL_ARGS } from './seed';

export interface LatencyStats {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface AlertLatencySeries {
  name: string;
  /** how the desk learns of new blocks */
  transport: 'ws' | 'http';
  pollIntervalMs: number;
  requests: number;
  /** pace of the queue transactions */
  intervalMs: number;
  /** t0 (receipt readable) → t1 (signed webhook body received), ms */
  endToEnd: LatencyStats;
  /** desk split, from GET /api/alerts: t0 → seenAt (ingest noticed the block), ms */
  detect: LatencyStats;
  /** desk split: seenAt → deliveredAt (plan, outbox insert, dispatch, HTTP POST), ms */
  deliver: LatencyStats;
  /** eth_sendRawTransaction (and gas/nonce preparation) → t0, ms: what the pace costs the sender */
  sendMs: LatencyStats;
  /** other alert kinds the receiver got meanwhile (they share the channel) */
  otherKinds: Record<string, number>;
  seconds: number;
}

export interface AlertBenchOptions {
  requests: number;
  intervalMs: number;
  log: (line: string) => void;
}

const SECRET = 'bench-webhook-secret';
const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
const WAD = parseEther('1');
const nowMs = () => performance.timeOrigin + performance.now();

/** Nearest-rank percentiles. */
export function latencyStats(values: number[]): LatencyStats {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { count: s.length, min: round(s[0] ?? NaN), p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(s[s.length - 1] ?? NaN), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)) };
}

interface Hit {
  kind: string;
  requestId?: string;
  at: number;
}

/** A loopback webhook receiver verifying `X-Veto-Desk-Signature` on the raw body. */
async function startReceiver(secret: string) {
  const hits: Hit[] = [];
  const problems: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const at = nowMs();
      const raw = Buffer.concat(chunks);
      const want = `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
      const got = req.headers['x-veto-desk-signature'];
      if (typeof got !== 'string' || got.length !== want.length || !crypto.timingSafeEqual(Buffer.from(got), Buffer.from(want))) {
        problems.push(`bad signature ${String(got)}`);
        res.writeHead(401).end('bad signature');
        return;
      }
      try {
        const body = JSON.parse(raw.toString('utf8')) as { kind: string; requestId?: string };
        hits.push({ kind: body.kind, requestId: body.requestId, at });
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      } catch (e) {
        problems.push(`unparsable body: ${String(e)}`);
        res.writeHead(400).end('bad json');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    problems,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export async function measureAlertLatency(o: AlertBenchOptions): Promise<AlertLatencySeries[]> {
  const anvil = await startAnvil({ extraArgs: ANVIL_ARGS });
  try {
    const [keeper, committee, operatorAccount] = anvilDevAccounts(3) as [{ address: Address; privateKey: Hex }, { address: Address }, { address: Address }];
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper.privateKey);
    // a long window and a registered, allocated operator: no reminder, at-risk or lapse alert competes
    const testbed = await deployTestbed(wallet, publicClient, {
      variant: 'V3',
      vetoWindowBlocks: 1_000_000,
      deallocationDelay: 10,
      slasher: keeper.address,
      vetoCommittee: committee.address,
      avs: AVS,
    });
    const operator = operatorAccount.address;
    const target = { allocationManager: testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
    await registerOperator(wallet, publicClient, target);
    for (const strategy of testbed.strategies.slice(0, 2)) await allocate(wallet, publicClient, { ...target, strategy, magnitude: WAD });

    const out: AlertLatencySeries[] = [];
    for (const mode of [
      { name: 'websocket (newHeads pushed)', transport: 'ws' as const, rpcUrl: anvil.wsUrl, pollIntervalMs: 100 },
      { name: 'http (polling every 100 ms)', transport: 'http' as const, rpcUrl: anvil.rpcUrl, pollIntervalMs: 100 },
    ]) {
      const series = await measureOne({ ...o, ...mode, testbed, operator, wallet, publicClient });
      o.log(
        `  ${series.name}: ${series.requests} alerts, end-to-end p50 ${series.endToEnd.p50} ms, p99 ${series.endToEnd.p99} ms, max ${series.endToEnd.max} ms`,
      );
      out.push(series);
    }
    return out;
  } finally {
    await anvil.stop();
  }
}

async function measureOne(
  o: AlertBenchOptions & {
    name: string;
    transport: 'ws' | 'http';
    rpcUrl: string;
    pollIntervalMs: number;
    testbed: Awaited<ReturnType<typeof deployTestbed>>;
    operator: Address;
    wallet: ReturnType<typeof createDevClients>['wallet'];
    publicClient: ReturnType<typeof createDevClients>['publicClient'];
  },
): Promise<AlertLatencySeries> {
  const { testbed, wallet, publicClient } = o;
  const receiver = await startReceiver(SECRET);
  const db = await createBenchDatabase('sqlite', '');
  let desk: Desk | undefined;
  try {
    // the generic webhook exactly as an operator configures it: from the environment alone
    const config = loadConfig({
      RPC_URL: o.rpcUrl,
      SLASHER_ADDRESS: testbed.slasher,
      DATABASE_URL: db.target.url,
      AVS_ADDRESS: AVS,
      POLL_INTERVAL_MS: String(o.pollIntervalMs),
      CONFIRMATIONS: '0',
      ALERT_WEBHOOK_URL: receiver.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    if (config.alerts.channels.length !== 1 || config.alerts.channels[0]!.type !== 'webhook') throw new Error('ALERT_WEBHOOK_URL did not configure the webhook channel');
    desk = await startDesk({
      rpcUrls: [o.rpcUrl],
      slasher: testbed.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      startBlock: Number(testbed.deployBlock),
      confirmations: 0,
      avs: AVS,
      pollIntervalMs: o.pollIntervalMs,
      reorgDepth: 16,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      follow: true,
      // reminders off: with automine's 1 s timestamps the block-time estimate is not meaningful
      alerts: { channels: config.alerts.channels, reminderLeadTimesSec: [] },
    });
    const d = desk;
    if (d.ingestor.status().indexedBlock === null) throw new Error('the desk did not sync at start');

    const t0 = new Map<string, number>();
    const sendMs: number[] = [];
    const started = nowMs();
    for (let i = 0; i < o.requests; i++) {
      // steady pace: request i is sent at started + i × interval (at once if the previous one ran late)
      const due = started + i * o.intervalMs;
      const wait = due - nowMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = nowMs();
      const hash = await wallet.writeContract({
        address: testbed.slasher,
        abi: vetoableSlasherAbis.V3,
        functionName: 'queueSlashingRequest',
        args: [{ operator: o.operator, operatorSetId: 1, strategies: testbed.strategies.slice(0, 2), wadsToSlash: [WAD / 100n, WAD / 200n], description: `bench alert latency #${i}` }],
      });
      let at = nowMs();
      let receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => null);
      while (!receipt) {
        await new Promise((r) => setTimeout(r, 2));
        receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => null);
        at = nowMs();
      }
      if (receipt.status !== 'success') throw new Error(`queue transaction ${hash} reverted`);
      const idTopic = receipt.logs.find((l) => getAddress(l.address) === testbed.slasher)?.topics[1];
      if (!idTopic) throw new Error(`no SlashingRequested log in ${hash}`);
      t0.set(BigInt(idTopic).toString(), at);
      sendMs.push(at - sent);
    }

    const queued = () => receiver.hits.filter((h) => h.kind === 'request_queued' && h.requestId !== undefined && t0.has(h.requestId));
    const deadline = nowMs() + 30_000;
    while (new Set(queued().map((h) => h.requestId)).size < t0.size && nowMs() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // would-be duplicates arrive too
    const seconds = (nowMs() - started) / 1000;
    if (receiver.problems.length) throw new Error(`webhook receiver: ${receiver.problems.slice(0, 3).join('; ')}`);
    const hits = queued();
    const ids = new Set(hits.map((h) => h.requestId));
    if (ids.size !== t0.size) throw new Error(`${o.name}: ${ids.size} of ${t0.size} request_queued alerts reached the webhook within 30 s`);
    if (hits.length !== t0.size) throw new Error(`${o.name}: ${hits.length - t0.size} duplicate request_queued deliveries`);

    const res = await fetch(`${d.url}/api/alerts?kind=request_queued&limit=1000`);
    if (!res.ok) throw new Error(`GET /api/alerts answered ${res.status}`);
    const listed = ((await res.json()) as { alerts: { requestId?: string; seenAt: string; deliveries: { channel: string; deliveredAt: string | null }[] }[] }).alerts;
    const detect: number[] = [];
    const deliver: number[] = [];
    for (const a of listed) {
      const start = a.requestId !== undefined ? t0.get(a.requestId) : undefined;
      const delivered = a.deliveries.find((x) => x.channel === 'webhook')?.deliveredAt;
      if (start === undefined || !delivered) continue;
      const seen = Date.parse(a.seenAt);
      detect.push(seen - start);
      deliver.push(Date.parse(delivered) - seen);
    }
    if (detect.length !== t0.size) throw new Error(`GET /api/alerts lists ${detect.length} delivered request_queued alerts, ${t0.size} were queued`);

    const otherKinds: Record<string, number> = {};
    for (const h of receiver.hits) if (h.kind !== 'request_queued') otherKinds[h.kind] = (otherKinds[h.kind] ?? 0) + 1;
    return {
      name: o.name,
      transport: o.transport,
      pollIntervalMs: o.pollIntervalMs,
      requests: t0.size,
      intervalMs: o.intervalMs,
      endToEnd: latencyStats(hits.map((h) => h.at - t0.get(h.requestId!)!)),
      detect: latencyStats(detect),
      deliver: latencyStats(deliver),
      sendMs: latencyStats(sendMs),
      otherKinds,
      seconds,
    };
  } finally {
    await desk?.stop();
    await receiver.close();
    await db.drop();
  }
}
