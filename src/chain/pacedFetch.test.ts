import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPacedFetch } from './pacedFetch';

interface Call {
  jsonrpc: '2.0';
  id: number;
  method: string;
}

/** A loopback JSON-RPC endpoint that answers each call with its id, and HTTP 429 above `limit` calls a second (batch elements counted). */
async function startLimitedNode(limit: number, o: { refuseAfter?: number; inBody?: boolean } = {}) {
  let window: number[] = [];
  let answered = 0;
  const seen = { requests: 0, refused: 0, largestPiece: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call | Call[];
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      seen.requests++;
      const now = Date.now();
      window = window.filter((t) => t > now - 1_000);
      if (o.inBody && Array.isArray(parsed) && window.length + calls.length > limit) {
        // as Alchemy answers a batch over its rate: 200, each element refused
        seen.refused++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(calls.map((c) => ({ jsonrpc: '2.0', id: c.id, error: { code: 429, message: 'Your app has exceeded its compute units per second capacity' } }))));
        return;
      }
      if (window.length + calls.length > limit || answered + calls.length > (o.refuseAfter ?? Infinity)) {
        seen.refused++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: 429, message: 'exceeded its compute units per second capacity' } }));
        return;
      }
      seen.largestPiece = Math.max(seen.largestPiece, calls.length);
      for (const _ of calls) window.push(now);
      answered += calls.length;
      const answer = (c: Call) => ({ jsonrpc: '2.0', id: c.id, result: `0x${c.id.toString(16)}` });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.isArray(parsed) ? calls.map(answer) : answer(parsed)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const batch = (n: number): Call[] => Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'eth_getBlockByNumber' }));
const post = (f: typeof fetch, url: string, body: unknown, signal?: AbortSignal) => f(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });

describe('createPacedFetch', () => {
  it('sends a batch whole while nothing was refused', async () => {
    const node = await startLimitedNode(1_000);
    try {
      const paced = createPacedFetch();
      const res = await post(paced.fetch, node.url, batch(60));
      expect(((await res.json()) as { id: number }[]).map((a) => a.id)).toEqual(batch(60).map((c) => c.id));
      expect(node.seen).toEqual({ requests: 1, refused: 0, largestPiece: 60 });
      expect(paced.pace()).toBe(Infinity);
    } finally {
      await node.close();
    }
  });

  it('after a 429, splits the batch to the pace it learnt and answers every call in order', async () => {
    const node = await startLimitedNode(40);
    try {
      const paced = createPacedFetch();
      const res = await post(paced.fetch, node.url, batch(60));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: number; result: string }[]).map((a) => a.id)).toEqual(batch(60).map((c) => c.id));
      expect(paced.pace()).toBeLessThanOrEqual(30); // half of what was sent when refused
      expect(paced.pace()).toBeGreaterThanOrEqual(10);
      expect(node.seen.refused).toBeLessThanOrEqual(3); // the unpaced batch, then pieces until the pace fits
      const refusedWhileLearning = node.seen.refused;
      expect(node.seen.largestPiece).toBeLessThanOrEqual(40);
      // single calls after that keep to the pace too, and are never refused
      const singles = await Promise.all(batch(50).map((c) => post(paced.fetch, node.url, c).then((r) => r.json() as Promise<{ id: number }>)));
      expect(singles.map((a) => a.id)).toEqual(batch(50).map((c) => c.id));
      expect(node.seen.refused).toBe(refusedWhileLearning);
    } finally {
      await node.close();
    }
  }, 20_000);

  it('learns the pace from a batch whose elements are refused inside a 200 (Alchemy)', async () => {
    const node = await startLimitedNode(20, { inBody: true });
    try {
      const paced = createPacedFetch();
      const res = await post(paced.fetch, node.url, batch(40));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { error?: { code: number } }[]).every((a) => a.error?.code === 429)).toBe(true); // the caller retries them
      expect(paced.pace()).toBe(20); // half of the 40 refused
      const again = await post(paced.fetch, node.url, batch(40));
      expect(((await again.json()) as { result?: string }[]).every((a) => a.result !== undefined)).toBe(true);
    } finally {
      await node.close();
    }
  }, 20_000);

  it('keeps to a configured rate without ever being refused', async () => {
    const node = await startLimitedNode(20);
    try {
      const paced = createPacedFetch({ maxCallsPerSecond: 20 });
      const res = await post(paced.fetch, node.url, batch(45));
      expect(((await res.json()) as { id: number }[]).map((a) => a.id)).toEqual(batch(45).map((c) => c.id));
      expect(node.seen).toEqual({ requests: 3, refused: 0, largestPiece: 20 });
      expect(paced.pace()).toBe(20);
    } finally {
      await node.close();
    }
  }, 20_000);

  it('never keeps what sending a transaction asks waiting behind reads', async () => {
    const node = await startLimitedNode(1_000);
    try {
      const paced = createPacedFetch({ maxCallsPerSecond: 10 });
      await post(paced.fetch, node.url, batch(10)); // the second is full
      const order: string[] = [];
      const read = post(paced.fetch, node.url, batch(10)).then(() => order.push('read'));
      const t0 = Date.now();
      const sent = await post(paced.fetch, node.url, [
        { jsonrpc: '2.0', id: 101, method: 'eth_call' },
        { jsonrpc: '2.0', id: 102, method: 'eth_sendRawTransaction' },
      ]).then(async (r) => {
        order.push('send');
        return (await r.json()) as { id: number }[];
      });
      await read;
      // the batch's eth_call waited its turn, so the batch answered after the queued read; the
      // transaction itself went at once (its own piece), and the answers keep the batch's order
      expect(sent.map((a) => a.id)).toEqual([101, 102]);
      expect(order).toEqual(['read', 'send']);
      expect(Date.now() - t0).toBeGreaterThan(900);
      const alone = Date.now();
      await post(paced.fetch, node.url, { jsonrpc: '2.0', id: 103, method: 'eth_sendRawTransaction' });
      expect(Date.now() - alone).toBeLessThan(500); // the window is full: a read would wait a second
    } finally {
      await node.close();
    }
  }, 20_000);

  it('keeps the answers in hand when a piece is refused again and again, and answers its calls 429 one by one', async () => {
    const node = await startLimitedNode(1_000, { refuseAfter: 10 });
    try {
      const paced = createPacedFetch({ maxCallsPerSecond: 10 });
      const res = await post(paced.fetch, node.url, batch(25));
      expect(res.status).toBe(200);
      const answers = (await res.json()) as { id: number; result?: string; error?: { code: number } }[];
      expect(answers.map((a) => a.id)).toEqual(batch(25).map((c) => c.id));
      expect(answers.slice(0, 10).every((a) => a.result !== undefined)).toBe(true);
      expect(answers.slice(10).every((a) => a.error?.code === 429)).toBe(true);
      expect(node.seen.refused).toBe(4); // the second piece: once, then three times more after Retry-After
    } finally {
      await node.close();
    }
  }, 20_000);

  it('gives up waiting when the caller aborts (its timeout)', async () => {
    const node = await startLimitedNode(1_000);
    try {
      const paced = createPacedFetch({ maxCallsPerSecond: 10 });
      await post(paced.fetch, node.url, batch(10));
      const abort = new AbortController();
      const waiting = post(paced.fetch, node.url, batch(5), abort.signal);
      abort.abort(new Error('timed out'));
      await expect(waiting).rejects.toThrow('timed out');
      expect(node.seen.requests).toBe(1);
      // the pace goes on for the calls after it
      const next = await post(paced.fetch, node.url, { jsonrpc: '2.0', id: 7, method: 'eth_chainId' });
      expect(((await next.json()) as { id: number }).id).toBe(7);
    } finally {
      await node.close();
    }
  }, 20_000);
});
