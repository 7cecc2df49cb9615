import type { BlockRef, VetoWindow, WindowEnd } from './types';

/**
 * End of a request's veto window: the first block (V3/V4) or first timestamp (V1/V2) at which
 * the slasher accepts a fulfil and refuses a cancel.
 *
 * The contracts compare with `>=` for fulfil and `<` for cancel against
 * `request + window`, so that sum itself is the first "passed" point; no off-by-one adjustment
 * belongs here. A zero-length window therefore ends at the request itself.
 *
 * @example
 * computeVetoWindowEnd({ kind: 'blocks', blocks: 50 }, 1_000);
 * // => { kind: 'block', block: 1_050 }
 * computeVetoWindowEnd({ kind: 'seconds', seconds: 259_200 }, 1_700_000_000);
 * // => { kind: 'timestamp', timestamp: 1_700_259_200 }
 */
export function computeVetoWindowEnd(window: VetoWindow, requestBlockOrTimestamp: number): WindowEnd {
  if (window.kind === 'blocks') {
    return { kind: 'block', block: requestBlockOrTimestamp + window.blocks };
  }
  return { kind: 'timestamp', timestamp: requestBlockOrTimestamp + window.seconds };
}

/**
 * Whether a transaction sent now would find the veto window passed.
 *
 * Status is defined by "the next block" because nothing can land in the head block any more:
 * the earliest a transaction sent now can execute is block `head.number + 1`, whose timestamp
 * is at least `head.timestamp + 1` (timestamps strictly increase) and, on a live chain, at
 * least the current wall clock. If the window is passed even there, a cancel sent now can no
 * longer succeed and a fulfil can; if not, a fast cancel still can. Using the head block
 * instead would call a window "open" when no veto can reach it in time.
 *
 * `nowSec` may be fractional; block timestamps are whole seconds, so it is rounded up.
 *
 * @example
 * const head = { number: 1_049, timestamp: 1_700_000_000 };
 * isWindowPassedAtNextBlock({ kind: 'block', block: 1_050 }, head, 1_700_000_005); // => true
 * isWindowPassedAtNextBlock({ kind: 'timestamp', timestamp: 1_700_000_010 }, head, 1_700_000_005); // => false
 */
export function isWindowPassedAtNextBlock(windowEnd: WindowEnd, head: BlockRef, nowSec: number): boolean {
  if (windowEnd.kind === 'block') {
    return head.number + 1 >= windowEnd.block;
  }
  const earliestNextTimestamp = Math.max(head.timestamp + 1, Math.ceil(nowSec));
  return earliestNextTimestamp >= windowEnd.timestamp;
}
