import { estimateBlockTime, estimateTimestampAtBlock } from './blockTime';
import { computeLastUsefulBlock } from './lastUsefulBlock';
import { deriveRequestStatus, isAtRisk } from './status';
import type {
  AllocationFact,
  BlockRef,
  OnchainStatus,
  RegistrationFact,
  RequestStatus,
  StrategyDeadlineDetail,
  VetoWindow,
} from './types';
import { computeVetoWindowEnd } from './windows';

export interface DescribeDeadlinesParameters {
  window: VetoWindow;
  /** `requestBlock` (V3/V4) or `requestTimestamp` (V1/V2) as read from the slasher */
  requestBlockOrTimestamp: number;
  onchain: OnchainStatus;
  allocations: AllocationFact[];
  registration: RegistrationFact;
  /** `DEALLOCATION_DELAY()` in blocks */
  deallocationDelay: number;
  head: BlockRef;
  /** recently observed blocks, for the block time and for exact timestamps of mined blocks */
  recentBlocks: BlockRef[];
  /** wall clock, unix seconds */
  nowSec: number;
  /**
   * `chainClock(head, recentBlocks)`, when the caller describes many requests at the same head
   * (a listing): computed once instead of once per request
   */
  clock?: ChainClock;
}

/** Block time observed over the recent blocks, and the timestamp (exact or estimated) of any block. */
export interface ChainClock {
  blockTimeSeconds: number;
  timeOfBlock(block: number): { timestamp: number; estimated: boolean };
}

export interface ChainClockOptions {
  /** the chain's slot time, when it has one (see `knownSlotSeconds`): bounds the estimate */
  slotSeconds?: number;
  /**
   * timestamps of older blocks kept by the desk (the blocks of a request's events): exact times
   * for them, but no part of the block-time estimate (they are sparse and old)
   */
  knownBlocks?: readonly BlockRef[];
  /**
   * the same as a map, consulted after every other source (a caller describing every request on
   * every block keeps it while those blocks do not change, instead of one map per read)
   */
  knownTimes?: ReadonlyMap<number, number>;
}

/**
 * The clock of a chain at `head`: the block time estimated from `recentBlocks` (and the head), and
 * the time of any block — exact when the block was observed, extrapolated from the head otherwise.
 */
export function chainClock(head: BlockRef, recentBlocks: readonly BlockRef[], options: ChainClockOptions = {}): ChainClock {
  const observed = [...recentBlocks, head];
  const blockTimeSeconds = estimateBlockTime(observed, { slotSeconds: options.slotSeconds });
  return { blockTimeSeconds, timeOfBlock: blockTimer(head, blockTimeSeconds, [...(options.knownBlocks ?? []), ...observed], options.knownTimes) };
}

export interface VetoWindowEndDescription {
  /** first block a fulfil is allowed (V3/V4 only; exact) */
  block?: number;
  /** first timestamp a fulfil is allowed (V1/V2 only; exact) */
  timestamp?: number;
  /** wall-clock time of the window's end, ISO-8601 */
  estimatedAt: string;
  /** true when `estimatedAt` is extrapolated rather than known */
  estimated: boolean;
}

export interface DescribeDeadlinesReturnType {
  status: RequestStatus;
  vetoWindowEnd: VetoWindowEndDescription;
  /** L; null = unbounded */
  lastUsefulBlock: number | null;
  /** ISO-8601 time of block L (extrapolated unless L was observed); null when L is unbounded */
  lastUsefulBlockEstimatedAt: string | null;
  /** only while on chain the request is still open: a decided request is at no risk */
  atRisk: boolean;
  /** blocks still to be mined up to and including the window-end block (0 once mined); null for timestamp windows */
  blocksUntilWindowEnd: number | null;
  /** blocks still to come that are ≤ L (0 once none are); null when L is unbounded */
  blocksUntilLastUseful: number | null;
  strategies: StrategyDeadlineDetail[];
  blockTimeSeconds: number;
}

/**
 * Everything the API shows about a request's deadlines, from chain facts and "now".
 *
 * Deadlines are exact block numbers (or, for V1/V2 windows, exact timestamps); every wall-clock
 * time derived from a block is extrapolated from the head at the observed block time and
 * flagged as such, unless that block was itself observed (the head or one of `recentBlocks`).
 * The head counts as an observed block for the block-time estimate.
 *
 * @example
 * describeDeadlines({
 *   window: { kind: 'blocks', blocks: 50 },
 *   requestBlockOrTimestamp: 1_000,
 *   onchain: 'requested',
 *   allocations: [{ strategy: '0xa…', currentMagnitude: 5n, pendingDiff: -5n, effectBlock: 1_041 }],
 *   registration: { registered: true },
 *   deallocationDelay: 25,
 *   head: { number: 1_010, timestamp: 1_700_000_120 },
 *   recentBlocks: [{ number: 1_000, timestamp: 1_700_000_000 }],
 *   nowSec: 1_700_000_121,
 * });
 * // => { status: 'in_veto_window', atRisk: true, lastUsefulBlock: 1_040,
 * //      vetoWindowEnd: { block: 1_050, estimatedAt: '2023-11-14T22:23:20.000Z', estimated: true },
 * //      blocksUntilWindowEnd: 40, blocksUntilLastUseful: 30, blockTimeSeconds: 12, … }
 */
export function describeDeadlines(input: DescribeDeadlinesParameters): DescribeDeadlinesReturnType {
  const { head } = input;
  const { blockTimeSeconds, timeOfBlock } = input.clock ?? chainClock(head, input.recentBlocks);

  const windowEnd = computeVetoWindowEnd(input.window, input.requestBlockOrTimestamp);
  const { lastUsefulBlock, strategies } = computeLastUsefulBlock({
    allocations: input.allocations,
    registration: input.registration,
    deallocationDelay: input.deallocationDelay,
    currentBlock: head.number,
  });

  const status = deriveRequestStatus({ onchain: input.onchain, windowEnd, lastUsefulBlock, head, nowSec: input.nowSec });
  const atRisk =
    input.onchain === 'requested' && isAtRisk({ windowEnd, lastUsefulBlock, head, blockTime: blockTimeSeconds });

  let vetoWindowEnd: VetoWindowEndDescription;
  let blocksUntilWindowEnd: number | null;
  if (windowEnd.kind === 'block') {
    const at = timeOfBlock(windowEnd.block);
    vetoWindowEnd = { block: windowEnd.block, estimatedAt: isoFromUnix(at.timestamp), estimated: at.estimated };
    blocksUntilWindowEnd = Math.max(0, windowEnd.block - head.number);
  } else {
    vetoWindowEnd = { timestamp: windowEnd.timestamp, estimatedAt: isoFromUnix(windowEnd.timestamp), estimated: false };
    // Converting to blocks would pass an estimate off as a count; the timestamp is the deadline.
    blocksUntilWindowEnd = null;
  }

  return {
    status,
    vetoWindowEnd,
    lastUsefulBlock,
    lastUsefulBlockEstimatedAt: lastUsefulBlock === null ? null : isoFromUnix(timeOfBlock(lastUsefulBlock).timestamp),
    atRisk,
    blocksUntilWindowEnd,
    blocksUntilLastUseful: lastUsefulBlock === null ? null : Math.max(0, lastUsefulBlock - head.number),
    strategies,
    blockTimeSeconds,
  };
}

/**
 * Timestamp of a block: exact when it was observed, else extrapolated from the head. A past
 * block that was not observed is still only an estimate, so it is flagged as one too.
 */
function blockTimer(head: BlockRef, blockTime: number, observed: readonly BlockRef[], older?: ReadonlyMap<number, number>) {
  const known = new Map<number, number>();
  for (const b of observed) known.set(b.number, b.timestamp);
  // The head is authoritative for its own number even if a stale copy sits in recentBlocks.
  known.set(head.number, head.timestamp);
  return (block: number): { timestamp: number; estimated: boolean } => {
    const timestamp = known.get(block) ?? older?.get(block);
    if (timestamp !== undefined) return { timestamp, estimated: false };
    return { timestamp: estimateTimestampAtBlock(head, blockTime, block), estimated: true };
  };
}

/** ISO texts already made: a desk describes the same blocks' times for every request on every block */
const isoKept = new Map<number, string>();
const ISO_KEPT_MAX = 100_000;

function isoFromUnix(seconds: number): string {
  let iso = isoKept.get(seconds);
  if (iso === undefined) {
    iso = new Date(seconds * 1000).toISOString();
    if (isoKept.size >= ISO_KEPT_MAX) isoKept.clear();
    isoKept.set(seconds, iso);
  }
  return iso;
}
