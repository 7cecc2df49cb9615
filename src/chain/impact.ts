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
 * The calls are issued together, so the client's JSON-RPC batching sends them in a few round
 * trips. A revert is an answer (an older core, a strategy without the view); a failure to ask
 * throws and the caller tries again on a later pass.
 */
import { getAddress, parseAbi, type Address, type PublicClient } from 'viem';
import { computeImpact, type RedistributionFact, type StrategyImpact, type TokenFact } from '../domain/impact';
import { untrustedLine } from '../lib/untrustedText';
import { createLru } from '../lib/lru';
import { isAnswer, type TokenSymbolReader } from './tokenSymbols';

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

/**
 * @example
 * const reader = createImpactReader({ client, allocationManager, avs, tokens: createTokenSymbolReader(client) });
 * const out = await reader.read(targets, 1_234); // Map key → ImpactRead
 */
export function createImpactReader(o: ImpactReaderOptions) {
  const am = { address: o.allocationManager, abi: impactAbi } as const;
  const redistributions = createLru<number, RedistributionFact>(1_024);
  const decimalsOf = createLru<Address, number | null>(1_024);

  /** a revert answers null; a failure to ask throws */
  async function orNull<T>(p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      if (isAnswer(e)) return null;
      throw e;
    }
  }

  async function redistribution(operatorSetId: number, blockNumber: bigint): Promise<RedistributionFact> {
    const hit = redistributions.get(operatorSetId);
    if (hit) return hit;
    const operatorSet = { avs: o.avs, id: operatorSetId };
    const [redistributing, recipient] = await Promise.all([
      orNull(o.client.readContract({ ...am, functionName: 'isRedistributingOperatorSet', args: [operatorSet], blockNumber })),
      orNull(o.client.readContract({ ...am, functionName: 'getRedistributionRecipient', args: [operatorSet], blockNumber })),
    ]);
    const fact: RedistributionFact = redistributing === null || recipient === null ? { known: false } : { known: true, redistributing, recipient: getAddress(recipient) };
    redistributions.set(operatorSetId, fact);
    return fact;
  }

  async function tokenFacts(strategies: Address[]): Promise<Map<Address, TokenFact | null>> {
    const named = await o.tokens.read(strategies);
    const out = new Map<Address, TokenFact | null>();
    await Promise.all(
      named.map(async (t) => {
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
    const allStrategies = [...new Set(targets.flatMap((t) => t.strategies.map((s) => getAddress(s))))];
    const tokensP = tokenFacts(allStrategies);

    await Promise.all(
      [...bySet].map(async ([setId, group]) => {
        const operatorSet = { avs: o.avs, id: setId };
        const operators = [...new Set(group.map((t) => getAddress(t.operator)))];
        const strategies = [...new Set(group.flatMap((t) => t.strategies.map((s) => getAddress(s))))];
        const ends = [...new Set(group.flatMap((t) => (t.windowEndBlock === null ? [] : [t.windowEndBlock])))];
        const [now, atEnds, redist] = await Promise.all([
          orNull(o.client.readContract({ ...am, functionName: 'getAllocatedStake', args: [operatorSet, operators, strategies], blockNumber })),
          Promise.all(
            ends.map(async (end) => {
              const ops = [...new Set(group.filter((t) => t.windowEndBlock === end).map((t) => getAddress(t.operator)))];
              const m = await orNull(o.client.readContract({ ...am, functionName: 'getMinimumSlashableStake', args: [operatorSet, ops, strategies, end], blockNumber }));
              return [end, ops, m] as const;
            }),
          ),
          redistribution(setId, blockNumber),
        ]);
        if (now === null) {
          for (const t of group) out.set(t.key, { ok: false, readAtBlock: block, reason: 'the AllocationManager has no getAllocatedStake (older core): amounts unknown', redistribution: redist });
          return;
        }
        const cell = (m: readonly (readonly bigint[])[], ops: Address[], operator: Address, strategy: Address) => m[ops.indexOf(operator)]?.[strategies.indexOf(strategy)] ?? 0n;
        const tokens = await tokensP;
        await Promise.all(
          group.map(async (t) => {
            const operator = getAddress(t.operator);
            const end = atEnds.find(([e]) => e === t.windowEndBlock);
            const computed = computeImpact(
              t.strategies.map((s, i) => {
                const strategy = getAddress(s);
                return {
                  strategy,
                  wad: t.wadsToSlash[i] ?? 0n,
                  slashableNow: cell(now, operators, operator, strategy),
                  slashableAtWindowEnd: end && end[2] !== null ? cell(end[2], [...end[1]], operator, strategy) : null,
                  token: tokens.get(strategy) ?? null,
                };
              }),
            );
            const strategiesOut = await Promise.all(
              computed.strategies.map(async (s): Promise<StrategyImpactRead> => {
                const tokensToSlash =
                  s.token === null ? null : s.sharesToSlash === 0n ? 0n : await orNull(o.client.readContract({ address: s.strategy as Address, abi: impactAbi, functionName: 'sharesToUnderlyingView', args: [s.sharesToSlash], blockNumber }));
                return { ...s, tokensToSlash };
              }),
            );
            out.set(t.key, { ok: true, readAtBlock: block, atWindowEnd: computed.atWindowEnd, redistribution: redist, strategies: strategiesOut });
          }),
        );
      }),
    );
    return out;
  }

  return { read };
}

export type ImpactReader = ReturnType<typeof createImpactReader>;
