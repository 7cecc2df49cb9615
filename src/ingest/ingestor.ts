/**
 * The ingest runner. Each pass:
 *  1. historical — from the checkpoint to `head − reorgDepth`, each range of logs committed in
 *     its own transaction (those blocks are deeper than any reorg we revert: no headers kept);
 *  2. realtime — the last `reorgDepth` blocks in short chunks, every header stored and linked by
 *     parent hash; a reorg reverts everything above the common ancestor and goes forward again
 *     (deeper than the stored history: REORG_TOO_DEEP, loudly);
 *  3. slashability — the operator sets whose state may have changed are read again.
 * The chain readers (chain/sync) never write; this runner owns every write, through the store.
 */
import { getAddress, type Address, type Hex, type PublicClient } from 'viem';
import { decodeSlasherLog, SLASHER_TOPICS, type SlasherLog } from '../chain/decode';
import { canDeferStrategies, logsToFacts } from '../chain/enrich';
import type { RawLog } from '../chain/logs';
import { ALLOCATION_MANAGER_TOPICS, allocationManagerLogSubject, createSeenSetHistory } from '../chain/slashability';
import { refineFamilyFromLog, type SlasherFacts, type VariantGuess } from '../chain/slasherFacts';
import { blockTimes, historicalRanges } from '../chain/sync/historical';
import { findCommonAncestor, readHeader, readRealtimeChunk, type Header } from '../chain/sync/realtime';
import type { NewFact } from '../domain/ingestFacts';
import type { Variant } from '../domain/types';
import { DeskError, describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { isWriteConflict } from '../store/conflicts';
import type { IngestStore } from '../store/ingestStore';
import { createEnrichment } from './enrichment';
import { createSlashabilityRefresh, type PastLapses } from './slashability';
import { nextPass } from '../lib/nextPass';
import { createSharedWatch } from './sharedWatch';

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
  /**
   * Other contracts whose logs ride on the same per-block eth_getLogs (the Safes, whose owner,
   * threshold and nonce changes the desk follows instead of reading them every block). `onLogs`
   * gets their logs of every applied block before the pass is announced; `onReset` is told when
   * blocks were applied without their logs being read (a backfill) or were reverted (a reorg), and
   * when another desk on the database may have applied such logs (the checkpoint's `safeChanges`).
   */
  watch?: { addresses: Address[]; topics: Hex[]; onLogs: (logs: RawLog[]) => void; onReset: () => void };
  /** lapses a set's membership history shows that no pass saw happen (the desk was down or new) */
  lapses?: PastLapses;
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

/** headers fetched per round trip (one JSON-RPC batch) while catching up on the last REORG_DEPTH blocks */
const MAX_CATCH_UP_CHUNK = 128;

export function createIngestor(o: IngestOptions) {
  const { client, store, logger } = o;
  const slasher = o.facts.slasher;
  const am = o.facts.allocationManager;
  let variant: VariantGuess = o.facts.variant;
  const status: IngestStatus = { headBlock: null, indexedBlock: null, variant, lastError: null, enrichError: null, fatal: null, reorgs: 0 };
  const chunk = o.realtimeChunk ?? 32;
  let stopped = false;
  // the AllocationManager's membership events ride along the slasher's eth_getLogs, so a set's
  // history walk asks the node only for the blocks the desk has not read itself
  const setHistorySeen = o.facts.avs ? createSeenSetHistory(o.facts.avs) : null;
  const slashability = createSlashabilityRefresh({ client, store, facts: o.facts, maxLogRange: o.maxLogRange, seen: setHistorySeen ?? undefined, lapses: o.lapses, logger });
  const enrichment = createEnrichment({
    client,
    store,
    slasher,
    logger,
    metrics: o.metrics,
    variant: () => (variant === 'V1|V2' ? null : variant),
    mark: slashability.mark,
    // their operator sets are marked: read their slashability and re-plan now (a pass that starts
    // after this call: the one in flight may have started its read before they were marked)
    rerun: () => {
      if (!stopped && slashability.marked()) void sync().catch(() => undefined);
    },
  });
  const snapshot = (): IngestStatus => ({ ...status, enrichError: enrichment.error() });

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
    if (deferStrategies && canDeferStrategies(v) && facts.some((f) => f.fact.kind === 'queued')) enrichment.markPending();
    for (const f of facts) if (f.fact.kind === 'queued') slashability.mark(f.fact.data.operator, f.fact.data.operatorSetId);
    o.metrics?.logsIngested.inc({ event: 'slasher' }, decoded.length);
    return { facts, variant: v };
  }

  /**
   * Commits each range in its own transaction, the next range read and turned into facts while
   * the previous one commits (commits stay in order); V4 reads stored open requests while
   * matching fulfilments, so there each commit lands before the next read.
   */
  async function backfill(from: number, to: number): Promise<void> {
    logger.info({ from, to }, 'backfill');
    let committing: Promise<void> = Promise.resolve();
    // with the AllocationManager's events: a set's history (who left, what was deallocated) is then
    // known for these blocks without walking them again
    const historical = setHistorySeen ? { address: [slasher, am], topics: [...SLASHER_TOPICS, ...ALLOCATION_MANAGER_TOPICS] } : { address: slasher, topics: SLASHER_TOPICS };
    for await (const range of historicalRanges(client, { ...historical, from, to, maxRange: o.maxLogRange })) {
      if (variant === 'V4') await committing;
      const { facts, variant: v } = await toFacts(range.logs, true);
      // the last range ends on a header we keep: the anchor realtime links to
      const last = range.toBlock === to ? await readHeader(client, to) : null;
      const times = blockTimes(client, range.logs, timesWanted(facts, last, to));
      times.catch(() => undefined); // surfaced by the commit below
      await committing;
      committing = times
        .then((bt) => store.applyBatch({ facts, blocks: last ? [last] : [], blockTimes: bt, indexedBlock: range.toBlock, indexedHash: last?.hash ?? null, variant: v, expectIndexedBlock: range.fromBlock - 1, safeChanges: last ? 1 : 0 }))
        .then(() => {
          if (last) sharedWatch.wrote(1);
          setHistorySeen?.observe(range.fromBlock, range.toBlock, range.logs.filter((l) => getAddress(l.address) === am), { toHash: last?.hash ?? null });
          status.indexedBlock = range.toBlock;
          o.metrics?.backfillBlocks.inc(range.toBlock - range.fromBlock + 1);
          o.metrics?.indexedBlock.set(range.toBlock);
        });
      committing.catch(() => undefined); // surfaced by the next await
    }
    await committing;
    // the AllocationManager events of those blocks were not looked at one by one: read every set
    slashability.markAll();
    o.watch?.onReset();
  }

  /** The blocks whose times the desk shows for a backfilled range: its facts' blocks and the block windows' ends already mined. */
  function timesWanted(facts: NewFact[], anchor: Header | null, upTo: number): Set<number> {
    const wanted = new Set(facts.map((f) => f.fact.blockNumber));
    if (o.facts.window.kind === 'blocks') {
      for (const f of facts) {
        const end = f.fact.kind === 'queued' ? f.fact.data.requestBlockOrTimestamp + o.facts.window.blocks : null;
        if (end !== null && end <= upTo) wanted.add(end);
      }
    }
    if (anchor) wanted.delete(anchor.number);
    return wanted;
  }

  async function handleReorg(at: number): Promise<void> {
    const ancestor = await findCommonAncestor(client, (n) => store.getBlock(n), at, o.reorgDepth);
    const depth = at - ancestor.number;
    logger.warn({ ancestor: ancestor.number, depth }, 'reorg: reverting blocks above the common ancestor');
    const ids = await store.revertTo(ancestor);
    sharedWatch.wrote(1);
    setHistorySeen?.revertAbove(ancestor.number);
    status.reorgs++;
    status.indexedBlock = ancestor.number;
    enrichment.markPending(); // a request the reorg uncovered (V4 id reuse) may be one stored without them
    o.metrics?.reorgs.inc();
    o.metrics?.reorgDepth.observe(depth);
    slashability.markAll();
    o.watch?.onReset();
    if (ids.length) logger.warn({ requestIds: ids }, 'reorg touched requests');
  }

  const watched = new Set((o.watch?.addresses ?? []).map((a) => getAddress(a)));
  const sharedWatch = createSharedWatch(() => o.watch?.onReset());
  /** the checkpoint as a pass reads it: every such read compares the Safes' count (outside a pass, a read would race its writes) */
  async function checkpoint() {
    const c = await store.getCursor();
    if (o.watch) sharedWatch.observe(c);
    return c;
  }
  const addresses = [slasher, am, ...[...watched].filter((a) => a !== slasher && a !== am)];
  const topics = [...new Set([...SLASHER_TOPICS, ...ALLOCATION_MANAGER_TOPICS, ...(o.watch?.topics ?? [])])] as Hex[];

  /**
   * What this desk saw of the membership events counts only while the stored chain still has the
   * block it saw last: another desk on the same database may have reverted it (a reorg it
   * handled), and then this one reads those blocks' history from the node again.
   */
  async function checkSeenSetHistory(): Promise<void> {
    const covered = setHistorySeen?.covered();
    const hash = setHistorySeen?.coveredHash();
    if (!covered || !hash) return; // nothing seen, or only blocks deeper than any reorg
    const stored = await store.getBlock(covered.to);
    // the same block: still the chain this desk saw (a block no longer stored is not proof of that)
    if (stored?.hash !== hash) setHistorySeen!.forget();
  }

  /** Applies blocks from..to (≤ chunk); returns false on a reorg or a chain that moved. */
  async function realtimeChunk(from: number, to: number, head: number, known: Header[]): Promise<boolean> {
    const prev = await store.getBlock(from - 1);
    const seen = await readRealtimeChunk(client, { from, to, previousHash: prev?.hash, addresses, topics, known, maxRange: o.maxLogRange });
    if (seen.kind === 'reorg') await handleReorg(seen.at);
    if (seen.kind !== 'blocks') return false;
    for (const l of seen.logs) {
      if (getAddress(l.address) !== am) continue;
      const subject = allocationManagerLogSubject(l.topics, l.data);
      if (subject && (!o.facts.avs || subject.avs === o.facts.avs)) slashability.mark(subject.operator, subject.operatorSetId);
    }
    const { facts, variant: v } = await toFacts(seen.logs);
    const tip = seen.headers[seen.headers.length - 1]!;
    const theirs = o.watch ? seen.logs.filter((l) => watched.has(getAddress(l.address))) : [];
    await store.applyBatch({ facts, blocks: seen.headers, indexedBlock: tip.number, indexedHash: tip.hash, variant: v, pruneBlocksBelow: head - o.reorgDepth, expectIndexedBlock: from - 1, safeChanges: theirs.length });
    sharedWatch.wrote(theirs.length);
    setHistorySeen?.observe(from, to, seen.logs.filter((l) => getAddress(l.address) === am), { toHash: tip.hash, parentHash: prev?.hash ?? null });
    status.indexedBlock = tip.number;
    o.metrics?.indexedBlock.set(tip.number);
    if (o.watch && theirs.length) o.watch.onLogs(theirs);
    return true;
  }

  async function ensureCursor(): Promise<number> {
    const c = await checkpoint();
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
    // the newest header tells the head and, when one block came, is the block to apply
    const latest = await readHeader(client, 'latest');
    const head = latest.number;
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
      if (stored && stored.hash !== latest.hash) await handleReorg(head);
      else if (indexed > head) await handleReorg(head);
      indexed = (await checkpoint())!.indexedBlock;
    }
    let guard = 0;
    // the head's header once read; after a reorg or a moving chain, read afresh
    let known = [latest];
    // catching up after a backfill: the last reorgDepth blocks in one round trip, not several
    const catchUp = Math.max(chunk, Math.min(o.reorgDepth, MAX_CATCH_UP_CHUNK));
    while (indexed < head) {
      const to = Math.min(head, indexed + (head - indexed > chunk ? catchUp : chunk));
      const ok = await realtimeChunk(indexed + 1, to, head, known);
      if (!ok) known = [];
      indexed = (await checkpoint())!.indexedBlock;
      if (!ok && ++guard > 20) throw new DeskError('RPC_UNAVAILABLE', 'the chain keeps moving under the reader', { retryable: true });
    }
    status.indexedBlock = indexed;
    o.metrics?.lagBlocks.set(Math.max(0, head - indexed));
    if (await slashability.pending()) {
      await checkSeenSetHistory();
      await slashability.refresh(indexed);
    }
    // every set this pass marked (from the AllocationManager's logs of its blocks) is read: what
    // the sets' history says up to `indexed` is known, lapses included
    await store.markSlashabilityRead(indexed);
    status.lastError = null;
    enrichment.start();
    return snapshot();
  }

  const listeners: ((s: IngestStatus) => void)[] = [];
  function notify(s: IngestStatus): void {
    o.onSynced?.(s);
    for (const l of listeners) l(s);
  }

  /** One pass; a caller always gets a pass that started after its call (see nextPass). */
  const passes = nextPass(
    () =>
      syncOnce()
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
            return checkpoint().then((c) => {
              if (c) status.indexedBlock = c.indexedBlock;
              return snapshot();
            });
          }
          status.lastError = describeError(e);
          if (e instanceof DeskError && (e.code === 'REORG_TOO_DEEP' || e.code === 'CHAIN_ID_MISMATCH')) status.fatal = e.message;
          throw e;
        }),
    { stopped: () => stopped, whenStopped: () => snapshot() },
  );
  const sync = (): Promise<IngestStatus> => passes.run();

  return {
    sync,
    /** subscribes to every pass that changed something (called on the next turn of the event loop) */
    onSynced(listener: (s: IngestStatus) => void): void {
      listeners.push(listener);
    },
    status: snapshot,
    /** resolves once no pass is running or queued */
    idle: (): Promise<void> => passes.idle(),
    /** resolves once every stored request has its strategies and the pass that follows has run */
    async enriched(): Promise<void> {
      for (;;) {
        const reading = enrichment.running();
        if (reading) await reading;
        // the pass after the one under way (idle() could wait for ever behind a followed chain)
        else if (passes.busy()) await passes.run().catch(() => undefined);
        else if (slashability.marked() && !stopped) {
          if (!(await sync().then(() => true, () => false))) return; // the failure is in status()
        } else return;
      }
    },
    isReady: () => cursorReady,
    /**
     * Whether the stored state may hide a lapse: blocks were indexed more than DEALLOCATION_DELAY
     * past the last whole pass's read of the operator sets (by any desk on the database), long
     * enough for an operator to leave, escape and come back unseen — after a stop, an outage, or
     * a pass killed between its blocks and its reads
     */
    async mayHideLapses(): Promise<boolean> {
      const c = await store.getCursor();
      if (!c) return true;
      return (c.slashabilityReadTo ?? c.startBlock - 1) < c.indexedBlock - o.facts.deallocationDelay;
    },
    /** stops background reads (strategies) and waits for them: call before closing the RPC client */
    async stop(): Promise<void> {
      stopped = true;
      await enrichment.stop();
      await passes.idle();
    },
  };
}

export type Ingestor = ReturnType<typeof createIngestor>;
