/**
 * Sends `execTransaction` for a Safe proposal (a veto, or governance's fulfil) whose threshold is
 * met, exactly once: the signed raw
 * transaction and its hash are stored BEFORE broadcast; after a crash the same bytes are
 * rebroadcast (same hash, so never a second transaction) or the outcome is read back.
 */
import {
  concatHex,
  getAddress,
  keccak256,
  parseEventLogs,
  encodeFunctionData,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';
import type { VetoActionRow, VetoProposalRow, VetoStore } from '../store/vetoStore';
import { describeRevert, isRevert } from './revert';
import { safeAbi } from './safeTx';
import { proposalOperation } from './proposalKinds';
import { withAccountLock } from '../chain/accountLock';

export interface ExecutorOptions {
  client: PublicClient;
  store: VetoStore;
  chainId: number;
  privateKey: Hex;
  logger: Logger;
  receiptTimeoutMs?: number;
  /** test hook: runs after the action row is written and before broadcast (a crash here is the kill -9 case) */
  afterRecord?: (action: VetoActionRow) => Promise<void> | void;
}

export type ExecutionOutcome =
  | { kind: 'executed'; txHash: Hex; blockNumber: number }
  | { kind: 'failed'; reason: string; txHash?: Hex }
  | { kind: 'pending'; txHash: Hex }
  | { kind: 'dropped'; txHash: Hex }
  /** behind another execution still in the mempool: the pending state could not confirm this one yet, nothing was sent */
  | { kind: 'deferred'; reason: string };

export interface ExecuteOptions {
  /** false: return `pending` once broadcast instead of waiting for the receipt (the caller settles it with `resume`) */
  wait?: boolean;
  /**
   * an execution at the previous Safe nonce is still in the mempool: this one is simulated on top
   * of it (the pending state); a revert there defers it instead of failing it
   */
  behindPending?: boolean;
}

export interface SignedBy {
  signer: Address;
  signature: Hex;
}

/** The Safe wants signatures concatenated in ascending signer order. */
export function packSignatures(sigs: readonly SignedBy[]): Hex {
  const sorted = [...sigs].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1));
  return concatHex(sorted.map((s) => s.signature));
}

export function createExecutor(o: ExecutorOptions) {
  const account: PrivateKeyAccount = privateKeyToAccount(o.privateKey);
  const { client, store, logger } = o;

  function execData(p: VetoProposalRow, signatures: Hex): Hex {
    return encodeFunctionData({
      abi: safeAbi,
      functionName: 'execTransaction',
      args: [getAddress(p.to), 0n, p.data as Hex, proposalOperation(p), 0n, 0n, 0n, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', signatures],
    });
  }

  /** Reads what the chain did with a recorded action's transaction. */
  async function settle(action: VetoActionRow, p: VetoProposalRow): Promise<ExecutionOutcome> {
    const hash = action.txHash as Hex;
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
    if (receipt) {
      const logs = parseEventLogs({ abi: safeAbi, logs: receipt.logs }).filter((l) => getAddress(l.address) === getAddress(p.safe));
      const ok = logs.some((l) => l.eventName === 'ExecutionSuccess' && l.args.txHash.toLowerCase() === p.safeTxHash.toLowerCase());
      if (receipt.status === 'success' && ok) {
        await store.settleAction(action.id, 'mined', { blockNumber: Number(receipt.blockNumber) });
        return { kind: 'executed', txHash: hash, blockNumber: Number(receipt.blockNumber) };
      }
      const reason = receipt.status === 'success' ? 'ExecutionFailure: the Safe ran the transaction but the inner call failed' : 'the execTransaction transaction reverted';
      await store.settleAction(action.id, 'reverted', { blockNumber: Number(receipt.blockNumber), revertReason: reason });
      return { kind: 'failed', reason, txHash: hash };
    }
    const known = await client.getTransaction({ hash }).catch(() => null);
    if (known) return { kind: 'pending', txHash: hash };
    const used = await client.getTransactionCount({ address: account.address, blockTag: 'latest' });
    if (used > action.txNonce) {
      // our nonce was consumed by another transaction of this account: this one can never land
      await store.settleAction(action.id, 'dropped', { revertReason: `executor nonce ${action.txNonce} used by another transaction` });
      return { kind: 'dropped', txHash: hash };
    }
    // never broadcast (crash before send) or dropped from the mempool: the same bytes again
    await client.sendRawTransaction({ serializedTransaction: action.rawTx as Hex }).catch((e) => {
      logger.warn({ err: describeError(e), txHash: hash }, 'rebroadcast of a recorded execTransaction failed');
    });
    return { kind: 'pending', txHash: hash };
  }

  async function waitAndSettle(action: VetoActionRow, p: VetoProposalRow): Promise<ExecutionOutcome> {
    await client
      .waitForTransactionReceipt({ hash: action.txHash as Hex, timeout: o.receiptTimeoutMs ?? 60_000, pollingInterval: 250 })
      .catch(() => null);
    return settle(action, p);
  }

  return {
    address: account.address,

    /**
     * The outcome of the proposal's last recorded action still awaiting the chain, if any.
     * `wait: false` answers `pending` at once instead of waiting for the receipt.
     */
    async resume(p: VetoProposalRow, opts: { wait?: boolean } = {}): Promise<ExecutionOutcome | null> {
      const open = (await store.actions(p.id)).filter((a) => a.status === 'recorded');
      const last = open[open.length - 1];
      if (!last) return null;
      const outcome = await settle(last, p);
      return outcome.kind === 'pending' && opts.wait !== false ? waitAndSettle(last, p) : outcome;
    },

    /**
     * Simulates, records, broadcasts and waits for the receipt. A failed simulation records nothing
     * on chain and returns the decoded reason.
     */
    async execute(p: VetoProposalRow, signatures: readonly SignedBy[], opts: ExecuteOptions = {}): Promise<ExecutionOutcome> {
      // a recorded action still awaiting the chain (receipt wait timed out, restart while pending):
      // never sign a second transaction for it, settle the one already sent
      const open = (await store.actions(p.id)).filter((a) => a.status === 'recorded');
      if (open.length > 0) return settle(open[open.length - 1]!, p);
      const safe = getAddress(p.safe);
      // the inner call as the Safe makes it: its revert reason is what people need (the Safe
      // itself only says GS013 when safeTxGas and gasPrice are 0). Simulated against the pending
      // block, where the transaction lands: a fulfil sent at windowEnd − 1 is valid there, not at latest
      try {
        // (a DELEGATECALL batch cannot be replayed as a plain call: estimateGas below covers it)
        if (proposalOperation(p) === 0) await client.call({ account: safe, to: getAddress(p.to), data: p.data as Hex, blockTag: 'pending' });
      } catch (e) {
        if (!isRevert(e)) throw e; // RPC trouble: the next pass tries again
        if (opts.behindPending) return { kind: 'deferred', reason: describeRevert(e) };
        return { kind: 'failed', reason: describeRevert(e) };
      }
      const data = execData(p, packSignatures(signatures));
      let gas: bigint;
      try {
        gas = await client.estimateGas({ account: account.address, to: safe, data, blockTag: 'pending' });
      } catch (e) {
        if (!isRevert(e)) throw e;
        // a node whose pending state does not hold our previous execution sees the old Safe nonce
        if (opts.behindPending) return { kind: 'deferred', reason: describeRevert(e) };
        return { kind: 'failed', reason: describeRevert(e) };
      }
      // one sender per account at a time: the fulfil sender may hold the same key
      const action = await withAccountLock(account.address, async () => {
        const [fees, nonce] = await Promise.all([client.estimateFeesPerGas(), client.getTransactionCount({ address: account.address, blockTag: 'pending' })]);
        const rawTx = await account.signTransaction({
          chainId: o.chainId,
          type: 'eip1559',
          to: safe,
          data,
          gas: (gas * 12n) / 10n,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
          nonce,
        });
        const recorded = await store.recordAction({ proposalId: p.id, executor: account.address, txNonce: nonce, rawTx, txHash: keccak256(rawTx) });
        await o.afterRecord?.(recorded);
        logger.info({ requestId: p.requestId, safeTxHash: p.safeTxHash, txHash: recorded.txHash }, 'sending execTransaction');
        try {
          await client.sendRawTransaction({ serializedTransaction: rawTx });
        } catch (e) {
          logger.warn({ err: describeError(e), txHash: recorded.txHash }, 'execTransaction broadcast failed; will reconcile');
        }
        return recorded;
      });
      if (opts.wait === false) return { kind: 'pending', txHash: action.txHash as Hex };
      return waitAndSettle(action, p);
    },
  };
}

export type Executor = ReturnType<typeof createExecutor>;
