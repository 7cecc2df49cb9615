/** The committee Safe as the chain says now: owners, threshold, nonce, and which owners are contracts. */
import { getAddress, parseAbi, toEventSelector, type Address, type Hex, type PublicClient } from 'viem';
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
 * The Safe events after which its owners, threshold or nonce may differ: owner and threshold
 * changes, every execution (the nonce; a delegatecall may rewrite any slot), module executions
 * (which change owners without a nonce), a new singleton or a setup. Topic0 does not depend on
 * which arguments a Safe version indexes.
 */
export const SAFE_STATE_TOPICS: Hex[] = parseAbi([
  'event AddedOwner(address owner)',
  'event RemovedOwner(address owner)',
  'event ChangedThreshold(uint256 threshold)',
  'event ExecutionSuccess(bytes32 txHash, uint256 payment)',
  'event ExecutionFailure(bytes32 txHash, uint256 payment)',
  'event ExecutionFromModuleSuccess(address module)',
  'event ExecutionFromModuleFailure(address module)',
  'event ChangedMasterCopy(address singleton)',
  'event SafeSetup(address initiator, address[] owners, uint256 threshold, address initializer, address fallbackHandler)',
]).map((e) => toEventSelector(e));

/**
 * @param knownCode owners' code checks already made (true: has code), reused and filled in
 * @throws DeskError `SAFE_READ_FAILED` (retryable) when the Safe cannot be read, e.g. it is not a Safe.
 */
export async function readSafeState(client: PublicClient, safe: Address, knownCode?: Map<Address, boolean>): Promise<SafeState> {
  try {
    const block = await client.getBlockNumber({ cacheTime: 0 });
    const at = { address: safe, abi: safeAbi, blockNumber: block } as const;
    const [owners, threshold, nonce] = await Promise.all([
      client.readContract({ ...at, functionName: 'getOwners' }),
      client.readContract({ ...at, functionName: 'getThreshold' }),
      client.readContract({ ...at, functionName: 'nonce' }),
    ]);
    const hasCode = await Promise.all(
      owners.map(async (o) => {
        const known = knownCode?.get(getAddress(o));
        if (known !== undefined) return known;
        const code = await client.getCode({ address: o, blockNumber: block });
        const has = (code ?? '0x') !== '0x';
        knownCode?.set(getAddress(o), has);
        return has;
      }),
    );
    return {
      safe: getAddress(safe),
      owners: owners.map((o) => getAddress(o)),
      threshold: Number(threshold),
      nonce: Number(nonce),
      contractOwners: owners.filter((_, i) => hasCode[i]).map((o) => getAddress(o)),
      readAtBlock: Number(block),
    };
  } catch (e) {
    throw new DeskError('SAFE_READ_FAILED', `cannot read the committee Safe ${safe} (getOwners/getThreshold/nonce): is it a Safe?`, { cause: e, retryable: true });
  }
}

/** Blocks after which a kept state is read again even though no event said it changed. */
export const SAFE_STATE_REFRESH_BLOCKS = 300;

/**
 * The Safe's state read once and kept until something says it may have changed: one of its
 * SAFE_STATE_TOPICS logs in an ingested block (this desk's, or another's on the same database:
 * the checkpoint counts them), a backfill or reorg, a signature accepted, an
 * execution sent or seen by the desk (`invalidate`), or SAFE_STATE_REFRESH_BLOCKS blocks (a
 * safety net, which also notices an owner that gained code). An idle desk then reads nothing.
 */
export function createSafeStateCache(client: PublicClient, safe: Address, refreshBlocks = SAFE_STATE_REFRESH_BLOCKS) {
  let kept: { state: SafeState; generation: number } | null = null;
  let generation = 0;
  let codes = new Map<Address, boolean>();
  /** the kept state when still good at `head` (the indexed head; null: unknown), else a fresh read */
  async function read(head: number | null): Promise<SafeState> {
    const stale = kept !== null && head !== null && head - kept.state.readAtBlock >= refreshBlocks;
    if (kept && kept.generation === generation && !stale) return kept.state;
    if (stale) codes = new Map();
    const at = generation;
    const state = await readSafeState(client, safe, codes);
    // a change announced while this read was on its way may not be in it: keep it for this pass only
    if (at === generation) kept = { state, generation };
    return state;
  }
  return {
    read,
    /** a fresh read, always (and kept) */
    fresh(): Promise<SafeState> {
      generation++;
      return read(null);
    },
    invalidate(): void {
      generation++;
    },
  };
}

export type SafeStateCache = ReturnType<typeof createSafeStateCache>;
