import { BaseError, ContractFunctionExecutionError, HttpRequestError, RpcRequestError, TimeoutError } from 'viem';
import { pastStateUnavailable } from './pastAllocation';

/** a node's JSON-RPC error as viem wraps it for a contract read */
const wrapped = (message: string, code = -32000) =>
  new ContractFunctionExecutionError(new RpcRequestError({ body: {}, url: 'http://node', error: { code, message } }) as unknown as BaseError, { abi: [], functionName: 'getAllocation' });

describe('pastStateUnavailable', () => {
  it.each([
    'missing trie node 5f3a… (path ) state 0xabc is not available',
    'historical state 0x12 is not available',
    'required historical state unavailable (reexec stopped)',
    'state pruned',
    'old data not available due to pruning',
    'execution reverted',
  ])('is the node saying it holds no such state: %s', (message) => {
    expect(pastStateUnavailable(wrapped(message))).toBe(true);
  });

  it('is not a timeout, a rate limit or a connection failure: those fail the pass, which is retried', () => {
    expect(pastStateUnavailable(new TimeoutError({ body: {}, url: 'http://node' }))).toBe(false);
    expect(pastStateUnavailable(new HttpRequestError({ url: 'http://node', status: 429, details: 'Too Many Requests' }))).toBe(false);
    expect(pastStateUnavailable(wrapped('rate limit exceeded', 429))).toBe(false);
    expect(pastStateUnavailable(new Error('fetch failed'))).toBe(false);
    // a node behind the others says it of a recent block
    expect(pastStateUnavailable(wrapped('header not found'))).toBe(false);
  });
});
