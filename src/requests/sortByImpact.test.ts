import { sortByImpact } from './queries';
import type { RequestView } from './views';

const TOKEN = { address: '0x00000000000000000000000000000000000000e1', symbol: 'stETH', decimals: 18 };
const OTHER = { address: '0x00000000000000000000000000000000000000e2', symbol: 'WETH', decimals: 18 };

/** the fields the order reads; the rest of a view plays no part in it */
function view(requestId: string, status: RequestView['status'], windowEndBlock: number, amounts: [typeof TOKEN, bigint][] | null): RequestView {
  return {
    requestId,
    status,
    vetoWindowEnd: { block: windowEndBlock, estimatedAt: '2026-12-05T00:00:00.000Z', estimated: false },
    impact: amounts === null ? null : { strategies: amounts.map(([token, n]) => ({ token, tokensToSlash: n.toString() })) },
  } as unknown as RequestView;
}

describe('sortByImpact', () => {
  it('one-token slashes first, grouped by token symbol, largest first; the rest open first, then by deadline (not by id)', () => {
    const views = [
      view('0', 'vetoed', 100, null),
      view('1', 'fulfilled', 110, null),
      view('2', 'in_veto_window', 300, [[TOKEN, 5n], [OTHER, 1n]]),
      view('3', 'in_veto_window', 200, null),
      view('4', 'vetoed', 120, [[TOKEN, 7n]]),
      view('5', 'in_veto_window', 250, [[TOKEN, 9n]]),
      view('6', 'fulfillable', 150, [[OTHER, 2n]]),
    ];
    expect(sortByImpact(views).map((v) => v.requestId)).toEqual(['6', '5', '4', '3', '2', '0', '1']);
  });
});
