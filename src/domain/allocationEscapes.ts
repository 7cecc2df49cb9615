/**
 * Escapes by allocation that nobody saw: an operator deallocates every strategy of a request to
 * zero, the deallocation takes effect, and later it allocates again. A desk that was down (or is
 * new) reads only the new allocation and would fulfil the request with stake allocated after its
 * window. The AllocationManager's `AllocationUpdated(operator, set, strategy, magnitude,
 * effectBlock)` history tells: each says the strategy's magnitude from `effectBlock` on.
 */
import type { Escape } from './pastLapses';
import type { AllocationFact } from './types';

/** One `AllocationUpdated` of a strategy, where the chain logged it. */
export interface AllocationChange {
  magnitude: bigint;
  effectBlock: number;
  block: number;
  logIndex: number;
}

/**
 * What a strategy's magnitude was known to be at a block (a stored read), if anything: changes
 * logged up to that block tell what came before it, those logged after it what came next.
 */
export interface AllocationStart {
  /** the magnitude in effect at `block` */
  block: number;
  magnitude: bigint;
  /** a change read pending then: `magnitude` from `effectBlock` on */
  pending?: { magnitude: bigint; effectBlock: number } | null;
}

/**
 * The stretches, up to `toBlock`, over which one strategy had no stake and none coming: its
 * magnitude zero, and no increase queued yet (an increase queued while the request waits is
 * slashed by a fulfil after it takes effect, so the live desk never reads that as a lapse either).
 * At a block the magnitude is that of the change with the greatest effect block not after it, the
 * later logged winning a tie: a slash logs its cut with this block as its effect while a
 * deallocation queued earlier still takes effect later, and a change is only ever queued once the
 * pending one has taken effect. Before the first known fact the magnitude is unknown, and unknown
 * is never zero: a stretch is only an escape when it is known.
 */
export function zeroStretches(changes: readonly AllocationChange[], start: AllocationStart | null, toBlock: number): Escape[] {
  // effect block → magnitude and the block it was queued in, the later logged winning (chain order)
  const at = new Map<number, { magnitude: bigint; queuedAt: number }>();
  const ordered = [...changes].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
  const apply = (c: AllocationChange) => at.set(c.effectBlock, { magnitude: c.magnitude, queuedAt: c.block });
  // what was logged by the start read is in it already (pending included): the read stands over
  // the changes logged up to it, the later ones over the read
  for (const c of ordered) if (start && c.block <= start.block) apply(c);
  if (start) {
    // a change logged before the read and in effect where the read puts a value is that value,
    // queued where it was logged (the read says only that it was queued by then)
    const known = (effect: number, magnitude: bigint) => at.set(effect, { magnitude, queuedAt: Math.min(at.get(effect)?.queuedAt ?? start.block, start.block) });
    known(start.block, start.magnitude);
    if (start.pending && start.pending.effectBlock > start.block) known(start.pending.effectBlock, start.pending.magnitude);
  }
  for (const c of ordered) if (!start || c.block > start.block) apply(c);
  const points = [...at].sort((a, b) => a[0] - b[0]);
  const out: Escape[] = [];
  let from: number | null = null;
  for (const [effect, p] of points) {
    if (p.magnitude === 0n) {
      from ??= effect;
      continue;
    }
    // stake again from the block its increase was queued in (as the desk reads it then)
    if (from !== null) out.push({ from, to: Math.min(effect, p.queuedAt) - 1 });
    from = null;
  }
  if (from !== null) out.push({ from, to: toBlock });
  return out.map((e) => ({ from: e.from, to: Math.min(e.to, toBlock) })).filter((e) => e.from <= e.to);
}

/** The blocks every list covers: the stake of a request escaped only while all its strategies were at zero. */
export function intersectEscapes(lists: readonly (readonly Escape[])[]): Escape[] {
  if (lists.length === 0) return [];
  let acc: Escape[] = lists[0]!.map((e) => ({ ...e }));
  for (const list of lists.slice(1)) {
    const next: Escape[] = [];
    for (const a of acc) {
      for (const b of list) {
        const from = Math.max(a.from, b.from);
        const to = Math.min(a.to, b.to);
        if (from <= to) next.push({ from, to });
      }
    }
    acc = next;
  }
  return acc.sort((a, b) => a.from - b.from);
}

/**
 * The escapes of a request with `strategies` in one operator set: each stretch over which every
 * one of them had its magnitude at zero. A strategy with no change and no start known is taken to
 * have had stake throughout (unknown is never an escape).
 */
export function allocationEscapes(
  strategies: readonly string[],
  history: (strategy: string) => { changes: readonly AllocationChange[]; start: AllocationStart | null },
  toBlock: number,
): Escape[] {
  if (strategies.length === 0) return [];
  return intersectEscapes(
    strategies.map((s) => {
      const h = history(s);
      return zeroStretches(h.changes, h.start, toBlock);
    }),
  );
}

/**
 * A stored read of an allocation as a start: the magnitude in effect at the block it was read at,
 * and the change it saw pending. A change whose effect block was reached is in effect (the read
 * may be one kept from before the change took effect: `carryForwardDeallocations`).
 */
export function startOfRead(a: AllocationFact, readAtBlock: number): AllocationStart {
  const clamp = (x: bigint) => (x < 0n ? 0n : x);
  if (a.pendingDiff === 0n) return { block: readAtBlock, magnitude: a.currentMagnitude };
  const after = clamp(a.currentMagnitude + a.pendingDiff);
  if (a.effectBlock <= readAtBlock) return { block: readAtBlock, magnitude: after };
  return { block: readAtBlock, magnitude: a.currentMagnitude, pending: { magnitude: after, effectBlock: a.effectBlock } };
}

/** Escapes of several kinds as one list: in order, those that overlap or touch merged. */
export function mergeEscapes(escapes: readonly Escape[]): Escape[] {
  const out: Escape[] = [];
  for (const e of [...escapes].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && e.from <= last.to + 1) last.to = Math.max(last.to, e.to);
    else out.push({ from: e.from, to: e.to });
  }
  return out;
}
