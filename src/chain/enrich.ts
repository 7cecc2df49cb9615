/**
 * Turns decoded slasher logs into request facts. SlashingRequested carries no strategies, so each
 * queued request is completed from the `slashingRequests(id)` getter: at the latest block for
 * V1–V3 (their ids are never reused, params never change), at the log's own block for V4 (a later
 * request may have overwritten the id), falling back to the queueing transaction's calldata.
 * V4's OperatorSlashed names the AllocationManager's slash id, so its fulfilments are found by
 * re-reading the status of the candidate requests at that block.
 */
import { decodeFunctionData, getAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem';
import { createMulticallAt } from './multicall';
import { decodeOnchainStatus, slasherAbi } from './abis';
import type { SlasherLog } from './decode';
import { mapLimit } from '../lib/mapLimit';
import type { NewFact } from '../domain/ingestFacts';
import type { Variant } from '../domain/types';
import { DeskError } from '../errors';

type Queued = Extract<SlasherLog, { kind: 'queued' }>;
type Slashed = Extract<SlasherLog, { kind: 'slashed' }>;

interface Params {
  strategies: Address[];
  requestBlockOrTimestamp: number;
}

async function readParams(client: PublicClient, slasher: Address, variant: Variant, q: Queued): Promise<Params> {
  const read = async (blockNumber?: bigint) => {
    const [params, when, status] = await client.readContract({
      address: slasher,
      abi: slasherAbi,
      functionName: 'slashingRequests',
      args: [q.requestId],
      ...(blockNumber !== undefined ? { blockNumber } : {}),
    });
    return { params, when: Number(when), status };
  };
  const matches = (p: { operator: Address; operatorSetId: number }) =>
    getAddress(p.operator) === q.operator && Number(p.operatorSetId) === q.operatorSetId;

  if (variant !== 'V4') {
    const r = await read();
    if (r.when === 0 && decodeOnchainStatus(variant, r.status) !== 'none') {
      throw new DeskError('RPC_UNAVAILABLE', `slashingRequests(${q.requestId}) reads back empty: the node is behind the logs`, { retryable: true });
    }
    return { strategies: r.params.strategies.map((s) => getAddress(s)), requestBlockOrTimestamp: r.when };
  }
  // V4: the id may have been reused since; read the state as of the queueing block
  try {
    const r = await read(BigInt(q.blockNumber));
    if (matches(r.params) && r.when !== 0) return { strategies: r.params.strategies.map((s) => getAddress(s)), requestBlockOrTimestamp: r.when };
  } catch {
    /* historical state not served by this node: fall through */
  }
  const tx = await client.getTransaction({ hash: q.txHash });
  try {
    const { functionName, args } = decodeFunctionData({ abi: slasherAbi, data: tx.input });
    if (functionName === 'queueSlashingRequest' && matches(args[0])) {
      return { strategies: args[0].strategies.map((s) => getAddress(s)), requestBlockOrTimestamp: q.blockNumber };
    }
  } catch {
    /* queued through a contract (a Safe): not decodable here */
  }
  const latest = await read();
  if (matches(latest.params) && latest.when === q.blockNumber) {
    return { strategies: latest.params.strategies.map((s) => getAddress(s)), requestBlockOrTimestamp: latest.when };
  }
  throw new DeskError('RPC_UNAVAILABLE', `cannot read the strategies of V4 request ${q.requestId} queued in block ${q.blockNumber}: an archive node is needed`);
}

/** Getter reads per multicall chunk (state-override Multicall3, else deployless: see multicall.ts). */
const OVERRIDE_CHUNK = 250;
/** a few calls at a time: the http transport batches concurrent calls into one POST, which must stay under viem's 10 MB reply cap */
const MULTICALL_CONCURRENCY = 4;

type GetterTuple = readonly [{ strategies: readonly Address[] }, bigint, number];
const multicallAt = createMulticallAt();

/** Each request's `slashingRequests(id)` at the latest block; null where the call reverted. */
async function multicallGetters(i: EnrichInput, chunk: Queued[]): Promise<(GetterTuple | null)[]> {
  const calls = chunk.map((q) => ({ address: i.slasher, abi: slasherAbi as Abi, functionName: 'slashingRequests', args: [q.requestId] as const }));
  return (await multicallAt(i.client, calls)) as (GetterTuple | null)[];
}

/** V1–V3: the getters of many requests in few eth_calls; anything that fails is read on its own. */
async function readParamsBulk(i: EnrichInput, queued: Queued[]): Promise<Params[]> {
  const chunks: Queued[][] = [];
  for (let k = 0; k < queued.length; k += OVERRIDE_CHUNK) chunks.push(queued.slice(k, k + OVERRIDE_CHUNK));
  const perChunk = await mapLimit(chunks, MULTICALL_CONCURRENCY, async (chunk) => {
    let results: (GetterTuple | null)[];
    try {
      results = await multicallGetters(i, chunk);
    } catch {
      results = chunk.map(() => null);
    }
    return Promise.all(
      chunk.map(async (q, j) => {
        const r = results[j];
        if (r && r[1] !== 0n) {
          return { strategies: r[0].strategies.map((s) => getAddress(s)), requestBlockOrTimestamp: Number(r[1]) };
        }
        return readParams(i.client, i.slasher, i.variant, q);
      }),
    );
  });
  return perChunk.flat();
}

export interface EnrichInput {
  client: PublicClient;
  slasher: Address;
  variant: Variant;
  logs: SlasherLog[];
  /** V4: open requests already stored, candidates for an OperatorSlashed in these logs */
  openRequests: { requestId: bigint; operator: Address; operatorSetId: number }[];
  /**
   * Store V3/V4 requests with `strategies: null` instead of reading the getter now (the backfill:
   * their request block is the log's own block, so every deadline but L is exact without it);
   * `readStrategies` completes them afterwards. V1/V2 need the getter's request timestamp: read.
   */
  deferStrategies?: boolean;
}

/** Whether the variant's request block can be taken from the log (the getter then only adds strategies). */
export const canDeferStrategies = (variant: Variant): boolean => variant === 'V3' || variant === 'V4';

/** A stored request whose strategies are still to be read. */
export interface PendingStrategies {
  requestId: bigint;
  operator: Address;
  operatorSetId: number;
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  txHash: Hex;
}

/**
 * The strategies of stored requests, from the getter: V3 in bulk at the latest block (ids are
 * never reused), V4 one by one at the request's own block (a later request may reuse the id).
 * A request whose getter no longer matches its log is an error, never a guess.
 */
export async function readStrategies(client: PublicClient, slasher: Address, variant: Variant, pending: PendingStrategies[]): Promise<Address[][]> {
  const queued: Queued[] = pending.map((p) => ({
    kind: 'queued',
    requestId: p.requestId,
    operator: p.operator,
    operatorSetId: p.operatorSetId,
    blockNumber: p.blockNumber,
    blockHash: p.blockHash,
    logIndex: p.logIndex,
    txHash: p.txHash,
    wadsToSlash: [],
    description: '',
    topicCount: 3,
  }));
  const params =
    variant === 'V4'
      ? await mapLimit(queued, MULTICALL_CONCURRENCY * 4, (q) => readParams(client, slasher, variant, q))
      : await readParamsBulk({ client, slasher, variant, logs: [], openRequests: [] }, queued);
  return params.map((p, k) => {
    const q = queued[k]!;
    if (variant !== 'V4' && p.requestBlockOrTimestamp !== q.blockNumber) {
      throw new DeskError('RPC_UNAVAILABLE', `slashingRequests(${q.requestId}) reads back request block ${p.requestBlockOrTimestamp}, its log is in block ${q.blockNumber}`, { retryable: true });
    }
    return p.strategies;
  });
}

export async function logsToFacts(i: EnrichInput): Promise<NewFact[]> {
  const queued = i.logs.filter((l): l is Queued => l.kind === 'queued');
  const defer = i.deferStrategies === true && canDeferStrategies(i.variant);
  const params: { strategies: Address[] | null; requestBlockOrTimestamp: number }[] = defer
    ? queued.map((q) => ({ strategies: null, requestBlockOrTimestamp: q.blockNumber }))
    : i.variant === 'V4'
      ? await Promise.all(queued.map((q) => readParams(i.client, i.slasher, i.variant, q)))
      : await readParamsBulk(i, queued);
  const facts: NewFact[] = [];
  queued.forEach((q, k) => {
    const p = params[k]!;
    facts.push({
      requestId: q.requestId,
      fact: {
        kind: 'queued',
        blockNumber: q.blockNumber,
        logIndex: q.logIndex,
        blockHash: q.blockHash,
        txHash: q.txHash,
        data: {
          operator: q.operator,
          operatorSetId: q.operatorSetId,
          strategies: p.strategies,
          wadsToSlash: q.wadsToSlash.map((w) => w.toString()),
          description: q.description,
          requestBlockOrTimestamp: p.requestBlockOrTimestamp,
        },
      },
    });
  });
  for (const l of i.logs) {
    if (l.kind === 'cancelled') {
      facts.push({ requestId: l.requestId, fact: { kind: 'cancelled', blockNumber: l.blockNumber, logIndex: l.logIndex, blockHash: l.blockHash, txHash: l.txHash } });
    } else if (l.kind === 'slashed' && i.variant !== 'V4') {
      facts.push({ requestId: l.id, fact: { kind: 'fulfilled', blockNumber: l.blockNumber, logIndex: l.logIndex, blockHash: l.blockHash, txHash: l.txHash } });
    }
  }
  const slashed = i.logs.filter((l): l is Slashed => l.kind === 'slashed');
  if (i.variant === 'V4' && slashed.length > 0) facts.push(...(await v4Fulfilments(i, queued, slashed)));
  return facts;
}

async function v4Fulfilments(i: EnrichInput, queued: Queued[], slashed: Slashed[]): Promise<NewFact[]> {
  const candidates = new Map<string, { requestId: bigint; operator: Address; operatorSetId: number; after: number }>();
  for (const r of i.openRequests) candidates.set(r.requestId.toString(), { ...r, after: -1 });
  for (const q of queued) candidates.set(q.requestId.toString(), { requestId: q.requestId, operator: q.operator, operatorSetId: q.operatorSetId, after: q.blockNumber });
  const out: NewFact[] = [];
  const taken = new Set<string>();
  for (const s of slashed) {
    for (const c of candidates.values()) {
      const key = c.requestId.toString();
      if (taken.has(key) || c.operator !== s.operator || c.operatorSetId !== s.operatorSetId || c.after > s.blockNumber) continue;
      const [, , status] = await i.client.readContract({
        address: i.slasher,
        abi: slasherAbi,
        functionName: 'slashingRequests',
        args: [c.requestId],
        blockNumber: BigInt(s.blockNumber),
      });
      if (decodeOnchainStatus('V4', status) === 'completed') {
        taken.add(key);
        out.push({ requestId: c.requestId, fact: { kind: 'fulfilled', blockNumber: s.blockNumber, logIndex: s.logIndex, blockHash: s.blockHash, txHash: s.txHash } });
        break;
      }
    }
  }
  return out;
}
