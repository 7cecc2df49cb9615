import { escapesOf, pastLapseBlock } from './pastLapses';

describe('escapesOf', () => {
  it('is the stretch after the delay and before the operator came back', () => {
    expect(escapesOf([{ removed: 100, added: 200 }], 30)).toEqual([{ from: 131, to: 199 }]);
  });
  it('is nothing when the operator came back within the delay (or right at its end)', () => {
    expect(escapesOf([{ removed: 100, added: 120 }], 30)).toEqual([]);
    expect(escapesOf([{ removed: 100, added: 131 }], 30)).toEqual([]);
    expect(escapesOf([{ removed: 100, added: 132 }], 30)).toEqual([{ from: 131, to: 131 }]);
  });
  it('sorts several absences', () => {
    expect(escapesOf([{ removed: 500, added: 600 }, { removed: 100, added: 200 }], 10)).toEqual([{ from: 111, to: 199 }, { from: 511, to: 599 }]);
  });
});

describe('pastLapseBlock, block windows', () => {
  const end = { kind: 'block' as const, block: 150 };
  it('lapses at the escape when it began after the window end', () => {
    expect(pastLapseBlock({ kind: 'block', block: 120 }, [{ from: 131, to: 199 }])).toBe(131);
  });
  it('lapses at the window end when the stake had already escaped then', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 199 }])).toBe(150);
  });
  it('is no lapse when the operator was back before the window ended', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 149 }])).toBeNull();
    expect(pastLapseBlock(end, [{ from: 131, to: 150 }])).toBe(150);
    expect(pastLapseBlock(end, [])).toBeNull();
  });
  it('takes the first escape past the window', () => {
    expect(pastLapseBlock(end, [{ from: 10, to: 20 }, { from: 160, to: 170 }, { from: 300, to: 310 }])).toBe(160);
  });
});

describe('pastLapseBlock, timestamp windows', () => {
  const ts = (m: Record<number, number>) => (b: number) => m[b];
  const end = { kind: 'timestamp' as const, timestamp: 10_000 };
  it('lapses at the escape when its first block is after the window end', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 199 }], ts({ 131: 10_100, 199: 10_900 }))).toBe(131);
  });
  it('lapses at the escape’s last block when the window ended inside it', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 199 }], ts({ 131: 9_000, 199: 10_900 }))).toBe(199);
  });
  it('is no lapse when the escape ended before the window did', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 199 }], ts({ 131: 8_000, 199: 9_999 }))).toBeNull();
  });
  it('counts an escape of unknown time as a lapse (a fulfil held is the safe side)', () => {
    expect(pastLapseBlock(end, [{ from: 131, to: 199 }])).toBe(199);
  });
});
