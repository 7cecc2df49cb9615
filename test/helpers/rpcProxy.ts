/**
 * A JSON-RPC fault proxy between a desk and anvil, seeded: each HTTP request (a single call or a
 * batch) is passed, dropped (the socket destroyed, no answer), delayed, or answered 429 / 5xx at
 * the configured rates; `stall(ms)` holds every request for that long without an answer, as an
 * endpoint that hangs. Loopback only.
 */
import http from 'node:http';
import type net from 'node:net';

/** A small seeded PRNG (mulberry32): the same seed, the same faults in the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultRates {
  drop: number;
  delay: number;
  tooMany: number;
  serverError: number;
  /** longest delay, ms */
  maxDelayMs: number;
}

export const NO_FAULTS: FaultRates = { drop: 0, delay: 0, tooMany: 0, serverError: 0, maxDelayMs: 0 };

export interface FaultCounts {
  passed: number;
  dropped: number;
  delayed: number;
  tooMany: number;
  serverError: number;
  stalled: number;
}

export interface RpcProxy {
  url: string;
  rates: FaultRates;
  counts: FaultCounts;
  /** hold every request (and any that arrives meanwhile) for `ms`, answering none of them */
  stall(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRpcProxy(upstream: string, o: { seed: number; rates?: FaultRates; /** sees every request body as it arrives */ onBody?: (body: Buffer) => void }): Promise<RpcProxy> {
  const random = seededRandom(o.seed);
  const target = new URL(upstream);
  const counts: FaultCounts = { passed: 0, dropped: 0, delayed: 0, tooMany: 0, serverError: 0, stalled: 0 };
  let stalledUntil = 0;
  const sockets = new Set<net.Socket>();
  const proxy: RpcProxy = { url: '', rates: o.rates ?? NO_FAULTS, counts, stall: async () => undefined, close: async () => undefined };

  const forward = (body: Buffer, res: http.ServerResponse) => {
    const up = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (r) => {
      res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'application/json' });
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      o.onBody?.(body);
      const now = Date.now();
      if (now < stalledUntil) {
        counts.stalled++;
        // no answer; the client's timeout decides. Closed when the stall ends.
        setTimeout(() => res.destroy(), stalledUntil - now);
        return;
      }
      const r = proxy.rates;
      const x = random();
      if (x < r.drop) {
        counts.dropped++;
        req.socket.destroy();
      } else if (x < r.drop + r.tooMany) {
        counts.tooMany++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32005, message: 'rate limited' } }));
      } else if (x < r.drop + r.tooMany + r.serverError) {
        counts.serverError++;
        res.writeHead(random() < 0.5 ? 502 : 503, { 'content-type': 'text/plain' }).end('upstream unavailable');
      } else if (x < r.drop + r.tooMany + r.serverError + r.delay) {
        counts.delayed++;
        setTimeout(() => forward(body, res), Math.floor(random() * r.maxDelayMs));
      } else {
        counts.passed++;
        forward(body, res);
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.stall = async (ms) => {
    stalledUntil = Date.now() + ms;
    await new Promise((r) => setTimeout(r, ms));
  };
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
