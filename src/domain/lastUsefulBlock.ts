import type { AllocationFact, RegistrationFact, StrategyDeadlineDetail } from './types';

/**
 * Last block at which slashing `fact.strategy` still removes stake (DOMAIN §2, A_s).
 *
 * - A pending deallocation that takes the allocation to zero stays slashable until it takes
 *   effect, so A_s = `effectBlock − 1`.
 * - A partial deallocation or a pending increase leaves stake for ever: A_s = ∞ (`null`), and
 *   `remainingMagnitude` says how much is left once the change applies.
 * - A pending change whose `effectBlock` is already ≤ `currentBlock` has taken effect on chain
 *   (the facts may have been read earlier than `currentBlock`), so it is applied, not awaited.
 * - No stake now and none arriving: `noStake: true` with `lastUsefulBlock = currentBlock − 1`,
 *   which ranks below every strategy that still has stake (their A_s ≥ currentBlock or ∞).
 *   A zero allocation with a pending increase is NOT `noStake`: a fulfil after the increase
 *   takes effect slashes it, so its deadline is unbounded.
 *
 * @example
 * computeStrategyDeadline(
 *   { strategy: '0xabc…', currentMagnitude: 10n, pendingDiff: -10n, effectBlock: 500 },
 *   400,
 * );
 * // => { lastUsefulBlock: 499, remainingMagnitude: 0n, noStake: false,
 * //      pendingDeallocation: { effectBlock: 500, diff: -10n }, … }
 */
export function computeStrategyDeadline(fact: AllocationFact, currentBlock: number): StrategyDeadlineDetail {
  const pending = fact.pendingDiff !== 0n && fact.effectBlock > currentBlock;
  const applied = fact.pendingDiff !== 0n && !pending;

  const magnitudeNow = clampToZero(fact.currentMagnitude + (applied ? fact.pendingDiff : 0n));
  // Report the magnitude as it stands at currentBlock, not as it was when read.
  const remainingMagnitude = clampToZero(magnitudeNow + (pending ? fact.pendingDiff : 0n));
  const pendingDeallocation =
    pending && fact.pendingDiff < 0n ? { effectBlock: fact.effectBlock, diff: fact.pendingDiff } : null;

  if (magnitudeNow === 0n && remainingMagnitude === 0n) {
    // a deallocation to zero that already took effect: the stake left at its effect block, so
    // the last useful block stays exactly effectBlock − 1 however far the head moves on
    const leftAt = applied && fact.pendingDiff < 0n ? fact.effectBlock - 1 : currentBlock - 1;
    return { strategy: fact.strategy, currentMagnitude: magnitudeNow, lastUsefulBlock: leftAt, remainingMagnitude, pendingDeallocation, noStake: true };
  }
  // Only a deallocation can end the stake; an increase or a partial cut leaves some for ever.
  const lastUsefulBlock = pendingDeallocation !== null && remainingMagnitude === 0n ? fact.effectBlock - 1 : null;
  // (literals written out: a spread of a shared base here cost µs per strategy in a 10k listing)
  return { strategy: fact.strategy, currentMagnitude: magnitudeNow, lastUsefulBlock, remainingMagnitude, pendingDeallocation, noStake: false };
}

/**
 * R in DOMAIN §2: the last block at which the operator set may still slash the operator.
 * While registered there is no bound (`null` = ∞); after deregistering the operator stays
 * slashable through `deregisterBlock + deallocationDelay` inclusive.
 *
 * @example
 * computeRegistrationBound({ registered: false, deregisterBlock: 1_000 }, 50); // => 1_050
 * computeRegistrationBound({ registered: true }, 50); // => null
 */
export function computeRegistrationBound(reg: RegistrationFact, deallocationDelay: number): number | null {
  return reg.registered ? null : reg.deregisterBlock + deallocationDelay;
}

export interface ComputeLastUsefulBlockParameters {
  allocations: AllocationFact[];
  registration: RegistrationFact;
  /** `DEALLOCATION_DELAY()` in blocks, read on chain */
  deallocationDelay: number;
  /** block the allocation facts are taken to hold at (normally the head) */
  currentBlock: number;
}

export interface ComputeLastUsefulBlockReturnType {
  /** L = max_s min(R, A_s); null = unbounded */
  lastUsefulBlock: number | null;
  /** R; null while registered */
  registrationBound: number | null;
  strategies: StrategyDeadlineDetail[];
}

/**
 * Last useful block L of a request (DOMAIN §2): `L = max_s min(R, A_s)`, `null` meaning ∞.
 * A fulfil landing at block F slashes something only when `windowEnd ≤ F ≤ L`.
 *
 * The max is over strategies because one strategy with stake left is enough for the slash to
 * matter. With no strategies L is just R. When no strategy has stake, L is
 * `min(R, currentBlock − 1)`: the slash can do nothing from `currentBlock` on.
 *
 * @example
 * computeLastUsefulBlock({
 *   allocations: [
 *     { strategy: '0xa…', currentMagnitude: 5n, pendingDiff: -5n, effectBlock: 1_200 },
 *     { strategy: '0xb…', currentMagnitude: 5n, pendingDiff: -5n, effectBlock: 1_100 },
 *   ],
 *   registration: { registered: false, deregisterBlock: 1_000 },
 *   deallocationDelay: 150,
 *   currentBlock: 1_050,
 * });
 * // => { lastUsefulBlock: 1_150, registrationBound: 1_150, strategies: [ …A=1_199…, …A=1_099… ] }
 */
export function computeLastUsefulBlock(input: ComputeLastUsefulBlockParameters): ComputeLastUsefulBlockReturnType {
  const registrationBound = computeRegistrationBound(input.registration, input.deallocationDelay);
  const strategies = input.allocations.map((fact) => computeStrategyDeadline(fact, input.currentBlock));
  if (strategies.length === 0) {
    return { lastUsefulBlock: registrationBound, registrationBound, strategies };
  }
  const perStrategy = strategies.map((s) => minWithInfinity(registrationBound, s.lastUsefulBlock));
  const lastUsefulBlock = perStrategy.reduce<number | null>((acc, b) => maxWithInfinity(acc, b), perStrategy[0] ?? null);
  return { lastUsefulBlock, registrationBound, strategies };
}

function clampToZero(x: bigint): bigint {
  return x < 0n ? 0n : x;
}

/** min where null stands for +∞ */
function minWithInfinity(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** max where null stands for +∞ */
function maxWithInfinity(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return Math.max(a, b);
}
