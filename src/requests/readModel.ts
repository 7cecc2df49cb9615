/**
 * The requests as the desk sees them: stored facts (store) + deadline maths (domain) + "now".
 * Each call reads a consistent set of rows and computes status and deadlines at the indexed head.
 * The Safe desks, the scheduler, alerts and the API all start from these views (queries.ts adds
 * the Safe proposals and the next actions).
 */
import { getAddress } from 'viem';
import { chainClock, describeDeadlines } from '../domain/deadlines';
import type { BlockRef, RegistrationFact, Variant, VetoWindow } from '../domain/types';
import { STORED_PARTS, UNKNOWN_WRITE, type IngestStore, type StoredPart, type WriteNotice } from '../store/ingestStore';
import type { LapseRow } from '../store/lapseStore';
import type { ImpactRow } from '../store/impactStore';
import type { Hex, RequestView, StrategyDeadlineView } from './views';
import { sameDetails, sameEnd, strategyViewsOf } from './viewParts';
import { prepare, texts, type KeptState, type OperatorState, type PreparedRow } from './preparedRows';
import { ByRequest } from '../lib/byRequest';

export interface ReadModelOptions {
  store: IngestStore;
  confirmations: number;
  /** unix seconds */
  now: () => number;
  /** requests whose stake escaped once */
  lapses?: () => Promise<LapseRow[]>;
  /** the chain's slot time, when it has one: bounds the block-time estimate */
  slotSeconds?: number;
  /** what each request's slash takes, as last read */
  impacts?: () => Promise<ImpactRow[]>;
}

/** `impactReason` of an open request whose impact the next read will fill in. */
export const IMPACT_NOT_READ_YET = 'not read yet';

/** Why a request shows no impact, when no figures were stored for it. */
function missingImpactReason(avsKnown: boolean, slashability: RequestView['deadlines']['slashability']): string {
  if (!avsKnown) return 'the AVS is unknown (set AVS_ADDRESS): stake cannot be read';
  if (slashability === 'untracked') return 'not read: the request was decided before the desk read it';
  return IMPACT_NOT_READ_YET;
}

export function createRequestReadModel(o: ReadModelOptions) {
  /**
   * What the views are made of is kept part by part across reads: most writes (a block's headers,
   * a set's slashability, a lapse, impact figures) change one part or none, and reading and
   * parsing 10k rows of each per block was most of the desk's work per block. A part is read
   * again when this desk wrote it, or when the checkpoint's count of changes moved by more than
   * this desk's own counted writes (another desk on the database wrote, or a write of ours is not
   * accounted for: a failed one, or one whose notice has not arrived yet).
   *
   * That comparison holds only for a part kept with a count of changes that holds exactly this
   * desk's noticed writes: a part read while a write of ours was under way (committed, in the
   * count, but not noticed yet) is used once and not kept — kept, that write's notice would later
   * cancel out another desk's write in the comparison and hide it.
   */
  interface Marks {
    /** per part: bumped by every write of ours that may have changed it */
    writes: Record<StoredPart, number>;
    /** changes counted by this desk's noticed writes */
    counted: number;
    /** writes of ours begun, and noticed (done or failed) */
    begun: number;
    noticed: number;
  }
  const marks: Marks = { writes: { requests: 0, operatorStates: 0, blockTimes: 0, lapses: 0, impacts: 0 }, counted: 0, begun: 0, noticed: 0 };
  const keptParts = new Map<StoredPart, { value: unknown; writes: number; counted: number; changes: number }>();

  /** Where a read stands: marks taken before the checkpoint was read, its count of changes, whether what it reads may be kept. */
  interface ReadAt {
    marks: Marks;
    changes: number | undefined;
    keepable: boolean;
  }

  /** a part, kept (and still `holds`, when given) or read again */
  async function part<T>(name: StoredPart, at: ReadAt, load: () => Promise<T>, holds: (kept: T) => boolean = () => true): Promise<T> {
    const k = keptParts.get(name);
    const { marks: m, changes } = at;
    if (k && changes !== undefined && k.writes === m.writes[name] && changes - k.changes === m.counted - k.counted && holds(k.value as T)) return k.value as T;
    const value = await load();
    // another read may have kept its part meanwhile: each is a pair read in the same order, either holds
    if (changes !== undefined && at.keepable) keptParts.set(name, { value, writes: m.writes[name], counted: m.counted, changes });
    return value;
  }

  /** the kept times by block number, made once per kept read of them (thousands: one per request event) */
  const timesByNumber = new WeakMap<object, Map<number, number>>();

  async function context(cursor: Awaited<ReturnType<IngestStore['getCursor']>>, at: ReadAt) {
    // every timestamp the desk has: past blocks of any request show the chain's time (a few rows
    // per request). The headers first: a prune moves times from the headers to the kept ones, so
    // kept times hold with these headers when no prune came between them — none of another desk
    // or unnoticed of ours since the kept ones were read (`part` compares the counts of changes up
    // to the checkpoint), none of ours since they were read that moved a time (its notice), and
    // none between the checkpoint and the headers (the count read again after them). Otherwise
    // they are read again (after the headers), unless the headers start no later than they did
    // when the kept times were read (no header has left since).
    const headerTimes = await o.store.headerTimes();
    const headersFrom = headerTimes[0]?.number ?? Number.MAX_SAFE_INTEGER;
    // the newest headers: the head, and the block time estimated from them
    const blocks = headerTimes.slice(-32);
    const others = Promise.all([
      part('operatorStates', at, async () => new Map<string, KeptState>((await o.store.operatorStates()).map((st) => [`${getAddress(st.operator)}:${st.operatorSetId}`, { st, byStrategy: new Map(st.allocations.map((a) => [a.strategy.toLowerCase(), a])) }]))),
      part('lapses', at, async () => new ByRequest((r: LapseRow) => r.requestTxHash, o.lapses ? await o.lapses() : [])),
      part('impacts', at, async () => new ByRequest((r: ImpactRow) => r.requestTxHash, o.impacts ? await o.impacts() : [])),
    ]);
    // awaited below; a failure meanwhile (or after the cursor's) is this read's, never an unhandled rejection
    others.catch(() => undefined);
    const noWriteSinceCheckpoint = at.changes !== undefined && (await o.store.getCursor())?.changes === at.changes;
    // times read with no header yet hold nothing a later prune moves (no header bounds them)
    const keptTimes = await part('blockTimes', at, async () => ({ times: await o.store.keptBlockTimes(), headersFrom: headerTimes.length > 0 ? headersFrom : -Infinity }), (k) => noWriteSinceCheckpoint || k.headersFrom >= headersFrom);
    const [stateByKey, lapses, impacts] = await others;
    // a header's timestamp is the newer fact where both exist (the kept times are consulted last)
    let keptByNumber = timesByNumber.get(keptTimes);
    if (!keptByNumber) timesByNumber.set(keptTimes, (keptByNumber = new Map(keptTimes.times.map((b) => [b.number, b.timestamp]))));
    const head = blocks[blocks.length - 1];
    // the same for every request of a listing: once per read, not once per request
    const clock = head ? chainClock(head, blocks, { slotSeconds: o.slotSeconds, knownBlocks: headerTimes, knownTimes: keptByNumber }) : undefined;
    const window: VetoWindow | null = !cursor || cursor.windowKind === null || cursor.windowLength === null ? null : cursor.windowKind === 'blocks' ? { kind: 'blocks', blocks: cursor.windowLength } : { kind: 'seconds', seconds: cursor.windowLength };
    return { cursor, blocks, window, stateByKey, clock, lapses, impacts, nowSec: o.now() };
  }

  function view(prepared: PreparedRow, ctx: Awaited<ReturnType<typeof context>>): RequestView | null {
    const { row: r, operator, slasher, strategies, strategyKeys, wadsToSlash, setKey } = prepared;
    const c = ctx.cursor;
    const head: BlockRef | undefined = ctx.blocks[ctx.blocks.length - 1];
    const window = ctx.window;
    if (!c || !head || !window) return null;
    const kept = ctx.stateByKey.get(setKey);
    const st = kept?.st;
    // this request's own strategies only: another request of the set may slash other stake
    const allocations: OperatorState['allocations'] = [];
    if (kept) {
      for (const k of strategyKeys) {
        const a = kept.byStrategy.get(k);
        if (a) allocations.push(a);
      }
    }
    // L is known once the set was read with every strategy of this request, and its history read
    // for it (a backfilled request's strategies are read after its set may have been: a lapse by
    // allocation then waits for the next read)
    // (only open requests' sets are read: a vetoed or fulfilled request's L no longer matters)
    const complete = st && strategies && allocations.length === strategies.length && !r.historyPending;
    // a decided request's L no longer matters: untracked, even when its set was read for another request
    const slashability: RequestView['deadlines']['slashability'] = !c.avs || r.onchainStatus !== 'requested' ? 'untracked' : complete ? 'read' : 'pending';
    const registration: RegistrationFact = st && !st.registered ? { registered: false, deregisterBlock: st.deregisterBlock ?? 0 } : { registered: true };
    const d = describeDeadlines({
      window,
      requestBlockOrTimestamp: r.requestBlockOrTimestamp,
      onchain: r.onchainStatus as 'requested' | 'cancelled' | 'completed',
      allocations,
      registration,
      deallocationDelay: c.deallocationDelay ?? 0,
      head,
      recentBlocks: ctx.blocks,
      nowSec: ctx.nowSec,
      clock: ctx.clock,
    });
    const confirmations = Math.max(0, head.number - r.queuedAtBlock);
    const impact = ctx.impacts.get(r.requestId, r.queuedTxHash);
    const last = prepared.last;
    const sameStrategies = last !== undefined && sameDetails(last.details, d.strategies);
    const sameWindowEnd = last !== undefined && sameEnd(last.windowEnd, d.vetoWindowEnd);
    const strategyViews = sameStrategies ? last.strategies : strategyViewsOf(d.strategies);
    const windowEnd = sameWindowEnd ? last.windowEnd : Object.freeze(d.vetoWindowEnd);
    if (!sameStrategies || !sameWindowEnd) prepared.last = { details: d.strategies, strategies: strategyViews, windowEnd };
    const v: RequestView = {
      requestId: r.requestId,
      slasher,
      variant: r.variant as Variant,
      operator,
      operatorSetId: r.operatorSetId,
      strategies: strategies as Hex[] | null,
      wadsToSlash: wadsToSlash as string[],
      description: r.description,
      queuedAtBlock: r.queuedAtBlock,
      queuedTxHash: r.queuedTxHash as Hex,
      status: d.status,
      vetoWindowEnd: windowEnd,
      lastUsefulBlock: d.lastUsefulBlock,
      lastUsefulBlockEstimatedAt: d.lastUsefulBlockEstimatedAt,
      atRisk: d.atRisk,
      confirmed: confirmations >= o.confirmations,
      confirmations,
      deadlines: {
        blockTimeSeconds: d.blockTimeSeconds,
        blocksUntilWindowEnd: d.blocksUntilWindowEnd,
        blocksUntilLastUseful: d.blocksUntilLastUseful,
        registrationBound: registration.registered ? null : registration.deregisterBlock + (c.deallocationDelay ?? 0),
        slashability,
        slashabilityReadAtBlock: st?.readAtBlock ?? null,
        strategies: strategyViews as StrategyDeadlineView[],
      },
      impact: impact?.impact ?? null,
      impactReason: impact ? (impact.impact ? null : (impact.reason ?? 'unknown')) : missingImpactReason(Boolean(c.avs), slashability),
    };
    // optional fields set afterwards: spreads into this literal cost µs per request in a 10k listing
    if (r.cancelledBlock !== null && r.cancelledTxHash) v.cancelled = { block: r.cancelledBlock, txHash: r.cancelledTxHash as Hex };
    if (r.fulfilledBlock !== null && r.fulfilledTxHash) v.fulfilled = { block: r.fulfilledBlock, txHash: r.fulfilledTxHash as Hex };
    if (r.overwrote > 0) v.overwrote = r.overwrote;
    const lapse = ctx.lapses.get(r.requestId, r.queuedTxHash);
    if (lapse && r.onchainStatus === 'requested') v.lapsed = { block: lapse.lapsedAtBlock, slashableAgainAtBlock: lapse.slashableAgainAtBlock };
    return v;
  }

  /**
   * The views are kept between reads: they change only when a stored fact does (a write of the
   * ingest, the impact figures, the lapses: each calls `invalidate`), when the checkpoint moves or
   * counts a change (the writes of another desk on the same database), or, for a window in
   * seconds, when the clock passes its end. Until one of these, every consumer (scheduler, alerts, API) gets the same views a fresh
   * read would give, without reading and computing 10k requests again per call.
   */
  interface Kept {
    views: RequestView[];
    byId: (requestId: string) => RequestView | undefined;
    generation: number;
    checkpoint: string;
    /** the views hold while the clock (unix seconds) is at most this */
    validThroughSec: number;
  }
  let generation = 0;
  let kept: Kept | null = null;
  /** counts every change of `kept` (never goes back: `stamp` must not return to an earlier value) */
  let keptSeq = 0;
  let inFlight: { read: Promise<Kept>; generation: number; checkpoint: string } | null = null;
  const checkpointOf = (c: Awaited<ReturnType<IngestStore['getCursor']>>): string => (c ? `${c.indexedBlock}:${c.indexedHash ?? ''}:${c.changes ?? 0}` : '');

  /**
   * A view by its request id: the views are made row by row, so a row's place is its view's, and
   * the places by id are worked out once per read of the rows rather than once per block (the
   * last row of an id is its view, as on V4 where an id's newest request overwrote the others).
   */
  const placesById = new WeakMap<readonly PreparedRow[], Map<string, number>>();
  function byIdOf(rows: readonly PreparedRow[], views: readonly RequestView[]): Kept['byId'] {
    if (views.length !== rows.length) {
      const byId = new Map(views.map((v) => [v.requestId, v]));
      return (id) => byId.get(id);
    }
    let places = placesById.get(rows);
    if (!places) placesById.set(rows, (places = new Map(rows.map((r, i) => [r.row.requestId, i]))));
    const at = places;
    return (id) => {
      const i = at.get(id);
      return i === undefined ? undefined : views[i];
    };
  }

  /** `cursor` was read before the rows: a write landing meanwhile makes these views stale at once, never current */
  async function read(cursor: Awaited<ReturnType<IngestStore['getCursor']>>, at: ReadAt): Promise<Kept> {
    const gen = generation;
    const checkpoint = checkpointOf(cursor);
    const [rows, ctx] = await Promise.all([
      part('requests', at, async () => {
        const t = texts();
        return (await o.store.allRequests()).map((r) => prepare(r, t));
      }),
      context(cursor, at),
    ]);
    const views: RequestView[] = [];
    let validThroughSec = Infinity;
    for (const r of rows) {
      const v = view(r, ctx);
      if (!v) continue;
      // a window in seconds ends for a transaction sent once the clock passes its last second
      if (v.status === 'in_veto_window' && v.vetoWindowEnd.timestamp !== undefined) validThroughSec = Math.min(validThroughSec, v.vetoWindowEnd.timestamp - 1);
      views.push(Object.freeze(v));
    }
    return { views, byId: byIdOf(rows, views), generation: gen, checkpoint, validThroughSec };
  }

  async function current(): Promise<Kept> {
    const m: Marks = { ...marks, writes: { ...marks.writes } };
    const cursor = await o.store.getCursor();
    // no write of ours under way from the marks until the checkpoint was read: it counts exactly the noticed ones
    const at: ReadAt = { marks: m, changes: cursor?.changes, keepable: m.begun === m.noticed && marks.begun === m.begun };
    const checkpoint = checkpointOf(cursor);
    if (kept && kept.generation === generation && kept.checkpoint === checkpoint && o.now() <= kept.validThroughSec) return kept;
    // single flight: the consumers woken by one sync (metrics, vetoes, alerts) share one read
    if (inFlight && inFlight.generation === generation && inFlight.checkpoint === checkpoint) return inFlight.read;
    const flight = {
      generation,
      checkpoint,
      read: read(cursor, at)
        .then((k) => {
          // a write during the read: these views may predate it, so they serve only the callers that joined
          if (k.generation === generation) {
            kept = k;
            keptSeq++;
          }
          return k;
        })
        .finally(() => {
          if (inFlight === flight) inFlight = null;
        }),
    };
    inFlight = flight;
    return flight.read;
  }

  return {
    /** Every request's view (shared, frozen: copy to change). */
    async snapshot(): Promise<RequestView[]> {
      return (await current()).views;
    },
    /**
     * Changes when the views handed out would, as far as this desk knows without a read (a write
     * of its own, the clock passing a window in seconds) and whenever they were read again (by
     * any consumer, also for another desk's writes); never returns to an earlier value. A kept
     * answer built on the views compares it.
     */
    stamp(): string {
      return `${generation}:${keptSeq}:${kept !== null && o.now() > kept.validThroughSec ? 'expired' : ''}`;
    },
    /**
     * Stored facts changed: the next snapshot reads them (it does not join a read under way).
     * `notice` is a write of this desk's, told once after its `writing()`, with what it touched;
     * without one (a caller that knows of no write in particular) every part is read again.
     */
    invalidate(notice?: WriteNotice): void {
      const w = notice ?? UNKNOWN_WRITE;
      for (const name of Number.isFinite(w.counted) ? w.touched : STORED_PARTS) marks.writes[name]++;
      if (Number.isFinite(w.counted)) marks.counted += w.counted;
      // only a write's own notice ends it: a bare call must not make another write look done
      if (notice) marks.noticed++;
      generation++;
      kept = null;
      keptSeq++;
    },
    /** a write of this desk that `invalidate` will be told of has begun */
    writing(): void {
      marks.begun++;
    },
    /** the chain's timestamps of these blocks, where the desk kept them (unix seconds by block) */
    async blockTimes(numbers: number[]) {
      return new Map((await o.store.blockTimes(numbers)).map((b) => [b.number, b.timestamp]));
    },
    /** one request without Safe views or annotations (for signature intake) */
    async bare(requestId: bigint): Promise<RequestView | null> {
      return (await current()).byId(requestId.toString()) ?? null;
    },
    /** one request, with the chain's times of its own past blocks (queued, decided, window end, stake leaving) */
    async one(requestId: bigint): Promise<RequestView | null> {
      return (await current()).byId(requestId.toString()) ?? null;
    },
  };
}

export type RequestReadModelStage = ReturnType<typeof createRequestReadModel>;
