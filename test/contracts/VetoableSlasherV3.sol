// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {
    SlashingParams,
    IAllocationManagerForSlasher,
    ISlashingRegistryCoordinatorForSlasher,
    VetoableSlasherRoles
} from "./SlashingTypes.sol";

/// V3 VetoableSlasher stand-in (DOMAIN.md §1): window counted in blocks from the request block
/// (`vetoWindowBlocks`, a constructor argument), enum starting at Requested, operatorSetId in
/// the event data, AVS read from the registry coordinator at fulfil time.
/// A never-queued id reads back as status Requested with `requestBlock == 0`.
/// Revert order as in the real block-window slasher (DOMAIN.md §1): role, then the window, then
/// the status (cancel: NotRequested; fulfil: IsCancelled, also for a Completed request); after
/// slashing, the fulfil calls `slashingRegistryCoordinator.updateOperators([operator])`.
contract VetoableSlasherV3 is VetoableSlasherRoles {
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
    uint256 public nextRequestId;
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
        ISlashingRegistryCoordinatorForSlasher slashingRegistryCoordinator_,
        address slasher_,
        address vetoCommittee_,
        uint32 vetoWindowBlocks_
    ) VetoableSlasherRoles(allocationManager_, slasher_, vetoCommittee_) {
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
        uint256 requestId = nextRequestId++;
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
        SlashingRequest storage r = _requests[requestId];
        if (block.number < r.requestBlock + vetoWindowBlocks) revert VetoPeriodNotPassed();
        if (r.status != SlashingStatus.Requested) revert SlashingRequestIsCancelled();
        r.status = SlashingStatus.Completed;
        allocationManager.slashOperator(slashingRegistryCoordinator.avs(), r.params);
        address[] memory operators = new address[](1);
        operators[0] = r.params.operator;
        slashingRegistryCoordinator.updateOperators(operators);
        emit OperatorSlashed(
            requestId, r.params.operator, r.params.operatorSetId, r.params.wadsToSlash, r.params.description
        );
    }

}
