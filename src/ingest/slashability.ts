/**
 * Which operator sets' slashability must be read again, and the read itself: only the sets with
 * open requests whose state may have changed (a new request, an AllocationManager event, a
 * reorg, the start), every set's membership history in one log walk.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import { membershipChanges, membershipSearchFrom, readSlashability, type SeenMembership } from '../chain/slashability';
import type { SlasherFacts } from '../chain/slasherFacts';
import { carryForwardDeallocations } from '../domain/deallocations';
import type { OperatorSetStateRow } from '../domain/ingestFacts';
import type { IngestStore } from '../store/ingestStore';

export const setKey = (operator: string, setId: number) => `${getAddress(operator)}:${setId}`;

export function createSlashabilityRefresh(o: { client: PublicClient; store: IngestStore; facts: SlasherFacts; maxLogRange: number; seen?: SeenMembership }) {
  const { client, store, facts } = o;
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
