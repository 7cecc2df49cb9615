// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {SlashingParams, IAllocationManagerForSlasher, VetoableSlasherRoles} from "./SlashingTypes.sol";

/// V1 VetoableSlasher stand-in (DOMAIN.md §1): window in seconds from the request timestamp,
/// status enum starting at Null, all three SlashingRequested topics indexed, sequential ids.
/// The AVS passed to slashOperator is a constructor argument (no registry coordinator in V1).
///
/// Revert order shared by all four stand-ins, as in the real slashers (DOMAIN.md §1): role; then
/// the window (VetoPeriodPassed / VetoPeriodNotPassed); then the status (cancel:
/// SlashingRequestNotRequested; fulfil: SlashingRequestIsCancelled, also for a Completed one).
contract VetoableSlasherV1 is VetoableSlasherRoles {
    enum SlashingStatus {
        Null,
        Requested,
        Completed,
        Cancelled
    }

    struct SlashingRequest {
        SlashingParams params;
        uint256 requestTimestamp;
        SlashingStatus status;
    }

    uint256 public constant VETO_PERIOD = 3 days;

    address private immutable _avs;
    uint256 public nextRequestId;
    mapping(uint256 => SlashingRequest) private _requests;

    event SlashingRequested(
        uint256 indexed requestId,
        address indexed operator,
        uint32 indexed operatorSetId,
        uint256[] wadsToSlash,
        string description
    );
    event SlashingRequestCancelled(uint256 indexed requestId);
    event OperatorSlashed(
        uint256 indexed slashingRequestId,
        address indexed operator,
        uint32 indexed operatorSetId,
        uint256[] wadsToSlash,
        string description
    );

    constructor(IAllocationManagerForSlasher allocationManager_, address avs_, address slasher_, address vetoCommittee_)
        VetoableSlasherRoles(allocationManager_, slasher_, vetoCommittee_)
    {
        _avs = avs_;
    }

    /// Explicit getter: Solidity's auto-getter would drop the arrays inside `params`.
    function slashingRequests(uint256 requestId)
        external
        view
        returns (SlashingParams memory params, uint256 requestTimestamp, SlashingStatus status)
    {
        SlashingRequest storage r = _requests[requestId];
        return (r.params, r.requestTimestamp, r.status);
    }

    function queueSlashingRequest(SlashingParams calldata params) external onlySlasher {
        uint256 requestId = nextRequestId++;
        _requests[requestId] = SlashingRequest(params, block.timestamp, SlashingStatus.Requested);
        emit SlashingRequested(requestId, params.operator, params.operatorSetId, params.wadsToSlash, params.description);
    }

    function cancelSlashingRequest(uint256 requestId) external onlyVetoCommittee {
        SlashingRequest storage r = _requests[requestId];
        if (block.timestamp >= r.requestTimestamp + VETO_PERIOD) revert VetoPeriodPassed();
        if (r.status != SlashingStatus.Requested) revert SlashingRequestNotRequested();
        r.status = SlashingStatus.Cancelled;
        emit SlashingRequestCancelled(requestId);
    }

    function fulfillSlashingRequest(uint256 requestId) external onlySlasher {
        SlashingRequest storage r = _requests[requestId];
        if (block.timestamp < r.requestTimestamp + VETO_PERIOD) revert VetoPeriodNotPassed();
        if (r.status != SlashingStatus.Requested) revert SlashingRequestIsCancelled();
        r.status = SlashingStatus.Completed;
        allocationManager.slashOperator(_avs, r.params);
        emit OperatorSlashed(
            requestId, r.params.operator, r.params.operatorSetId, r.params.wadsToSlash, r.params.description
        );
    }

}
