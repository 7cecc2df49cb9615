import { allocationEscapes, intersectEscapes, mergeEscapes, startOfRead, zeroStretches, type AllocationChange } from './allocationEscapes';

const change = (block: number, magnitude: bigint, effectBlock: number, logIndex = 0): AllocationChange => ({ block, magnitude, effectBlock, logIndex });

describe('zeroStretches', () => {
  it('is the stretch from a deallocation to zero taking effect until an allocation is queued', () => {
    // queued at 100 with a delay of 30: effect 131; allocated again at 200 (in effect at 205): a
    // fulfil from 200 on slashes what arrives, as the desk reading it then would say
    expect(zeroStretches([change(100, 0n, 131), change(200, 5n, 205)], null, 1_000)).toEqual([{ from: 131, to: 199 }]);
    expect(zeroStretches([change(100, 0n, 131), change(200, 5n, 200)], null, 1_000)).toEqual([{ from: 131, to: 199 }]);
  });
  it('runs to the read block while the magnitude is still zero', () => {
    expect(zeroStretches([change(100, 0n, 131)], null, 150)).toEqual([{ from: 131, to: 150 }]);
  });
  it('is nothing before a deallocation has taken effect by the read block', () => {
    expect(zeroStretches([change(100, 0n, 131)], null, 130)).toEqual([]);
  });
  it('is nothing when the allocation came back in the block the deallocation took effect', () => {
    expect(zeroStretches([change(100, 0n, 131), change(131, 5n, 131)], null, 1_000)).toEqual([]);
  });
  it('is nothing for a partial deallocation', () => {
    expect(zeroStretches([change(100, 3n, 131)], null, 1_000)).toEqual([]);
  });
  it('keeps a deallocation to zero when a slash logged later cuts the magnitude before it takes effect', () => {
    expect(zeroStretches([change(100, 0n, 131), change(110, 4n, 110, 2)], null, 1_000)).toEqual([{ from: 131, to: 1_000 }]);
  });
  it('orders changes by where they were logged, not by how they are given', () => {
    expect(zeroStretches([change(200, 5n, 205), change(100, 0n, 131)], null, 1_000)).toEqual([{ from: 131, to: 199 }]);
  });
  it('lets the later logged of two changes in effect at one block win', () => {
    expect(zeroStretches([change(131, 7n, 131, 1), change(131, 0n, 131, 0)], null, 1_000)).toEqual([]);
    expect(zeroStretches([change(131, 0n, 131, 1), change(131, 7n, 131, 0)], null, 1_000)).toEqual([{ from: 131, to: 1_000 }]);
  });
  it('takes no stretch before the first change when nothing was known before it (unknown is not zero)', () => {
    expect(zeroStretches([change(200, 5n, 205)], null, 1_000)).toEqual([]);
    expect(zeroStretches([], null, 1_000)).toEqual([]);
  });
  it('starts from a stored read: zero then, until an allocation took effect', () => {
    expect(zeroStretches([change(200, 5n, 205)], { block: 150, magnitude: 0n }, 1_000)).toEqual([{ from: 150, to: 199 }]);
    expect(zeroStretches([], { block: 150, magnitude: 0n }, 1_000)).toEqual([{ from: 150, to: 1_000 }]);
    expect(zeroStretches([], { block: 150, magnitude: 3n }, 1_000)).toEqual([]);
  });
  it('starts from a stored read that saw a deallocation to zero pending', () => {
    expect(zeroStretches([change(300, 5n, 300)], { block: 120, magnitude: 5n, pending: { magnitude: 0n, effectBlock: 131 } }, 1_000)).toEqual([{ from: 131, to: 299 }]);
  });
  it('is nothing while a stored read saw an increase pending on a zero allocation', () => {
    expect(zeroStretches([], { block: 150, magnitude: 0n, pending: { magnitude: 5n, effectBlock: 180 } }, 1_000)).toEqual([]);
  });
  it('ignores changes the stored read already held', () => {
    expect(zeroStretches([change(100, 0n, 131), change(110, 9n, 110)], { block: 120, magnitude: 9n, pending: { magnitude: 0n, effectBlock: 131 } }, 1_000)).toEqual([{ from: 131, to: 1_000 }]);
  });
  it('takes a stored read inside the changes as a known point: those logged up to it tell what came before', () => {
    // zero from 131 (logged at 100, before the read), read zero at 150, allocated at 200
    expect(zeroStretches([change(100, 0n, 131), change(200, 5n, 200)], { block: 150, magnitude: 0n }, 1_000)).toEqual([{ from: 131, to: 199 }]);
    // allocated again at 140, before the read that shows the stake
    expect(zeroStretches([change(100, 0n, 131), change(140, 5n, 140)], { block: 150, magnitude: 5n }, 1_000)).toEqual([{ from: 131, to: 139 }]);
    // the read stands over an earlier change in effect at its own block
    expect(zeroStretches([change(100, 0n, 150)], { block: 150, magnitude: 5n }, 1_000)).toEqual([]);
    // an increase logged before the read and pending in it: stake again from where it was queued
    expect(zeroStretches([change(100, 0n, 131), change(145, 5n, 160)], { block: 150, magnitude: 0n, pending: { magnitude: 5n, effectBlock: 160 } }, 1_000)).toEqual([{ from: 131, to: 144 }]);
  });
  it('merges stretches that touch', () => {
    expect(zeroStretches([change(100, 0n, 131), change(140, 0n, 140)], null, 1_000)).toEqual([{ from: 131, to: 1_000 }]);
  });
  it('lists several stretches in order', () => {
    const changes = [change(100, 0n, 131), change(200, 5n, 200), change(300, 0n, 331), change(400, 5n, 400)];
    expect(zeroStretches(changes, null, 1_000)).toEqual([{ from: 131, to: 199 }, { from: 331, to: 399 }]);
  });
});

describe('intersectEscapes', () => {
  it('is the blocks every list covers', () => {
    expect(intersectEscapes([[{ from: 10, to: 50 }], [{ from: 30, to: 80 }]])).toEqual([{ from: 30, to: 50 }]);
    expect(intersectEscapes([[{ from: 10, to: 20 }, { from: 40, to: 60 }], [{ from: 15, to: 45 }]])).toEqual([{ from: 15, to: 20 }, { from: 40, to: 45 }]);
  });
  it('is nothing when one list is empty or they do not meet', () => {
    expect(intersectEscapes([[{ from: 10, to: 20 }], []])).toEqual([]);
    expect(intersectEscapes([[{ from: 10, to: 20 }], [{ from: 21, to: 30 }]])).toEqual([]);
    expect(intersectEscapes([])).toEqual([]);
  });
  it('is one list itself', () => {
    expect(intersectEscapes([[{ from: 10, to: 20 }]])).toEqual([{ from: 10, to: 20 }]);
  });
});

describe('allocationEscapes', () => {
  const none = { changes: [], start: null };
  it('is an escape only while every strategy of the request was at zero', () => {
    const history = (s: string) => (s === 'a' ? { changes: [change(100, 0n, 131), change(200, 5n, 205)], start: null } : { changes: [change(150, 0n, 181), change(300, 5n, 300)], start: null });
    expect(allocationEscapes(['a', 'b'], history, 1_000)).toEqual([{ from: 181, to: 199 }]);
    expect(allocationEscapes(['a'], history, 1_000)).toEqual([{ from: 131, to: 199 }]);
  });
  it('is nothing while one strategy kept stake, or had nothing known', () => {
    const history = (s: string) => (s === 'a' ? { changes: [change(100, 0n, 131)], start: null } : none);
    expect(allocationEscapes(['a', 'b'], history, 1_000)).toEqual([]);
  });
  it('is nothing without strategies', () => {
    expect(allocationEscapes([], () => none, 1_000)).toEqual([]);
  });
});

describe('startOfRead', () => {
  const fact = (currentMagnitude: bigint, pendingDiff: bigint, effectBlock: number) => ({ strategy: '0xa' as const, currentMagnitude, pendingDiff, effectBlock });
  it('is the magnitude read when nothing was pending', () => {
    expect(startOfRead(fact(7n, 0n, 0), 100)).toEqual({ block: 100, magnitude: 7n });
  });
  it('keeps a pending change for its effect block', () => {
    expect(startOfRead(fact(7n, -7n, 131), 100)).toEqual({ block: 100, magnitude: 7n, pending: { magnitude: 0n, effectBlock: 131 } });
    expect(startOfRead(fact(0n, 5n, 131), 100)).toEqual({ block: 100, magnitude: 0n, pending: { magnitude: 5n, effectBlock: 131 } });
  });
  it('applies a change whose effect block the read had reached (a kept deallocation to zero)', () => {
    expect(startOfRead(fact(7n, -7n, 100), 100)).toEqual({ block: 100, magnitude: 0n });
    expect(startOfRead(fact(7n, -9n, 90), 100)).toEqual({ block: 100, magnitude: 0n });
  });
});

describe('mergeEscapes', () => {
  it('orders escapes and merges those that overlap or touch', () => {
    expect(mergeEscapes([{ from: 50, to: 60 }, { from: 10, to: 20 }, { from: 15, to: 30 }, { from: 31, to: 40 }])).toEqual([{ from: 10, to: 40 }, { from: 50, to: 60 }]);
  });
  it('keeps one inside another once', () => {
    expect(mergeEscapes([{ from: 10, to: 100 }, { from: 20, to: 30 }])).toEqual([{ from: 10, to: 100 }]);
    expect(mergeEscapes([])).toEqual([]);
  });
});
