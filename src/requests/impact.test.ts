import { factsOf, Followed, parseFacts, sameFacts, windowEndBlock } from './impact';
import type { RequestView } from './views';

const deadlines = (blockTimeSeconds: number) => ({ blockTimeSeconds }) as RequestView['deadlines'];
const head = { number: 100, timestamp: 1_000 };
/** the facts as stored */
const impactFacts = (v: RequestView) => JSON.stringify(factsOf(v));

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

describe('sameFacts (the per-block comparison) agrees with comparing the stored JSON', () => {
  type S = { strategy: string; currentMagnitude: string; pendingDeallocation: { effectBlock: number; diff: string } | null };
  const v = (registrationBound: number | null, strategies: S[]) => ({ deadlines: { registrationBound, strategies: strategies.map((s) => ({ ...s, lastUsefulBlock: null, remainingMagnitude: s.currentMagnitude })) } }) as unknown as RequestView;
  const a: S = { strategy: '0xA', currentMagnitude: '10', pendingDeallocation: null };
  const b: S = { strategy: '0xB', currentMagnitude: '7', pendingDeallocation: { effectBlock: 0, diff: '-7' } };
  const views = [
    v(null, []),
    v(0, []),
    v(null, [a]),
    v(0, [a]),
    v(50, [a]),
    v(null, [a, b]),
    v(null, [b, a]),
    v(null, [{ ...a, currentMagnitude: '1' + '0'.repeat(30) }]),
    v(null, [{ ...a, pendingDeallocation: { effectBlock: 0, diff: '-10' } }]),
    v(null, [{ ...a, pendingDeallocation: { effectBlock: 1, diff: '-10' } }]),
    v(null, [{ ...a, pendingDeallocation: { effectBlock: 1, diff: '-9' } }]),
    v(null, [{ ...a, strategy: '0xa' }]),
    v(null, [a, a]),
  ];
  it('for every pair of views: equal exactly when their JSON is', () => {
    for (const x of views) for (const y of views) expect([impactFacts(x), impactFacts(y), sameFacts(x, parseFacts(impactFacts(y)))]).toEqual([impactFacts(x), impactFacts(y), impactFacts(x) === impactFacts(y)]);
  });
  it('the same for the facts kept in memory after a save (not read back from the store)', () => {
    for (const x of views) for (const y of views) expect([impactFacts(x), impactFacts(y), sameFacts(x, factsOf(y))]).toEqual([impactFacts(x), impactFacts(y), impactFacts(x) === impactFacts(y)]);
  });
  it('facts that do not parse, or are missing, are never the same (the figures are read again)', () => {
    for (const stored of ['', '{}', '[1]', 'null', '[null]', '[null,{}]', '[null,[["0xA","10",null]]]', '[null,[["0xA",10,null,null]]]', '["1",[]]', '[null,[["0xA","10","1",null]]]', '[null,[["0xA","10",null,-10]]]', '[null,[]', '[null,[],1]']) {
      expect(parseFacts(stored)).toBeNull();
      expect(sameFacts(views[0]!, parseFacts(stored))).toBe(false);
    }
    expect(sameFacts(views[2]!, undefined)).toBe(false);
    expect(sameFacts(views[2]!, null)).toBe(false);
  });
  it('reads the facts the desk stored before this comparison existed', () => {
    expect(sameFacts(views[5]!, parseFacts('[null,[["0xA","10",null,null],["0xB","7",0,"-7"]]]'))).toBe(true);
  });
});

describe('Followed', () => {
  const a = [null, []] as const;
  const b = [7, [['0xs', '1', null, null]]] as const;
  it('keeps facts per request id and queue transaction, an id reused with another transaction included', () => {
    const f = new Followed();
    expect(f.get('1', '0xt1')).toBeUndefined();
    f.set('1', '0xt1', a);
    expect(f.get('1', '0xt1')).toBe(a);
    expect(f.get('1', '0xt2')).toBeUndefined();
    expect(f.get('2', '0xt1')).toBeUndefined();
    f.set('1', '0xt2', b);
    expect(f.get('1', '0xt1')).toBe(a);
    expect(f.get('1', '0xt2')).toBe(b);
    f.set('1', '0xt1', null);
    f.set('1', '0xt2', a);
    expect(f.get('1', '0xt1')).toBeNull();
    expect(f.get('1', '0xt2')).toBe(a);
    f.set('1', '0xt3', b);
    expect([f.get('1', '0xt1'), f.get('1', '0xt2'), f.get('1', '0xt3')]).toEqual([null, a, b]);
  });
});
