// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {SlashingParams} from "./SlashingTypes.sol";

interface IQueueSlashingRequest {
    function queueSlashingRequest(SlashingParams calldata params) external;
}

/// Benchmark seeding only: holds a VetoableSlasher's `slasher()` role and queues many requests
/// in one transaction, because anvil on a small machine takes minutes to accept 10k
/// transactions one by one. Each request still emits its own SlashingRequested log.
contract BulkQueuer {
    address public immutable owner;

    error OnlyOwner();

    constructor() {
        owner = msg.sender;
    }

    function queueMany(IQueueSlashingRequest slasher, SlashingParams[] calldata requests) external {
        if (msg.sender != owner) revert OnlyOwner();
        for (uint256 i = 0; i < requests.length; i++) {
            slasher.queueSlashingRequest(requests[i]);
        }
    }
}
