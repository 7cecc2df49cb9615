// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

/// A strategy is only an address to the AllocationManager; the desk reads its token for display.
contract StrategyStandIn {
    address public immutable underlyingToken;

    constructor(address underlyingToken_) {
        underlyingToken = underlyingToken_;
    }
}
