/**
 * The slice of the VetoableSlasher, AllocationManager and coordinator interfaces the desk reads
 * (DOMAIN.md §1–2). The four slasher variants share selectors and topic0s; they differ in which
 * SlashingRequested fields are indexed and in the SlashingStatus enum, so events are decoded
 * with the layout of the detected variant.
 */
import { parseAbi, parseAbiItem } from 'viem';

export const slashingParamsComponents = '(address operator, uint32 operatorSetId, address[] strategies, uint256[] wadsToSlash, string description)';

export const slasherAbi = parseAbi([
  'function slasher() view returns (address)',
  'function vetoCommittee() view returns (address)',
  'function allocationManager() view returns (address)',
  'function nextRequestId() view returns (uint256)',
  'function VETO_PERIOD() view returns (uint256)',
  'function vetoWindowBlocks() view returns (uint32)',
  'function strategyManager() view returns (address)',
  'function slashingRegistryCoordinator() view returns (address)',
  'struct SlashingParams { address operator; uint32 operatorSetId; address[] strategies; uint256[] wadsToSlash; string description; }',
  'function slashingRequests(uint256 requestId) view returns (SlashingParams params, uint256 requestTimestampOrBlock, uint8 status)',
  'function queueSlashingRequest(SlashingParams params)',
  'function cancelSlashingRequest(uint256 requestId)',
  'function fulfillSlashingRequest(uint256 requestId)',
  'function fulfillSlashingRequestAndBurnOrRedistribute(uint256 requestId)',
  'error OnlySlasher()',
  'error OnlyVetoCommittee()',
  'error VetoPeriodPassed()',
  'error VetoPeriodNotPassed()',
  'error SlashingRequestIsCancelled()',
  'error SlashingRequestNotRequested()',
]);

/** V1: operatorSetId indexed (4 topics). */
export const slashingRequestedV1 = parseAbiItem(
  'event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 indexed operatorSetId, uint256[] wadsToSlash, string description)',
);
/** V2–V4: operatorSetId in data (3 topics). */
export const slashingRequestedV2 = parseAbiItem(
  'event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 operatorSetId, uint256[] wadsToSlash, string description)',
);
export const slashingRequestCancelled = parseAbiItem('event SlashingRequestCancelled(uint256 indexed requestId)');
export const slasherOperatorSlashed = parseAbiItem(
  'event OperatorSlashed(uint256 indexed slashingRequestId, address indexed operator, uint32 indexed operatorSetId, uint256[] wadsToSlash, string description)',
);

export const TOPIC = {
  SlashingRequested: '0xadd285945f652e749df3dab9a584be524ec7fbd2a2cad39851278950f9b73227',
  SlashingRequestCancelled: '0xb612b6d36795da938211ef5caee2c1d887a24430f76918733089eee28b7f54ac',
  OperatorSlashed: '0x8a83cf9afb09a981314f4fb353b95b003451da170a99f48d8db6474b06d79f3b',
  AllocationUpdated: '0x1487af5418c47ee5ea45ef4a93398668120890774a9e13487e61e9dc3baf76dd',
} as const;

export const allocationManagerAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  'struct Allocation { uint64 currentMagnitude; int128 pendingDiff; uint32 effectBlock; }',
  'function DEALLOCATION_DELAY() view returns (uint32)',
  'function getAllocation(address operator, OperatorSet operatorSet, address strategy) view returns (Allocation)',
  'function isOperatorSlashable(address operator, OperatorSet operatorSet) view returns (bool)',
  'event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock)',
  'event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet)',
  'event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet)',
]);

export const coordinatorAbi = parseAbi(['function avs() view returns (address)']);

/** SlashingStatus enum values as stored on chain, per layout. */
export function decodeOnchainStatus(variant: 'V1' | 'V2' | 'V3' | 'V4', raw: number): 'requested' | 'cancelled' | 'completed' | 'none' {
  if (variant === 'V1') return (['none', 'requested', 'completed', 'cancelled'] as const)[raw] ?? 'none';
  return (['requested', 'cancelled', 'completed'] as const)[raw] ?? 'none';
}
