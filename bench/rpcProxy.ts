/**
 * A JSON-RPC proxy on loopback that counts what a desk asks its node, by method (each element of
 * a batch is one call, as a paid provider bills it), and can behave like a hosted provider:
 * round-trip latency, an eth_getLogs block-range cap and result cap answered with the providers'
 * usual error texts, HTTP 429 above a request rate, and errors for calls at past blocks. Test-side only: the desk never sees it as
 * anything but its RPC_URL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProviderLimits {
  /** added to every HTTP round trip, ms (a hosted provider: ~80) */
  latencyMs?: number;
  /** eth_getLogs block range allowed (inclusive count); larger ranges are refused */
  maxLogRange?: number;
  /** eth_getLogs results allowed; more are refused */
  maxLogResults?: number;
  /** calls per second (a batch element counts as one) above which HTTP 429 is answered */
  maxCallsPerSecond?: number;
  /** an `eth_call` at an explicit block number: the JSON-RPC error answered for it instead, or null to forward it (a node's trouble with past state) */
  pastCallError?: (blockNumber: number) => { code: number; message: string } | null;
}

export interface RpcProxy {
  url: string;
  /** calls forwarded (or refused) since the last reset, by method */
  counts(): Record<string, number>;
  total(): number;
  /** HTTP 429 answers sent, and eth_getLogs refused for range or size */
  refusals(): { rateLimited: number; logRange: number; logResults: number };
  reset(): void;
  close(): Promise<void>;
}

interface RpcCall {
  jsonrpc: '2.0';
  id: unknown;
  method: string;
  params?: unknown[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hexNumber = (x: unknown): number | null => (typeof x === 'string' && /^0x[0-9a-f]+$/i.test(x) ? Number.parseInt(x, 16) : null);

export async function startRpcProxy(upstream: string, limits: ProviderLimits = {}): Promise<RpcProxy> {
  let counts: Record<string, number> = {};
  let refused = { rateLimited: 0, logRange: 0, logResults: 0 };
  // a sliding one-second window of call timestamps, for the rate limit
  let window: number[] = [];
  let head = 0;

  async function forward(body: string): Promise<unknown> {
    const res = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return res.json();
  }

  /** eth_getLogs refused the way Alchemy / Infura word it, so the desk's range splitting is exercised */
  async function answer(call: RpcCall): Promise<unknown> {
    if (call.method === 'eth_call' && limits.pastCallError) {
      const block = hexNumber(call.params?.[1]);
      const error = block === null ? null : limits.pastCallError(block);
      if (error) return { jsonrpc: '2.0', id: call.id, error };
    }
    if (call.method === 'eth_getLogs' && (limits.maxLogRange || limits.maxLogResults)) {
      const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      const from = hexNumber(filter.fromBlock);
      const to = hexNumber(filter.toBlock);
      if (limits.maxLogRange && from !== null && to !== null && to - from + 1 > limits.maxLogRange) {
        refused.logRange++;
        // Alchemy's wording for a plan's range cap, the range it suggests included
        const suggested = `[0x${from.toString(16)}, 0x${(from + limits.maxLogRange - 1).toString(16)}]`;
        return { jsonrpc: '2.0', id: call.id, error: { code: -32600, message: `You can make eth_getLogs requests with up to a ${limits.maxLogRange} block range. Based on your parameters, this block range should work: ${suggested}` } };
      }
      const out = (await forward(JSON.stringify(call))) as { result?: unknown[] };
      if (limits.maxLogResults && Array.isArray(out.result) && out.result.length > limits.maxLogResults) {
        refused.logResults++;
        const mid = from !== null && to !== null ? `0x${Math.floor((from + to) / 2).toString(16)}` : 'a smaller range';
        return { jsonrpc: '2.0', id: call.id, error: { code: -32005, message: `query returned more than ${limits.maxLogResults} results. Try with this block range [${filter.fromBlock}, ${mid}].` } };
      }
      return out;
    }
    return forward(JSON.stringify(call));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: RpcCall | RpcCall[];
        try {
          parsed = JSON.parse(text) as RpcCall | RpcCall[];
        } catch {
          res.writeHead(400).end();
          return;
        }
        const calls = Array.isArray(parsed) ? parsed : [parsed];
        for (const c of calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
        if (limits.latencyMs) await sleep(limits.latencyMs);
        if (limits.maxCallsPerSecond) {
          const now = Date.now();
          window = window.slice(head).filter((t) => t > now - 1_000);
          head = 0;
          if (window.length + calls.length > limits.maxCallsPerSecond) {
            refused.rateLimited++;
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
            res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: 429, message: 'Your app has exceeded its compute units per second capacity. Please retry.' } }));
            return;
          }
          for (let k = 0; k < calls.length; k++) window.push(now);
        }
        try {
          const answers = await Promise.all(calls.map((c) => answer(c)));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]));
        } catch (e) {
          res.writeHead(502).end(String(e));
        }
      })();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    refusals: () => ({ ...refused }),
    reset() {
      counts = {};
      refused = { rateLimited: 0, logRange: 0, logResults: 0 };
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
