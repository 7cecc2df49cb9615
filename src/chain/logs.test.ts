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
});
