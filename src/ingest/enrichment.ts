/**
 * The strategies of requests a backfill stored without them (a bulk getter read per chunk),
 * newest first — the ones the desk may still act on. Runs beside the follower: once they are
 * known their operator sets are marked for a slashability read and a pass re-plans alerts and
 * actions. An error is kept and retried on the next pass.
 */
import { getAddress, type Hex, type PublicClient } from 'viem';
import { readStrategies } from '../chain/enrich';
import type { Variant } from '../domain/types';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { IngestStore } from '../store/ingestStore';

/** requests whose strategies are read per transaction: one bulk getter read and two UPDATEs */
const ENRICH_CHUNK = 2_000;

export function createEnrichment(o: {
  client: PublicClient;
  store: IngestStore;
  slasher: `0x${string}`;
  logger: Logger;
  metrics?: Metrics;
  /** the slasher's layout once settled */
  variant: () => Variant | null;
  /** a request's strategies became known: its operator set must be read again */
  mark: (operator: string, operatorSetId: number) => void;
  /** after a read that stored something: run a pass now */
  rerun: () => void;
}) {
  /** requests stored with strategies unread may exist (true at start: a previous run may have left some) */
  let pending = true;
  let running: Promise<void> | null = null;
  let stopped = false;
  let error: string | null = null;

  async function readPending(): Promise<void> {
    let done = 0;
    while (!stopped) {
      const rows = await o.store.pendingStrategies(ENRICH_CHUNK);
      if (rows.length === 0) break;
      const v = o.variant();
      if (!v) break;
      const strategies = await readStrategies(
        o.client,
        o.slasher,
        v,
        rows.map((r) => ({
          requestId: BigInt(r.requestId),
          operator: getAddress(r.operator),
          operatorSetId: r.operatorSetId,
          blockNumber: r.queuedAtBlock,
          blockHash: r.queuedBlockHash as Hex,
          logIndex: r.queuedLogIndex,
          txHash: r.queuedTxHash as Hex,
        })),
      );
      if (stopped) break;
      await o.store.setStrategies(rows.map((r, k) => ({ requestId: r.requestId, blockNumber: r.queuedAtBlock, blockHash: r.queuedBlockHash, logIndex: r.queuedLogIndex, strategies: strategies[k]! })));
      for (const r of rows) o.mark(r.operator, r.operatorSetId);
      done += rows.length;
      o.metrics?.strategiesRead.inc(rows.length);
      if (rows.length < ENRICH_CHUNK) break;
    }
    pending = false;
    error = null;
    if (done > 0) o.logger.info({ requests: done }, 'strategies read for requests stored without them');
  }

  return {
    /** a backfill stored requests without their strategies (or a reorg may have uncovered some) */
    markPending(): void {
      pending = true;
    },
    start(): void {
      if (running || stopped || !pending) return;
      // from the next turn of the event loop: the pass that starts it resolves first, so whoever
      // awaits it (the API's first listing, the planner) is not queued behind this read's encoding
      running = new Promise<void>((resolve) => setImmediate(resolve))
        .then(readPending)
        .then(() => {
          running = null;
          o.rerun();
        })
        .catch((e) => {
          running = null;
          error = `reading the strategies of backfilled requests: ${describeError(e)}`;
          o.logger.warn({ err: describeError(e) }, 'reading the strategies of stored requests failed; retried on the next pass');
        });
    },
    /** the last read's failure, cleared when a read succeeds */
    error: () => error,
    running: () => running,
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}
