import { parseAbi } from 'viem';

/*
 * Typed (`as const`) ABIs of the test contracts in test/contracts, for fixtures and tests.
 * test/contracts.int.test.ts checks every item here against the compiled ABI so the two
 * cannot drift. Only the parts fixtures and the desk touch are listed.
 */

const slashingParams =
  'struct SlashingParams { address operator; uint32 operatorSetId; address[] strategies; uint256[] wadsToSlash; string description; }';

const slasherCommon = [
  slashingParams,
  'function queueSlashingRequest(SlashingParams params)',
  'function cancelSlashingRequest(uint256 requestId)',
  'function fulfillSlashingRequest(uint256 requestId)',
  'function slasher() view returns (address)',
  'function vetoCommittee() view returns (address)',
  'function allocationManager() view returns (address)',
  'event SlashingRequestCancelled(uint256 indexed requestId)',
  'event OperatorSlashed(uint256 indexed slashingRequestId, address indexed operator, uint32 indexed operatorSetId, uint256[] wadsToSlash, string description)',
  'error OnlySlasher()',
  'error OnlyVetoCommittee()',
  'error VetoPeriodPassed()',
  'error VetoPeriodNotPassed()',
  'error SlashingRequestIsCancelled()',
  'error SlashingRequestNotRequested()',
] as const;

// V2+ moved operatorSetId out of the topics into the data.
const slashingRequestedV2 =
  'event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 operatorSetId, uint256[] wadsToSlash, string description)';

export const vetoableSlasherV1Abi = parseAbi([
  ...slasherCommon,
  'event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 indexed operatorSetId, uint256[] wadsToSlash, string description)',
  'function slashingRequests(uint256 requestId) view returns (SlashingParams params, uint256 requestTimestamp, uint8 status)',
  'function VETO_PERIOD() view returns (uint256)',
  'function nextRequestId() view returns (uint256)',
]);

export const vetoableSlasherV2Abi = parseAbi([
  ...slasherCommon,
  slashingRequestedV2,
  'function slashingRequests(uint256 requestId) view returns (SlashingParams params, uint256 requestTimestamp, uint8 status)',
  'function VETO_PERIOD() view returns (uint256)',
  'function nextRequestId() view returns (uint256)',
]);

export const vetoableSlasherV3Abi = parseAbi([
  ...slasherCommon,
  slashingRequestedV2,
  'function slashingRequests(uint256 requestId) view returns (SlashingParams params, uint256 requestBlock, uint8 status)',
  'function vetoWindowBlocks() view returns (uint32)',
  'function nextRequestId() view returns (uint256)',
  'function slashingRegistryCoordinator() view returns (address)',
]);

export const vetoableSlasherV4Abi = parseAbi([
  ...slasherCommon,
  slashingRequestedV2,
  'function slashingRequests(uint256 requestId) view returns (SlashingParams params, uint256 requestBlock, uint8 status)',
  'function vetoWindowBlocks() view returns (uint32)',
  'function slashingRegistryCoordinator() view returns (address)',
  'function strategyManager() view returns (address)',
  'function fulfillSlashingRequestAndBurnOrRedistribute(uint256 requestId)',
]);

export const allocationManagerStandInAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  slashingParams,
  'struct Allocation { uint64 currentMagnitude; int128 pendingDiff; uint32 effectBlock; }',
  'function DEALLOCATION_DELAY() view returns (uint32)',
  'function getAllocation(address operator, OperatorSet operatorSet, address strategy) view returns (Allocation)',
  'function isOperatorSlashable(address operator, OperatorSet operatorSet) view returns (bool)',
  'function getSlashCount(OperatorSet operatorSet) view returns (uint256)',
  'function getAllocatedStake(OperatorSet operatorSet, address[] operators, address[] strategies) view returns (uint256[][])',
  'function getMinimumSlashableStake(OperatorSet operatorSet, address[] operators, address[] strategies, uint32 futureBlock) view returns (uint256[][])',
  'function setOperatorShares(address operator, address[] strategies, uint256[] shares)',
  'function operatorShares(address operator, address strategy) view returns (uint256)',
  'function registerForOperatorSet(address operator, OperatorSet operatorSet)',
  'function deregisterFromOperatorSet(address operator, OperatorSet operatorSet)',
  'function allocate(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude)',
  'function queueDeallocation(address operator, OperatorSet operatorSet, address strategy, uint64 newMagnitude)',
  'function slashOperator(address avs, SlashingParams params) returns (uint256 slashId, uint256[] shares)',
  'event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock)',
  'event OperatorSlashed(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description)',
  'event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet)',
  'event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet)',
  'error OperatorNotSlashable()',
  'error InputArrayLengthMismatch()',
  'error ModificationAlreadyPending()',
  'error NotAnIncrease()',
  'error NotADecrease()',
  'error NotRegistered()',
  'error InvalidWadToSlash()',
]);

/** The redistribution release's extra getters (absent from AllocationManagerV13StandIn). */
export const redistributionStandInAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  'function DEFAULT_BURN_ADDRESS() view returns (address)',
  'function isRedistributingOperatorSet(OperatorSet operatorSet) view returns (bool)',
  'function getRedistributionRecipient(OperatorSet operatorSet) view returns (address)',
  'function createRedistributingOperatorSet(OperatorSet operatorSet, address recipient)',
  'event RedistributionAddressSet(OperatorSet operatorSet, address redistributionRecipient)',
  'error InvalidRedistributionRecipient()',
  'error RedistributionAlreadySet()',
]);

export const slashingRegistryCoordinatorStandInAbi = parseAbi([
  'function avs() view returns (address)',
  'function updateOperators(address[] operators)',
  'function setUpdateReverts(bool reverts)',
  'function updateReverts() view returns (bool)',
  'function updates() view returns (uint256)',
  'event OperatorsUpdated(address[] operators)',
  'error UpdateOperatorsFailed()',
]);

export const strategyManagerStandInAbi = parseAbi([
  'function clearedCount() view returns (uint256)',
  'event BurnOrRedistributableSharesCleared(address avs, uint32 operatorSetId, uint256 slashId)',
]);

export const strategyStandInAbi = parseAbi([
  'function underlyingToken() view returns (address)',
  'function underlyingPerShareWad() view returns (uint256)',
  'function setUnderlyingPerShareWad(uint256 rate)',
  'function sharesToUnderlyingView(uint256 amountShares) view returns (uint256)',
]);

export const testTokenAbi = parseAbi([
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
]);

/** Every variant's ABI, for code that must handle any of them. */
export const vetoableSlasherAbis = {
  V1: vetoableSlasherV1Abi,
  V2: vetoableSlasherV2Abi,
  V3: vetoableSlasherV3Abi,
  V4: vetoableSlasherV4Abi,
} as const;

/** Status enums differ: V1 starts at Null, V2+ at Requested (DOMAIN.md §1). */
export const SLASHING_STATUS_NAMES = {
  V1: ['Null', 'Requested', 'Completed', 'Cancelled'],
  V2: ['Requested', 'Cancelled', 'Completed'],
  V3: ['Requested', 'Cancelled', 'Completed'],
  V4: ['Requested', 'Cancelled', 'Completed'],
} as const;
