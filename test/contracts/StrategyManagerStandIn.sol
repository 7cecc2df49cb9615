// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {OperatorSet} from "./SlashingTypes.sol";

/// V4's StrategyManager: only records that the post-slash processing call happened.
contract StrategyManagerStandIn {
    event BurnOrRedistributableSharesCleared(address avs, uint32 operatorSetId, uint256 slashId);

    uint256 public clearedCount;

    function clearBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId) external {
        clearedCount++;
        emit BurnOrRedistributableSharesCleared(operatorSet.avs, operatorSet.id, slashId);
    }
}
