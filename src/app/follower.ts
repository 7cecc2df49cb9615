/**
 * Following the chain: an ingest pass on every new head (websocket subscription) and on a timer
 * (polling, also backing up a subscription that silently stalls).
 */
import type { ChainClient } from '../chain/client';
import type { Ingestor } from '../ingest/ingestor';
import { redactUrl } from '../lib/redact';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';

export function startFollowing(o: { chain: Pick<ChainClient, 'client' | 'websocket' | 'endpoints'>; ingestor: Pick<Ingestor, 'sync'>; pollIntervalMs: number; logger: Logger; metrics: Metrics; onFailedPass: () => void }) {
  let timer: NodeJS.Timeout | null = null;
  let unwatch: (() => void) | null = null;
  const observeRpc = () => {
    for (const e of o.chain.endpoints()) if (e.reachable !== null) o.metrics.rpcEndpointUp.set({ endpoint: redactUrl(e.url) }, e.reachable ? 1 : 0);
  };
  const tick = () =>
    o.ingestor
      .sync()
      .catch((e) => {
        o.logger.error({ err: describeError(e) }, 'ingest pass failed');
        // the page learns of it now (RPC unreachable, a lag that grows), not at the next good pass
        o.onFailedPass();
      })
      .finally(observeRpc);
  return {
    /** the first pass, awaited; then the subscription and the timer */
    async start(): Promise<void> {
      await tick();
      if (o.chain.websocket) {
        unwatch = o.chain.client.watchBlockNumber({ onBlockNumber: () => void tick(), onError: (e) => o.logger.warn({ err: describeError(e) }, 'head subscription error') });
      }
      timer = setInterval(() => void tick(), o.chain.websocket ? Math.max(o.pollIntervalMs, 10_000) : o.pollIntervalMs);
    },
    stop(): void {
      if (timer) clearInterval(timer);
      unwatch?.();
    },
  };
}
