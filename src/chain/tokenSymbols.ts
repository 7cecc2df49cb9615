/**
 * Token symbols of EigenLayer strategies, for people: `strategy.underlyingToken()` then the
 * token's ERC-20 `symbol()` (string, or bytes32 for old tokens). Unreadable strategies (no code,
 * a revert, a non-ERC-20 token) are remembered as such; an RPC failure is retried later.
 */
import { BaseError, ContractFunctionRevertedError, getAddress, hexToString, parseAbi, type Address, type PublicClient } from 'viem';
import { createLru } from '../lib/lru';
import { untrustedLine } from '../lib/untrustedText';
import { mapLimit } from '../lib/mapLimit';

export interface StrategyToken {
  strategy: Address;
  /** null when the strategy has no readable underlying token */
  token: Address | null;
  symbol: string | null;
  /** true when the node could not be asked (retried after a minute); absent or false: an answer */
  failed?: boolean;
}

const strategyAbi = parseAbi(['function underlyingToken() view returns (address)']);
const erc20Abi = parseAbi(['function symbol() view returns (string)']);
const erc20Bytes32Abi = parseAbi(['function symbol() view returns (bytes32)']);

/** EigenLayer's virtual strategy for natively restaked ETH: no contract behind it. */
export const BEACON_CHAIN_ETH = getAddress('0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0');
const RETRY_AFTER_MS = 60_000;
/**
 * Strategies remembered at once: bounded, as the strategies come from the chain (whoever queues a
 * slash names them); a real AVS has tens, which stay in it.
 */
export const MAX_CACHED_STRATEGIES = 1_024;
/** a symbol is chosen by the token's deployer: shown as plain text, one short line */
const MAX_SYMBOL_CHARS = 32;

function cleanSymbol(symbol: string | null): string | null {
  return symbol === null ? null : untrustedLine(symbol, MAX_SYMBOL_CHARS) || null;
}

/** A revert or undecodable return is an answer ("not readable"); anything else is a failure to ask. */
export function isAnswer(e: unknown): boolean {
  if (!(e instanceof BaseError)) return false;
  return e.walk((c) => c instanceof ContractFunctionRevertedError || (c as { name?: string }).name === 'ContractFunctionZeroDataError' || (c as { name?: string }).name === 'AbiDecodingZeroDataError' || (c as { name?: string }).name === 'AbiDecodingDataSizeTooSmallError') !== null;
}

async function readSymbol(client: PublicClient, token: Address): Promise<string | null> {
  try {
    return await client.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' });
  } catch (e) {
    if (!isAnswer(e)) throw e;
  }
  try {
    const raw = await client.readContract({ address: token, abi: erc20Bytes32Abi, functionName: 'symbol' });
    return hexToString(raw, { size: 32 }).replace(/\0+$/, '') || null;
  } catch (e) {
    if (!isAnswer(e)) throw e;
    return null;
  }
}

/**
 * @example
 * const tokens = createTokenSymbolReader(client);
 * await tokens.read(['0x…']); // [{ strategy, token, symbol: 'stETH' }]
 */
export function createTokenSymbolReader(client: PublicClient, o: { nowMs?: () => number; maxCached?: number } = {}) {
  const nowMs = o.nowMs ?? (() => Date.now());
  const known = createLru<Address, StrategyToken>(o.maxCached ?? MAX_CACHED_STRATEGIES);
  const failedAt = createLru<Address, number>(o.maxCached ?? MAX_CACHED_STRATEGIES);

  async function readOne(strategy: Address): Promise<StrategyToken> {
    const hit = known.get(strategy);
    if (hit) return hit;
    if (strategy === BEACON_CHAIN_ETH) return { strategy, token: null, symbol: 'beaconETH' };
    const failed = failedAt.get(strategy);
    if (failed !== undefined && nowMs() - failed < RETRY_AFTER_MS) return { strategy, token: null, symbol: null, failed: true };
    try {
      let token: Address | null = null;
      try {
        token = getAddress(await client.readContract({ address: strategy, abi: strategyAbi, functionName: 'underlyingToken' }));
      } catch (e) {
        if (!isAnswer(e)) throw e;
      }
      const result = { strategy, token, symbol: token ? cleanSymbol(await readSymbol(client, token)) : null };
      known.set(strategy, result);
      return result;
    } catch {
      failedAt.set(strategy, nowMs());
      return { strategy, token: null, symbol: null, failed: true };
    }
  }

  return {
    read: (strategies: readonly Address[]) => mapLimit(strategies.map((s) => getAddress(s)), 8, readOne),
    /** entries held (answers and recent failures), for tests */
    cached: () => known.size + failedAt.size,
  };
}

export type TokenSymbolReader = ReturnType<typeof createTokenSymbolReader>;
