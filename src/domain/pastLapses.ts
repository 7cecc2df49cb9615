/**
 * Lapses that happened while nobody watched. The desk records a lapse when it sees a request's
 * stake escape; a desk that was down (or is new) while an operator left a set, stayed out past
 * DEALLOCATION_DELAY and came back sees only a registered operator and a `fulfillable` request,
 * and would fulfil it with stake allocated after the window. The set's membership history tells:
 * an operator removed at block D is slashable through D + DELAY, and not again until it is added
 * back at block X, so it escaped over D + DELAY + 1 … X − 1.
 */
import type { WindowEnd } from './types';

/** An operator removed from a set and added back later (consecutive membership changes). */
export interface Absence {
  removed: number;
  added: number;
}

/** Blocks over which the operator was slashable in no way: from .. to, both included. */
export interface Escape {
  from: number;
  to: number;
}

/** The stretches an operator was out of reach (empty when it came back within the delay). */
export function escapesOf(absences: readonly Absence[], deallocationDelay: number): Escape[] {
  return absences
    .map((a) => ({ from: a.removed + deallocationDelay + 1, to: a.added - 1 }))
    .filter((e) => e.to >= e.from)
    .sort((a, b) => a.from - b.from);
}

/**
 * The first block at which a request, already past its window, had its stake out of reach (its
 * lapse), or null when no escape reaches past the window. Timestamp windows (V1/V2) need the
 * timestamps of each escape's first and last block (`timestampOf`); an escape whose last
 * timestamp is unknown counts as a lapse at its last block: a lapse taken for one holds a fulfil
 * for governance to decide, a lapse missed slashes stake allocated after the window.
 */
export function pastLapseBlock(windowEnd: WindowEnd, escapes: readonly Escape[], timestampOf: (block: number) => number | undefined = () => undefined): number | null {
  for (const e of escapes) {
    if (windowEnd.kind === 'block') {
      if (e.to >= windowEnd.block) return Math.max(e.from, windowEnd.block);
      continue;
    }
    const last = timestampOf(e.to);
    if (last === undefined) return e.to;
    if (last < windowEnd.timestamp) continue;
    const first = timestampOf(e.from);
    return first !== undefined && first >= windowEnd.timestamp ? e.from : e.to;
  }
  return null;
}
