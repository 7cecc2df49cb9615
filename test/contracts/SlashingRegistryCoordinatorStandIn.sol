// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

/// V3/V4 slashers ask their registry coordinator which AVS they slash for, and call
/// `updateOperators([operator])` after every slash (DOMAIN.md §1). `setUpdateReverts(true)` makes
/// that call revert, so a fulfil can fail after `slashOperator` as on the real contracts.
contract SlashingRegistryCoordinatorStandIn {
    address public immutable avs;
    bool public updateReverts;
    uint256 public updates;

    event OperatorsUpdated(address[] operators);

    error UpdateOperatorsFailed();

    constructor(address avs_) {
        avs = avs_;
    }

    function setUpdateReverts(bool reverts) external {
        updateReverts = reverts;
    }

    function updateOperators(address[] calldata operators) external {
        if (updateReverts) revert UpdateOperatorsFailed();
        updates++;
        emit OperatorsUpdated(operators);
    }
}
