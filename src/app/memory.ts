/**
 * How much garbage the desk's heap may hold. V8 lets the old generation grow to a multiple of
 * what survived the last full collection (up to 4× under load) before collecting again: with
 * 10k requests that is ≈ 90 MB live in a ≈ 360 MB heap, and a resident size past 500 MB. A
 * desk is a long-running service on a small machine: it collects sooner instead, with the heap
 * at most 1.3× what is live; the full collections that costs are incremental and concurrent.
 */
import { setFlagsFromString } from 'node:v8';

/** the old generation's growth over what the last full collection kept, in percent */
export const HEAP_GROWING_PERCENT = 30;

/** Set once at start, before the desk allocates: V8 reads it at every full collection. */
export function keepHeapCompact(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
