/**
 * The one RPC wrapper: a viem public client over one or several endpoints (fallback in order),
 * http or ws, with JSON-RPC batching for the many small eth_calls of enrichment.
 */
import { createPublicClient, fallback, http, webSocket, type PublicClient, type Transport } from 'viem';
import { DeskError } from '../errors';

export interface ChainClientOptions {
  rpcUrls: string[];
  /** per-request timeout */
  timeoutMs?: number;
}

export interface ChainClient {
  client: PublicClient;
  /** true when the first endpoint is a websocket (new heads are pushed, not polled) */
  websocket: boolean;
  close(): Promise<void>;
}

const isWs = (url: string) => /^wss?:\/\//.test(url);

function transportFor(url: string, timeout: number, retryCount: number): Transport {
  // a websocket retries nothing itself: see `guarded`
  if (isWs(url)) return webSocket(url, { timeout, retryCount: 0, keepAlive: true, reconnect: true });
  return http(url, { timeout, retryCount, batch: { batchSize: 250, wait: 0 } });
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
  const transports = o.rpcUrls.map((u) => transportFor(u, timeout, single ? 2 : 0));
  const usable = transports.map((t, k) => (isWs(o.rpcUrls[k]!) ? guarded(t, () => closed) : t));
  const transport = single && !isWs(o.rpcUrls[0]!) ? usable[0]! : fallback(usable, { rank: false, retryCount: 2 });
  const client = createPublicClient({ transport, pollingInterval: 1_000 }) as PublicClient;
  const websocket = /^wss?:\/\//.test(o.rpcUrls[0] ?? '');
  return {
    client,
    websocket,
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
