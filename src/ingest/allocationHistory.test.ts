import { getAddress, type Address } from 'viem';
import type { OperatorSetStateRow } from '../domain/ingestFacts';
import { planAllocationWalk, type PendingHistory, type ReadSet } from './allocationHistory';

const OP = getAddress('0x00000000000000000000000000000000000000a1');
const S1 = getAddress('0x00000000000000000000000000000000000000b1');
const S2 = getAddress('0x00000000000000000000000000000000000000b2');
const DELAY = 10;
const AT = 1_000;

const set = (historyFrom: number, strategies: Address[] = [S1, S2]): ReadSet => ({ operator: OP, operatorSetId: 1, strategies: new Set(strategies), historyFrom });
const read = (readAtBlock: number, strategies: Address[]): OperatorSetStateRow => ({
  operator: OP,
  operatorSetId: 1,
  registered: true,
  deregisterBlock: null,
  readAtBlock,
  allocations: strategies.map((strategy) => ({ strategy, currentMagnitude: 10n, pendingDiff: 0n, effectBlock: 0 })),
});
const plan = (k: ReadSet, stored: OperatorSetStateRow | null, pending?: PendingHistory) =>
  planAllocationWalk({ sets: [k], previousOf: () => stored, pendingOf: () => pending, atBlock: AT, deallocationDelay: DELAY });
const walk = (p: ReturnType<typeof plan>, strategy: Address) => {
  const w = [...p.values()].find((x) => x.strategy === strategy)!;
  return { from: w.from, historyFrom: w.historyFrom, start: w.stored?.readAtBlock ?? null };
};

describe('planAllocationWalk', () => {
  it("walks a strategy the stored read holds from the block after it, that read as its start", () => {
    expect(walk(plan(set(500), read(900, [S1, S2])), S1)).toEqual({ from: 901, historyFrom: 500, start: 900 });
  });

  it("walks a strategy the stored read lacks from the oldest request's reach, with no start", () => {
    expect(walk(plan(set(500), read(900, [S1])), S2)).toEqual({ from: 500 - DELAY - 1, historyFrom: 500, start: null });
    expect(walk(plan(set(500), null), S1)).toEqual({ from: 500 - DELAY - 1, historyFrom: 500, start: null });
  });

  it("walks a pending request's strategy from that request's reach when the stored read came after it, the read a known point inside", () => {
    // the stored read (900) was made while the request queued at 700 had no strategies known
    const p = plan(set(500), read(900, [S1, S2]), { from: 700, strategies: new Set([S2]) });
    expect(walk(p, S2)).toEqual({ from: 700 - DELAY - 1, historyFrom: 700, start: 900 });
    // a strategy of no pending request keeps its start
    expect(walk(p, S1)).toEqual({ from: 901, historyFrom: 500, start: 900 });
  });

  it("keeps the stored read as the start when it is older than the pending request's reach (the walk from it covers the request)", () => {
    const p = plan(set(500), read(600, [S1, S2]), { from: 700, strategies: new Set([S2]) });
    expect(walk(p, S2)).toEqual({ from: 601, historyFrom: 500, start: 600 });
    // a read at the reach itself holds what was logged there (a change pending then included)
    const edge = plan(set(500), read(700 - DELAY - 1, [S2]), { from: 700, strategies: new Set([S2]) });
    expect(walk(edge, S2)).toEqual({ from: 700 - DELAY, historyFrom: 500, start: 700 - DELAY - 1 });
    const after = plan(set(500), read(700 - DELAY, [S2]), { from: 700, strategies: new Set([S2]) });
    expect(walk(after, S2)).toEqual({ from: 700 - DELAY - 1, historyFrom: 700, start: 700 - DELAY });
  });

  it('a pending strategy the stored read lacks is walked from the oldest request of the set', () => {
    expect(walk(plan(set(500), read(900, [S1]), { from: 700, strategies: new Set([S2]) }), S2)).toEqual({ from: 500 - DELAY - 1, historyFrom: 500, start: null });
  });
});
