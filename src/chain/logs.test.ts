import { allowedRangeOf, isRangeError } from './logs';

describe('allowedRangeOf', () => {
  it('reads the range a provider names in its refusal', () => {
    const alchemy = new Error('Log response size exceeded. You can make eth_getLogs requests with up to a 2000 block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response.');
    const infura = new Error('query returned more than 10000 results. Try with this block range [0x10, 0x1f].');
    expect(isRangeError(alchemy) && isRangeError(infura)).toBe(true);
    expect(allowedRangeOf(alchemy)).toBe(2000);
    expect(allowedRangeOf(infura)).toBe(16);
    expect(allowedRangeOf(new Error('block range is too wide'))).toBeNull();
  });

  it('reads the texts Alchemy sends today: a stated cap before the range it suggests, "2K" as 2000', () => {
    const freeTier = new Error('You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x2710, 0x2903]');
    const responseSize = new Error(
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0xc5dc00, 0xc614a7]',
    );
    expect(isRangeError(freeTier) && isRangeError(responseSize)).toBe(true);
    expect(allowedRangeOf(freeTier)).toBe(500);
    expect(allowedRangeOf(responseSize)).toBe(2000);
    expect(allowedRangeOf(new Error('Based on your parameters, this block range should work: [0x10, 0x4f]'))).toBe(64);
    expect(allowedRangeOf(new Error('block range is limited to 1,000 blocks'))).toBe(1000);
    expect(allowedRangeOf(new Error('block range cannot exceed 0x7d0'))).toBeNull();
  });
});

describe('isRangeError', () => {
  it('does not take a node behind the head for a range refusal (the same call answers a moment later)', () => {
    expect(isRangeError(new Error('block range extends beyond current head block'))).toBe(false);
    expect(isRangeError(new Error('invalid block range params: requested block is after last accepted block'))).toBe(false);
    expect(isRangeError(new Error('query returned more than 10000 results'))).toBe(true);
    expect(isRangeError(new Error('eth_getLogs is limited to a 10,000 block range'))).toBe(true);
  });
});
