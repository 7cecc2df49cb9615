// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {SlashingParams, IAllocationManagerForSlasher, VetoableSlasherRoles} from "./SlashingTypes.sol";

/// V2 VetoableSlasher stand-in (DOMAIN.md §1): like V1 (seconds, 3 days, constructor AVS) but
/// the enum starts at Requested and operatorSetId moved into the event data. Because status 0
/// is Requested, a never-queued id is recognised by `requestTimestamp == 0`.
/// Revert order as in the real slashers (DOMAIN.md §1): role, the window, then the status —
/// the same rule in all four stand-ins.
contract VetoableSlasherV2 is VetoableSlasherRoles {
    enum SlashingStatus {
        Requested,
        Cancelled,
        Completed
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

    constructor(IAllocationManagerForSlasher allocationManager_, address avs_, address slasher_, address vetoCommittee_)
        VetoableSlasherRoles(allocationManager_, slasher_, vetoCommittee_)
    {
        _avs = avs_;
    }

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
