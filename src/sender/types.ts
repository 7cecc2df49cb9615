/** What a sender is asked to send, and what it answers. */
import type { Address, Hex, TransactionReceipt } from 'viem';
import type { SendPurpose, SentTxRow } from '../store/sentTxStore';

export interface SendIntent {
  purpose: SendPurpose;
  slasher: string;
  /** the request (or `rejection:<nonce>` / `batch:…` for those Safe proposals) */
  requestId: string;
  requestTxHash: string;
  proposalId?: number | null;
  to: Address;
  data: Hex;
  /** the last block the transaction can do its job in (null: unbounded): fees grow as it nears */
  deadlineBlock: number | null;
  /** gas from the caller's own simulation; estimated here when absent */
  gas?: bigint;
}

export type SendOutcome =
  | { kind: 'sent'; row: SentTxRow }
  /** simulation says it would revert: nothing was sent */
  | { kind: 'refused'; reason: string }
  /** this desk may no longer send (it lost the actor lease while simulating): nothing was sent */
  | { kind: 'withheld'; reason: string };

export type Settlement =
  | { kind: 'mined'; row: SentTxRow; blockNumber: number; receipt: TransactionReceipt | null }
  | { kind: 'reverted'; row: SentTxRow; blockNumber: number; reason: string }
  | { kind: 'dropped'; row: SentTxRow; reason: string }
  | { kind: 'pending'; row: SentTxRow };

/** What one tend pass did besides settling. */
export interface TendReport {
  settled: Settlement[];
  bumped: { from: SentTxRow; to: SentTxRow; reason: string }[];
  /** attempts that needed more than MAX_FEE_PER_GAS_GWEI allows (`blocking`: the later attempt whose deadline set the price) */
  capReached: { row: SentTxRow; reason: string; capWei: bigint; blocking?: SentTxRow }[];
  /** included attempts a reorg put back in flight */
  reorged: { row: SentTxRow; fromBlock: number }[];
}
