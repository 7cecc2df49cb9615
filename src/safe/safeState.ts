/** The committee Safe as the chain says now: owners, threshold, nonce, and which owners are contracts. */
import { getAddress, type Address, type PublicClient } from 'viem';
import { DeskError } from '../errors';
import { safeAbi } from './safeTx';

export interface SafeState {
  safe: Address;
  owners: Address[];
  threshold: number;
  nonce: number;
  /** owners with code (EIP-1271 signers, e.g. nested Safes): not supported as signers yet */
  contractOwners: Address[];
  readAtBlock: number;
}

/**
 * @throws DeskError `SAFE_READ_FAILED` (retryable) when the Safe cannot be read, e.g. it is not a Safe.
 */
export async function readSafeState(client: PublicClient, safe: Address): Promise<SafeState> {
  try {
    const block = await client.getBlockNumber({ cacheTime: 0 });
    const at = { address: safe, abi: safeAbi, blockNumber: block } as const;
    const [owners, threshold, nonce] = await Promise.all([
      client.readContract({ ...at, functionName: 'getOwners' }),
      client.readContract({ ...at, functionName: 'getThreshold' }),
      client.readContract({ ...at, functionName: 'nonce' }),
    ]);
    const codes = await Promise.all(owners.map((o) => client.getCode({ address: o, blockNumber: block })));
    return {
      safe: getAddress(safe),
      owners: owners.map((o) => getAddress(o)),
      threshold: Number(threshold),
      nonce: Number(nonce),
      contractOwners: owners.filter((_, i) => (codes[i] ?? '0x') !== '0x').map((o) => getAddress(o)),
      readAtBlock: Number(block),
    };
  } catch (e) {
    throw new DeskError('SAFE_READ_FAILED', `cannot read the committee Safe ${safe} (getOwners/getThreshold/nonce): is it a Safe?`, { cause: e, retryable: true });
  }
}
