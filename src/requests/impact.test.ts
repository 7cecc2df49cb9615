import { impactFacts, windowEndBlock } from './impact';
import type { RequestView } from './views';

const deadlines = (blockTimeSeconds: number) => ({ blockTimeSeconds }) as RequestView['deadlines'];
const head = { number: 100, timestamp: 1_000 };

describe('windowEndBlock', () => {
  it('block windows: the end while ahead of the head, else null (read now)', () => {
    expect(windowEndBlock({ vetoWindowEnd: { block: 140, estimatedAt: '', estimated: true }, deadlines: deadlines(12) }, head)).toBe(140);
    expect(windowEndBlock({ vetoWindowEnd: { block: 100, estimatedAt: '', estimated: true }, deadlines: deadlines(12) }, head)).toBeNull();
  });
  it('second windows: the first block at or after the end at the observed block time', () => {
    expect(windowEndBlock({ vetoWindowEnd: { timestamp: 1_120, estimatedAt: '', estimated: false }, deadlines: deadlines(12) }, head)).toBe(110);
    expect(windowEndBlock({ vetoWindowEnd: { timestamp: 1_121, estimatedAt: '', estimated: false }, deadlines: deadlines(12) }, head)).toBe(111);
    expect(windowEndBlock({ vetoWindowEnd: { timestamp: 1_001, estimatedAt: '', estimated: false }, deadlines: deadlines(12) }, head)).toBe(101);
    expect(windowEndBlock({ vetoWindowEnd: { timestamp: 1_000, estimatedAt: '', estimated: false }, deadlines: deadlines(12) }, head)).toBeNull();
  });
});

describe('impactFacts', () => {
  const v = (currentMagnitude: string, pending: { effectBlock: number; diff: string } | null, registrationBound: number | null = null) =>
    ({ deadlines: { registrationBound, strategies: [{ strategy: '0x1', lastUsefulBlock: null, currentMagnitude, remainingMagnitude: currentMagnitude, pendingDeallocation: pending }] } }) as unknown as RequestView;
  it('changes with a magnitude, a pending deallocation or the registration bound, not otherwise', () => {
    expect(impactFacts(v('10', null))).toBe(impactFacts(v('10', null)));
    expect(impactFacts(v('10', null))).not.toBe(impactFacts(v('5', null)));
    expect(impactFacts(v('10', null))).not.toBe(impactFacts(v('10', { effectBlock: 9, diff: '-5' })));
    expect(impactFacts(v('10', null))).not.toBe(impactFacts(v('10', null, 50)));
  });
});
