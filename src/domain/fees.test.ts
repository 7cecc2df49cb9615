import { deadlinesPassedDown, initialFees, nextBaseFeeBound, replacementFees, underpricedReason, URGENT_BLOCKS } from './fees';

const gwei = (n: number) => BigInt(Math.round(n * 1e9));
const market = { baseFeePerGas: gwei(10), priorityFeePerGas: gwei(1) };

describe('initialFees', () => {
  it('leaves room for the base fee to double, with the market tip', () => {
    expect(initialFees(market, 100, null)).toEqual({ maxFeePerGas: gwei(21), maxPriorityFeePerGas: gwei(1), capped: false });
  });
  it('is urgent within URGENT_BLOCKS of the deadline: four times the base fee, twice the tip', () => {
    expect(initialFees(market, URGENT_BLOCKS, null)).toEqual({ maxFeePerGas: gwei(42), maxPriorityFeePerGas: gwei(2), capped: false });
    expect(initialFees(market, URGENT_BLOCKS + 1, null).maxFeePerGas).toBe(gwei(21));
  });
  it('an unbounded deadline is never urgent', () => {
    expect(initialFees(market, null, null).maxFeePerGas).toBe(gwei(21));
  });
  it('never exceeds the cap, and says so', () => {
    expect(initialFees(market, 100, gwei(15))).toEqual({ maxFeePerGas: gwei(15), maxPriorityFeePerGas: gwei(1), capped: true });
    expect(initialFees({ baseFeePerGas: 0n, priorityFeePerGas: gwei(5) }, 100, gwei(2))).toEqual({ maxFeePerGas: gwei(2), maxPriorityFeePerGas: gwei(2), capped: true });
  });
});

describe('underpricedReason', () => {
  const sent = { maxFeePerGas: gwei(21), maxPriorityFeePerGas: gwei(1) };
  it('nothing before a block has passed', () => {
    expect(underpricedReason({ maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, market, 0, 1, 2)).toBeNull();
  });
  it('a fee cap below the next base fee is underpriced at once', () => {
    expect(underpricedReason(sent, { ...market, baseFeePerGas: gwei(19) }, 1, 100, 2)).toMatch(/below the next block's base fee/);
    expect(underpricedReason(sent, { ...market, baseFeePerGas: gwei(18) }, 1, 100, 2)).toBeNull();
  });
  it('a tip below the market only after the patience', () => {
    const m = { ...market, priorityFeePerGas: gwei(2) };
    expect(underpricedReason(sent, m, 1, 100, 2)).toBeNull();
    expect(underpricedReason(sent, m, 2, 100, 2)).toMatch(/tip/);
  });
  it('a well-priced transaction is left alone, however long it waits, until its deadline nears', () => {
    expect(underpricedReason(sent, market, 50, 100, 2)).toBeNull();
    expect(underpricedReason(sent, market, 1, URGENT_BLOCKS, 2)).toMatch(/block\(s\) left/);
    expect(underpricedReason(initialFees(market, 2, null), market, 1, 2, 2)).toBeNull();
  });
});

describe('replacementFees', () => {
  const sent = { maxFeePerGas: gwei(21), maxPriorityFeePerGas: gwei(1) };
  it('raises both fees by at least 12.5 % (a node refuses less)', () => {
    const r = replacementFees(sent, market, 100, null)!;
    expect(r.maxFeePerGas).toBeGreaterThanOrEqual((sent.maxFeePerGas * 1125n) / 1000n + 1n);
    expect(r.maxPriorityFeePerGas).toBeGreaterThanOrEqual((sent.maxPriorityFeePerGas * 1125n) / 1000n + 1n);
    expect(r.capped).toBe(false);
  });
  it('follows a market that moved further', () => {
    expect(replacementFees(sent, { baseFeePerGas: gwei(100), priorityFeePerGas: gwei(3) }, 100, null)).toEqual({ maxFeePerGas: gwei(203), maxPriorityFeePerGas: gwei(3), capped: false });
  });
  it('stops at the cap; null when the cap leaves no valid replacement', () => {
    expect(replacementFees(sent, { baseFeePerGas: gwei(100), priorityFeePerGas: gwei(3) }, 100, gwei(50))).toEqual({ maxFeePerGas: gwei(50), maxPriorityFeePerGas: gwei(3), capped: true });
    expect(replacementFees(sent, market, 100, gwei(22))).toBeNull();
  });
  it('nextBaseFeeBound is 12.5 % above the latest', () => {
    expect(nextBaseFeeBound(gwei(8))).toBe(gwei(9) + 1n);
  });
});

describe('deadlinesPassedDown', () => {
  const row = (txNonce: number, deadlineBlock: number | null) => ({ txNonce, deadlineBlock });
  it('a lower nonce serves the soonest deadline at or above it', () => {
    const rejection = row(10, null);
    const laterFulfil = row(11, 500);
    const urgentVeto = row(12, 103);
    const last = row(13, null);
    const by = deadlinesPassedDown([laterFulfil, last, rejection, urgentVeto]);
    expect(by.get(10)).toBe(urgentVeto);
    expect(by.get(11)).toBe(urgentVeto);
    expect(by.get(12)).toBe(urgentVeto);
    // nothing above it: its own (none)
    expect(by.get(13)).toBe(last);
  });
  it('keeps its own deadline when it is the soonest, and an empty list gives nothing', () => {
    const a = row(1, 50);
    const b = row(2, 80);
    const by = deadlinesPassedDown([a, b]);
    expect(by.get(1)).toBe(a);
    expect(by.get(2)).toBe(b);
    expect(deadlinesPassedDown([]).size).toBe(0);
  });
});
