/**
 * The one RPC wrapper: a viem public client over one or several endpoints (fallback in order),
 * http or ws, with JSON-RPC batching for the many small eth_calls of enrichment.
 */
import { createPublicClient, fallback, http, webSocket, type PublicClient, type Transport } from 'viem';
import { DeskError } from '../errors';
import { createPacedFetch } from './pacedFetch';

export interface ChainClientOptions {
  rpcUrls: string[];
  /** per-request timeout */
  timeoutMs?: number;
  /** each http endpoint's calls per second (RPC_MAX_CALLS_PER_SECOND); undefined: learnt from its 429s */
  maxCallsPerSecond?: number;
  /** told of every call each endpoint answered or failed (a paid RPC bills per call): the metrics */
  observe?: (method: string, outcome: 'ok' | 'error', seconds: number) => void;
}

export interface ChainClient {
  client: PublicClient;
  /** true when the first endpoint is a websocket (new heads are pushed, not polled) */
  websocket: boolean;
  /** what each endpoint last did: answered, or could not be reached (and since when) */
  endpoints(): EndpointStatus[];
  close(): Promise<void>;
}

export interface EndpointStatus {
  /** as configured (the caller redacts it before showing it) */
  url: string;
  /** null until the endpoint was first used */
  reachable: boolean | null;
  /** ms since the epoch of the first failure in the current run of failures; null while it answers */
  unreachableSinceMs: number | null;
  /** ms since the epoch of the last answer */
  lastAnswerMs: number | null;
  lastError: string | null;
}

/**
 * Failures that mean the endpoint did not answer at all (connection refused, timeout, HTTP
 * error, socket closed), as opposed to a JSON-RPC error it answered with (a revert, a range
 * limit), which proves it is up.
 */
const UNREACHABLE = new Set(['HttpRequestError', 'TimeoutError', 'WebSocketRequestError', 'SocketClosedError']);

function unreachable(e: unknown): boolean {
  for (let x = e as { name?: string; cause?: unknown } | undefined, depth = 0; x && depth < 5; x = x.cause as typeof x, depth++) {
    if (x.name && UNREACHABLE.has(x.name)) return true;
  }
  return false;
}

/** Records each request's outcome on the endpoint's status, and tells `observe` of it. */
function recorded(t: Transport, status: EndpointStatus, now: () => number, observe?: ChainClientOptions['observe']): Transport {
  return (opts) => {
    const inst = t(opts);
    const request = (async (args: Parameters<typeof inst.request>[0], options?: Parameters<typeof inst.request>[1]) => {
      const t0 = performance.now();
      const method = (args as { method: string }).method;
      try {
        const out = await inst.request(args, options);
        observe?.(method, 'ok', (performance.now() - t0) / 1000);
        status.reachable = true;
        status.unreachableSinceMs = null;
        status.lastAnswerMs = now();
        status.lastError = null;
        return out;
      } catch (e) {
        observe?.(method, 'error', (performance.now() - t0) / 1000);
        if (unreachable(e)) {
          if (status.reachable !== false) status.unreachableSinceMs = now();
          status.reachable = false;
          status.lastError = (e as Error).message?.split('\n')[0] ?? String(e);
        } else {
          status.reachable = true;
          status.unreachableSinceMs = null;
          status.lastAnswerMs = now();
        }
        throw e;
      }
    }) as typeof inst.request;
    return { ...inst, request };
  };
}

const isWs = (url: string) => /^wss?:\/\//.test(url);

/** how many more times a call a provider rate-limited (HTTP 429) is tried, after the transport's own retries */
const RATE_LIMIT_RETRIES = 6;

function rateLimited(e: unknown): { retryAfterMs: number } | null {
  for (let x = e as { status?: number; headers?: Headers; cause?: unknown } | undefined, depth = 0; x && depth < 5; x = x.cause as typeof x, depth++) {
    if (x.status === 429) {
      const after = Number(x.headers?.get?.('retry-after'));
      return { retryAfterMs: Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : 1_000 };
    }
  }
  return null;
}

/**
 * A hosted provider answers HTTP 429 above its rate: that is no outage, and a backfill that gives
 * up on it stalls for a whole pass. Such a call waits as the provider asks (Retry-After, else
 * 1 s, with jitter) and is tried again, up to RATE_LIMIT_RETRIES times.
 */
function patientWhenRateLimited(t: Transport): Transport {
  return (opts) => {
    const inst = t(opts);
    const request = (async (args: Parameters<typeof inst.request>[0], options?: Parameters<typeof inst.request>[1]) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await inst.request(args, options);
        } catch (e) {
          const limited = rateLimited(e);
          if (!limited || attempt >= RATE_LIMIT_RETRIES) throw e;
          await new Promise((r) => setTimeout(r, limited.retryAfterMs * (1 + Math.random() / 2)));
        }
      }
    }) as typeof inst.request;
    return { ...inst, request };
  };
}

function transportFor(url: string, timeout: number, retryCount: number, maxCallsPerSecond: number | undefined): Transport {
  // a websocket retries nothing itself: see `guarded`
  if (isWs(url)) return webSocket(url, { timeout, retryCount: 0, keepAlive: true, reconnect: true });
  // one pace per endpoint: each provider has its own limit
  const { fetch: fetchFn } = createPacedFetch({ maxCallsPerSecond });
  // batches of at most 100: paced at the slowest (10 calls/s) one still fits the timeout
  return patientWhenRateLimited(http(url, { timeout, retryCount, batch: { batchSize: 100, wait: 0 }, fetchFn }));
}

/**
 * Refuses requests once the client is closed. viem's retry of a websocket request that failed
 * because `close()` shut the socket would open a fresh socket (the closed one has left viem's
 * socket cache), which nobody closes and which reconnects forever once the node is gone. With
 * the websocket's own retries off and the retries done by a `fallback` above this guard, a late
 * retry fails at once instead.
 */
function guarded(t: Transport, isClosed: () => boolean): Transport {
  return (opts) => {
    const inst = t(opts);
    const request = (async (args: Parameters<typeof inst.request>[0], options?: Parameters<typeof inst.request>[1]) => {
      if (isClosed()) throw new DeskError('RPC_UNAVAILABLE', 'the chain client is closed');
      return inst.request(args, options);
    }) as typeof inst.request;
    return { ...inst, request };
  };
}

export function createChainClient(o: ChainClientOptions): ChainClient {
  const timeout = o.timeoutMs ?? 20_000;
  // one endpoint: it retries itself. Several: an endpoint that fails hands over to the next at
  // once (no per-endpoint backoff: a dead primary must not cost each deadline-bound call a second),
  // and the whole list is retried twice
  const single = o.rpcUrls.length === 1;
  let closed = false;
  const transports = o.rpcUrls.map((u) => transportFor(u, timeout, single ? 2 : 0, o.maxCallsPerSecond));
  const statuses: EndpointStatus[] = o.rpcUrls.map((url) => ({ url, reachable: null, unreachableSinceMs: null, lastAnswerMs: null, lastError: null }));
  const usable = transports.map((t, k) => recorded(isWs(o.rpcUrls[k]!) ? guarded(t, () => closed) : t, statuses[k]!, () => Date.now(), o.observe));
  const transport = single && !isWs(o.rpcUrls[0]!) ? usable[0]! : fallback(usable, { rank: false, retryCount: 2 });
  const client = createPublicClient({ transport, pollingInterval: 1_000 }) as PublicClient;
  const websocket = /^wss?:\/\//.test(o.rpcUrls[0] ?? '');
  return {
    client,
    websocket,
    endpoints: () => statuses.map((x) => ({ ...x })),
    async close() {
      closed = true;
      for (const t of transports) {
        const inst = t({});
        const socket = (inst.value as { getRpcClient?: () => Promise<{ close(): void }> } | undefined)?.getRpcClient;
        if (socket) await socket().then((c) => c.close()).catch(() => undefined);
      }
    },
  };
}
