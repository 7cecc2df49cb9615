/**
 * The stored request rows as the read model keeps them between reads: parsed, checksummed, keyed
 * into the other parts once per read of the rows, with what their last views worked out.
 */
import { getAddress } from 'viem';
import { sameTexts } from '../lib/sameText';
import type { StrategyDeadlineDetail } from '../domain/types';
import type { IngestStore } from '../store/ingestStore';
import type { Hex, StrategyDeadlineView, VetoWindowEndView } from './views';

type RequestRow = Awaited<ReturnType<IngestStore['allRequests']>>[number];
export type OperatorState = Awaited<ReturnType<IngestStore['operatorStates']>>[number];

/** the stored columns a view shows or decides on (the others, a block hash and times among them, are not kept) */
type ViewedColumns = 'requestId' | 'variant' | 'operatorSetId' | 'description' | 'requestBlockOrTimestamp' | 'queuedAtBlock' | 'queuedTxHash' | 'onchainStatus' | 'cancelledBlock' | 'cancelledTxHash' | 'fulfilledBlock' | 'fulfilledTxHash' | 'overwrote' | 'historyPending';

/**
 * A stored row with what every view of it needs worked out once: its JSON columns parsed (shared
 * by every view made of it: frozen), its addresses checksummed, its operator set's key.
 * The texts repeated across rows (addresses, status, variant) are one string each, not one per
 * row: 10k rows kept had held 100k copies of a few addresses.
 */
export interface PreparedRow {
  row: Pick<RequestRow, ViewedColumns>;
  operator: Hex;
  slasher: Hex;
  strategies: readonly Hex[] | null;
  /** the strategies lowercased, as a set's allocations are keyed */
  strategyKeys: readonly string[];
  wadsToSlash: readonly string[];
  /** its operator set's key in the slashability part (one text per set) */
  setKey: string;
  /**
   * The parts of its last view that rarely change from one block to the next, reused while they
   * are equal: a new copy per request per block was most of a block's garbage, and each copy lived
   * long enough (until the next block) to be promoted before it died.
   */
  last?: { details: readonly StrategyDeadlineDetail[]; strategies: readonly StrategyDeadlineView[]; windowEnd: VetoWindowEndView };
}

export interface Texts {
  /** the one copy of a text seen before */
  same: <T extends string>(text: T) => T;
  checksum: (address: string) => Hex;
}

export function prepare(stored: RequestRow, t: Texts): PreparedRow {
  const strategies = (JSON.parse(stored.strategies) as Hex[] | null)?.map((x) => t.same(x)) ?? null;
  const operator = t.checksum(stored.operator);
  const row: PreparedRow['row'] = {
    requestId: stored.requestId,
    variant: t.same(stored.variant),
    operatorSetId: stored.operatorSetId,
    description: stored.description,
    requestBlockOrTimestamp: stored.requestBlockOrTimestamp,
    queuedAtBlock: stored.queuedAtBlock,
    queuedTxHash: stored.queuedTxHash,
    onchainStatus: t.same(stored.onchainStatus),
    cancelledBlock: stored.cancelledBlock,
    cancelledTxHash: stored.cancelledTxHash,
    fulfilledBlock: stored.fulfilledBlock,
    fulfilledTxHash: stored.fulfilledTxHash,
    overwrote: stored.overwrote,
    historyPending: stored.historyPending,
  };
  return {
    row,
    operator,
    slasher: t.checksum(stored.slasher),
    strategies: strategies && Object.freeze(strategies),
    strategyKeys: (strategies ?? []).map((x) => t.same(x.toLowerCase())),
    wadsToSlash: Object.freeze(JSON.parse(stored.wadsToSlash) as string[]),
    setKey: t.same(`${operator}:${row.operatorSetId}`),
  };
}

/** An operator set's stored slashability with its allocations by lowercased strategy. */
export interface KeptState {
  st: OperatorState;
  byStrategy: Map<string, OperatorState['allocations'][number]>;
}

/** Texts kept once for a read of every row; addresses checksummed once per distinct address. */
export function texts(): Texts {
  const same = sameTexts();
  const checksummed = new Map<string, Hex>();
  return {
    same,
    checksum: (a) => {
      let c = checksummed.get(a);
      if (c === undefined) checksummed.set(a, (c = same(getAddress(a))));
      return c;
    },
  };
}
