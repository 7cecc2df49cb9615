import { estimateBlockAtTimestamp } from './blockTime';
import type { BlockRef, OnchainStatus, RequestStatus, WindowEnd } from './types';
import { isWindowPassedAtNextBlock } from './windows';

export interface DeriveRequestStatusParameters {
  onchain: OnchainStatus;
  windowEnd: WindowEnd;
  /** L; null = unbounded */
  lastUsefulBlock: number | null;
  head: BlockRef;
  /** wall clock, unix seconds */
  nowSec: number;
}

/**
 * What the API shows for a request, judged for a transaction sent now (it lands at
 * `head.number + 1` at the earliest; see {@link isWindowPassedAtNextBlock}).
 *
 * - `vetoed` / `fulfilled`: the chain has decided.
 * - `in_veto_window`: a cancel sent now can still land.
 * - `lapsed`: the window has passed but no block ≤ L is still to come, so a fulfil could no
 *   longer remove stake (even though the slasher itself would still accept it).
 * - `fulfillable`: a fulfil sent now can land inside `[windowEnd, L]`.
 *
 * @example
 * deriveRequestStatus({
 *   onchain: 'requested',
 *   windowEnd: { kind: 'block', block: 1_050 },
 *   lastUsefulBlock: 1_100,
 *   head: { number: 1_099, timestamp: 1_700_000_000 },
 *   nowSec: 1_700_000_005,
 * }); // => 'fulfillable' (block 1_100 is still to come)
 */
export function deriveRequestStatus(input: DeriveRequestStatusParameters): RequestStatus {
  switch (input.onchain) {
    case 'cancelled':
      return 'vetoed';
    case 'completed':
      return 'fulfilled';
    case 'requested':
      break;
  }
  if (!isWindowPassedAtNextBlock(input.windowEnd, input.head, input.nowSec)) return 'in_veto_window';
  const nextBlock = input.head.number + 1;
  if (input.lastUsefulBlock !== null && nextBlock > input.lastUsefulBlock) return 'lapsed';
  return 'fulfillable';
}

export interface IsAtRiskParameters {
  windowEnd: WindowEnd;
  lastUsefulBlock: number | null;
  head: BlockRef;
  /** seconds per block, from {@link estimateBlockTime} */
  blockTime: number;
}

/**
 * Whether the veto window ends after the last useful block, i.e. no block F satisfies
 * `windowEnd ≤ F ≤ L` and the slash can never take effect (DOMAIN §2: alert at once).
 *
 * Block windows compare exactly. Timestamp windows (V1/V2) compare the estimated first block
 * at or after the window's end, so the answer is as good as the block-time estimate; a window
 * ending right at L is fine, one block later is not.
 *
 * @example
 * const head = { number: 1_000, timestamp: 1_700_000_000 };
 * isAtRisk({ windowEnd: { kind: 'block', block: 1_100 }, lastUsefulBlock: 1_100, head, blockTime: 12 }); // => false
 * isAtRisk({ windowEnd: { kind: 'block', block: 1_101 }, lastUsefulBlock: 1_100, head, blockTime: 12 }); // => true
 */
export function isAtRisk(input: IsAtRiskParameters): boolean {
  if (input.lastUsefulBlock === null) return false;
  const firstFulfilBlock =
    input.windowEnd.kind === 'block'
      ? input.windowEnd.block
      : estimateBlockAtTimestamp(input.head, input.blockTime, input.windowEnd.timestamp);
  return firstFulfilBlock > input.lastUsefulBlock;
}
