// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

/// A strategy is only an address to the AllocationManager; the desk reads its token and what its
/// shares are worth in that token. Shares convert at `underlyingPerShareWad` (1e18: one base unit
/// of the token per share), which tests move to stand for a strategy that gained or lost value.
contract StrategyStandIn {
    address public immutable underlyingToken;
    uint256 public underlyingPerShareWad = 1e18;

    constructor(address underlyingToken_) {
        underlyingToken = underlyingToken_;
    }

    function setUnderlyingPerShareWad(uint256 rate) external {
        underlyingPerShareWad = rate;
    }

    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256) {
        return (amountShares * underlyingPerShareWad) / 1e18;
    }
}
