/**
 * What the allocations of the sets being read did, strategy by strategy, as far as the desk can
 * know it: the `AllocationUpdated` logged since a start the desk trusts. A lapse is derived from
 * it only where that history is whole; unknown is never taken for zero.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import { allocationChanges, allocationKey, membershipSearchFrom, type SeenSetHistory, type Swept } from '../chain/slashability';
import { allocationAt } from '../chain/pastAllocation';
import type { SlasherFacts } from '../chain/slasherFacts';
import { startOfRead, zeroStretches, type AllocationChange, type AllocationStart } from '../domain/allocationEscapes';
import type { OperatorSetStateRow } from '../domain/ingestFacts';
import type { AllocationFact } from '../domain/types';

/** past allocation reads in flight at once */
const PAST_READS_AT_ONCE = 8;
/**
 * How long a past read may keep failing (other than the node saying it holds no such state),
 * every pass failing with it, before it is taken for unknown: a provider's bad minutes are
 * waited out, a provider that never answers it does not stop the desk's reads for good.
 */
export const PAST_READ_GIVE_UP_MS = 10 * 60_000;

export interface AllocationHistory {
  /** whether a strategy of the set ("operator:setId") was at zero, then had stake again, at blocks known */
  refilled(key: string): boolean;
  /** strategies ("operator:setId:strategy") with more changes logged than are kept: their history is unknown */
  truncated: string[];
  history(operator: string, operatorSetId: number, strategy: Address): { changes: readonly AllocationChange[]; start: AllocationStart | null };
}

export interface ReadSet {
  operator: Address;
  operatorSetId: number;
  strategies: Set<Address>;
  /** the earliest queueing block of the set's open requests */
  historyFrom: number;
}

/** One strategy's walk: from where its changes are read, and the stored read that starts it (or lies inside it). */
export interface StrategyWalk {
  operator: Address;
  operatorSetId: number;
  strategy: Address;
  from: number;
  historyFrom: number;
  stored: { fact: AllocationFact; readAtBlock: number } | null;
  /** the walk begins before the stored read (a request whose history is pending): the read is a point inside it */
  inside?: boolean;
}

/** Per strategy, keyed by `allocationKey`. */
export type AllocationWalk = Map<string, StrategyWalk>;

/** Requests of a set whose strategies were read after the set was: the set's history is still to be read for them. */
export interface PendingHistory {
  /** their earliest queueing block */
  from: number;
  strategies: Set<Address>;
}

/**
 * Each strategy's changes are walked from the block after the set's stored read, when that read
 * has the strategy (it is the start), else from its oldest request's reach (historyFrom −
 * DEALLOCATION_DELAY − 1: a deallocation queued earlier took effect before the request). A
 * strategy of a request whose history is still pending is walked from that request's reach
 * unless the stored read is older: a read made before the request's strategies were known (the
 * pass that read the set while they were not) would start the walk after what that request
 * must see: the walk then begins before it, the read a known point inside it.
 */
export function planAllocationWalk(o: {
  sets: readonly ReadSet[];
  previousOf: (k: { operator: Address; operatorSetId: number }) => OperatorSetStateRow | null;
  pendingOf?: (k: { operator: Address; operatorSetId: number }) => PendingHistory | undefined;
  atBlock: number;
  deallocationDelay: number;
}): AllocationWalk {
  const plan: AllocationWalk = new Map();
  const reachOf = (historyFrom: number) => membershipSearchFrom({ blockNumber: o.atBlock, deallocationDelay: o.deallocationDelay, historyFrom, previous: null });
  for (const k of o.sets) {
    const prev = o.previousOf(k);
    const pending = o.pendingOf?.(k);
    const reach = reachOf(k.historyFrom);
    for (const strategy of k.strategies) {
      const key = allocationKey(k.operator, k.operatorSetId, strategy);
      const fact = prev?.allocations.find((a) => getAddress(a.strategy) === strategy);
      const stored = fact && prev ? { fact, readAtBlock: prev.readAtBlock } : null;
      const pendingReach = stored && pending?.strategies.has(strategy) ? reachOf(pending.from) : null;
      if (pendingReach !== null && stored!.readAtBlock > pendingReach) {
        // the stored read stays a known point inside the walk (zero there and allocated later is an escape)
        plan.set(key, { operator: k.operator, operatorSetId: k.operatorSetId, strategy, from: pendingReach, historyFrom: pending!.from, stored, inside: true });
        continue;
      }
      plan.set(key, { operator: k.operator, operatorSetId: k.operatorSetId, strategy, from: stored ? stored.readAtBlock + 1 : reach, historyFrom: k.historyFrom, stored });
    }
  }
  return plan;
}

/**
 * The walk done (or served by `swept`), each strategy's history. With no stored read, no change
 * in the stretch walked and the allocation read zero now with nothing pending, it was zero from
 * historyFrom on (any change would have been logged in the stretch). With no stored read and a
 * first change logged while a request waited, what came before it is read at the block before
 * (the node's past state, when it still has it): zero then, and allocated by that change, is an
 * escape a desk that was not there could not otherwise know.
 */
export async function readAllocationHistory(o: {
  client: PublicClient;
  facts: Pick<SlasherFacts, 'allocationManager' | 'avs'>;
  maxLogRange: number;
  seen?: SeenSetHistory;
  swept?: Swept;
  plan: AllocationWalk;
  /** the allocation read now, at `atBlock`, of a strategy of a set read */
  readNow: (operator: Address, operatorSetId: number, strategy: Address) => AllocationFact | undefined;
  atBlock: number;
  /**
   * when each failing past read (by strategy and block) first failed, across passes: one that
   * keeps failing is taken for unknown after PAST_READ_GIVE_UP_MS (`onGaveUp`)
   */
  pastReadFailures?: Map<string, number>;
  onGaveUp?: (what: { key: string; block: number; error: unknown }) => void;
  nowMs?: () => number;
}): Promise<AllocationHistory> {
  const { plan } = o;
  const found = await allocationChanges({
    client: o.client,
    allocationManager: o.facts.allocationManager,
    avs: o.facts.avs!,
    sets: [...plan.values()].map((p) => ({ operator: p.operator, operatorSetId: p.operatorSetId, strategies: [p.strategy], from: p.from })),
    toBlock: o.atBlock,
    maxLogRange: o.maxLogRange,
    seen: o.seen,
    swept: o.swept,
  });
  const histories = new Map<string, { changes: readonly AllocationChange[]; start: AllocationStart | null }>();
  for (const [key, p] of plan) {
    const f = found.get(key);
    // a strategy not walked (read after this pass began) or with changes dropped: unknown
    if (!f || !f.complete) {
      histories.set(key, { changes: f?.changes ?? [], start: null });
      continue;
    }
    let start: AllocationStart | null = p.stored ? startOfRead(p.stored.fact, p.stored.readAtBlock) : null;
    const now = o.readNow(p.operator, p.operatorSetId, p.strategy);
    if (!start && f.changes.length === 0 && now && now.currentMagnitude === 0n && now.pendingDiff === 0n) start = { block: Math.min(p.historyFrom, o.atBlock), magnitude: 0n };
    histories.set(key, { changes: f.changes, start });
  }
  // Where the stretch before the first known fact reaches into a request's life: with nothing
  // logged between the walk's start and the first change (or the stored read inside the walk),
  // and whatever was pending before the walk in effect before the oldest request (its reach), the
  // magnitude is the same from the request on as the block before that first fact. An allocation
  // made before the requests is known from its change on and needs nothing.
  const past: { key: string; p: StrategyWalk; before: number }[] = [];
  for (const [key, p] of plan) {
    const h = histories.get(key)!;
    if (found.get(key)?.complete !== true) continue;
    // the walk's changes come in chain order (allocationChanges)
    const first = h.changes[0];
    const stored = p.inside && h.start ? h.start : null;
    if (stored && !stored.pending && (!first || first.block > stored.block)) {
      // nothing logged from the walk's start to the read inside it: what it read held from the request on
      histories.set(key, { changes: h.changes, start: { block: Math.min(p.historyFrom, stored.block), magnitude: stored.magnitude } });
      continue;
    }
    if (!first || first.block <= p.historyFrom || (h.start && !stored) || (stored && first.block > stored.block)) continue;
    past.push({ key, p, before: first.block - 1 });
  }
  // a failure no longer retried (the request decided, the set read by another desk) is forgotten
  if (o.pastReadFailures) {
    const wanted = new Set(past.map((x) => `${x.key}@${x.before}`));
    for (const id of o.pastReadFailures.keys()) if (!wanted.has(id)) o.pastReadFailures.delete(id);
  }
  // a few at a time: each is one call a provider counts
  for (let i = 0; i < past.length; i += PAST_READS_AT_ONCE) {
    await Promise.all(
      past.slice(i, i + PAST_READS_AT_ONCE).map(async ({ key, p, before }) => {
        const id = `${key}@${before}`;
        let fact: AllocationFact | null;
        try {
          fact = await allocationAt({ client: o.client, allocationManager: o.facts.allocationManager, avs: o.facts.avs!, operator: p.operator, operatorSetId: p.operatorSetId, strategy: p.strategy, blockNumber: before });
          o.pastReadFailures?.delete(id);
        } catch (error) {
          const now = (o.nowMs ?? Date.now)();
          const first = o.pastReadFailures?.get(id) ?? now;
          o.pastReadFailures?.set(id, first);
          if (!o.pastReadFailures || now - first < PAST_READ_GIVE_UP_MS) throw error;
          o.pastReadFailures.delete(id);
          o.onGaveUp?.({ key, block: before, error });
          return;
        }
        if (!fact) return;
        const read = startOfRead(fact, before);
        // the walk is whole from its start: the read before the first change replaces one inside it
        histories.set(key, { changes: histories.get(key)!.changes, start: read.pending ? read : { block: Math.min(p.historyFrom, before), magnitude: read.magnitude } });
      }),
    );
  }
  const refilled = new Set<string>();
  for (const [key, h] of histories) {
    if (zeroStretches(h.changes, h.start, o.atBlock).some((e) => e.to < o.atBlock)) refilled.add(key.slice(0, key.lastIndexOf(':')));
  }
  return {
    refilled: (key) => refilled.has(key),
    truncated: [...plan.keys()].filter((key) => found.get(key)?.complete === false),
    history: (operator, operatorSetId, strategy) => histories.get(allocationKey(getAddress(operator), operatorSetId, getAddress(strategy))) ?? { changes: [], start: null },
  };
}
