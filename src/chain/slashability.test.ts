import { encodeAbiParameters, encodeEventTopics, getAddress, numberToHex, type Address, type Hex } from 'viem';
import { allocationManagerAbi } from './abis';
import type { RawLog } from './logs';
import { absencesOf, createSeenSetHistory, uncoveredRanges } from './slashability';

const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
const OTHER_AVS: Address = getAddress('0x00000000000000000000000000000000000b1500');
const AM: Address = getAddress('0x5FbDB2315678afecb367f032d93F642f64180aa3');
const OP: Address = getAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');

function membership(kind: 'added' | 'removed', o: { block: number; logIndex?: number; avs?: Address; setId?: number; operator?: Address }): RawLog {
  const topics = encodeEventTopics({
    abi: allocationManagerAbi,
    eventName: kind === 'added' ? 'OperatorAddedToOperatorSet' : 'OperatorRemovedFromOperatorSet',
    args: { operator: o.operator ?? OP },
  }) as Hex[];
  const data = encodeAbiParameters([{ type: 'tuple', components: [{ name: 'avs', type: 'address' }, { name: 'id', type: 'uint32' }] }], [{ avs: o.avs ?? AVS, id: o.setId ?? 1 }]);
  return { address: AM, topics, data, blockNumber: numberToHex(o.block), blockHash: `0x${'ab'.repeat(32)}`, transactionHash: `0x${'cd'.repeat(32)}`, logIndex: numberToHex(o.logIndex ?? 0) };
}

const key = (setId = 1, operator = OP) => `${getAddress(operator)}:${setId}`;

describe('uncoveredRanges', () => {
  it('walks everything without a covered stretch, or when it reaches past the read block', () => {
    expect(uncoveredRanges(10, 100, null)).toEqual([[10, 100]]);
    expect(uncoveredRanges(10, 100, { from: 50, to: 101 })).toEqual([[10, 100]]);
    expect(uncoveredRanges(101, 100, null)).toEqual([]);
  });
  it('skips the covered stretch, before, inside or around it', () => {
    expect(uncoveredRanges(10, 100, { from: 50, to: 80 })).toEqual([[10, 49], [81, 100]]);
    expect(uncoveredRanges(10, 100, { from: 10, to: 100 })).toEqual([]);
    expect(uncoveredRanges(10, 100, { from: 5, to: 100 })).toEqual([]);
    expect(uncoveredRanges(60, 100, { from: 50, to: 80 })).toEqual([[81, 100]]);
    expect(uncoveredRanges(10, 100, { from: 11, to: 100 })).toEqual([[10, 10]]);
    expect(uncoveredRanges(10, 100, { from: 1, to: 9 })).toEqual([[10, 100]]);
  });
});

describe('createSeenSetHistory', () => {
  it('keeps the newest change of each of its AVS sets over contiguous stretches', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('added', { block: 120 }), membership('removed', { block: 150, avs: OTHER_AVS })]);
    seen.observe(200, 299, [membership('removed', { block: 250, logIndex: 3 }), membership('added', { block: 250, logIndex: 1 }), membership('added', { block: 260, setId: 2 })]);
    expect(seen.covered()).toEqual({ from: 100, to: 299 });
    expect(seen.lastOf(key())).toEqual({ kind: 'removed', block: 250, logIndex: 3 });
    expect(seen.lastOf(key(2))).toEqual({ kind: 'added', block: 260, logIndex: 0 });
  });

  it('starts afresh on a stretch that re-reads or skips blocks', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('added', { block: 120 })]);
    seen.observe(150, 249, []);
    expect(seen.covered()).toEqual({ from: 150, to: 249 });
    expect(seen.lastOf(key())).toBeUndefined();
    seen.observe(260, 270, []);
    expect(seen.covered()).toEqual({ from: 260, to: 270 });
  });

  it('starts afresh on a stretch linked to another block than the one it saw last (a reorg another desk handled)', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('added', { block: 199 })], { toHash: '0xaa' });
    seen.observe(200, 210, [], { toHash: '0xbb', parentHash: '0xaa' });
    expect(seen.covered()).toEqual({ from: 100, to: 210 });
    seen.observe(211, 220, [], { toHash: '0xcc', parentHash: '0xdd' }); // 210 is no longer 0xbb
    expect(seen.covered()).toEqual({ from: 211, to: 220 });
    expect(seen.lastOf(key())).toBeUndefined();
  });

  it('forgets everything once a reorg removes covered blocks, and nothing for a reorg above them', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('added', { block: 120 })]);
    seen.revertAbove(199);
    expect(seen.covered()).toEqual({ from: 100, to: 199 });
    seen.revertAbove(198);
    expect(seen.covered()).toBeNull();
    expect(seen.lastOf(key())).toBeUndefined();
  });

  it('keeps the coverage as it was when a log cannot be read, and the hash of the last block seen', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('added', { block: 120 })], { toHash: '0xaa' });
    expect(seen.coveredHash()).toBe('0xaa');
    const unreadable = { ...membership('removed', { block: 250 }), data: '0x01' as Hex };
    expect(() => seen.observe(200, 299, [unreadable])).toThrow();
    expect(seen.covered()).toEqual({ from: 100, to: 199 });
    expect(seen.lastOf(key())).toEqual({ kind: 'added', block: 120, logIndex: 0 });
    seen.forget();
    expect(seen.covered()).toBeNull();
  });

  it('ignores the AllocationManager logs that are not membership changes', () => {
    const seen = createSeenSetHistory(AVS);
    const other = { ...membership('added', { block: 120 }), topics: [`0x${'11'.repeat(32)}`] as Hex[] };
    seen.observe(100, 199, [other]);
    expect(seen.lastOf(key())).toBeUndefined();
  });
});

describe('membership history', () => {
  it('keeps every change of a set in chain order, each once, across stretches', () => {
    const seen = createSeenSetHistory(AVS);
    seen.observe(100, 199, [membership('removed', { block: 150, logIndex: 2 }), membership('added', { block: 120 })]);
    seen.observe(200, 299, [membership('added', { block: 250 }), membership('removed', { block: 150, avs: OTHER_AVS })]);
    expect(seen.changesOf(key()).map((c) => [c.kind, c.block])).toEqual([['added', 120], ['removed', 150], ['added', 250]]);
    expect(absencesOf(seen.changesOf(key()))).toEqual([{ removed: 150, added: 250 }]);
  });

  it('keeps the newest changes of a set that changes without end', () => {
    const seen = createSeenSetHistory(AVS);
    const logs = Array.from({ length: 200 }, (_, k) => membership(k % 2 === 0 ? 'removed' : 'added', { block: 1_000 + k }));
    seen.observe(1_000, 1_199, logs);
    const kept = seen.changesOf(key());
    expect(kept.length).toBeLessThan(200);
    expect(kept.at(-1)).toEqual({ kind: 'added', block: 1_199, logIndex: 0 });
    expect(seen.lastOf(key())).toEqual(kept.at(-1));
  });

  it('pairs each removal with the add right after it, never across another removal', () => {
    const c = (kind: 'added' | 'removed', block: number) => ({ kind, block, logIndex: 0 });
    expect(absencesOf([c('removed', 10), c('added', 20), c('removed', 30), c('removed', 35), c('added', 40), c('added', 50)])).toEqual([
      { removed: 10, added: 20 },
      { removed: 35, added: 40 },
    ]);
    expect(absencesOf([c('added', 10), c('removed', 20)])).toEqual([]);
  });
});
