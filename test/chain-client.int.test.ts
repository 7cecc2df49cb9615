/**
 * The chain client's transport against a real loopback JSON-RPC server: every call is told to
 * `observe` (the metrics), and an HTTP 429 is waited out and tried again, not surfaced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChainClient } from '../src/chain/client';

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
});
