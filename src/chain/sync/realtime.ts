/**
 * Realtime sync: reads the newest blocks as linked headers and their logs, and says what it saw
 * (blocks to apply, a reorg under the first one, or a chain that moved between two calls). It
 * never writes: the ingest runner decides what to store and what to revert.
 */
import { hexToNumber, type Address, type Hex, type PublicClient } from 'viem';
import { fetchLogRanges, type RawLog } from '../logs';
import { DeskError } from '../../errors';
import type { BlockRow } from '../../domain/ingestFacts';

export interface Header {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

export type RealtimeEvent =
  /** headers linked to each other and to the stored block below, with every log in them */
  | { kind: 'blocks'; headers: Header[]; logs: RawLog[] }
  /** the first header's parent is not the stored block below: a reorg at or under `from − 1` */
  | { kind: 'reorg'; at: number }
  /** the chain moved while the chunk was read: read it again */
  | { kind: 'moved' };

/** One header by number, or the newest ('latest': the head and its header in one call). */
export async function readHeader(client: PublicClient, n: number | 'latest'): Promise<Header> {
  const b = await client.getBlock(n === 'latest' ? { blockTag: 'latest' } : { blockNumber: BigInt(n) });
  return { number: Number(b.number), hash: b.hash!, parentHash: b.parentHash, timestamp: Number(b.timestamp) };
}

/**
 * Blocks from..to as headers (one batch) and one eth_getLogs over `addresses` (more where the provider caps the range). `known` headers
 * (the head, read to learn the head) are not read again: following one block at a time costs
 * the head's header and one eth_getLogs, nothing more.
 */
export async function readRealtimeChunk(
  client: PublicClient,
  o: { from: number; to: number; previousHash: string | undefined; addresses: Address[]; topics: Hex[]; known?: Header[]; maxRange?: number },
): Promise<RealtimeEvent> {
  const known = new Map((o.known ?? []).map((h) => [h.number, h]));
  const headers = await Promise.all(Array.from({ length: o.to - o.from + 1 }, (_, k) => known.get(o.from + k) ?? readHeader(client, o.from + k)));
  for (let k = 0; k < headers.length; k++) {
    const parent = k === 0 ? o.previousHash : headers[k - 1]!.hash;
    if (parent !== undefined && headers[k]!.parentHash !== parent) return k === 0 ? { kind: 'reorg', at: o.from - 1 } : { kind: 'moved' };
  }
  // in ranges the provider accepts: a provider capping eth_getLogs below the chunk (a free tier's
  // few blocks) would refuse the whole chunk on every pass, and the desk would follow nothing.
  // Under no cap the chunk is one call.
  const span = Math.min(o.to - o.from + 1, o.maxRange ?? Infinity);
  const parts: RawLog[][] = [];
  for await (const r of fetchLogRanges({ client, address: o.addresses, topic0: o.topics, fromBlock: o.from, toBlock: o.to, initialRange: span, maxRange: span })) parts.push(r.logs);
  const logs = parts.length === 1 ? parts[0]! : parts.flat();
  const byNumber = new Map(headers.map((h) => [h.number, h.hash]));
  if (logs.some((l) => byNumber.get(hexToNumber(l.blockNumber)) !== l.blockHash)) return { kind: 'moved' };
  return { kind: 'blocks', headers, logs };
}

/**
 * Walks back from `from` until the stored header matches the chain's. A reorg deeper than the
 * headers kept cannot be reverted exactly: REORG_TOO_DEEP.
 */
export async function findCommonAncestor(client: PublicClient, stored: (n: number) => Promise<BlockRow | null>, from: number, reorgDepth: number): Promise<BlockRow> {
  for (let n = from; n >= 0; n--) {
    const kept = await stored(n);
    if (!kept) {
      throw new DeskError('REORG_TOO_DEEP', `reorg deeper than the ${reorgDepth} blocks of history kept (no common ancestor at or above block ${n + 1}); raise REORG_DEPTH and re-index`);
    }
    if ((await readHeader(client, n)).hash === kept.hash) return kept;
  }
  throw new DeskError('REORG_TOO_DEEP', 'reorg reaches genesis');
}
