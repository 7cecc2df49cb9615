/**
 * Which operator sets' slashability must be read again, and the read itself: only the sets with
 * open requests whose state may have changed (a new request, an AllocationManager event, a
 * reorg, the start), every set's membership history in one log walk.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import { membershipChanges, membershipSearchFrom, readSlashability, type Membership, type SeenMembership } from '../chain/slashability';
import type { SlasherFacts } from '../chain/slasherFacts';
import { carryForwardDeallocations } from '../domain/deallocations';
import type { OperatorSetStateRow } from '../domain/ingestFacts';
import { escapesOf, pastLapseBlock, type Escape } from '../domain/pastLapses';
import { computeVetoWindowEnd } from '../domain/windows';
import type { IngestStore } from '../store/ingestStore';

export const setKey = (operator: string, setId: number) => `${getAddress(operator)}:${setId}`;

/** Where lapses are remembered (a request whose stake escaped once is not fulfilled unless FULFIL_AFTER_LAPSE). */
export interface PastLapses {
  /** the recorded lapses of these request ids */
  known(requestIds: string[]): Promise<{ requestId: string; requestTxHash: string }[]>;
  record(items: { requestId: string; requestTxHash: string }[], block: number): Promise<void>;
}

export function createSlashabilityRefresh(o: { client: PublicClient; store: IngestStore; facts: SlasherFacts; maxLogRange: number; seen?: SeenMembership; lapses?: PastLapses }) {
  const { client, store, facts } = o;

  /**
   * Lapses a set's history shows (its operator left, stayed out past DEALLOCATION_DELAY and came
   * back) that no pass saw happen: the desk was down, or new. Recorded before the set's new state
   * is saved, so the request never reads `fulfillable` without them.
   */
  async function recordPastLapses(membership: Map<string, Membership>): Promise<void> {
    if (!o.lapses) return;
    const escapes = new Map<string, Escape[]>();
    for (const [key, m] of membership) {
      const e = escapesOf(m.absences, facts.deallocationDelay);
      if (e.length > 0) escapes.set(key, e);
    }
    if (escapes.size === 0) return;
    const sets = [...escapes.keys()].map((key) => ({ operator: key.slice(0, key.lastIndexOf(':')), operatorSetId: Number(key.slice(key.lastIndexOf(':') + 1)) }));
    const escapesOfRequest = (r: { operator: string; operatorSetId: number }) => escapes.get(setKey(r.operator, r.operatorSetId)) ?? [];
    // only a request queued before an escape ended can have lapsed in it; those already known are done
    const candidates = (await store.openRequestsOfSets(sets)).filter((r) => escapesOfRequest(r).some((e) => r.queuedAtBlock <= e.to));
    if (candidates.length === 0) return;
    const recorded = new Set((await o.lapses.known(candidates.map((r) => r.requestId))).map((k) => `${k.requestId}:${k.requestTxHash}`));
    const fresh = candidates.filter((r) => !recorded.has(`${r.requestId}:${r.queuedTxHash}`));
    if (fresh.length === 0) return;
    // timestamp windows (V1/V2) compare the escapes' blocks by time
    const times = new Map<number, number>();
    if (facts.window.kind === 'seconds') {
      for (const b of new Set(fresh.flatMap(escapesOfRequest).flatMap((e) => [e.from, e.to]))) times.set(b, Number((await client.getBlock({ blockNumber: BigInt(b) })).timestamp));
    }
    const byBlock = new Map<number, { requestId: string; requestTxHash: string }[]>();
    for (const r of fresh) {
      const at = pastLapseBlock(computeVetoWindowEnd(facts.window, r.requestBlockOrTimestamp), escapesOfRequest(r), (b) => times.get(b));
      if (at !== null) byBlock.set(at, [...(byBlock.get(at) ?? []), { requestId: r.requestId, requestTxHash: r.queuedTxHash }]);
    }
    for (const [block, items] of byBlock) await o.lapses.record(items, block);
  }

  /** operator sets whose slashability must be re-read: "operator:setId" */
  const dirty = new Set<string>();
  let all = true;

  async function refresh(atBlock: number): Promise<void> {
    if (!facts.avs) return; // without the AVS the operator set cannot be named
    // what this read covers; sets marked meanwhile (strategies read in the background) wait for the next
    const taken = new Set(dirty);
    const everySet = all;
    const [open, previous] = await Promise.all([store.openOperatorSets(), store.operatorStates()]);
    const prevByKey = new Map(previous.map((p) => [setKey(p.operator, p.operatorSetId), p]));
    const byKey = new Map<string, { operator: Address; operatorSetId: number; strategies: Set<Address>; historyFrom: number }>();
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
    const membership = await membershipChanges({
      client,
      allocationManager: facts.allocationManager,
      avs: facts.avs,
      sets: [...byKey.values()].map((k) => ({
        operator: k.operator,
        operatorSetId: k.operatorSetId,
        from: membershipSearchFrom({ blockNumber: atBlock, deallocationDelay: facts.deallocationDelay, historyFrom: k.historyFrom, previous: previousOf(k) }),
      })),
      toBlock: atBlock,
      maxLogRange: o.maxLogRange,
      seen: o.seen,
    });
    await recordPastLapses(membership);
    const rows: OperatorSetStateRow[] = await Promise.all(
      [...byKey.values()].map(async (k) => {
        const s = await readSlashability({
          client,
          allocationManager: facts.allocationManager,
          avs: facts.avs!,
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
    await store.saveOperatorStates(carryForwardDeallocations(rows, previous));
    for (const k of taken) dirty.delete(k);
    if (everySet) all = false;
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
    /** something waits to be read (and the AVS is known, so it can be) */
    pending: () => Boolean(facts.avs) && (all || dirty.size > 0),
    /** sets marked since the last read (the start's and a reorg's read-everything aside) */
    marked: () => Boolean(facts.avs) && dirty.size > 0,
    refresh,
  };
}

export type SlashabilityRefresh = ReturnType<typeof createSlashabilityRefresh>;
