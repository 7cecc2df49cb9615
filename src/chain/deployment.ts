/**
 * START_BLOCK's default: the block the slasher was deployed in, found by bisecting eth_getCode
 * over history. Nodes that serve no historical state make this impossible: then 0.
 */
import type { Address, PublicClient } from 'viem';

export async function findDeploymentBlock(client: PublicClient, address: Address, head: number): Promise<number> {
  const hasCode = async (n: number) => {
    const code = await client.getCode({ address, blockNumber: BigInt(n) });
    return !!code && code !== '0x';
  };
  try {
    if (!(await hasCode(head))) return 0;
    let lo = 0;
    let hi = head; // invariant: code at hi
    if (await hasCode(0)) return 0;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await hasCode(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  } catch {
    return 0;
  }
}
