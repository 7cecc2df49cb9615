/**
 * The pure request lifecycle and deadline maths: chain facts and "now" in, decisions out.
 * Nothing here performs I/O or reads the clock.
 */
export * from './types';
export { computeVetoWindowEnd, isWindowPassedAtNextBlock } from './windows';
export {
  computeStrategyDeadline,
  computeRegistrationBound,
  computeLastUsefulBlock,
  type ComputeLastUsefulBlockParameters,
  type ComputeLastUsefulBlockReturnType,
} from './lastUsefulBlock';
export {
  DEFAULT_BLOCK_TIME_SECONDS,
  estimateBlockTime,
  estimateTimestampAtBlock,
  estimateBlockAtTimestamp,
  knownSlotSeconds,
  KNOWN_SLOT_SECONDS,
  type EstimateBlockTimeOptions,
} from './blockTime';
export { deriveRequestStatus, isAtRisk, type DeriveRequestStatusParameters, type IsAtRiskParameters } from './status';
export {
  chainClock,
  describeDeadlines,
  type ChainClock,
  type ChainClockOptions,
  type DescribeDeadlinesParameters,
  type DescribeDeadlinesReturnType,
  type VetoWindowEndDescription,
} from './deadlines';
