/**
 * Which operator sets' slashability must be read again, and the read itself: only the sets with
 * open requests whose state may have changed (a new request, an AllocationManager event, a
 * reorg, the start), every set's membership history in one log walk, and from the sets' history
 * (membership, allocations) the lapses no pass saw.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import { CHANGES_KEPT, membershipChanges, membershipSearchFrom, readSlashability, sweepSetHistory, type Membership, type SeenSetHistory } from '../chain/slashability';
import type { SlasherFacts } from '../chain/slasherFacts';
import { allocationEscapes, mergeEscapes } from '../domain/allocationEscapes';
import { carryForwardDeallocations } from '../domain/deallocations';
import type { OperatorSetStateRow } from '../domain/ingestFacts';
import { escapesOf, pastLapseBlock, type Escape } from '../domain/pastLapses';
import { computeVetoWindowEnd } from '../domain/windows';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { IngestStore } from '../store/ingestStore';
import { PAST_READ_GIVE_UP_MS, planAllocationWalk, readAllocationHistory, type AllocationHistory, type PendingHistory, type ReadSet } from './allocationHistory';

export const setKey = (operator: string, setId: number) => `${getAddress(operator)}:${setId}`;

/** Where lapses are remembered (a request whose stake escaped once is not fulfilled unless FULFIL_AFTER_LAPSE). */
export interface PastLapses {
  /** the recorded lapses of these request ids */
  known(requestIds: string[]): Promise<{ requestId: string; requestTxHash: string }[]>;
  record(items: { requestId: string; requestTxHash: string }[], block: number): Promise<void>;
}

export function createSlashabilityRefresh(o: { client: PublicClient; store: IngestStore; facts: SlasherFacts; maxLogRange: number; seen?: SeenSetHistory; lapses?: PastLapses; logger?: Logger }) {
  const { client, store, facts } = o;

  /**
   * Lapses a set's history shows that no pass saw happen (the desk was down, or new): its operator
   * left, stayed out past DEALLOCATION_DELAY and came back, or every strategy of a request was
   * deallocated to zero and allocated again. Recorded before the set's new state is saved, so the
   * request never reads `fulfillable` without them.
   */
  async function recordPastLapses(membership: Map<string, Membership>, allocations: AllocationHistory, atBlock: number): Promise<void> {
    if (!o.lapses) return;
    const left = new Map<string, Escape[]>();
    for (const [key, m] of membership) left.set(key, escapesOf(m.absences, facts.deallocationDelay));
    // only a set its operator left long enough, or with a strategy emptied and filled again, can hold a lapse
    const keys = [...membership.keys()].filter((key) => left.get(key)!.length > 0 || allocations.refilled(key));
    if (keys.length === 0) return;
    const sets = keys.map((key) => ({ operator: key.slice(0, key.lastIndexOf(':')), operatorSetId: Number(key.slice(key.lastIndexOf(':') + 1)) }));
    const escapesOfRequest = (r: { operator: string; operatorSetId: number; strategies: string[] | null }): Escape[] => {
      const emptied = allocationEscapes(
        (r.strategies ?? []).map((s) => getAddress(s)),
        (strategy) => allocations.history(r.operator, r.operatorSetId, getAddress(strategy)),
        atBlock,
      );
      // a stake still out of reach now is the live reading's (the views read it lapsed, the
      // scheduler records it); here only escapes that ended, which the state read now cannot show
      return mergeEscapes([...(left.get(setKey(r.operator, r.operatorSetId)) ?? []), ...emptied.filter((e) => e.to < atBlock)]);
    };
    // only a request queued before an escape ended can have lapsed in it; those already known are done
    const withEscapes = (await store.openRequestsOfSets(sets)).map((r) => ({ r, escapes: escapesOfRequest(r) }));
    const candidates = withEscapes.filter(({ r, escapes }) => escapes.some((e) => r.queuedAtBlock <= e.to));
    if (candidates.length === 0) return;
    const recorded = new Set((await o.lapses.known(candidates.map(({ r }) => r.requestId))).map((k) => `${k.requestId}:${k.requestTxHash}`));
    const fresh = candidates.filter(({ r }) => !recorded.has(`${r.requestId}:${r.queuedTxHash}`));
    if (fresh.length === 0) return;
    // timestamp windows (V1/V2) compare the escapes' blocks by time
    const times = new Map<number, number>();
    if (facts.window.kind === 'seconds') {
      for (const b of new Set(fresh.flatMap(({ escapes }) => escapes.flatMap((e) => [e.from, e.to])))) times.set(b, Number((await client.getBlock({ blockNumber: BigInt(b) })).timestamp));
    }
    const byBlock = new Map<number, { requestId: string; requestTxHash: string }[]>();
    for (const { r, escapes } of fresh) {
      const at = pastLapseBlock(computeVetoWindowEnd(facts.window, r.requestBlockOrTimestamp), escapes, (b) => times.get(b));
      if (at !== null) byBlock.set(at, [...(byBlock.get(at) ?? []), { requestId: r.requestId, requestTxHash: r.queuedTxHash }]);
    }
    for (const [block, items] of byBlock) await o.lapses.record(items, block);
  }

  const pastReadFailures = new Map<string, number>();

  /** operator sets whose slashability must be re-read: "operator:setId" */
  const dirty = new Set<string>();
  let all = true;

  async function refresh(atBlock: number): Promise<void> {
    if (!facts.avs) return; // without the AVS the operator set cannot be named
    // what this read covers; sets marked meanwhile (strategies read in the background) wait for
    // the next, and a read that fails leaves them marked
    const taken = new Set(dirty);
    const everySet = all;
    dirty.clear();
    all = false;
    try {
      await read(atBlock, taken, everySet);
    } catch (e) {
      for (const k of taken) dirty.add(k);
      if (everySet) all = true;
      throw e;
    }
  }

  async function read(atBlock: number, taken: Set<string>, everySet: boolean): Promise<void> {
    const avs = facts.avs!;
    const [open, previous, pendingRequests] = await Promise.all([store.openOperatorSets(), store.operatorStates(), store.historyPending()]);
    // a set with a request whose history is still to read is read whoever marked it (another
    // desk on the database may have read its strategies)
    for (const r of pendingRequests) taken.add(setKey(r.operator, r.operatorSetId));
    const prevByKey = new Map(previous.map((p) => [setKey(p.operator, p.operatorSetId), p]));
    const byKey = new Map<string, ReadSet>();
    for (const r of open) {
      const key = setKey(r.operator, r.operatorSetId);
      if (!everySet && !taken.has(key)) continue;
      // every open request of the set still waits for its strategies (a backfill stored them
      // unread): their L stays pending whatever this read finds, and the background read marks
      // the set again once they are known, so read it then, once
      if (r.strategies.every((list) => list === 'null')) continue;
      const e = byKey.get(key) ?? { operator: getAddress(r.operator), operatorSetId: r.operatorSetId, strategies: new Set<Address>(), historyFrom: r.historyFrom };
      for (const list of r.strategies) for (const s of (JSON.parse(list) as Address[] | null) ?? []) e.strategies.add(getAddress(s));
      e.historyFrom = Math.min(e.historyFrom, r.historyFrom);
      byKey.set(key, e);
    }
    const previousOf = (k: { operator: Address; operatorSetId: number }) => prevByKey.get(setKey(k.operator, k.operatorSetId)) ?? null;
    // requests whose strategies were read after their set was, in the sets this pass reads: their
    // history is read now (and they read pending until it is)
    // (one whose strategies this pass's list of the set lacks was read meanwhile: the next pass)
    const pendingRead = pendingRequests.filter((r) => {
      const set = byKey.get(setKey(r.operator, r.operatorSetId));
      return set !== undefined && r.strategies.every((s) => set.strategies.has(getAddress(s)));
    });
    const pendingByKey = new Map<string, PendingHistory>();
    for (const r of pendingRead) {
      const key = setKey(r.operator, r.operatorSetId);
      const e = pendingByKey.get(key) ?? { from: r.queuedAtBlock, strategies: new Set<Address>() };
      e.from = Math.min(e.from, r.queuedAtBlock);
      for (const s of r.strategies) e.strategies.add(getAddress(s));
      pendingByKey.set(key, e);
    }
    const sets = [...byKey.values()].map((k) => ({
      operator: k.operator,
      operatorSetId: k.operatorSetId,
      from: membershipSearchFrom({ blockNumber: atBlock, deallocationDelay: facts.deallocationDelay, historyFrom: k.historyFrom, previous: previousOf(k) }),
    }));
    const plan = o.lapses ? planAllocationWalk({ sets: [...byKey.values()], previousOf, pendingOf: (k) => pendingByKey.get(setKey(k.operator, k.operatorSetId)), atBlock, deallocationDelay: facts.deallocationDelay }) : null;
    // both histories from one walk of the blocks the desk did not read itself
    const swept = plan && sets.length > 0 ? await sweepSetHistory({ client, allocationManager: facts.allocationManager, avs, from: Math.min(...sets.map((k) => k.from), ...[...plan.values()].map((p) => p.from)), toBlock: atBlock, maxLogRange: o.maxLogRange, seen: o.seen }) : undefined;
    const membership = await membershipChanges({ client, allocationManager: facts.allocationManager, avs, sets, toBlock: atBlock, maxLogRange: o.maxLogRange, seen: o.seen, swept });
    const rows: OperatorSetStateRow[] = await Promise.all(
      [...byKey.values()].map(async (k) => {
        const s = await readSlashability({
          client,
          allocationManager: facts.allocationManager,
          avs,
          operator: k.operator,
          operatorSetId: k.operatorSetId,
          strategies: [...k.strategies],
          blockNumber: atBlock,
          deallocationDelay: facts.deallocationDelay,
          maxLogRange: o.maxLogRange,
          historyFrom: k.historyFrom,
          previous: previousOf(k),
          membership: membership.get(setKey(k.operator, k.operatorSetId)),
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
    if (plan) {
      const rowByKey = new Map(rows.map((r) => [setKey(r.operator, r.operatorSetId), r]));
      const allocations = await readAllocationHistory({
        client,
        facts,
        maxLogRange: o.maxLogRange,
        seen: o.seen,
        swept,
        plan,
        readNow: (operator, operatorSetId, strategy) => rowByKey.get(setKey(operator, operatorSetId))?.allocations.find((a) => a.strategy === strategy),
        atBlock,
        pastReadFailures,
        onGaveUp: ({ key, block, error }) => o.logger?.warn({ strategy: key, block, err: describeError(error) }, `reading an allocation at a past block kept failing for ${PAST_READ_GIVE_UP_MS / 60_000} minutes: taken for unknown (a lapse before it is not derived)`),
      });
      const dropped = [...[...membership].filter(([, m]) => m.complete === false).map(([key]) => key), ...allocations.truncated];
      if (dropped.length > 0) o.logger?.warn({ sets: dropped, kept: CHANGES_KEPT }, 'more membership or allocation changes since the last read than are kept: a lapse among the oldest is not derived');
      // before the sets' new state is saved: the request never reads `fulfillable` without its lapse
      await recordPastLapses(membership, allocations, atBlock);
    }
    await store.saveOperatorStates(carryForwardDeallocations(rows, previous));
    // after the state: a request never reads its slashability without its lapses derived
    if (pendingRead.length > 0) await store.historyRead(pendingRead);
  }

  return {
    /** the set's state may have changed: read it on the next pass */
    mark(operator: string, operatorSetId: number): void {
      dirty.add(setKey(operator, operatorSetId));
    },
    /** every set (start, reorg) */
    markAll(): void {
      all = true;
    },
    /**
     * Something waits to be read (and the AVS is known, so it can be): sets marked, or a request
     * whose set's history is still to read (its flag is stored: a mark lost with a desk that
     * stopped, or made by another desk, still brings the read)
     */
    pending: async (): Promise<boolean> => Boolean(facts.avs) && (all || dirty.size > 0 || (await store.anyHistoryPending())),
    /** sets marked since the last read (the start's and a reorg's read-everything aside) */
    marked: () => Boolean(facts.avs) && dirty.size > 0,
    refresh,
  };
}

export type SlashabilityRefresh = ReturnType<typeof createSlashabilityRefresh>;
