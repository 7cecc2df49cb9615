/**
 * Plain facts the domain reasons about. Block numbers and timestamps are JS numbers (they fit);
 * token amounts, wads and request ids are bigint.
 */
export type Variant = 'V1' | 'V2' | 'V3' | 'V4';

/** V1/V2 count the veto window in seconds from the request's timestamp, V3/V4 in blocks. */
export function isBlockWindowVariant(v: Variant): boolean {
  return v === 'V3' || v === 'V4';
}

/** On-chain `SlashingStatus`, normalised across the two enum layouts. */
export type OnchainStatus = 'requested' | 'cancelled' | 'completed';

/** What the API shows. */
export type RequestStatus = 'in_veto_window' | 'vetoed' | 'fulfillable' | 'fulfilled' | 'lapsed';
export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'in_veto_window',
  'vetoed',
  'fulfillable',
  'fulfilled',
  'lapsed',
];

export interface BlockRef {
  number: number;
  /** unix seconds */
  timestamp: number;
}

/** The veto window's configuration, as read from the slasher. */
export type VetoWindow = { kind: 'blocks'; blocks: number } | { kind: 'seconds'; seconds: number };

/**
 * End of the veto window: the first block (V3/V4) or the first timestamp (V1/V2) at which a
 * fulfil is allowed and a cancel is not.
 */
export type WindowEnd = { kind: 'block'; block: number } | { kind: 'timestamp'; timestamp: number };

/** `getAllocation(operator, operatorSet, strategy)` as read at some block. */
export interface AllocationFact {
  strategy: `0x${string}`;
  currentMagnitude: bigint;
  /** signed: negative for a pending deallocation */
  pendingDiff: bigint;
  /** block at which pendingDiff takes effect (0 when none pending) */
  effectBlock: number;
}

/** Registration of the operator in the operator set. */
export type RegistrationFact =
  | { registered: true }
  | { registered: false; deregisterBlock: number };

export interface StrategyDeadline {
  strategy: `0x${string}`;
  /** last block at which this strategy still has stake to slash; null = unbounded */
  lastUsefulBlock: number | null;
  currentMagnitude: bigint;
  /** magnitude left once the pending change takes effect */
  remainingMagnitude: bigint;
  pendingDeallocation: { effectBlock: number; diff: bigint } | null;
}

/**
 * A strategy's deadline together with whether it has anything to slash at all. A strategy with
 * no stake now and none arriving has `noStake: true`; its `lastUsefulBlock` is then the block
 * before the one the facts were read at ("nothing to slash from here on"), so it can never
 * raise L above a strategy that still holds stake.
 */
export interface StrategyDeadlineDetail extends StrategyDeadline {
  noStake: boolean;
}
