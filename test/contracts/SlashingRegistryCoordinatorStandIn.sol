// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

/// V3/V4 slashers ask their registry coordinator which AVS they slash for.
contract SlashingRegistryCoordinatorStandIn {
    address public immutable avs;

    constructor(address avs_) {
        avs = avs_;
    }
}
