/**
 * Reads what the desk needs to know about a VetoableSlasher and detects its variant from the
 * contract itself (never from config): `vetoWindowBlocks()` → V3/V4 (V4 has no
 * `nextRequestId()`), `VETO_PERIOD()` → V1/V2. V1 and V2 answer the same getters; they differ
 * in the SlashingRequested layout (V1 indexes operatorSetId: 4 topics), so the V1/V2 family is
 * settled by the first SlashingRequested log (see `refineFamilyFromLog`).
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import { allocationManagerAbi, coordinatorAbi, slasherAbi } from './abis';
import { DeskError } from '../errors';
import type { Variant, VetoWindow } from '../domain/types';

export type VariantGuess = Variant | 'V1|V2';

export interface SlasherFacts {
  slasher: Address;
  variant: VariantGuess;
  window: VetoWindow;
  allocationManager: Address;
  vetoCommittee: Address;
  slasherRole: Address;
  avs: Address | null;
  deallocationDelay: number;
}

async function tryRead<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

export async function readSlasherFacts(client: PublicClient, slasher: Address, avsOverride?: Address | null): Promise<SlasherFacts> {
  const code = await client.getCode({ address: slasher });
  if (!code || code === '0x') {
    throw new DeskError('SLASHER_NOT_A_CONTRACT', `SLASHER_ADDRESS ${slasher} has no contract code on this chain`);
  }
  const c = { address: slasher, abi: slasherAbi } as const;
  const [windowBlocks, vetoPeriod, nextId, am, committee, role, coordinator] = await Promise.all([
    tryRead(client.readContract({ ...c, functionName: 'vetoWindowBlocks' })),
    tryRead(client.readContract({ ...c, functionName: 'VETO_PERIOD' })),
    tryRead(client.readContract({ ...c, functionName: 'nextRequestId' })),
    tryRead(client.readContract({ ...c, functionName: 'allocationManager' })),
    tryRead(client.readContract({ ...c, functionName: 'vetoCommittee' })),
    tryRead(client.readContract({ ...c, functionName: 'slasher' })),
    tryRead(client.readContract({ ...c, functionName: 'slashingRegistryCoordinator' })),
  ]);
  let variant: VariantGuess;
  let window: VetoWindow;
  if (windowBlocks !== undefined) {
    variant = nextId === undefined ? 'V4' : 'V3';
    window = { kind: 'blocks', blocks: Number(windowBlocks) };
  } else if (vetoPeriod !== undefined) {
    variant = 'V1|V2';
    window = { kind: 'seconds', seconds: Number(vetoPeriod) };
  } else {
    throw new DeskError('VARIANT_UNKNOWN', `${slasher} answers neither vetoWindowBlocks() nor VETO_PERIOD(): not a VetoableSlasher`);
  }
  if (!am || !committee || !role) {
    throw new DeskError('VARIANT_UNKNOWN', `${slasher} lacks allocationManager()/vetoCommittee()/slasher(): not a VetoableSlasher`);
  }
  let avs: Address | null = avsOverride ?? null;
  if (!avs && coordinator) {
    const a = await tryRead(client.readContract({ address: coordinator, abi: coordinatorAbi, functionName: 'avs' }));
    if (a) avs = getAddress(a);
  }
  const delay = await client.readContract({ address: am, abi: allocationManagerAbi, functionName: 'DEALLOCATION_DELAY' });
  return {
    slasher: getAddress(slasher),
    variant,
    window,
    allocationManager: getAddress(am),
    vetoCommittee: getAddress(committee),
    slasherRole: getAddress(role),
    avs,
    deallocationDelay: Number(delay),
  };
}

/** Settles V1 vs V2 from the topic count of a SlashingRequested log. */
export function refineFamilyFromLog(guess: VariantGuess, topicCount: number): VariantGuess {
  if (guess !== 'V1|V2') return guess;
  return topicCount === 4 ? 'V1' : 'V2';
}
