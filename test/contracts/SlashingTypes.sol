// SPDX-License-Identifier: UNLICENSED
// Our own test doubles, written from the interfaces in /work/shared/DOMAIN.md (EigenLayer's
// sources are BUSL, so nothing here is copied from them).
pragma solidity ^0.8.27;

/// An operator set is named by its AVS and a per-AVS id (DOMAIN.md §2).
struct OperatorSet {
    address avs;
    uint32 id;
}

/// The request body every VetoableSlasher variant stores and hands to `slashOperator`.
struct SlashingParams {
    address operator;
    uint32 operatorSetId;
    address[] strategies;
    uint256[] wadsToSlash;
    string description;
}

/// The slice of the AllocationManager the slashers call.
interface IAllocationManagerForSlasher {
    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares);

    function getSlashCount(OperatorSet calldata operatorSet) external view returns (uint256);
}

/// V3/V4 learn their AVS from the registry coordinator instead of a constructor argument.
interface ISlashingRegistryCoordinatorForSlasher {
    function avs() external view returns (address);

    /// called by the block-window slashers after every slash (one more call a fulfil can revert in)
    function updateOperators(address[] calldata operators) external;
}

/// V4 only: what it calls after a fulfil so burnt/redistributable shares are processed.
interface IStrategyManagerForSlasher {
    function clearBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId) external;
}

/// Roles and errors shared by every variant. Errors live here so every variant's ABI carries
/// the identical six custom errors the desk decodes.
abstract contract VetoableSlasherRoles {
    error OnlySlasher();
    error OnlyVetoCommittee();
    error VetoPeriodPassed();
    error VetoPeriodNotPassed();
    error SlashingRequestIsCancelled();
    error SlashingRequestNotRequested();

    IAllocationManagerForSlasher public immutable allocationManager;
    address public immutable slasher;
    address public immutable vetoCommittee;

    constructor(IAllocationManagerForSlasher allocationManager_, address slasher_, address vetoCommittee_) {
        allocationManager = allocationManager_;
        slasher = slasher_;
        vetoCommittee = vetoCommittee_;
    }

    modifier onlySlasher() {
        if (msg.sender != slasher) revert OnlySlasher();
        _;
    }

    modifier onlyVetoCommittee() {
        if (msg.sender != vetoCommittee) revert OnlyVetoCommittee();
        _;
    }
}
