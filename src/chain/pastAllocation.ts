/**
 * Reads of the AllocationManager at a past block. A node that is not an archive keeps only recent
 * states; its refusal is "unknown", never a value, and any other failure is the caller's to retry.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import type { AllocationFact } from '../domain/types';
import { allocationManagerAbi } from './abis';

/**
 * A node's answers that it does not hold a past block's state (geth, erigon, reth, nethermind,
 * hosted providers' wording) or that the contract was not there then: nothing a retry changes.
 * "header not found" is not one: a node behind the others says it of a recent block.
 */
const PAST_STATE_UNAVAILABLE = /missing trie node|(historical|required|archive)[^.]{0,40}state|state[^.]{0,40}(not available|unavailable|pruned|not found)|pruned|old data not available|execution reverted|returned no data/i;

/** the text of an error and every cause under it (viem wraps the node's message) */
function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x && depth < 8; x = (x as { cause?: unknown }).cause, depth++) {
    const err = x as { message?: unknown; details?: unknown; shortMessage?: unknown };
    parts.push(String(err.message ?? ''), String(err.details ?? ''), String(err.shortMessage ?? ''));
  }
  return parts.join(' ');
}

/** whether a failed read at a past block says the node does not hold that state (not that it failed for now) */
export function pastStateUnavailable(e: unknown): boolean {
  return PAST_STATE_UNAVAILABLE.test(errorText(e));
}

/**
 * One strategy's allocation as it stood at a past block, or null when the node no longer holds
 * that block's state (a node that is not an archive keeps only recent ones): unknown, never zero.
 * Any other failure (a timeout, a refusal) is thrown: the pass fails and is retried, where taking
 * it for unknown would let a lapse go for good.
 */
export async function allocationAt(i: { client: PublicClient; allocationManager: Address; avs: Address; operator: Address; operatorSetId: number; strategy: Address; blockNumber: number }): Promise<AllocationFact | null> {
  try {
    const a = await i.client.readContract({ address: i.allocationManager, abi: allocationManagerAbi, functionName: 'getAllocation', args: [i.operator, { avs: i.avs, id: i.operatorSetId }, i.strategy], blockNumber: BigInt(i.blockNumber) });
    return { strategy: getAddress(i.strategy), currentMagnitude: a.currentMagnitude, pendingDiff: a.pendingDiff, effectBlock: Number(a.effectBlock) };
  } catch (e) {
    if (pastStateUnavailable(e)) return null;
    throw e;
  }
}
