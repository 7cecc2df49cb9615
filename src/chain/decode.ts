/**
 * Decodes the slasher's raw logs with the layout of its variant. SlashingRequested has the same
 * topic0 in every variant: V1 indexes operatorSetId (4 topics), V2–V4 do not (3 topics), so the
 * topic count decides the layout of each log.
 *
 * A hand-written ABI decoder for the three events (abis.ts), working on the hex strings as the
 * node returns them: viem's `decodeEventLog` costs 60–120 µs per log (it hashes the event
 * signature and copies the whole data to bytes on every call), more than the eth_getLogs of a
 * backfill. The output is what `decodeEventLog({ strict: true })` gives for every well-formed log
 * (decode.test.ts compares the two on generated logs). Malformed logs throw `LOG_MALFORMED`
 * wherever viem threw, and also where viem would return a silently wrong value: a topic count
 * other than the layout's, an address topic with dirty padding, a uint32 above 2^32 − 1, data
 * that is not even-length hex, a head (the static words) that does not fit in the data.
 *
 * The layouts (ABI encoding; offsets count from the start of the data):
 *  - SlashingRequested V1 / OperatorSlashed: topics [sig, id, operator, operatorSetId],
 *    data (uint256[] wadsToSlash, string description);
 *  - SlashingRequested V2–V4: topics [sig, requestId, operator],
 *    data (uint32 operatorSetId, uint256[] wadsToSlash, string description);
 *  - SlashingRequestCancelled: topics [sig, requestId], no data (ignored, as viem does).
 */
import { getAddress, hexToNumber, type Address, type Hex } from 'viem';
import { TOPIC } from './abis';
import type { RawLog } from './logs';
import { DeskError } from '../errors';

interface LogPosition {
  blockNumber: number;
  blockHash: Hex;
  txHash: Hex;
  logIndex: number;
}

export type SlasherLog =
  | (LogPosition & { kind: 'queued'; requestId: bigint; operator: Address; operatorSetId: number; wadsToSlash: bigint[]; description: string; topicCount: number })
  | (LogPosition & { kind: 'cancelled'; requestId: bigint })
  | (LogPosition & { kind: 'slashed'; id: bigint; operator: Address; operatorSetId: number });

/**
 * Returns null for logs that are not the slasher's tracked events; throws a DeskError
 * `LOG_MALFORMED` for a tracked event that does not decode. Like viem's decode errors before it,
 * the throw fails the ingest pass (ingest.ts: `lastError`, health degraded, retried on the next
 * tick; never fatal), so the checkpoint stays before the log instead of skipping it.
 *
 * The position fields are written out in each literal: `{ ...position(l), kind, … }` alone cost
 * 6–8 µs per log (V8 takes a slow path for a spread followed by more properties).
 */
export function decodeSlasherLog(l: RawLog): SlasherLog | null {
  const t = l.topics;
  const t0 = t[0];
  let event: string;
  if (t0 === TOPIC.SlashingRequested) event = 'SlashingRequested';
  else if (t0 === TOPIC.SlashingRequestCancelled) event = 'SlashingRequestCancelled';
  else if (t0 === TOPIC.OperatorSlashed) event = 'OperatorSlashed';
  else return null;
  try {
    if (event === 'SlashingRequested') {
      const v1 = t.length === 4;
      if (!v1 && t.length !== 3) malformed(`${t.length} topics; the layouts have 4 (V1) or 3 (V2–V4)`);
      const requestId = uint256Topic(t, 1);
      const operator = addressTopic(t, 2);
      const data = dataOf(l.data);
      const operatorSetId = v1 ? uint32Topic(t, 3) : uint32Word(data, 0, 'operatorSetId');
      const tail = decodeTail(data, v1 ? 0 : 32, true);
      return {
        blockNumber: hexToNumber(l.blockNumber),
        blockHash: l.blockHash,
        txHash: l.transactionHash,
        logIndex: hexToNumber(l.logIndex),
        kind: 'queued',
        requestId,
        operator,
        operatorSetId,
        wadsToSlash: tail.wadsToSlash,
        description: tail.description,
        topicCount: t.length,
      };
    }
    if (event === 'SlashingRequestCancelled') {
      if (t.length !== 2) malformed(`${t.length} topics; the layout has 2`);
      const requestId = uint256Topic(t, 1);
      return { blockNumber: hexToNumber(l.blockNumber), blockHash: l.blockHash, txHash: l.transactionHash, logIndex: hexToNumber(l.logIndex), kind: 'cancelled', requestId };
    }
    if (t.length !== 4) malformed(`${t.length} topics; the layout has 4`);
    const id = uint256Topic(t, 1);
    const operator = addressTopic(t, 2);
    const operatorSetId = uint32Topic(t, 3);
    // the data is not part of the output, but a log whose data does not decode is not accepted
    decodeTail(dataOf(l.data), 0, false);
    return { blockNumber: hexToNumber(l.blockNumber), blockHash: l.blockHash, txHash: l.transactionHash, logIndex: hexToNumber(l.logIndex), kind: 'slashed', id, operator, operatorSetId };
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    throw new DeskError(
      'LOG_MALFORMED',
      `malformed ${event} log from ${l.address} (block ${Number(l.blockNumber)}, tx ${l.transactionHash}, log index ${Number(l.logIndex)}): ${e.message}`,
    );
  }
}

export const SLASHER_TOPICS: Hex[] = [TOPIC.SlashingRequested, TOPIC.SlashingRequestCancelled, TOPIC.OperatorSlashed];

// ── the decoder ──────────────────────────────────────────────────────────────────────────────

/** Internal: why a log does not decode; decodeSlasherLog turns it into a DeskError naming the log. */
class Malformed extends Error {}

function malformed(why: string): never {
  throw new Malformed(why);
}

const HEX = /^0x[0-9a-fA-F]*$/;
const TOPIC_HEX = /^0x[0-9a-fA-F]{64}$/;
/** 24 zero hex chars: the 12 bytes of padding in front of an address, … */
const ADDRESS_PADDING = '0'.repeat(24);
/** … the 28 bytes in front of a uint32, … */
const UINT32_PADDING = '0'.repeat(56);
/** … and the 26 bytes in front of an offset or a length read as a 48-bit number (any larger one is past the data anyway). */
const SMALL_PADDING = '0'.repeat(52);
/** viem decodes strings with `new TextDecoder()` (fatal: false, BOM stripped); the same settings give the same text for any bytes. */
const utf8 = new TextDecoder();

function topicAt(t: Hex[], i: number): string {
  const topic = t[i];
  if (typeof topic !== 'string' || !TOPIC_HEX.test(topic)) malformed(`topic ${i} is not a 32-byte hex word`);
  return topic;
}

function uint256Topic(t: Hex[], i: number): bigint {
  return BigInt(topicAt(t, i));
}

function uint32Topic(t: Hex[], i: number): number {
  const topic = topicAt(t, i);
  if (!topic.startsWith(UINT32_PADDING, 2)) malformed(`topic ${i} (uint32) does not fit in 32 bits`);
  return Number.parseInt(topic.slice(58), 16);
}

function addressTopic(t: Hex[], i: number): Address {
  const topic = topicAt(t, i);
  if (!topic.startsWith(ADDRESS_PADDING, 2)) malformed(`topic ${i} (address) has non-zero padding`);
  return checksummed(`0x${topic.slice(26).toLowerCase()}`);
}

/** lowercase → checksummed: each getAddress is a keccak, and the same operators come back all the time. */
const checksumCache = new Map<string, Address>();
const CHECKSUM_CACHE_MAX = 10_000;

function checksummed(lower: string): Address {
  let a = checksumCache.get(lower);
  if (a === undefined) {
    if (checksumCache.size >= CHECKSUM_CACHE_MAX) checksumCache.clear();
    a = getAddress(lower);
    checksumCache.set(lower, a);
  }
  return a;
}

/** The data, checked to be 0x-prefixed even-length hex (viem's hexToBytes rejects other characters anywhere in it). */
function dataOf(data: unknown): string {
  if (typeof data !== 'string' || !HEX.test(data)) malformed('data is not 0x-prefixed hex');
  if (data.length % 2 !== 0) malformed('data has an odd number of hex digits');
  if (data.length === 2) malformed('data is empty');
  return data;
}

/** Byte size of checked data. */
const sizeOf = (data: string) => (data.length - 2) / 2;

/** Hex index of byte `at` of the data. */
const hexAt = (at: number) => 2 + 2 * at;

function needWord(data: string, at: number, what: string): void {
  if (at + 32 > sizeOf(data)) malformed(`${what} (bytes ${at}..${at + 32}) lies past the end of the ${sizeOf(data)}-byte data`);
}

function uint32Word(data: string, at: number, what: string): number {
  needWord(data, at, what);
  const i = hexAt(at);
  if (!data.startsWith(UINT32_PADDING, i)) malformed(`${what} (uint32) does not fit in 32 bits`);
  return Number.parseInt(data.slice(i + 56, i + 64), 16);
}

/** An offset or a length: a number the data must be long enough to hold. */
function smallWord(data: string, at: number, what: string): number {
  needWord(data, at, what);
  const i = hexAt(at);
  if (!data.startsWith(SMALL_PADDING, i)) malformed(`${what} is larger than the data`);
  return Number.parseInt(data.slice(i + 52, i + 64), 16);
}

interface Tail {
  wadsToSlash: bigint[];
  description: string;
}
const NO_TAIL: Tail = { wadsToSlash: [], description: '' };

/**
 * (uint256[] wadsToSlash, string description) whose two offset words start at byte `head` of the
 * data (after the static words before them). Every word read and every byte of the description
 * must lie inside the data; the ABI's own rule is that offsets count from the start of the data.
 * With `values` false only checks (the result is NO_TAIL).
 */
function decodeTail(data: string, head: number, values: boolean): Tail {
  const size = sizeOf(data);
  if (size < head + 64) malformed(`data is ${size} bytes; the head alone is ${head + 64}`);

  const wadsAt = smallWord(data, head, 'wadsToSlash offset');
  const count = smallWord(data, wadsAt, 'wadsToSlash length');
  if (count > (size - wadsAt - 32) / 32) malformed(`wadsToSlash length ${count} at byte ${wadsAt} runs past the end of the ${size}-byte data`);

  const descAt = smallWord(data, head + 32, 'description offset');
  const length = smallWord(data, descAt, 'description length');
  if (length > size - descAt - 32) malformed(`description length ${length} at byte ${descAt} runs past the end of the ${size}-byte data`);

  if (!values) return NO_TAIL;
  const wadsToSlash = new Array<bigint>(count);
  for (let k = 0, i = hexAt(wadsAt + 32); k < count; k++, i += 64) wadsToSlash[k] = BigInt(`0x${data.slice(i, i + 64)}`);
  return { wadsToSlash, description: length === 0 ? '' : utf8Text(data, hexAt(descAt + 32), length) };
}

/** UTF-8 text of `length` bytes at hex index `i`. ASCII (most descriptions) skips the TextDecoder. */
function utf8Text(data: string, i: number, length: number): string {
  const hex = data.slice(i, i + 2 * length);
  const bytes = Buffer.from(hex, 'hex');
  for (let k = 0; k < length; k++) if (bytes[k]! >= 0x80) return utf8.decode(bytes);
  return bytes.toString('latin1');
}
