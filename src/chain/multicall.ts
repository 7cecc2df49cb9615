/**
 * Many view calls in one eth_call at one block (the latest without `blockNumber`): Multicall3 placed by a state override at an
 * address nothing uses (no size cap on the reply), else viem's deployless multicall in chunks
 * (its reply is returned as created code, so it stays under EIP-170's 24 KB). Same approach as
 * the strategies getter reads in enrich.ts, which call this too. A call that reverts comes back as `null` (an answer);
 * a node that cannot be asked throws.
 */
import path from 'node:path';
import type { Abi, PublicClient } from 'viem';

const OVERRIDE_MULTICALL = '0x00000000000000000000000000000000ca11ba5e' as const;
// viem ships Multicall3's creation code but does not export it; its runtime part follows the 32-byte constructor
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { multicall3Bytecode } = require(path.join(path.dirname(require.resolve('viem')), 'constants', 'contracts.js')) as { multicall3Bytecode: `0x${string}` };
const MULTICALL3_RUNTIME = `0x${multicall3Bytecode.slice(2 + 0x20 * 2)}` as `0x${string}`;
const OVERRIDE_CHUNK = 250;
const DEPLOYLESS_CHUNK = 24;

export interface ViewCall {
  address: `0x${string}`;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

type Result = { status: 'success'; result: unknown } | { status: 'failure'; error: unknown };

/**
 * @example
 * const [a, b] = await multicallAt(client, [{ address, abi, functionName: 'decimals', args: [] }, …], 1_234n);
 */
export function createMulticallAt() {
  let stateOverrideWorks: boolean | undefined;
  return async function multicallAt(client: PublicClient, calls: ViewCall[], blockNumber?: bigint): Promise<unknown[]> {
    const out: unknown[] = [];
    const take = (rs: Result[]) => out.push(...rs.map((r) => (r.status === 'success' ? r.result : null)));
    for (let k = 0; k < calls.length; k += OVERRIDE_CHUNK) {
      const chunk = calls.slice(k, k + OVERRIDE_CHUNK);
      if (stateOverrideWorks !== false) {
        try {
          take((await client.multicall({ contracts: chunk, allowFailure: true, multicallAddress: OVERRIDE_MULTICALL, stateOverride: [{ address: OVERRIDE_MULTICALL, code: MULTICALL3_RUNTIME }], batchSize: 0, blockNumber })) as Result[]);
          stateOverrideWorks = true;
          continue;
        } catch (e) {
          if (stateOverrideWorks === undefined) stateOverrideWorks = false;
          else throw e;
        }
      }
      for (let j = 0; j < chunk.length; j += DEPLOYLESS_CHUNK) {
        take((await client.multicall({ contracts: chunk.slice(j, j + DEPLOYLESS_CHUNK), allowFailure: true, deployless: true, batchSize: 0, blockNumber })) as Result[]);
      }
    }
    return out;
  };
}
