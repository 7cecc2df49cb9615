/**
 * Reads what open requests' slashes would take (DOMAIN.md §2), all at one block:
 *  - per operator set, one `getAllocatedStake` over every operator and strategy of the requests
 *    being read (slashable shares now);
 *  - per set and window end, one `getMinimumSlashableStake` at that future block (counts pending
 *    deallocations that take effect before the window ends);
 *  - per set, `isRedistributingOperatorSet` + `getRedistributionRecipient`, remembered: the
 *    recipient is fixed when the set is created;
 *  - per strategy, its token (`underlyingToken`, `symbol`, `decimals`), remembered; and per
 *    request and strategy one `sharesToUnderlyingView` of the shares the slash takes.
 * The AllocationManager's calls go in one multicall, the conversions in a second (see
 * multicall.ts): two eth_calls for any number of requests, up to 250 calls each. A revert is an
 * answer (an older core, a strategy without the view); a failure to ask throws and the caller
 * tries again on a later pass.
 */
import { getAddress, parseAbi, type Address, type PublicClient } from 'viem';
import { computeImpact, type RedistributionFact, type StrategyImpact, type TokenFact } from '../domain/impact';
import { untrustedLine } from '../lib/untrustedText';
import { createLru } from '../lib/lru';
import { BEACON_CHAIN_ETH, isAnswer, type TokenSymbolReader } from './tokenSymbols';
import { DeskError } from '../errors';
import { createMulticallAt, type ViewCall } from './multicall';

export const impactAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  'function getAllocatedStake(OperatorSet operatorSet, address[] operators, address[] strategies) view returns (uint256[][])',
  'function getMinimumSlashableStake(OperatorSet operatorSet, address[] operators, address[] strategies, uint32 futureBlock) view returns (uint256[][])',
  'function isRedistributingOperatorSet(OperatorSet operatorSet) view returns (bool)',
  'function getRedistributionRecipient(OperatorSet operatorSet) view returns (address)',
  'function sharesToUnderlyingView(uint256 amountShares) view returns (uint256)',
  'function decimals() view returns (uint8)',
]);

export interface ImpactTarget {
  /** the caller's key for the request */
  key: string;
  operator: Address;
  operatorSetId: number;
  strategies: Address[];
  wadsToSlash: bigint[];
  /** the window end as a block; null when it has passed or cannot be placed (then only "now" is read) */
  windowEndBlock: number | null;
}

export interface StrategyImpactRead extends StrategyImpact {
  /** null when the strategy has no readable `sharesToUnderlyingView` or token */
  tokensToSlash: bigint | null;
}

export type ImpactRead =
  | { ok: true; readAtBlock: number; atWindowEnd: boolean; redistribution: RedistributionFact; strategies: StrategyImpactRead[] }
  /** the AllocationManager cannot say (no `getAllocatedStake`: an older core) */
  | { ok: false; readAtBlock: number; reason: string; redistribution: RedistributionFact };

export interface ImpactReaderOptions {
  client: PublicClient;
  allocationManager: Address;
  avs: Address;
  tokens: TokenSymbolReader;
}

const MAX_DECIMALS = 77;
/** natively restaked ETH: its shares are wei, one for one (the virtual strategy has no contract to ask) */
const BEACON_ETH_TOKEN: TokenFact = { address: BEACON_CHAIN_ETH, symbol: 'ETH', decimals: 18 };

/**
 * @example
 * const reader = createImpactReader({ client, allocationManager, avs, tokens: createTokenSymbolReader(client) });
 * const out = await reader.read(targets, 1_234); // Map key → ImpactRead
 */
export function createImpactReader(o: ImpactReaderOptions) {
  const am = { address: o.allocationManager, abi: impactAbi } as const;
  const redistributions = createLru<number, RedistributionFact>(1_024);
  const decimalsOf = createLru<Address, number | null>(1_024);
  const multicallAt = createMulticallAt();

  /** a revert answers null; a failure to ask throws */
  async function orNull<T>(p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      if (isAnswer(e)) return null;
      throw e;
    }
  }

  async function tokenFacts(strategies: Address[]): Promise<Map<Address, TokenFact | null>> {
    const named = await o.tokens.read(strategies);
    const out = new Map<Address, TokenFact | null>();
    await Promise.all(
      named.map(async (t) => {
        // figures saved without their token would stay so until the allocations change: ask again later instead
        if (t.failed) throw new DeskError('RPC_UNAVAILABLE', `could not read the token of strategy ${t.strategy}`, { retryable: true });
        if (t.strategy === BEACON_CHAIN_ETH) return out.set(t.strategy, BEACON_ETH_TOKEN);
        if (!t.token || !t.symbol) return out.set(t.strategy, null);
        let decimals = decimalsOf.get(t.token);
        if (decimals === undefined) {
          const d = await orNull(o.client.readContract({ address: t.token, abi: impactAbi, functionName: 'decimals' }));
          decimals = d === null || d > MAX_DECIMALS ? null : Number(d);
          decimalsOf.set(t.token, decimals);
        }
        out.set(t.strategy, decimals === null ? null : { address: t.token, symbol: untrustedLine(t.symbol, 32), decimals });
      }),
    );
    return out;
  }

  async function read(targets: ImpactTarget[], block: number): Promise<Map<string, ImpactRead>> {
    const blockNumber = BigInt(block);
    const out = new Map<string, ImpactRead>();
    const bySet = new Map<number, ImpactTarget[]>();
    for (const t of targets) bySet.set(t.operatorSetId, [...(bySet.get(t.operatorSetId) ?? []), t]);
    // the tokens (remembered after the first read) are asked for while the stake is
    const tokensRead = tokenFacts([...new Set(targets.flatMap((t) => t.strategies.map((s) => getAddress(s))))]);
    tokensRead.catch(() => undefined); // surfaced below

    // one multicall: per set the stake now, per set and window end the stake then, and where the funds go
    const calls: ViewCall[] = [];
    const call = (functionName: string, args: readonly unknown[]) => calls.push({ ...am, functionName, args }) - 1;
    const sets = [...bySet].map(([setId, group]) => {
      const operatorSet = { avs: o.avs, id: setId };
      const operators = [...new Set(group.map((t) => getAddress(t.operator)))];
      const strategies = [...new Set(group.flatMap((t) => t.strategies.map((s) => getAddress(s))))];
      const ends = [...new Set(group.flatMap((t) => (t.windowEndBlock === null ? [] : [t.windowEndBlock])))].map((end) => {
        const ops = [...new Set(group.filter((t) => t.windowEndBlock === end).map((t) => getAddress(t.operator)))];
        return { end, ops, at: call('getMinimumSlashableStake', [operatorSet, ops, strategies, end]) };
      });
      const cached = redistributions.get(setId);
      const redist = cached ? null : { redistributing: call('isRedistributingOperatorSet', [operatorSet]), recipient: call('getRedistributionRecipient', [operatorSet]) };
      return { setId, group, operators, strategies, ends, now: call('getAllocatedStake', [operatorSet, operators, strategies]), redist, cached };
    });
    const [answers, tokens] = await Promise.all([multicallAt(o.client, calls, blockNumber), tokensRead]);

    type Pending = { key: string; redistribution: RedistributionFact; atWindowEnd: boolean; strategies: (StrategyImpact & { convert: number | null })[] };
    const pending: Pending[] = [];
    const conversions: ViewCall[] = [];
    for (const set of sets) {
      let redistribution = set.cached;
      if (!redistribution) {
        const redistributing = answers[set.redist!.redistributing] as boolean | null;
        const recipient = answers[set.redist!.recipient] as Address | null;
        redistribution = redistributing === null || recipient === null ? { known: false } : { known: true, redistributing, recipient: getAddress(recipient) };
        redistributions.set(set.setId, redistribution);
      }
      const now = answers[set.now] as readonly (readonly bigint[])[] | null;
      if (now === null) {
        for (const t of set.group) out.set(t.key, { ok: false, readAtBlock: block, reason: 'the AllocationManager has no getAllocatedStake (older core): amounts unknown', redistribution });
        continue;
      }
      const cell = (m: readonly (readonly bigint[])[], ops: Address[], operator: Address, strategy: Address) => m[ops.indexOf(operator)]?.[set.strategies.indexOf(strategy)] ?? 0n;
      for (const t of set.group) {
        const operator = getAddress(t.operator);
        const end = set.ends.find((e) => e.end === t.windowEndBlock);
        const atEnd = end ? (answers[end.at] as readonly (readonly bigint[])[] | null) : null;
        const computed = computeImpact(
          t.strategies.map((s, i) => {
            const strategy = getAddress(s);
            return { strategy, wad: t.wadsToSlash[i] ?? 0n, slashableNow: cell(now, set.operators, operator, strategy), slashableAtWindowEnd: end && atEnd ? cell(atEnd, end.ops, operator, strategy) : null, token: tokens.get(strategy) ?? null };
          }),
        );
        pending.push({
          key: t.key,
          redistribution,
          atWindowEnd: computed.atWindowEnd,
          strategies: computed.strategies.map((s) => {
            const needsCall = s.token !== null && s.sharesToSlash > 0n && s.strategy !== BEACON_CHAIN_ETH;
            return { ...s, convert: needsCall ? conversions.push({ address: s.strategy as Address, abi: impactAbi, functionName: 'sharesToUnderlyingView', args: [s.sharesToSlash] }) - 1 : null };
          }),
        });
      }
    }

    // a second: each amount in its token
    const converted = conversions.length ? await multicallAt(o.client, conversions, blockNumber) : [];
    for (const p of pending) {
      const strategies = p.strategies.map(({ convert, ...s }): StrategyImpactRead => ({
        ...s,
        tokensToSlash: s.token === null ? null : convert === null ? s.sharesToSlash : ((converted[convert] as bigint | null) ?? null),
      }));
      out.set(p.key, { ok: true, readAtBlock: block, atWindowEnd: p.atWindowEnd, redistribution: p.redistribution, strategies });
    }
    return out;
  }

  return { read };
}

export type ImpactReader = ReturnType<typeof createImpactReader>;
