import { getAddress, type Address } from 'viem';
import type { StrategyToken } from '../chain/tokenSymbols';
import { createKnownStrategiesReader } from './knownStrategies';
import type { RequestView } from './views';

const A = getAddress('0x5fc8d32690cc91d4c39d9d3abcbd16989f875707');
const B = getAddress('0xa513e6e4b8f2a923d98304ec87f64353c4d5c853');
const C = getAddress('0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9');
const view = (strategies: Address[] | null) => ({ strategies }) as RequestView;

describe('createKnownStrategiesReader', () => {
  function setUp(views: RequestView[]) {
    const asked: Address[][] = [];
    const tokens = { read: async (list: readonly Address[]): Promise<StrategyToken[]> => (asked.push([...list]), list.map((s) => ({ strategy: getAddress(s), token: s, symbol: `T${s.slice(2, 4)}` }))) };
    return { asked, reader: createKnownStrategiesReader(tokens, async () => views) };
  }

  it('reads only the strategies a stored request names, in any letter case, and answers the others unknown in the order asked', async () => {
    const { asked, reader } = setUp([view([A]), view(null), view([B, A])]);
    const out = await reader.read([C, A.toLowerCase() as Address, B]);
    expect(asked).toEqual([[A.toLowerCase(), B]]);
    expect(out).toEqual([
      { strategy: C, token: null, symbol: null },
      { strategy: A, token: A.toLowerCase(), symbol: 'T5f' },
      { strategy: B, token: B, symbol: 'Ta5' },
    ]);
  });

  it('reads nothing from the chain when no stored request names any of them', async () => {
    const { asked, reader } = setUp([view([A])]);
    expect(await reader.read([B, C])).toEqual([
      { strategy: B, token: null, symbol: null },
      { strategy: C, token: null, symbol: null },
    ]);
    expect(asked).toEqual([]);
  });
});
