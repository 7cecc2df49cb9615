// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {
    SlashingParams,
    OperatorSet,
    IAllocationManagerForSlasher,
    ISlashingRegistryCoordinatorForSlasher,
    IStrategyManagerForSlasher,
    VetoableSlasherRoles
} from "./SlashingTypes.sol";

/// V4 (redistribution) VetoableSlasher stand-in (DOMAIN.md §1). Deliberately reproduces the
/// quirks the desk must survive:
/// - the request id is the operator set's current slash count, but the mapping is keyed by the
///   id alone, so two requests queued with no slash in between (same set, or two sets with the
///   same count) share an id and the later silently overwrites the earlier;
/// - there is no `nextRequestId()`;
/// - `OperatorSlashed` carries the AllocationManager's new slash id, not the request id.
/// Revert order as in the real block-window slasher (DOMAIN.md §1): role, the window, then the
/// status (cancel: NotRequested; fulfil: IsCancelled, also for a Completed request); the fulfil
/// calls `slashingRegistryCoordinator.updateOperators([operator])` after slashing.
contract VetoableSlasherV4 is VetoableSlasherRoles {
    enum SlashingStatus {
        Requested,
        Cancelled,
        Completed
    }

    struct SlashingRequest {
        SlashingParams params;
        uint256 requestBlock;
        SlashingStatus status;
    }

    uint32 public immutable vetoWindowBlocks;
    ISlashingRegistryCoordinatorForSlasher public immutable slashingRegistryCoordinator;
    IStrategyManagerForSlasher public immutable strategyManager;
    mapping(uint256 => SlashingRequest) private _requests;

    event SlashingRequested(
        uint256 indexed requestId, address indexed operator, uint32 operatorSetId, uint256[] wadsToSlash, string description
    );
    event SlashingRequestCancelled(uint256 indexed requestId);
    event OperatorSlashed(
        uint256 indexed slashingRequestId,
        address indexed operator,
        uint32 indexed operatorSetId,
        uint256[] wadsToSlash,
        string description
    );

    constructor(
        IAllocationManagerForSlasher allocationManager_,
        IStrategyManagerForSlasher strategyManager_,
        ISlashingRegistryCoordinatorForSlasher slashingRegistryCoordinator_,
        address slasher_,
        address vetoCommittee_,
        uint32 vetoWindowBlocks_
    ) VetoableSlasherRoles(allocationManager_, slasher_, vetoCommittee_) {
        strategyManager = strategyManager_;
        slashingRegistryCoordinator = slashingRegistryCoordinator_;
        vetoWindowBlocks = vetoWindowBlocks_;
    }

    function slashingRequests(uint256 requestId)
        external
        view
        returns (SlashingParams memory params, uint256 requestBlock, SlashingStatus status)
    {
        SlashingRequest storage r = _requests[requestId];
        return (r.params, r.requestBlock, r.status);
    }

    function queueSlashingRequest(SlashingParams calldata params) external onlySlasher {
        OperatorSet memory operatorSet = OperatorSet(slashingRegistryCoordinator.avs(), params.operatorSetId);
        uint256 requestId = allocationManager.getSlashCount(operatorSet);
        _requests[requestId] = SlashingRequest(params, block.number, SlashingStatus.Requested);
        emit SlashingRequested(requestId, params.operator, params.operatorSetId, params.wadsToSlash, params.description);
    }

    function cancelSlashingRequest(uint256 requestId) external onlyVetoCommittee {
        SlashingRequest storage r = _requests[requestId];
        if (block.number >= r.requestBlock + vetoWindowBlocks) revert VetoPeriodPassed();
        if (r.status != SlashingStatus.Requested) revert SlashingRequestNotRequested();
        r.status = SlashingStatus.Cancelled;
        emit SlashingRequestCancelled(requestId);
    }

    function fulfillSlashingRequest(uint256 requestId) external onlySlasher {
        _fulfil(requestId);
    }

    /// Fulfils, then asks the StrategyManager to process the slashed shares of that slash.
    function fulfillSlashingRequestAndBurnOrRedistribute(uint256 requestId) external onlySlasher {
        (OperatorSet memory operatorSet, uint256 slashId) = _fulfil(requestId);
        strategyManager.clearBurnOrRedistributableShares(operatorSet, slashId);
    }

    function _fulfil(uint256 requestId) private returns (OperatorSet memory operatorSet, uint256 slashId) {
        SlashingRequest storage r = _requests[requestId];
        if (block.number < r.requestBlock + vetoWindowBlocks) revert VetoPeriodNotPassed();
        if (r.status != SlashingStatus.Requested) revert SlashingRequestIsCancelled();
        r.status = SlashingStatus.Completed;
        operatorSet = OperatorSet(slashingRegistryCoordinator.avs(), r.params.operatorSetId);
        (slashId,) = allocationManager.slashOperator(operatorSet.avs, r.params);
        address[] memory operators = new address[](1);
        operators[0] = r.params.operator;
        slashingRegistryCoordinator.updateOperators(operators);
        emit OperatorSlashed(slashId, r.params.operator, r.params.operatorSetId, r.params.wadsToSlash, r.params.description);
    }

}
