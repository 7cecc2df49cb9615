/**
 * Reads how long an operator stays slashable in an operator set (DOMAIN.md §2): the allocation of
 * each strategy (`getAllocation`), `isOperatorSlashable`, and the block it was removed from the
 * set (`OperatorRemovedFromOperatorSet` in the last DEALLOCATION_DELAY blocks), all at one block.
 */
import { decodeEventLog, encodeEventTopics, getAddress, hexToNumber, pad, type Address, type Hex, type PublicClient } from 'viem';
import { allocationManagerAbi } from './abis';
import { fetchLogRanges } from './logs';
import type { AllocationFact, RegistrationFact } from '../domain/types';

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
}

export interface SlashabilityState extends OperatorSetKey {
  registration: RegistrationFact;
  allocations: AllocationFact[];
  readAtBlock: number;
}

const addedTopic = encodeEventTopics({ abi: allocationManagerAbi, eventName: 'OperatorAddedToOperatorSet' })[0] as Hex;
const removedTopic = encodeEventTopics({ abi: allocationManagerAbi, eventName: 'OperatorRemovedFromOperatorSet' })[0] as Hex;
export const ALLOCATION_MANAGER_TOPICS: Hex[] = [
  encodeEventTopics({ abi: allocationManagerAbi, eventName: 'AllocationUpdated' })[0] as Hex,
  addedTopic,
  removedTopic,
];

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

/**
 * The last membership change of each set at or after its `from`, up to `toBlock`: one adaptive
 * eth_getLogs walk for all of them (operators OR-ed in the indexed topic), not one per set.
 * Keyed `checksummedOperator:setId`.
 */
export async function membershipChanges(i: {
  client: PublicClient;
  allocationManager: Address;
  avs: Address;
  sets: (OperatorSetKey & { from: number })[];
  toBlock: number;
  maxLogRange: number;
}): Promise<Map<string, Membership>> {
  const out = new Map<string, Membership & { logIndex: number }>();
  for (const s of i.sets) out.set(setKey(s.operator, s.operatorSetId), { from: s.from, last: null, logIndex: -1 });
  const operators = [...new Set(i.sets.map((s) => getAddress(s.operator)))];
  for (let k = 0; k < operators.length; k += OPERATORS_PER_FILTER) {
    const group = operators.slice(k, k + OPERATORS_PER_FILTER);
    const from = Math.min(...i.sets.filter((s) => group.includes(getAddress(s.operator))).map((s) => s.from));
    for await (const range of fetchLogRanges({
      client: i.client,
      address: i.allocationManager,
      topic0: [addedTopic, removedTopic],
      fromBlock: from,
      toBlock: i.toBlock,
      initialRange: i.maxLogRange,
      maxRange: i.maxLogRange,
      topic1: group.map((o) => pad(o.toLowerCase() as Hex, { size: 32 })),
    })) {
      for (const l of range.logs) {
        const { eventName, args } = decodeEventLog({ abi: allocationManagerAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data });
        if (eventName !== 'OperatorAddedToOperatorSet' && eventName !== 'OperatorRemovedFromOperatorSet') continue;
        const a = args as { operator: Address; operatorSet: { avs: Address; id: number } };
        if (getAddress(a.operatorSet.avs) !== getAddress(i.avs)) continue;
        const e = out.get(setKey(a.operator, Number(a.operatorSet.id)));
        const block = hexToNumber(l.blockNumber);
        const logIndex = hexToNumber(l.logIndex);
        if (!e || block < e.from) continue;
        if (!e.last || block > e.last.block || (block === e.last.block && logIndex > e.logIndex)) {
          e.last = { kind: eventName === 'OperatorAddedToOperatorSet' ? 'added' : 'removed', block };
          e.logIndex = logIndex;
        }
      }
    }
  }
  return new Map([...out].map(([key, e]) => [key, { from: e.from, last: e.last }]));
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
