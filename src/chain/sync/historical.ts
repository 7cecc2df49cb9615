/**
 * Historical sync: the slasher's logs from a checkpoint to a block deeper than any reorg, in
 * adaptive eth_getLogs ranges, the next range already requested while the caller stores this one.
 * It never writes; the ingest runner commits each range.
 */
import { hexToNumber, type Address, type Hex, type PublicClient } from 'viem';
import { fetchLogRanges, type RawLog } from '../logs';
import type { BlockRef } from '../../domain/types';

export function historicalRanges(client: PublicClient, o: { address: Address | Address[]; topics: Hex[]; from: number; to: number; maxRange: number }) {
  return prefetchOne(fetchLogRanges({ client, address: o.address, topic0: o.topics, fromBlock: o.from, toBlock: o.to, initialRange: Math.min(2_000, o.maxRange), maxRange: o.maxRange }));
}

/**
 * The timestamps of `wanted` blocks: from the logs where the node includes them, the rest read
 * (the transport batches them).
 */
export async function blockTimes(client: PublicClient, raw: RawLog[], wanted: Set<number>): Promise<BlockRef[]> {
  if (wanted.size === 0) return [];
  const fromLogs = new Map<number, number>();
  for (const l of raw) {
    const n = hexToNumber(l.blockNumber);
    if (l.blockTimestamp && wanted.has(n)) fromLogs.set(n, hexToNumber(l.blockTimestamp));
  }
  const missing = [...wanted].filter((n) => !fromLogs.has(n));
  const read = await Promise.all(missing.map(async (n) => ({ number: n, timestamp: Number((await client.getBlock({ blockNumber: BigInt(n) })).timestamp) })));
  return [...[...fromLogs].map(([number, timestamp]) => ({ number, timestamp })), ...read];
}

/** Iterates `source` with its next item already requested: the next eth_getLogs runs while this range is stored. */
async function* prefetchOne<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      next.catch(() => undefined); // surfaced by the await above on the next turn
      yield r.value;
    }
  } finally {
    // the consumer stopped early (an error): let the pending read settle, then close the source
    await next.then(() => undefined, () => undefined);
    await source.return(undefined);
  }
}
