/**
 * The chain client's transport against a real loopback JSON-RPC server: every call is told to
 * `observe` (the metrics), and an HTTP 429 is waited out and tried again, not surfaced; against
 * anvil, a configured rate splits a batch into paces and keeps every answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChainClient } from '../src/chain/client';
import { startAnvil } from '../src/devnet/anvil';
import { startRpcProxy } from './helpers/rpcProxy';

async function serve(answer: (n: number) => { status: number; body: unknown; headers?: Record<string, string> }) {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // the transport batches: one call or an array of them
      const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { id: number } | { id: number }[];
      const a = answer(n++);
      const reply = (c: { id: number }) => ({ jsonrpc: '2.0', id: c.id, result: a.body });
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.status !== 200 ? a.body : Array.isArray(parsed) ? parsed.map(reply) : reply(parsed)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('chain client transport', () => {
  it('tells observe of every call, by method and outcome', async () => {
    const s = await serve(() => ({ status: 200, body: '0x10' }));
    const seen: string[] = [];
    const chain = createChainClient({ rpcUrls: [s.url], observe: (method, outcome) => seen.push(`${method}:${outcome}`) });
    try {
      expect(await chain.client.getBlockNumber({ cacheTime: 0 })).toBe(16n);
      expect(await chain.client.getBlockNumber({ cacheTime: 0 })).toBe(16n);
      expect(seen).toEqual(['eth_blockNumber:ok', 'eth_blockNumber:ok']);
    } finally {
      await chain.close();
      await s.close();
    }
  });

  it('waits out HTTP 429 beyond the transport’s own retries and answers', async () => {
    // four 429s: more than viem's two retries, fewer than the client's patience
    const s = await serve((n) => (n < 4 ? { status: 429, body: { error: 'rate limited' }, headers: { 'retry-after': '0.05' } } : { status: 200, body: '0x2a' }));
    const chain = createChainClient({ rpcUrls: [s.url] });
    try {
      expect(await chain.client.getBlockNumber({ cacheTime: 0 })).toBe(42n);
      expect(s.calls()).toBe(5);
    } finally {
      await chain.close();
      await s.close();
    }
  }, 30_000);

  it('keeps to RPC_MAX_CALLS_PER_SECOND against a real node: a batch split into paces, every answer right', async () => {
    const anvil = await startAnvil({});
    const arrivals: { at: number; calls: number }[] = [];
    const proxy = await startRpcProxy(anvil.rpcUrl, {
      seed: 1,
      onBody: (body) => {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        arrivals.push({ at: Date.now(), calls: Array.isArray(parsed) ? parsed.length : 1 });
      },
    });
    const chain = createChainClient({ rpcUrls: [proxy.url], maxCallsPerSecond: 10 });
    try {
      await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0x20'] }) });
      // 25 header reads in one tick: one JSON-RPC batch for the transport
      const blocks = await Promise.all(Array.from({ length: 25 }, (_, i) => chain.client.getBlock({ blockNumber: BigInt(i) })));
      expect(blocks.map((b) => Number(b.number))).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(arrivals.reduce((n, a) => n + a.calls, 0)).toBe(25);
      expect(arrivals.length).toBeGreaterThanOrEqual(3); // 10 + 10 + 5
      // no second of arrivals holds more than the rate
      for (const a of arrivals) expect(arrivals.filter((b) => b.at >= a.at && b.at < a.at + 1_000).reduce((n, b) => n + b.calls, 0)).toBeLessThanOrEqual(10);
    } finally {
      await chain.close();
      await proxy.close();
      await anvil.stop();
    }
  }, 30_000);
});
