/**
 * Keeps each open request's impact (what its slash takes, where the funds go) read. Runs after
 * an ingest pass: a request is read when it is new, and again when the allocation facts of its
 * strategies changed — the ingest re-reads an operator set exactly when an AllocationManager
 * event touched it (allocation, deallocation, a slash landing), after a reorg, and at start; the
 * figures follow what that read found (magnitudes, pending deallocations, registration bound),
 * so a re-read that found the same facts (another request queued on the set) reads nothing. A
 * block that changed nothing costs no RPC call, and a decided request is never read again: it
 * keeps the figures it had. Not followed: delegated shares moving (deposits, withdrawals) and
 * strategies' exchange rates, which emit no AllocationManager event; they show at the next read.
 */
import type { Address } from 'viem';
import type { ImpactRead, ImpactReader, ImpactTarget } from '../chain/impact';
import { windowEndReadBlock } from '../domain/impact';
import type { ImpactJson, ImpactRow, ImpactStore } from '../store/impactStore';
import { toldWrite, type WriteHooks } from '../store/ingestStore';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';
import { nextPass } from '../lib/nextPass';
import type { RequestView } from './views';

export interface ImpactRunnerOptions {
  /** the read model's views (single-flight: shared with the other consumers of a pass) */
  views: () => Promise<RequestView[]>;
  store: ImpactStore;
  /** null when the AVS is unknown: nothing can be read */
  reader: ImpactReader | null;
  /** told as each save of figures begins and once it is done (the read model then reads afresh) */
  writes?: WriteHooks;
  /** the indexed head block */
  head: () => Promise<{ number: number; timestamp: number } | null>;
  logger: Logger;
}

export interface ImpactPass {
  /** requests read in this pass */
  read: number;
  /** open requests whose figures were current */
  current: number;
}

/** requests read (and saved) together */
const READ_SLICE = 200;

const keyOf = (v: { requestId: string; queuedTxHash: string }) => `${v.requestId}:${v.queuedTxHash}`;

/**
 * Facts by request id, then queue transaction (ids are reused on V4). Looked up with the views'
 * own strings, which the read model keeps from block to block: no key is built per request per
 * block. An id holds one queue transaction but on V4: its facts sit in the entry itself, and a
 * map is made only for an id seen with a second transaction (a map per request was ≈ 0.5 kB,
 * 5 MB at 10k requests).
 */
export class Followed {
  private readonly byId = new Map<string, { txHash: string; facts: Facts | null; others?: Map<string, Facts | null> }>();
  get(requestId: string, txHash: string): Facts | null | undefined {
    const e = this.byId.get(requestId);
    if (e === undefined) return undefined;
    return e.txHash === txHash ? e.facts : e.others?.get(txHash);
  }
  set(requestId: string, txHash: string, facts: Facts | null): void {
    const e = this.byId.get(requestId);
    if (e === undefined) this.byId.set(requestId, { txHash, facts });
    else if (e.txHash === txHash) e.facts = facts;
    else (e.others ??= new Map()).set(txHash, facts);
  }
}

/** [registration bound, per strategy: [strategy, current magnitude, pending effect block, pending diff]] */
type Facts = readonly [number | null, readonly (readonly [string, string, number | null, string | null])[]];

/** The allocation facts a request's figures depend on, as the ingest last read them (stored with the figures as JSON). */
export function factsOf(v: RequestView): Facts {
  return [v.deadlines.registrationBound, v.deadlines.strategies.map((s) => [s.strategy, s.currentMagnitude, s.pendingDeallocation?.effectBlock ?? null, s.pendingDeallocation?.diff ?? null] as const)];
}

/** facts shared by requests are never changed by one of them */
function deepFreeze<T extends Facts | null>(f: T): T {
  if (f) {
    for (const s of f[1]) Object.freeze(s);
    Object.freeze(f[1]);
    Object.freeze(f);
  }
  return f;
}

/** Stored facts as compared; null when they do not parse (then the figures are read again). */
export function parseFacts(stored: string): Facts | null {
  try {
    const f: unknown = JSON.parse(stored);
    const ok =
      Array.isArray(f) &&
      f.length === 2 &&
      (f[0] === null || typeof f[0] === 'number') &&
      Array.isArray(f[1]) &&
      (f[1] as unknown[]).every((s) => Array.isArray(s) && s.length === 4 && typeof s[0] === 'string' && typeof s[1] === 'string' && (s[2] === null || typeof s[2] === 'number') && (s[3] === null || typeof s[3] === 'string'));
    return ok ? (f as unknown as Facts) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a view's facts are `f`: `JSON.stringify(factsOf(v)) === JSON.stringify(f)`, compared field by field.
 * Every open request is compared on every block; building and comparing its JSON each time was
 * most of the pass at 10k requests.
 */
export function sameFacts(v: RequestView, f: Facts | null | undefined): boolean {
  if (!f || f[0] !== v.deadlines.registrationBound) return false;
  const strategies = v.deadlines.strategies;
  if (strategies.length !== f[1].length) return false;
  for (let i = 0; i < strategies.length; i++) {
    const s = strategies[i]!;
    const g = f[1][i]!;
    if (g[0] !== s.strategy || g[1] !== s.currentMagnitude || g[2] !== (s.pendingDeallocation?.effectBlock ?? null) || g[3] !== (s.pendingDeallocation?.diff ?? null)) return false;
  }
  return true;
}

/** The block a request's window ends at, when it is still ahead of `head`. */
export function windowEndBlock(v: Pick<RequestView, 'vetoWindowEnd' | 'deadlines'>, head: { number: number; timestamp: number }): number | null {
  if (v.vetoWindowEnd.block !== undefined) return windowEndReadBlock(v.vetoWindowEnd.block, head.number);
  // a window in seconds (V1/V2): the first block at or after its end, at the observed block
  // time (an estimate: a slower chain only makes the read a little early)
  const end = v.vetoWindowEnd.timestamp;
  if (end === undefined || end <= head.timestamp) return null;
  return windowEndReadBlock(head.number + Math.max(1, Math.ceil((end - head.timestamp) / Math.max(v.deadlines.blockTimeSeconds, 0.001))), head.number);
}

export function toImpactJson(r: Extract<ImpactRead, { ok: true }>): ImpactJson {
  return {
    readAtBlock: r.readAtBlock,
    atWindowEnd: r.atWindowEnd,
    redistribution: r.redistribution.known ? { redistributing: r.redistribution.redistributing, recipient: r.redistribution.recipient as `0x${string}` } : { redistributing: null, recipient: null },
    strategies: r.strategies.map((s) => ({
      strategy: s.strategy as `0x${string}`,
      token: s.token ? { address: s.token.address as `0x${string}`, symbol: s.token.symbol, decimals: s.token.decimals } : null,
      slashableShares: s.slashableShares.toString(),
      slashableSharesNow: s.slashableSharesNow.toString(),
      sharesToSlash: s.sharesToSlash.toString(),
      tokensToSlash: s.tokensToSlash === null ? null : s.tokensToSlash.toString(),
      remainingShares: s.remainingShares.toString(),
    })),
  };
}

/**
 * @example
 * const impact = createImpactRunner({ views: () => readModel.snapshot(), store, reader, head, logger });
 * ingestor.onSynced(() => void impact.refresh());
 */
export function createImpactRunner(o: ImpactRunnerOptions) {
  /** the allocation facts each request's stored figures follow; loaded once, then kept here */
  let followed: Followed | null = null;

  /** the views of the last pass that found every figure current: the same views again need no look */
  let clean: { views: WeakRef<readonly RequestView[]>; current: number } | null = null;

  async function pass(): Promise<ImpactPass> {
    if (!o.reader) return { read: 0, current: 0 };
    if (!followed) {
      const loaded = new Followed();
      // requests of one operator set share their facts: one parsed copy of each text (frozen)
      const byText = new Map<string, Facts | null>();
      for (const r of await o.store.all()) {
        let f = byText.get(r.facts);
        if (f === undefined) byText.set(r.facts, (f = deepFreeze(parseFacts(r.facts))));
        loaded.set(r.requestId, r.requestTxHash, f);
      }
      followed = loaded;
    }
    const views = await o.views();
    // the read model hands out the same views until a fact changes (and a pass's writes are facts)
    if (clean && clean.views.deref() === views) return { read: 0, current: clean.current };
    // slashability "read" = still Requested on chain with its set read (see the read model)
    const open = views.filter((v) => v.strategies !== null && v.deadlines.slashability === 'read' && v.deadlines.slashabilityReadAtBlock !== null);
    const stale = open.filter((v) => !sameFacts(v, followed!.get(v.requestId, v.queuedTxHash)));
    if (stale.length === 0) {
      clean = { views: new WeakRef(views), current: open.length };
      return { read: 0, current: open.length };
    }
    const head = await o.head();
    if (head === null) return { read: 0, current: open.length - stale.length };
    // in slices: a desk starting on thousands of open requests neither floods the node nor
    // loses everything read so far to one failed call
    let read = 0;
    for (let k = 0; k < stale.length; k += READ_SLICE) {
      const slice = stale.slice(k, k + READ_SLICE);
      const targets: ImpactTarget[] = slice.map((v) => ({
        key: keyOf(v),
        operator: v.operator as Address,
        operatorSetId: v.operatorSetId,
        strategies: v.strategies as Address[],
        wadsToSlash: v.wadsToSlash.map((w) => BigInt(w)),
        windowEndBlock: windowEndBlock(v, head),
      }));
      const answers = await o.reader.read(targets, head.number);
      // one copy of equal facts in a slice, as at the load
      const byText = new Map<string, Facts>();
      const texts = slice.map((v) => JSON.stringify(factsOf(v)));
      const facts = slice.map((v, i) => {
        let f = byText.get(texts[i]!);
        if (f === undefined) byText.set(texts[i]!, (f = deepFreeze(factsOf(v))));
        return f;
      });
      const rows: ImpactRow[] = slice.map((v, i) => {
        const r = answers.get(keyOf(v))!;
        const base = { requestId: v.requestId, requestTxHash: v.queuedTxHash, facts: texts[i]!, readAtBlock: r.readAtBlock };
        return r.ok ? { ...base, impact: toImpactJson(r), reason: null } : { ...base, impact: null, reason: r.reason };
      });
      // told also when the save failed: views read meanwhile may have seen part of it
      await toldWrite(o.writes ?? {}, ['impacts'], () => o.store.save(rows), (counted) => counted);
      slice.forEach((v, i) => followed!.set(v.requestId, v.queuedTxHash, facts[i]!));
      read += rows.length;
    }
    return { read, current: open.length - stale.length };
  }

  // every caller during a pass shares the one after it; a pass never rejects (failures are logged)
  const passes = nextPass(
    () =>
      pass().catch((e) => {
        o.logger.warn({ err: describeError(e) }, 'reading what the open requests would slash failed; retried on the next pass');
        return { read: 0, current: 0 };
      }),
    { stopped: () => false, whenStopped: () => ({ read: 0, current: 0 }) },
  );

  return {
    /**
     * Reads what changed since the last pass; a failure is logged and retried on the next pass.
     * Passes never overlap: a call during a pass gets the pass that starts after it (shared).
     */
    refresh(): Promise<ImpactPass> {
      return passes.run();
    },
    /** resolves once no pass runs or waits (for a clean stop) */
    idle: (): Promise<void> => passes.idle(),
  };
}

export type ImpactRunner = ReturnType<typeof createImpactRunner>;
