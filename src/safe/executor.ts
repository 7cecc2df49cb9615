/**
 * Executes a Safe proposal whose threshold is met: simulates the inner call as the Safe makes it
 * (so the slasher's own revert reason is what people read), estimates `execTransaction`, and
 * hands it to the account's sender, which records it before broadcast and sees it to the chain.
 */
import { concatHex, encodeFunctionData, getAddress, pad, toHex, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { describeRevert, isRevert } from '../chain/revert';
import type { Sender, SentTxRow } from '../sender/sender';
import type { VetoProposalRow } from '../store/vetoStore';
import { proposalOperation } from './proposalKinds';
import { safeAbi } from './safeTx';

/** storage slot of `nonce` in Safe 1.3.0 and 1.4.1 (singleton, modules, owners, ownerCount, threshold, nonce) */
const SAFE_NONCE_SLOT = pad(toHex(5));

export interface SignedBy {
  signer: Address;
  signature: Hex;
}

/** The Safe wants signatures concatenated in ascending signer order. */
export function packSignatures(sigs: readonly SignedBy[]): Hex {
  const sorted = [...sigs].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1));
  return concatHex(sorted.map((s) => s.signature));
}

/** `execTransaction(…, signatures)` of a stored proposal. */
export function execTransactionData(p: Pick<VetoProposalRow, 'requestId' | 'to' | 'data'>, signatures: readonly SignedBy[]): Hex {
  return encodeFunctionData({
    abi: safeAbi,
    functionName: 'execTransaction',
    args: [getAddress(p.to), 0n, p.data as Hex, proposalOperation(p), 0n, 0n, 0n, zeroAddress, zeroAddress, packSignatures(signatures)],
  });
}

export type ExecutionOutcome =
  | { kind: 'sent'; row: SentTxRow }
  /** the simulation reverted: nothing was sent */
  | { kind: 'failed'; reason: string }
  /** behind an execution still in the mempool that the node's pending state does not show yet: nothing sent */
  | { kind: 'deferred'; reason: string };

export interface ExecuteOptions {
  /** an execution at the previous Safe nonce is still in flight: a revert here only defers */
  behindPending?: boolean;
  /** what the transaction is recorded as, and its deadline */
  purpose: 'safe_veto' | 'safe_rejection' | 'safe_batch' | 'safe_fulfil';
  slasher: string;
  deadlineBlock: number | null;
}

export function createExecutor(o: { client: PublicClient; sender: Sender }) {
  const { client, sender } = o;
  return {
    address: sender.address,
    /** what the chain did with an execution this desk sent */
    settle: (row: SentTxRow) => sender.settle(row),
    async execute(p: VetoProposalRow, signatures: readonly SignedBy[], opts: ExecuteOptions): Promise<ExecutionOutcome> {
      const safe = getAddress(p.safe);
      // simulated against the pending block, where the transaction lands (a fulfil sent at
      // windowEnd − 1 is valid there, not at latest); the Safe itself only says GS013
      try {
        // (a DELEGATECALL batch cannot be replayed as a plain call: estimateGas below covers it)
        if (proposalOperation(p) === 0) await client.call({ account: safe, to: getAddress(p.to), data: p.data as Hex, blockTag: 'pending' });
      } catch (e) {
        if (!isRevert(e)) throw e; // RPC trouble: the next pass tries again
        return opts.behindPending ? { kind: 'deferred', reason: describeRevert(e) } : { kind: 'failed', reason: describeRevert(e) };
      }
      const data = execTransactionData(p, signatures);
      let gas: bigint;
      try {
        // behind our own execution at the nonce below, which the node's pending state may not hold
        // yet: estimated as if it had run (the Safe's nonce slot set to this proposal's), so
        // vetoes that reach their threshold together go out back to back in one block
        const stateOverride = opts.behindPending ? [{ address: safe, stateDiff: [{ slot: SAFE_NONCE_SLOT, value: pad(toHex(p.nonce)) }] }] : undefined;
        gas = await client.estimateGas({ account: sender.address, to: safe, data, blockTag: 'pending', ...(stateOverride ? { stateOverride } : {}) });
      } catch (e) {
        if (!isRevert(e)) throw e;
        // a node whose pending state does not hold our previous execution sees the old Safe nonce
        return opts.behindPending ? { kind: 'deferred', reason: describeRevert(e) } : { kind: 'failed', reason: describeRevert(e) };
      }
      const out = await sender.send({
        purpose: opts.purpose,
        slasher: opts.slasher,
        requestId: p.requestId,
        requestTxHash: p.requestTxHash,
        proposalId: p.id,
        to: safe,
        data,
        deadlineBlock: opts.deadlineBlock,
        gas: (gas * 12n) / 10n + 10_000n,
      });
      return out.kind === 'sent' ? { kind: 'sent', row: out.row } : out.kind === 'withheld' ? { kind: 'deferred', reason: out.reason } : { kind: 'failed', reason: out.reason };
    },
  };
}

export type Executor = ReturnType<typeof createExecutor>;
