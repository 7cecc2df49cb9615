/**
 * Reads how long an operator stays slashable in an operator set (DOMAIN.md §2): the allocation of
 * each strategy (`getAllocation`), `isOperatorSlashable`, and the block it was removed from the
 * set (`OperatorRemovedFromOperatorSet` in the last DEALLOCATION_DELAY blocks), all at one block.
 */
import { decodeEventLog, encodeEventTopics, getAddress, hexToNumber, pad, type Address, type Hex, type PublicClient } from 'viem';
import { allocationManagerAbi } from './abis';
import { fetchLogRanges, type RawLog } from './logs';
import type { AllocationFact, RegistrationFact } from '../domain/types';
import type { Absence } from '../domain/pastLapses';
import type { AllocationChange } from '../domain/allocationEscapes';

export interface OperatorSetKey {
  operator: Address;
  operatorSetId: number;
}

export interface ReadSlashabilityInput extends OperatorSetKey {
  client: PublicClient;
  allocationManager: Address;
  avs: Address;
  strategies: Address[];
  blockNumber: number;
  deallocationDelay: number;
  maxLogRange: number;
  /**
   * The oldest block that matters: the earliest queueing block of the set's open requests. When
   * nothing earlier is known about the set, membership changes are searched from
   * `historyFrom − DEALLOCATION_DELAY − 1`, so an operator that left (or never joined) long ago
   * gets a bound before its requests instead of one that moves with every read.
   */
  historyFrom?: number;
  /** what the previous read of this set said: changes are searched only since then */
  previous?: { registered: boolean; deregisterBlock: number | null; readAtBlock: number } | null;
  /** the set's membership changes, already searched (see `membershipChanges`): no search of its own */
  membership?: Membership;
}

/** The last membership change of a set at or after `from` (null: none), as searched up to the read block. */
export interface Membership {
  from: number;
  last: { kind: 'added' | 'removed'; block: number } | null;
  /** each removal followed by an add again, oldest first (the operator may have escaped in between) */
  absences: Absence[];
  /** false when more changes were logged than are kept (the oldest dropped) */
  complete?: boolean;
}

export interface SlashabilityState extends OperatorSetKey {
  registration: RegistrationFact;
  allocations: AllocationFact[];
  readAtBlock: number;
}

const allocationTopic = encodeEventTopics({ abi: allocationManagerAbi, eventName: 'AllocationUpdated' })[0] as Hex;
const addedTopic = encodeEventTopics({ abi: allocationManagerAbi, eventName: 'OperatorAddedToOperatorSet' })[0] as Hex;
const removedTopic = encodeEventTopics({ abi: allocationManagerAbi, eventName: 'OperatorRemovedFromOperatorSet' })[0] as Hex;
/** the AllocationManager's events a set's history is made of: the backfill reads them with the slasher's logs */
export const ALLOCATION_MANAGER_TOPICS: Hex[] = [allocationTopic, addedTopic, removedTopic];

export async function readSlashability(i: ReadSlashabilityInput): Promise<SlashabilityState> {
  const operatorSet = { avs: i.avs, id: i.operatorSetId };
  const am = { address: i.allocationManager, abi: allocationManagerAbi } as const;
  const blockNumber = BigInt(i.blockNumber);
  const [allocations, slashable, registration] = await Promise.all([
    Promise.all(
      i.strategies.map(async (strategy): Promise<AllocationFact> => {
        const a = await i.client.readContract({ ...am, functionName: 'getAllocation', args: [i.operator, operatorSet, strategy], blockNumber });
        return { strategy: getAddress(strategy), currentMagnitude: a.currentMagnitude, pendingDiff: a.pendingDiff, effectBlock: Number(a.effectBlock) };
      }),
    ),
    i.client.readContract({ ...am, functionName: 'isOperatorSlashable', args: [i.operator, operatorSet], blockNumber }),
    i.membership ? Promise.resolve(i.membership) : lastMembershipChange(i),
  ]);
  let reg: RegistrationFact;
  if (registration.last?.kind === 'removed') reg = { registered: false, deregisterBlock: registration.last.block };
  else if (registration.last?.kind === 'added' || slashable) reg = { registered: true };
  else if (i.previous && !i.previous.registered && i.previous.deregisterBlock !== null) {
    // not a member now, no change since the last read: what that read knew still holds
    reg = { registered: false, deregisterBlock: i.previous.deregisterBlock };
  } else {
    // not slashable and not a member at any block searched: it left before `from` (slashable at
    // most until from − 1 + DEALLOCATION_DELAY), or never joined when the search began at genesis
    reg = { registered: false, deregisterBlock: registration.from === 0 ? -i.deallocationDelay : registration.from - 1 };
  }
  return { operator: getAddress(i.operator), operatorSetId: i.operatorSetId, registration: reg, allocations, readAtBlock: i.blockNumber };
}

/** From where membership changes must be searched: the delay window, and since the previous read or the oldest request. */
export function membershipSearchFrom(i: Pick<ReadSlashabilityInput, 'blockNumber' | 'deallocationDelay' | 'historyFrom' | 'previous'>): number {
  const since = i.previous ? i.previous.readAtBlock : (i.historyFrom ?? i.blockNumber);
  return Math.max(0, Math.min(i.blockNumber, since) - i.deallocationDelay - 1);
}

async function lastMembershipChange(i: ReadSlashabilityInput): Promise<Membership> {
  const from = membershipSearchFrom(i);
  const found = await membershipChanges({ ...i, sets: [{ operator: i.operator, operatorSetId: i.operatorSetId, from }], toBlock: i.blockNumber });
  return found.get(setKey(i.operator, i.operatorSetId))!;
}

const setKey = (operator: Address, operatorSetId: number) => `${getAddress(operator)}:${operatorSetId}`;
/** operators per eth_getLogs topic filter */
const OPERATORS_PER_FILTER = 100;

/** A membership change as the AllocationManager logged it. */
export interface MembershipChange {
  kind: 'added' | 'removed';
  block: number;
  logIndex: number;
}

const order = (a: { block: number; logIndex: number }, b: { block: number; logIndex: number }) => a.block - b.block || a.logIndex - b.logIndex;
/** membership changes kept per set: each costs its operator a transaction; the newest are the ones a read needs */
export const CHANGES_KEPT = 64;

/** Changes (of a set, or of a strategy) in chain order, each once, the newest CHANGES_KEPT. */
function merged<T extends { block: number; logIndex: number }>(changes: readonly T[]): T[] {
  const byPos = new Map(changes.map((c) => [`${c.block}:${c.logIndex}`, c]));
  return [...byPos.values()].sort(order).slice(-CHANGES_KEPT);
}

/** A removal followed by the next change, an add: the operator was out of the set in between. */
export function absencesOf(changes: readonly MembershipChange[]): Absence[] {
  const out: Absence[] = [];
  for (let k = 1; k < changes.length; k++) if (changes[k - 1]!.kind === 'removed' && changes[k]!.kind === 'added') out.push({ removed: changes[k - 1]!.block, added: changes[k]!.block });
  return out;
}

/** `OperatorAddedToOperatorSet` / `OperatorRemovedFromOperatorSet` of `avs`, keyed like `membershipChanges`; null for any other log. */
function membershipLog(l: RawLog, avs: Address): { key: string; change: MembershipChange } | null {
  if (l.topics[0] !== addedTopic && l.topics[0] !== removedTopic) return null;
  const { eventName, args } = decodeEventLog({ abi: allocationManagerAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data });
  const a = args as { operator: Address; operatorSet: { avs: Address; id: number } };
  if (getAddress(a.operatorSet.avs) !== getAddress(avs)) return null;
  const kind = eventName === 'OperatorAddedToOperatorSet' ? 'added' : 'removed';
  return { key: setKey(a.operator, Number(a.operatorSet.id)), change: { kind, block: hexToNumber(l.blockNumber), logIndex: hexToNumber(l.logIndex) } };
}

/** `AllocationUpdated` of `avs`, keyed `checksummedOperator:setId:checksummedStrategy`; null for any other log. */
export function allocationLog(l: RawLog, avs: Address): { key: string; change: AllocationChange } | null {
  if (l.topics[0] !== allocationTopic) return null;
  const { args } = decodeEventLog({ abi: allocationManagerAbi, eventName: 'AllocationUpdated', topics: l.topics as [Hex, ...Hex[]], data: l.data });
  if (getAddress(args.operatorSet.avs) !== getAddress(avs)) return null;
  const change = { magnitude: args.magnitude, effectBlock: Number(args.effectBlock), block: hexToNumber(l.blockNumber), logIndex: hexToNumber(l.logIndex) };
  return { key: allocationKey(args.operator, Number(args.operatorSet.id), args.strategy), change };
}

export const allocationKey = (operator: Address, operatorSetId: number, strategy: Address) => `${setKey(operator, operatorSetId)}:${getAddress(strategy)}`;

/**
 * The membership and allocation changes of one AVS's sets the desk already read with its own logs
 * (the backfill and realtime eth_getLogs include the AllocationManager's events), over one
 * contiguous stretch of blocks: a walk for a set's history skips that stretch instead of asking
 * the node for it again. The newest CHANGES_KEPT per set (and per strategy) are kept.
 */
export function createSeenSetHistory(avs: Address) {
  let covered: { from: number; to: number; toHash: string | null } | null = null;
  const seen = new Map<string, MembershipChange[]>();
  const allocations = new Map<string, AllocationChange[]>();
  const forget = () => {
    covered = null;
    seen.clear();
    allocations.clear();
  };
  return {
    /**
     * Every AllocationManager log of blocks from..to (any others are ignored). `toHash` is the
     * hash of block `to` and `parentHash` the hash of block `from − 1` the stretch was linked to,
     * where known: a stretch extends the covered one only if it continues it on the same chain.
     */
    observe(from: number, to: number, logs: RawLog[], hashes: { toHash?: string | null; parentHash?: string | null } = {}): void {
      // decoded first: a log that cannot be read leaves the coverage as it was, not half-extended
      const changes = logs.map((l) => membershipLog(l, avs)).filter((m) => m !== null);
      const allocated = logs.map((l) => allocationLog(l, avs)).filter((m) => m !== null);
      const parent = hashes.parentHash ?? null;
      // a stretch that does not continue the covered one (a re-read, a gap, another branch: a
      // reorg another desk on the database handled) starts afresh
      const continues = covered !== null && from === covered.to + 1 && (covered.toHash === null || parent === null || covered.toHash === parent);
      if (!continues) {
        seen.clear();
        allocations.clear();
      }
      covered = { from: continues ? covered!.from : from, to, toHash: hashes.toHash ?? null };
      for (const m of changes) seen.set(m.key, merged([...(seen.get(m.key) ?? []), m.change]));
      for (const a of allocated) allocations.set(a.key, merged([...(allocations.get(a.key) ?? []), a.change]));
    },
    /** blocks above `n` are no longer the chain's (a reorg): what was seen there is forgotten */
    revertAbove(n: number): void {
      if (covered && covered.to > n) forget();
    },
    forget,
    covered: (): { from: number; to: number } | null => (covered ? { from: covered.from, to: covered.to } : null),
    /** the hash seen for the last covered block, when it was within reach of a reorg */
    coveredHash: () => covered?.toHash ?? null,
    /** the set's changes in the covered stretch, oldest first (the newest CHANGES_KEPT) */
    changesOf: (key: string): readonly MembershipChange[] => seen.get(key) ?? [],
    /** a strategy's allocation changes in the covered stretch (key: `allocationKey`), oldest first */
    allocationsOf: (key: string): readonly AllocationChange[] => allocations.get(key) ?? [],
    /** the newest change of the set in the covered stretch */
    lastOf: (key: string): MembershipChange | undefined => seen.get(key)?.at(-1),
  };
}

export type SeenSetHistory = ReturnType<typeof createSeenSetHistory>;

/**
 * What was seen counts only when it ends at or below the read block: past it, an older change in
 * range could hide behind a newer one.
 */
function usableCoverage(seen: SeenSetHistory | undefined, toBlock: number): { from: number; to: number } | null {
  const covered = seen?.covered() ?? null;
  return covered && covered.to <= toBlock ? covered : null;
}

/** The parts of from..to outside `covered` (which must not reach past `to`). */
export function uncoveredRanges(from: number, to: number, covered: { from: number; to: number } | null): [number, number][] {
  if (from > to) return [];
  if (!covered || covered.to > to) return [[from, to]];
  const out: [number, number][] = [];
  if (from < covered.from) out.push([from, Math.min(to, covered.from - 1)]);
  if (Math.max(from, covered.to + 1) <= to) out.push([Math.max(from, covered.to + 1), to]);
  return out;
}

/**
 * The last membership change of each set at or after its `from`, up to `toBlock`: one adaptive
 * eth_getLogs walk for all of them (operators OR-ed in the indexed topic), not one per set, over
 * only the blocks `seen` does not already cover. Keyed `checksummedOperator:setId`.
 */
export async function membershipChanges(i: {
  client: PublicClient;
  allocationManager: Address;
  avs: Address;
  sets: (OperatorSetKey & { from: number })[];
  toBlock: number;
  maxLogRange: number;
  seen?: SeenSetHistory;
  swept?: Swept;
}): Promise<Map<string, Membership>> {
  const sweptAll = i.swept !== undefined && i.sets.every((s) => s.from >= i.swept!.from);
  // a sweep's logs complete the coverage it was made with
  const usable = sweptAll ? i.swept!.covered : usableCoverage(i.seen, i.toBlock);
  const out = new Map<string, { from: number; changes: MembershipChange[] }>();
  for (const s of i.sets) {
    const key = setKey(s.operator, s.operatorSetId);
    const seen = usable ? i.seen!.changesOf(key).filter((c) => c.block >= s.from && c.block <= usable.to) : [];
    out.set(key, { from: s.from, changes: [...seen] });
  }
  const add = (m: { key: string; change: MembershipChange } | null) => {
    const e = m && out.get(m.key);
    if (e && m.change.block >= e.from) e.changes.push(m.change);
  };
  const collect = (logs: readonly RawLog[]) => {
    for (const l of logs) add(membershipLog(l, i.avs));
  };
  if (sweptAll) for (const m of i.swept!.membership) add(m);
  const operators = sweptAll ? [] : [...new Set(i.sets.map((s) => getAddress(s.operator)))];
  for (let k = 0; k < operators.length; k += OPERATORS_PER_FILTER) {
    const group = operators.slice(k, k + OPERATORS_PER_FILTER);
    const from = Math.min(...i.sets.filter((s) => group.includes(getAddress(s.operator))).map((s) => s.from));
    for (const [walkFrom, walkTo] of uncoveredRanges(from, i.toBlock, usable)) {
      for await (const range of fetchLogRanges({
        client: i.client,
        address: i.allocationManager,
        topic0: [addedTopic, removedTopic],
        fromBlock: walkFrom,
        toBlock: walkTo,
        initialRange: i.maxLogRange,
        maxRange: i.maxLogRange,
        topic1: group.map((o) => pad(o.toLowerCase() as Hex, { size: 32 })),
      })) {
        collect(range.logs);
      }
    }
  }
  return new Map(
    [...out].map(([key, e]) => {
      const changes = merged(e.changes);
      const last = changes[changes.length - 1];
      // the first change found an add: the operator was out of the set from `from` on (removed
      // earlier, or never in it); unless changes were dropped, that counts as a removal before `from`
      const complete = e.changes.length < CHANGES_KEPT;
      const history = complete && changes[0]?.kind === 'added' ? [{ kind: 'removed' as const, block: e.from - 1, logIndex: -1 }, ...changes] : changes;
      return [key, { from: e.from, last: last ? { kind: last.kind, block: last.block } : null, absences: absencesOf(history), complete }];
    }),
  );
}

/** The operator a decoded AllocationManager log is about, with its operator set when the log says. */
export function allocationManagerLogSubject(topics: Hex[], data: Hex): { operator: Address; avs: Address; operatorSetId: number } | null {
  try {
    const { eventName, args } = decodeEventLog({ abi: allocationManagerAbi, topics: topics as [Hex, ...Hex[]], data });
    if (eventName === 'AllocationUpdated' || eventName === 'OperatorAddedToOperatorSet' || eventName === 'OperatorRemovedFromOperatorSet') {
      const a = args as { operator: Address; operatorSet: { avs: Address; id: number } };
      return { operator: getAddress(a.operator), avs: getAddress(a.operatorSet.avs), operatorSetId: Number(a.operatorSet.id) };
    }
  } catch {
    /* not one of ours */
  }
  return null;
}

/**
 * The allocation changes of each set's strategies logged at or after the set's `from`, up to
 * `toBlock`, keyed by `allocationKey`, oldest first. `AllocationUpdated` indexes nothing, so the walk reads
 * every AVS's allocations: one walk for all sets, over only the blocks `seen` does not cover (on
 * a desk that follows, the few between its last read of the sets and its stop). `complete` is
 * false when more than CHANGES_KEPT were logged: the oldest were dropped.
 */
export async function allocationChanges(i: {
  client: PublicClient;
  allocationManager: Address;
  avs: Address;
  sets: (OperatorSetKey & { from: number; strategies: readonly Address[] })[];
  toBlock: number;
  maxLogRange: number;
  seen?: SeenSetHistory;
  swept?: Swept;
}): Promise<Map<string, { changes: AllocationChange[]; complete: boolean }>> {
  const fromOf = new Map<string, number>();
  for (const s of i.sets) {
    for (const strategy of s.strategies) {
      const key = allocationKey(s.operator, s.operatorSetId, strategy);
      fromOf.set(key, Math.min(fromOf.get(key) ?? Infinity, s.from));
    }
  }
  if (fromOf.size === 0) return new Map();
  const from = Math.min(...fromOf.values());
  const swept = i.swept && from >= i.swept.from ? i.swept : undefined;
  // a sweep's logs complete the coverage it was made with
  const usable = swept ? swept.covered : usableCoverage(i.seen, i.toBlock);
  const found = new Map<string, AllocationChange[]>();
  for (const [key, keyFrom] of fromOf) found.set(key, usable ? i.seen!.allocationsOf(key).filter((c) => c.block >= keyFrom && c.block <= usable.to) : []);
  const add = (a: { key: string; change: AllocationChange } | null) => {
    const list = a && found.get(a.key);
    if (list && a.change.block >= fromOf.get(a.key)!) list.push(a.change);
  };
  const collect = (logs: readonly RawLog[]) => {
    for (const l of logs) add(allocationLog(l, i.avs));
  };
  if (swept) for (const a of swept.allocations) add(a);
  else {
    for (const [walkFrom, walkTo] of uncoveredRanges(from, i.toBlock, usable)) {
      for await (const range of fetchLogRanges({ client: i.client, address: i.allocationManager, topic0: [allocationTopic], fromBlock: walkFrom, toBlock: walkTo, initialRange: i.maxLogRange, maxRange: i.maxLogRange })) collect(range.logs);
    }
  }
  return new Map([...found].map(([key, changes]) => [key, { changes: merged(changes), complete: changes.length < CHANGES_KEPT }]));
}

/** This AVS's AllocationManager events of the blocks from `from` to the read block that `seen` did not cover then, decoded. */
export interface Swept {
  from: number;
  /** the stretch `seen` covered when the sweep was made: its changes and these are the whole history from `from` */
  covered: { from: number; to: number } | null;
  membership: { key: string; change: MembershipChange }[];
  allocations: { key: string; change: AllocationChange }[];
}

/**
 * One walk of the AllocationManager's membership and allocation events (every AVS's: the
 * allocation event indexes nothing) over the blocks from `from` that `seen` does not cover, for
 * `membershipChanges` and `allocationChanges` to share: at a restart both histories reach back
 * to the sets' last reads, and two walks would cost a provider each range twice.
 */
export async function sweepSetHistory(i: { client: PublicClient; allocationManager: Address; avs: Address; from: number; toBlock: number; maxLogRange: number; seen?: SeenSetHistory }): Promise<Swept> {
  const covered = usableCoverage(i.seen, i.toBlock);
  const out: Swept = { from: i.from, covered, membership: [], allocations: [] };
  // only this AVS's are kept: a long stretch holds every AVS's allocations
  for (const [walkFrom, walkTo] of uncoveredRanges(i.from, i.toBlock, covered)) {
    for await (const range of fetchLogRanges({ client: i.client, address: i.allocationManager, topic0: ALLOCATION_MANAGER_TOPICS, fromBlock: walkFrom, toBlock: walkTo, initialRange: i.maxLogRange, maxRange: i.maxLogRange })) {
      for (const l of range.logs) {
        const m = membershipLog(l, i.avs);
        if (m) out.membership.push(m);
        const a = m ? null : allocationLog(l, i.avs);
        if (a) out.allocations.push(a);
      }
    }
  }
  return out;
}
