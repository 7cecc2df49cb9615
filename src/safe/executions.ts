/**
 * What the chain says about a proposal's execution: whether a mined execTransaction of ours ran
 * the Safe transaction, and who else executed proposals whose nonce the Safe has used.
 */
import { getAddress, parseAbiItem, parseEventLogs, toEventSelector, TransactionReceiptNotFoundError, type Hex } from 'viem';
import { fetchLogRanges } from '../chain/logs';
import { DEFAULT_MAX_LOG_RANGE, DEFAULT_REORG_DEPTH } from '../config';
import type { SentTxRow } from '../store/sentTxStore';
import type { VetoProposalRow } from '../store/vetoStore';
import type { DeskContext } from './deskContext';
import { requestIdsOf } from './proposalKinds';
import { safeAbi } from './safeTx';
import type { RequestSnapshot } from './types';

const EXECUTION_SUCCESS = toEventSelector(parseAbiItem('event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)'));
/** How far back an execution by someone else is looked for when a proposal's request carries no queue block. */
const LOOKBACK_BLOCKS = 50_000;

/** The Safe logged ExecutionSuccess for this proposal's safeTxHash in the receipt of the transaction `hash`. */
async function executedIn(ctx: DeskContext, hash: Hex, p: VetoProposalRow): Promise<boolean> {
  const receipt = await ctx.o.client.getTransactionReceipt({ hash });
  const logs = parseEventLogs({ abi: safeAbi, logs: receipt.logs }).filter((l) => getAddress(l.address) === ctx.safe);
  return logs.some((l) => l.eventName === 'ExecutionSuccess' && l.args.txHash.toLowerCase() === p.safeTxHash.toLowerCase());
}

/** A mined execTransaction did what it should: the Safe logged ExecutionSuccess for this safeTxHash. */
export function executionSucceeded(ctx: DeskContext, tx: SentTxRow, p: VetoProposalRow): Promise<boolean> {
  return executedIn(ctx, tx.txHash as Hex, p);
}

/** Executions of these proposals by anyone (a member's wallet, Safe{Wallet}, another desk), by safeTxHash. */
export async function findExecutions(ctx: DeskContext, ps: VetoProposalRow[], byId: Map<string, RequestSnapshot>): Promise<Map<string, { txHash: Hex; blockNumber: number }>> {
  const latest = Number(await ctx.o.client.getBlockNumber({ cacheTime: 0 }));
  // a proposal executes after its request was queued, and after the block at which the previous
  // pass read the Safe with its nonce still unused (a rejection has no request: without that
  // read, e.g. the first pass after a start, it is looked for over LOOKBACK_BLOCKS; under a
  // provider's 10-block cap that walk alone was 5,000 calls, and it held up the pass)
  const prev = ctx.last.state;
  const reorgDepth = ctx.o.reorgDepth ?? DEFAULT_REORG_DEPTH;
  const starts = ps.map((p) => {
    const queued = byId.get(requestIdsOf(p)[0] ?? '')?.queuedAtBlock;
    const unusedAt = prev && p.nonce >= prev.nonce ? Math.max(0, prev.readAtBlock - reorgDepth) : undefined;
    return queued === undefined ? unusedAt : unusedAt === undefined ? queued : Math.max(queued, unusedAt);
  });
  const fromBlock = starts.every((b) => b !== undefined) ? Math.min(...(starts as number[])) : Math.max(0, latest - LOOKBACK_BLOCKS);
  // in ranges the provider accepts (one refused range would fail the pass, and every veto's
  // execution with it), newest first: an execution by someone else is most often recent, and the
  // walk stops once every proposal is found (under a provider's small cap a whole walk is many calls)
  const maxRange = ctx.o.maxLogRange ?? DEFAULT_MAX_LOG_RANGE;
  const out = new Map<string, { txHash: Hex; blockNumber: number }>();
  for (let to = latest; to >= fromBlock && out.size < ps.length; to -= maxRange) {
    const from = Math.max(fromBlock, to - maxRange + 1);
    const ranges = fetchLogRanges({ client: ctx.o.client, address: ctx.safe, topic0: [EXECUTION_SUCCESS], topic1: ps.map((p) => p.safeTxHash as Hex), fromBlock: from, toBlock: to, initialRange: maxRange, maxRange });
    for await (const range of ranges) {
      for (const l of range.logs) {
        const safeTxHash = l.topics[1]?.toLowerCase();
        if (l.removed || !safeTxHash) continue;
        out.set(safeTxHash, { txHash: l.transactionHash, blockNumber: Number(l.blockNumber) });
      }
    }
  }
  return out;
}

/**
 * The node may show a reorg the ingest has not read yet: whether a request's recent decision (its
 * cancel or fulfil) is missing from the chain the node serves, or ran there without success (the
 * same call after another transaction took its Safe nonce). One below the reorg window is final
 * (a node may no longer index its transaction); a node that cannot answer counts as missing, so
 * nothing is set aside on a guess.
 */
export async function decisionGone(ctx: DeskContext, done: { txHash: string | null; block: number | null }, head: number): Promise<boolean> {
  const recent = done.block === null || head - done.block <= (ctx.o.reorgDepth ?? DEFAULT_REORG_DEPTH);
  if (!recent || !done.txHash) return false;
  const receipt = await ctx.o.client.getTransactionReceipt({ hash: done.txHash as Hex }).catch(() => null);
  return receipt === null || receipt.status !== 'success';
}

/**
 * An execution within the reorg window that the chain no longer has: it ran without executing
 * this proposal (a reorg put another transaction at the Safe's nonce first, and the same call
 * then reverted), or it is gone — its receipt unknown and the block the desk saw it in now holds
 * other transactions (a node behind, or one that has not indexed the receipt yet, cannot say
 * that: a node that cannot say changes nothing).
 */
export async function executionRemoved(ctx: DeskContext, p: VetoProposalRow, head: number): Promise<boolean> {
  if (!p.executionTxHash || p.executionBlock === null || head - p.executionBlock > (ctx.o.reorgDepth ?? DEFAULT_REORG_DEPTH)) return false;
  const hash = p.executionTxHash.toLowerCase() as Hex;
  try {
    return !(await executedIn(ctx, hash, p));
  } catch (e) {
    if (!(e instanceof TransactionReceiptNotFoundError)) return false;
    const block = await ctx.o.client.getBlock({ blockNumber: BigInt(p.executionBlock) }).catch(() => null);
    return block !== null && !block.transactions.some((t) => t.toLowerCase() === hash);
  }
}

/**
 * An execution failed on chain: stored, and set on the row this pass raises its alert from (the
 * alert would otherwise say the reason the row had before, such as "on its way to the chain").
 */
export async function executionFailed(ctx: DeskContext, p: VetoProposalRow, reason: string, executionTxHash: string): Promise<boolean> {
  // written only on the row as read: another desk may have seen it executed since
  if (!(await ctx.o.store.setStatus(p.id, 'failed', { statusReason: reason, executionTxHash }, p.status))) return false;
  Object.assign(p, { status: 'failed', statusReason: reason, executionTxHash, updatedAt: new Date() });
  return true;
}

/** distinct heads at which a ready proposal's execution reverted in simulation before it fails… */
export const MAX_SIMULATED_REVERTS = 3;
/** …within this many blocks (older reverts, before a hold say, no longer count) */
const SIMULATED_REVERTS_WITHIN_BLOCKS = 10;

/**
 * A ready proposal whose execution would revert: one simulation may be the node's (a node behind
 * the chain, a member's execution of the same nonce still pending), so it stays ready and is
 * simulated again at later heads; it fails (an alert, while its window may still run) once it
 * reverted at MAX_SIMULATED_REVERTS heads within SIMULATED_REVERTS_WITHIN_BLOCKS. True when it failed.
 */
export async function simulationReverted(ctx: DeskContext, p: VetoProposalRow, head: number, reason: string): Promise<boolean> {
  const heads = ctx.simulationReverts.get(p.id) ?? new Set<number>();
  for (const h of heads) if (h <= head - SIMULATED_REVERTS_WITHIN_BLOCKS) heads.delete(h);
  ctx.simulationReverts.set(p.id, heads.add(head));
  if (heads.size < MAX_SIMULATED_REVERTS) {
    await ctx.o.store.setStatus(p.id, 'ready', { statusReason: `would revert (simulated at block ${head}, ${heads.size} of ${MAX_SIMULATED_REVERTS}): ${reason}; simulated again at the next block` }, 'ready');
    return false;
  }
  ctx.simulationReverts.delete(p.id);
  return ctx.o.store.setStatus(p.id, 'failed', { statusReason: `would revert: ${reason} (simulated at ${heads.size} blocks up to ${head})` }, 'ready');
}
