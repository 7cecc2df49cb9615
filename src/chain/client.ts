/**
 * The one RPC wrapper: a viem public client over one or several endpoints (fallback in order),
 * http or ws, with JSON-RPC batching for the many small eth_calls of enrichment.
 */
import { createPublicClient, fallback, http, webSocket, type PublicClient, type Transport } from 'viem';

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

function transportFor(url: string, timeout: number, retryCount: number): Transport {
  if (/^wss?:\/\//.test(url)) return webSocket(url, { timeout, retryCount, keepAlive: true, reconnect: true });
  return http(url, { timeout, retryCount, batch: { batchSize: 250, wait: 0 } });
}

export function createChainClient(o: ChainClientOptions): ChainClient {
  const timeout = o.timeoutMs ?? 20_000;
  // one endpoint: it retries itself. Several: an endpoint that fails hands over to the next at
  // once (no per-endpoint backoff: a dead primary must not cost each deadline-bound call a second),
  // and the whole list is retried twice
  const single = o.rpcUrls.length === 1;
  const transports = o.rpcUrls.map((u) => transportFor(u, timeout, single ? 2 : 0));
  const transport = single ? transports[0]! : fallback(transports, { rank: false, retryCount: 2 });
  const client = createPublicClient({ transport, pollingInterval: 1_000 }) as PublicClient;
  const websocket = /^wss?:\/\//.test(o.rpcUrls[0] ?? '');
  return {
    client,
    websocket,
    async close() {
      for (const t of transports) {
        const inst = t({});
        const socket = (inst.value as { getRpcClient?: () => Promise<{ close(): void }> } | undefined)?.getRpcClient;
        if (socket) await socket().then((c) => c.close()).catch(() => undefined);
      }
    },
  };
}
