/**
 * Token symbols of the strategies the stored requests name. The route that serves them is
 * anonymous: any other address is answered "unknown" without reading the chain, as 50 new
 * addresses per call would each cost up to three `eth_call`s and push the real strategies out of
 * the reader's cache.
 */
import { getAddress, type Address } from 'viem';
import type { StrategyToken } from '../chain/tokenSymbols';
import type { RequestView } from './views';

export function createKnownStrategiesReader(tokens: { read(strategies: readonly Address[]): Promise<StrategyToken[]> }, requests: () => Promise<readonly RequestView[]>) {
  // made once per set of views (the read model hands out the same array while nothing changes)
  const named = new WeakMap<readonly RequestView[], ReadonlySet<string>>();
  return {
    async read(strategies: readonly Address[]): Promise<StrategyToken[]> {
      const views = await requests();
      let known = named.get(views);
      if (!known) named.set(views, (known = new Set(views.flatMap((v) => v.strategies ?? []).map((s) => s.toLowerCase()))));
      const asked = strategies.filter((s) => known.has(s.toLowerCase()));
      const answers = new Map((asked.length > 0 ? await tokens.read(asked) : []).map((t) => [t.strategy.toLowerCase(), t]));
      return strategies.map((s) => answers.get(s.toLowerCase()) ?? { strategy: getAddress(s), token: null, symbol: null });
    },
  };
}
