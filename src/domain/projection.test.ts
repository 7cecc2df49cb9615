import { projectRequest, type RequestFact } from './projection';

const data = (op: string) => ({
  operator: op as `0x${string}`,
  operatorSetId: 1,
  strategies: ['0x0000000000000000000000000000000000000001' as const],
  wadsToSlash: ['500000000000000000'],
  description: 'd',
  requestBlockOrTimestamp: 10,
});
const q = (b: number, li: number, op = '0xa'): RequestFact => ({ kind: 'queued', blockNumber: b, logIndex: li, blockHash: `0xh${b}`, txHash: `0xt${b}`, data: data(op) });
const c = (b: number, li = 0): RequestFact => ({ kind: 'cancelled', blockNumber: b, logIndex: li, blockHash: `0xh${b}`, txHash: `0xc${b}` });
const f = (b: number, li = 0): RequestFact => ({ kind: 'fulfilled', blockNumber: b, logIndex: li, blockHash: `0xh${b}`, txHash: `0xf${b}` });

describe('projectRequest', () => {
  it('is null without a queued fact', () => {
    expect(projectRequest([])).toBeNull();
    expect(projectRequest([c(5)])).toBeNull();
  });
  it('a queued request is requested', () => {
    const p = projectRequest([q(10, 0)]);
    expect(p).toMatchObject({ onchainStatus: 'requested', queuedAtBlock: 10, queuedTxHash: '0xt10', overwrote: 0, cancelled: null, fulfilled: null });
  });
  it('cancel and fulfil close it, whatever order the facts arrive in', () => {
    expect(projectRequest([c(12), q(10, 0)])).toMatchObject({ onchainStatus: 'cancelled', cancelled: { block: 12, txHash: '0xc12' } });
    expect(projectRequest([f(50), q(10, 0)])).toMatchObject({ onchainStatus: 'completed', fulfilled: { block: 50, txHash: '0xf50' } });
  });
  it('V4 overwrite: the last queued fact wins and earlier closes do not leak', () => {
    const p = projectRequest([q(10, 0, '0xa'), c(11), q(20, 1, '0xb')]);
    expect(p).toMatchObject({ operator: '0xb', onchainStatus: 'requested', overwrote: 1, queuedAtBlock: 20 });
  });
  it('same block: log index orders facts', () => {
    expect(projectRequest([q(10, 3, '0xb'), q(10, 1, '0xa')])).toMatchObject({ operator: '0xb', overwrote: 1 });
  });
  it('reverting the cancel (reorg) reopens the request', () => {
    const facts = [q(10, 0), c(12)];
    expect(projectRequest(facts.filter((x) => x.blockNumber <= 11))?.onchainStatus).toBe('requested');
  });
});
