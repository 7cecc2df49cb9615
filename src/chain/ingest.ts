/**
 * The ingest state machine. Each sync:
 *  1. backfill — from the checkpoint to `head − reorgDepth` in adaptive eth_getLogs ranges
 *     (those blocks are deeper than any reorg we revert, so no headers are kept for them);
 *  2. realtime — the last `reorgDepth` blocks in short chunks, with every header stored and
 *     linked by parent hash. A header whose parent is not the stored block is a reorg: walk back
 *     to the common ancestor, revert everything above it, go forward again. A reorg deeper than
 *     the stored history stops ingest loudly (REORG_TOO_DEEP);
 *  3. slashability — re-read the operator sets whose requests are open and whose state may have
 *     changed (new request, AllocationManager event, reorg, start).
 * Every chunk commits its facts, headers and checkpoint in one transaction.
 */
import { getAddress, hexToNumber, type Address, type Hex, type PublicClient } from 'viem';
import { decodeSlasherLog, SLASHER_TOPICS, type SlasherLog } from './decode';
import { canDeferStrategies, logsToFacts, readStrategies } from './enrich';
import { fetchLogRanges, getLogsRaw, type RawLog } from './logs';
import { ALLOCATION_MANAGER_TOPICS, allocationManagerLogSubject, membershipChanges, membershipSearchFrom, readSlashability } from './slashability';
import { refineFamilyFromLog, type SlasherFacts, type VariantGuess } from './slasherFacts';
import type { BlockRow, IngestStore, NewFact, OperatorSetStateRow } from '../store/ingestStore';
import type { BlockRef, Variant } from '../domain/types';
import { DeskError, describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';

export interface IngestOptions {
  client: PublicClient;
  store: IngestStore;
  facts: SlasherFacts;
  chainId: number;
  startBlock: number;
  reorgDepth: number;
  maxLogRange: number;
  logger: Logger;
  metrics?: Metrics;
  /** realtime chunk size (headers fetched per round trip) */
  realtimeChunk?: number;
  /** called after every sync that changed something, on the next turn of the event loop (not once stopped); more with `onSynced` */
  onSynced?: (s: IngestStatus) => void;
}

export interface IngestStatus {
  headBlock: number | null;
  indexedBlock: number | null;
  variant: VariantGuess;
  lastError: string | null;
  /**
   * the background read of backfilled requests' strategies failed (they stay pending: no alert,
   * no action); cleared when a read succeeds. Kept apart from lastError, which every pass resets.
   */
  enrichError: string | null;
  fatal: string | null;
  reorgs: number;
}

interface Header {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

export function createIngestor(o: IngestOptions) {
  const { client, store, logger } = o;
  const slasher = o.facts.slasher;
  const am = o.facts.allocationManager;
  let variant: VariantGuess = o.facts.variant;
  const status: IngestStatus = { headBlock: null, indexedBlock: null, variant, lastError: null, enrichError: null, fatal: null, reorgs: 0 };
  /** operator sets whose slashability must be re-read: "operator:setId" */
  const dirty = new Set<string>();
  let refreshAll = true;
  const chunk = o.realtimeChunk ?? 32;
  /** requests stored with strategies unread may exist (true at start: a previous run may have left some) */
  let strategiesPending = true;
  let enriching: Promise<void> | null = null;
  let stopped = false;

  const keyOf = (operator: string, setId: number) => `${getAddress(operator)}:${setId}`;

  async function header(n: number): Promise<Header> {
    const b = await client.getBlock({ blockNumber: BigInt(n) });
    return { number: Number(b.number), hash: b.hash!, parentHash: b.parentHash, timestamp: Number(b.timestamp) };
  }

  function concreteVariant(logs: SlasherLog[]): Variant | undefined {
    for (const l of logs) if (l.kind === 'queued') variant = refineFamilyFromLog(variant, l.topicCount);
    status.variant = variant;
    return variant === 'V1|V2' ? undefined : variant;
  }

  async function toFacts(raw: RawLog[], deferStrategies = false) {
    const decoded = raw
      .filter((l) => getAddress(l.address) === slasher)
      .map(decodeSlasherLog)
      .filter((x): x is SlasherLog => x !== null);
    const v = concreteVariant(decoded);
    if (decoded.length === 0) return { facts: [], variant: v };
    if (!v) throw new DeskError('VARIANT_UNKNOWN', 'slasher logs seen before the V1/V2 layout could be settled');
    const open = v === 'V4' && decoded.some((d) => d.kind === 'slashed') ? await store.openRequests() : [];
    const facts = await logsToFacts({
      client,
      slasher,
      variant: v,
      logs: decoded,
      openRequests: open.map((r) => ({ requestId: BigInt(r.requestId), operator: getAddress(r.operator), operatorSetId: r.operatorSetId })),
      deferStrategies,
    });
    if (deferStrategies && canDeferStrategies(v) && facts.some((f) => f.fact.kind === 'queued')) strategiesPending = true;
    for (const f of facts) if (f.fact.kind === 'queued') dirty.add(keyOf(f.fact.data.operator, f.fact.data.operatorSetId));
    o.metrics?.logsIngested.inc({ event: 'slasher' }, decoded.length);
    return { facts, variant: v };
  }

  /**
   * Reads ranges in order and commits each in its own transaction. The next range is read and
   * enriched while the previous one commits (commits stay in order); V4 reads stored open
   * requests while matching fulfilments, so there each commit lands before the next read.
   */
  async function backfill(from: number, to: number): Promise<void> {
    logger.info({ from, to }, 'backfill');
    let committing: Promise<void> = Promise.resolve();
    for await (const range of prefetchOne(fetchLogRanges({
      client,
      address: slasher,
      topic0: SLASHER_TOPICS,
      fromBlock: from,
      toBlock: to,
      initialRange: Math.min(2_000, o.maxLogRange),
      maxRange: o.maxLogRange,
    }))) {
      if (variant === 'V4') await committing;
      const { facts, variant: v } = await toFacts(range.logs, true);
      // the last range ends on a header we keep: the anchor realtime links to
      const last = range.toBlock === to ? await header(to) : null;
      // read while the previous range commits
      const times = eventBlockTimes(range.logs, facts, last, to);
      times.catch(() => undefined); // surfaced by the commit below
      await committing;
      committing = times
        .then((blockTimes) => store.applyBatch({ facts, blocks: last ? [last] : [], blockTimes, indexedBlock: range.toBlock, indexedHash: last?.hash ?? null, variant: v, expectIndexedBlock: range.fromBlock - 1 }))
        .then(() => {
          status.indexedBlock = range.toBlock;
          o.metrics?.backfillBlocks.inc(range.toBlock - range.fromBlock + 1);
          o.metrics?.indexedBlock.set(range.toBlock);
        });
      committing.catch(() => undefined); // surfaced by the next await
    }
    await committing;
  }

  /**
   * The timestamps of the blocks a backfilled range's facts sit in, so their times show exactly:
   * from the logs where the node includes them, else read (one JSON-RPC batch per 250 blocks).
   */
  async function eventBlockTimes(raw: RawLog[], facts: NewFact[], anchor: Header | null, upTo: number): Promise<BlockRef[]> {
    const wanted = new Set(facts.map((f) => f.fact.blockNumber));
    // a block window's end already mined: the block a fulfil became possible at
    if (o.facts.window.kind === 'blocks') {
      for (const f of facts) {
        const end = f.fact.kind === 'queued' ? f.fact.data.requestBlockOrTimestamp + o.facts.window.blocks : null;
        if (end !== null && end <= upTo) wanted.add(end);
      }
    }
    if (anchor) wanted.delete(anchor.number);
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

  /** Walks back from `from` until the stored header matches the chain's. */
  async function findAncestor(from: number): Promise<BlockRow> {
    for (let n = from; n >= 0; n--) {
      const stored = await store.getBlock(n);
      if (!stored) {
        throw new DeskError('REORG_TOO_DEEP', `reorg deeper than the ${o.reorgDepth} blocks of history kept (no common ancestor at or above block ${n + 1}); raise REORG_DEPTH and re-index`);
      }
      const onChain = await header(n);
      if (onChain.hash === stored.hash) return stored;
    }
    throw new DeskError('REORG_TOO_DEEP', 'reorg reaches genesis');
  }

  async function handleReorg(at: number): Promise<void> {
    const ancestor = await findAncestor(at);
    const depth = at - ancestor.number;
    logger.warn({ ancestor: ancestor.number, depth }, 'reorg: reverting blocks above the common ancestor');
    const ids = await store.revertTo(ancestor);
    status.reorgs++;
    status.indexedBlock = ancestor.number;
    strategiesPending = true; // a request the reorg uncovered (V4 id reuse) may be one stored without them
    o.metrics?.reorgs.inc();
    o.metrics?.reorgDepth.observe(depth);
    refreshAll = true;
    if (ids.length) logger.warn({ requestIds: ids }, 'reorg touched requests');
  }

  /** Processes blocks from..to (≤ chunk) as headers + one getLogs; returns false on a reorg. */
  async function realtimeChunk(from: number, to: number, head: number): Promise<boolean> {
    const headers = await Promise.all(Array.from({ length: to - from + 1 }, (_, k) => header(from + k)));
    const prev = await store.getBlock(from - 1);
    for (let k = 0; k < headers.length; k++) {
      const h = headers[k]!;
      const parent = k === 0 ? prev?.hash : headers[k - 1]!.hash;
      if (parent !== undefined && h.parentHash !== parent) {
        if (k === 0) {
          await handleReorg(from - 1);
          return false;
        }
        return false; // the chain moved under us between calls: fetch again
      }
    }
    const raw = await getLogsRaw(client, [slasher, am], [...SLASHER_TOPICS, ...ALLOCATION_MANAGER_TOPICS], from, to);
    const byNumber = new Map(headers.map((h) => [h.number, h.hash]));
    if (raw.some((l) => byNumber.get(hexToNumber(l.blockNumber)) !== l.blockHash)) return false;
    for (const l of raw) {
      if (getAddress(l.address) !== am) continue;
      const subject = allocationManagerLogSubject(l.topics, l.data);
      if (subject && (!o.facts.avs || subject.avs === o.facts.avs)) dirty.add(keyOf(subject.operator, subject.operatorSetId));
    }
    const { facts, variant: v } = await toFacts(raw);
    const tip = headers[headers.length - 1]!;
    await store.applyBatch({
      facts,
      blocks: headers,
      indexedBlock: tip.number,
      indexedHash: tip.hash,
      variant: v,
      pruneBlocksBelow: head - o.reorgDepth,
      expectIndexedBlock: from - 1,
    });
    status.indexedBlock = tip.number;
    o.metrics?.indexedBlock.set(tip.number);
    return true;
  }

  async function refreshSlashability(atBlock: number): Promise<void> {
    if (!o.facts.avs) return; // without the AVS the operator set cannot be named
    // what this read covers; sets marked meanwhile (strategies read in the background) wait for the next
    const taken = new Set(dirty);
    const all = refreshAll;
    const [open, previous] = await Promise.all([store.openOperatorSets(), store.operatorStates()]);
    const prevByKey = new Map(previous.map((p) => [keyOf(p.operator, p.operatorSetId), p]));
    const byKey = new Map<string, { operator: Address; operatorSetId: number; strategies: Set<Address>; historyFrom: number }>();
    for (const r of open) {
      const key = keyOf(r.operator, r.operatorSetId);
      if (!all && !taken.has(key)) continue;
      // every open request of the set still waits for its strategies (a backfill stored them
      // unread): their L stays pending whatever this read finds, and the background read marks
      // the set again once they are known, so read it then, once
      if (r.strategies.every((list) => list === 'null')) continue;
      const e = byKey.get(key) ?? { operator: getAddress(r.operator), operatorSetId: r.operatorSetId, strategies: new Set<Address>(), historyFrom: r.historyFrom };
      for (const list of r.strategies) for (const s of (JSON.parse(list) as Address[] | null) ?? []) e.strategies.add(getAddress(s));
      e.historyFrom = Math.min(e.historyFrom, r.historyFrom);
      byKey.set(key, e);
    }
    const searchFrom = (k: { operator: Address; operatorSetId: number; historyFrom: number }) =>
      membershipSearchFrom({ blockNumber: atBlock, deallocationDelay: o.facts.deallocationDelay, historyFrom: k.historyFrom, previous: prevByKey.get(keyOf(k.operator, k.operatorSetId)) ?? null });
    // every set's membership history in one log walk (operators OR-ed), not one walk per set
    const membership = await membershipChanges({
      client,
      allocationManager: am,
      avs: o.facts.avs,
      sets: [...byKey.values()].map((k) => ({ operator: k.operator, operatorSetId: k.operatorSetId, from: searchFrom(k) })),
      toBlock: atBlock,
      maxLogRange: o.maxLogRange,
    });
    const rows: OperatorSetStateRow[] = await Promise.all(
      [...byKey.values()].map(async (k) => {
        const s = await readSlashability({
          client,
          allocationManager: am,
          avs: o.facts.avs!,
          operator: k.operator,
          operatorSetId: k.operatorSetId,
          strategies: [...k.strategies],
          blockNumber: atBlock,
          deallocationDelay: o.facts.deallocationDelay,
          maxLogRange: o.maxLogRange,
          historyFrom: k.historyFrom,
          previous: prevByKey.get(keyOf(k.operator, k.operatorSetId)) ?? null,
          membership: membership.get(keyOf(k.operator, k.operatorSetId)),
        });
        return {
          operator: s.operator,
          operatorSetId: s.operatorSetId,
          registered: s.registration.registered,
          deregisterBlock: s.registration.registered ? null : s.registration.deregisterBlock,
          allocations: s.allocations,
          readAtBlock: s.readAtBlock,
        };
      }),
    );
    await store.saveOperatorStates(carryForwardDeallocations(rows, previous));
    for (const k of taken) dirty.delete(k);
    if (all) refreshAll = false;
  }

  /**
   * Reads the strategies of the requests a backfill stored without them, newest first (the ones
   * the desk may still act on), ENRICH_CHUNK per transaction, then marks their operator sets for
   * a slashability read and runs a pass, which re-plans alerts and actions. Runs beside the
   * follower; an error is logged and retried on the next pass.
   */
  async function enrichPending(): Promise<void> {
    let done = 0;
    while (!stopped) {
      const rows = await store.pendingStrategies(ENRICH_CHUNK);
      if (rows.length === 0) break;
      const v = variant === 'V1|V2' ? null : variant;
      if (!v) break;
      const strategies = await readStrategies(
        client,
        slasher,
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
      await store.setStrategies(rows.map((r, k) => ({ requestId: r.requestId, blockNumber: r.queuedAtBlock, blockHash: r.queuedBlockHash, logIndex: r.queuedLogIndex, strategies: strategies[k]! })));
      for (const r of rows) dirty.add(keyOf(r.operator, r.operatorSetId));
      done += rows.length;
      o.metrics?.strategiesRead.inc(rows.length);
      if (rows.length < ENRICH_CHUNK) break;
    }
    strategiesPending = false;
    status.enrichError = null;
    if (done > 0) logger.info({ requests: done }, 'strategies read for requests stored without them');
  }

  function startEnrichment(): void {
    if (enriching || stopped || !strategiesPending) return;
    // from the next turn of the event loop: the pass that starts it resolves first, so whoever
    // awaits it (the API's first listing, the planner) is not queued behind this read's encoding
    enriching = new Promise<void>((resolve) => setImmediate(resolve))
      .then(enrichPending)
      .then(() => {
        enriching = null;
        // their operator sets are dirty: read their slashability and re-plan now (after the
        // pass in flight, which may have started its read before they were marked)
        const rerun = () => {
          if (!stopped && dirty.size > 0 && o.facts.avs) void sync().catch(() => undefined);
        };
        if (running) void running.then(rerun, rerun);
        else rerun();
      })
      .catch((e) => {
        enriching = null;
        status.enrichError = `reading the strategies of backfilled requests: ${describeError(e)}`;
        logger.warn({ err: describeError(e) }, 'reading the strategies of stored requests failed; retried on the next pass');
      });
  }

  async function ensureCursor(): Promise<number> {
    const c = await store.getCursor();
    if (c) {
      if (c.chainId !== o.chainId) {
        throw new DeskError('CHAIN_ID_MISMATCH', `the database indexed ${slasher} on chain ${c.chainId}, but RPC_URL serves chain ${o.chainId}`);
      }
      if (c.variant && c.variant !== 'unknown') variant = c.variant as Variant;
      status.variant = variant;
      return c.indexedBlock;
    }
    await store.saveCursor({
      chainId: o.chainId,
      variant: variant === 'V1|V2' ? null : variant,
      startBlock: o.startBlock,
      indexedBlock: o.startBlock - 1,
      indexedHash: null,
      windowKind: o.facts.window.kind,
      windowLength: o.facts.window.kind === 'blocks' ? o.facts.window.blocks : o.facts.window.seconds,
      allocationManager: am,
      avs: o.facts.avs,
      vetoCommittee: o.facts.vetoCommittee,
      slasherRole: o.facts.slasherRole,
      deallocationDelay: o.facts.deallocationDelay,
    });
    return o.startBlock - 1;
  }

  let cursorReady = false;

  /** One pass to the current head. Throws on failure (the follower decides what to do). */
  async function syncOnce(): Promise<IngestStatus> {
    if (status.fatal) throw new DeskError('REORG_TOO_DEEP', status.fatal);
    let indexed = await ensureCursor();
    cursorReady = true;
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    status.headBlock = head;
    o.metrics?.headBlock.set(head);
    const safeHead = head - o.reorgDepth;
    if (indexed < safeHead) {
      await backfill(indexed + 1, safeHead);
      indexed = safeHead;
    }
    if (indexed >= head && indexed > safeHead) {
      // nothing new to link to: check the stored tip itself (a reorg to an equal or shorter chain)
      const stored = await store.getBlock(head);
      if (stored && stored.hash !== (await header(head)).hash) await handleReorg(head);
      else if (indexed > head) await handleReorg(head);
      indexed = (await store.getCursor())!.indexedBlock;
    }
    let guard = 0;
    // catching up after a backfill: the last reorgDepth blocks in one round trip, not several
    const catchUp = Math.max(chunk, Math.min(o.reorgDepth, MAX_CATCH_UP_CHUNK));
    while (indexed < head) {
      const to = Math.min(head, indexed + (head - indexed > chunk ? catchUp : chunk));
      const ok = await realtimeChunk(indexed + 1, to, head);
      const c = await store.getCursor();
      indexed = c!.indexedBlock;
      if (!ok && ++guard > 20) throw new DeskError('RPC_UNAVAILABLE', 'the chain keeps moving under the reader', { retryable: true });
    }
    status.indexedBlock = indexed;
    o.metrics?.lagBlocks.set(Math.max(0, head - indexed));
    if (refreshAll || dirty.size > 0) await refreshSlashability(indexed);
    status.lastError = null;
    startEnrichment();
    return { ...status };
  }

  const listeners: ((s: IngestStatus) => void)[] = [];
  function notify(s: IngestStatus): void {
    o.onSynced?.(s);
    for (const l of listeners) l(s);
  }

  let running: Promise<IngestStatus> | null = null;
  /** Single-flight: concurrent triggers share one pass. */
  function sync(): Promise<IngestStatus> {
    if (!running) {
      running = syncOnce()
        .then((s) => {
          // observers (planner, scheduler, live page, metrics) start on the next turn: whoever
          // awaits this pass resumes first instead of behind their synchronous work
          if (o.onSynced || listeners.length) setImmediate(() => !stopped && notify(s));
          return s;
        })
        .catch((e) => {
          if (isWriteConflict(e)) {
            // a second desk on the same database indexed these blocks first: not an error, the
            // next pass continues from the checkpoint it wrote, which is this desk's index too
            o.logger.debug({ err: describeError(e) }, 'ingest pass yielded to another desk');
            return store.getCursor().then((c) => {
              if (c) status.indexedBlock = c.indexedBlock;
              return { ...status };
            });
          }
          status.lastError = describeError(e);
          if (e instanceof DeskError && (e.code === 'REORG_TOO_DEEP' || e.code === 'CHAIN_ID_MISMATCH')) status.fatal = e.message;
          throw e;
        })
        .finally(() => {
          running = null;
        });
    }
    return running;
  }

  return {
    sync,
    /** subscribes to every pass that changed something (called on the next turn of the event loop) */
    onSynced(listener: (s: IngestStatus) => void): void {
      listeners.push(listener);
    },
    status: () => ({ ...status }),
    /** resolves once no pass is running */
    idle: (): Promise<void> => (running ? running.then(() => undefined, () => undefined) : Promise.resolve()),
    /** resolves once every stored request has its strategies and the pass that follows has run */
    async enriched(): Promise<void> {
      for (;;) {
        if (enriching) await enriching;
        else if (running) await running.then(() => undefined, () => undefined);
        else if (dirty.size > 0 && !stopped && o.facts.avs) {
          if (!(await sync().then(() => true, () => false))) return; // the failure is in status()
        } else return;
      }
    },
    isReady: () => cursorReady,
    /** stops background reads (strategies) and waits for them: call before closing the RPC client */
    async stop(): Promise<void> {
      stopped = true;
      await enriching;
      await (running ? running.then(() => undefined, () => undefined) : undefined);
    },
  };
}

export type Ingestor = ReturnType<typeof createIngestor>;

/** headers fetched per round trip (one JSON-RPC batch) while catching up on the last REORG_DEPTH blocks */
const MAX_CATCH_UP_CHUNK = 128;

/** requests whose strategies are read per transaction: one bulk getter read and two UPDATEs */
const ENRICH_CHUNK = 2_000;

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

/** Another desk wrote the same rows or moved the checkpoint first (standby desks share the database). */
export function isWriteConflict(e: unknown): boolean {
  if (e instanceof DeskError) return e.code === 'INGEST_CONFLICT';
  const code = (e as { code?: string } | null)?.code;
  // Prisma: P2002 unique violation (the same event), P2034 write conflict / serialization
  // failure; PostgreSQL itself (the store's own connection): 23505 unique violation, 40001
  // serialization failure, 40P01 deadlock
  return (
    code === 'P2002' ||
    code === 'P2034' ||
    code === '23505' ||
    code === '40001' ||
    code === '40P01' ||
    /SQLITE_BUSY|database is locked/i.test(String((e as Error | null)?.message ?? ''))
  );
}

/**
 * Once a deallocation to zero has taken effect, `getAllocation` reads plain zero and forgets when
 * the stake left. Keep the earlier fact (pending to zero, effect block passed) so the last useful
 * block stays exact instead of drifting with the head.
 */
export function carryForwardDeallocations(
  fresh: OperatorSetStateRow[],
  previous: { operator: string; operatorSetId: number; allocations: OperatorSetStateRow['allocations'] }[],
): OperatorSetStateRow[] {
  const prevByKey = new Map(previous.map((p) => [`${getAddress(p.operator)}:${p.operatorSetId}`, p]));
  return fresh.map((row) => {
    const prev = prevByKey.get(`${getAddress(row.operator)}:${row.operatorSetId}`);
    if (!prev) return row;
    const allocations = row.allocations.map((a) => {
      const old = prev.allocations.find((p) => p.strategy === a.strategy);
      const emptied = a.currentMagnitude === 0n && a.pendingDiff === 0n;
      const oldToZero = old && old.pendingDiff < 0n && old.currentMagnitude + old.pendingDiff <= 0n && old.effectBlock <= row.readAtBlock;
      return emptied && oldToZero ? old! : a;
    });
    return { ...row, allocations };
  });
}
