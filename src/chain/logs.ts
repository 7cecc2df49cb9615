/**
 * Backfill reader: eth_getLogs over adaptive block ranges. A range shrinks (halves) when the node
 * refuses it (too many results, range limit, a response over viem's 10 MB cap) and grows (doubles,
 * up to maxRange) while ranges come back light. Ranges are yielded in order, each complete.
 */
import { BaseError, numberToHex, type Address, type Hex, type PublicClient } from 'viem';
import { DeskError } from '../errors';

export interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  removed?: boolean;
  /** the block's timestamp, from nodes that include it in logs (geth ≥ 1.16, anvil, reth) */
  blockTimestamp?: Hex;
}

export interface LogRangeOptions {
  client: PublicClient;
  address: Address | Address[];
  topic0: Hex[];
  fromBlock: number;
  toBlock: number;
  initialRange: number;
  maxRange: number;
  /** grow the range while a response has fewer logs than this */
  growBelowLogs?: number;
  /** optional filter on the first indexed argument (an array: any of them) */
  topic1?: Hex | Hex[];
}

export interface LogRange {
  fromBlock: number;
  toBlock: number;
  logs: RawLog[];
}

const RANGE_ERROR = [
  /too many (results|logs)/i,
  /query returned more than/i,
  /block range/i,
  /range (is )?too (large|wide|big)/i,
  /exceed(s|ed)? .*(limit|range|max)/i,
  /response (size|body).*(exceed|too large)/i,
  /limit exceeded/i,
  /log response size/i,
];

/** Whether the node refused the range itself (as opposed to being down). */
export function isRangeError(e: unknown): boolean {
  if (e instanceof BaseError && e.walk((x) => (x as Error).name === 'ResponseBodyTooLargeError')) return true;
  const text = e instanceof BaseError ? `${e.shortMessage} ${e.details ?? ''} ${e.message}` : String((e as Error)?.message ?? e);
  return RANGE_ERROR.some((r) => r.test(text));
}

export async function getLogsRaw(
  client: PublicClient,
  address: Address | Address[],
  topic0: Hex[],
  from: number,
  to: number,
  topic1?: Hex | Hex[],
): Promise<RawLog[]> {
  const topics = topic1 ? [topic0, topic1] : [topic0];
  const filter = { address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) };
  return (await client.request({ method: 'eth_getLogs', params: [filter as never] })) as unknown as RawLog[];
}

export async function* fetchLogRanges(o: LogRangeOptions): AsyncGenerator<LogRange> {
  const growBelow = o.growBelowLogs ?? 2_000;
  let range = Math.max(1, Math.min(o.initialRange, o.maxRange));
  let from = o.fromBlock;
  while (from <= o.toBlock) {
    const to = Math.min(o.toBlock, from + range - 1);
    let logs: RawLog[];
    try {
      // transient failures (5xx, 429, timeouts) are retried by the chain client's transport, the
      // one place RPC calls retry; what reaches here is a range refusal or a failure to report
      logs = await getLogsRaw(o.client, o.address, o.topic0, from, to, o.topic1);
    } catch (e) {
      if (isRangeError(e)) {
        if (to === from) {
          throw new DeskError('RPC_RANGE_TOO_LARGE', `the node refuses eth_getLogs even for the single block ${from}`, { cause: e });
        }
        range = Math.max(1, Math.floor((to - from + 1) / 2));
        continue;
      }
      throw new DeskError('RPC_UNAVAILABLE', `eth_getLogs ${from}-${to} failed: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
        retryable: true,
      });
    }
    yield { fromBlock: from, toBlock: to, logs };
    from = to + 1;
    if (logs.length < growBelow) range = Math.min(o.maxRange, range * 2);
  }
}
