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

const TOO_MANY_RESULTS = /too many (results|logs)|more than \d+ results|query returned more than/i;

const errorText = (e: unknown) => (e instanceof BaseError ? `${e.shortMessage} ${e.details ?? ''} ${e.message}` : String((e as Error)?.message ?? e));

/**
 * A node behind the head the desk read (one node of a balanced RPC): no range is too wide there,
 * the same call answers a moment later.
 */
const NOT_THERE_YET = /beyond (the )?current head|after last accepted block|block not found|header not found|unknown block/i;

/** Whether the node refused the range itself (as opposed to being down, or behind). */
export function isRangeError(e: unknown): boolean {
  if (e instanceof BaseError && e.walk((x) => (x as Error).name === 'ResponseBodyTooLargeError')) return true;
  const text = e instanceof BaseError ? `${e.shortMessage} ${e.details ?? ''} ${e.message}` : String((e as Error)?.message ?? e);
  if (NOT_THERE_YET.test(text)) return false;
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

/**
 * The block range a refusal names as allowed, when it names one. A stated cap comes first
 * (Alchemy's "up to a 2000 block range", "up to a 2K block range": ranges within it always
 * answer), then a range suggested for this stretch of chain (Alchemy's "this block range should
 * work: [0x…, 0x…]", Infura's "Try with this block range [0x…, 0x…]").
 */
export function allowedRangeOf(e: unknown): number | null {
  const text = errorText(e);
  // a number in hex ("cannot exceed 0x7d0") is not read as its leading 0
  const n = /up to an? (\d[\d,]*)(k?) block range/i.exec(text) ?? /block range (?:limit|is limited to|of at most|cannot exceed)\D{0,12}(\d[\d,]*)(k?)(?![0-9a-z])/i.exec(text);
  if (n) return Math.max(1, Number(n[1]!.replace(/,/g, '')) * (n[2] ? 1_000 : 1));
  const pair = /block range (?:should work: )?\[(0x[0-9a-f]+),\s*(0x[0-9a-f]+)\]/i.exec(text);
  if (pair) return Math.max(1, Number.parseInt(pair[2]!, 16) - Number.parseInt(pair[1]!, 16) + 1);
  return null;
}

/** the block-range cap each client's provider stated, remembered across walks */
const statedCaps = new WeakMap<PublicClient, number>();

export async function* fetchLogRanges(o: LogRangeOptions): AsyncGenerator<LogRange> {
  const growBelow = o.growBelowLogs ?? 2_000;
  // a provider's block-range cap, once it said so: ranges never grow past it again, in this walk
  // or the next (a refused range costs a round trip, and on a paid RPC a call)
  let ceiling = Math.min(o.maxRange, statedCaps.get(o.client) ?? Infinity);
  let range = Math.max(1, Math.min(o.initialRange, ceiling));
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
        const allowed = allowedRangeOf(e);
        const size = to - from + 1;
        range = allowed !== null && allowed < size ? allowed : Math.max(1, Math.floor(size / 2));
        // too many results is about this stretch of chain; any other refusal is the provider's cap
        // (Alchemy's "Log response size exceeded … up to a 2K block range" included: ranges within
        // it always answer, so one dense stretch caps the later walks at it too)
        const tooMuch = TOO_MANY_RESULTS.test(errorText(e)) || (e instanceof BaseError && e.walk((x) => (x as Error).name === 'ResponseBodyTooLargeError') !== null);
        if (!tooMuch) {
          ceiling = Math.min(ceiling, range);
          if (allowed !== null) statedCaps.set(o.client, Math.min(statedCaps.get(o.client) ?? Infinity, allowed));
        }
        continue;
      }
      throw new DeskError('RPC_UNAVAILABLE', `eth_getLogs ${from}-${to} failed: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
        retryable: true,
      });
    }
    yield { fromBlock: from, toBlock: to, logs };
    from = to + 1;
    if (logs.length < growBelow) range = Math.min(ceiling, range * 2);
  }
}
