// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.27;

import {OperatorSet, SlashingParams} from "./SlashingTypes.sol";

/// Test double for the slice of EigenLayer's AllocationManager that Veto Desk reads and the
/// slashers call (DOMAIN.md §2). Its test helpers are open to anyone: it exists to let tests
/// put operators into exact allocation/registration states, not to enforce permissions.
///
/// Mechanics reproduced because the desk's deadline maths depends on them:
/// - a deallocation queued while the operator is slashable takes effect at
///   `queuedBlock + DEALLOCATION_DELAY + 1`, and the magnitude stays slashable until then;
/// - a deregistered operator stays slashable through `deregisterBlock + DEALLOCATION_DELAY`.
///
/// Slashable shares (`getAllocatedStake`, `getMinimumSlashableStake`) are the operator's delegated
/// shares times its allocated magnitude over a max magnitude fixed at 1e18. Slashing one set lowers
/// that set's magnitude; on the real contracts it also lowers both the operator's shares and its
/// max magnitude in the same proportion, which leaves every other set's slashable shares as they
/// were: keeping shares and max magnitude fixed here gives the same figures.
///
/// `AllocationManagerStandIn` is the redistribution release (v1.5+); `AllocationManagerV13StandIn`
/// is an older core without `isRedistributingOperatorSet` / `getRedistributionRecipient`.
abstract contract AllocationManagerCore {
    struct Allocation {
        uint64 currentMagnitude;
        int128 pendingDiff;
        uint32 effectBlock;
    }

    struct Registration {
        bool registered;
        uint32 deregisterBlock;
    }

    error OperatorNotSlashable();
    error InputArrayLengthMismatch();
    error ModificationAlreadyPending();
    error NotAnIncrease();
    error NotADecrease();
    error NotRegistered();
    error InvalidWadToSlash();

    uint256 private constant WAD = 1e18;

    uint32 public immutable DEALLOCATION_DELAY;

    mapping(bytes32 operatorSetKey => mapping(address operator => Registration)) private _registrations;
    mapping(address operator => mapping(bytes32 operatorSetKey => mapping(address strategy => Allocation))) private
        _allocations;
    mapping(bytes32 operatorSetKey => uint256) private _slashCounts;
    mapping(address operator => mapping(address strategy => uint256)) private _operatorShares;

    event AllocationUpdated(
        address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock
    );
    event OperatorSlashed(
        address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description
    );
    event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet);

    constructor(uint32 deallocationDelay) {
        DEALLOCATION_DELAY = deallocationDelay;
    }

    // ---- reads the desk relies on ----

    /// A pending change whose effect block has been reached is reported as already applied.
    function getAllocation(address operator, OperatorSet calldata operatorSet, address strategy)
        external
        view
        returns (Allocation memory)
    {
        return _settled(_allocations[operator][_key(operatorSet)][strategy]);
    }

    function isOperatorSlashable(address operator, OperatorSet memory operatorSet) public view returns (bool) {
        Registration memory reg = _registrations[_key(operatorSet)][operator];
        if (reg.registered) return true;
        return reg.deregisterBlock != 0 && block.number <= uint256(reg.deregisterBlock) + DEALLOCATION_DELAY;
    }

    function getSlashCount(OperatorSet calldata operatorSet) external view returns (uint256) {
        return _slashCounts[_key(operatorSet)];
    }

    /// Slashable shares now, `[operator][strategy]`: a pending decrease is still slashable.
    function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory slashableStake)
    {
        return _slashableStake(operatorSet, operators, strategies, uint32(block.number));
    }

    /// Slashable shares at `futureBlock`: pending decreases that have taken effect by then are
    /// subtracted, and a deregistered operator past its slashable bound counts for nothing.
    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory slashableStake) {
        return _slashableStake(operatorSet, operators, strategies, futureBlock);
    }

    function _slashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 atBlock
    ) private view returns (uint256[][] memory out) {
        bytes32 key = _key(operatorSet);
        out = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            out[i] = new uint256[](strategies.length);
            Registration memory reg = _registrations[key][operators[i]];
            bool slashable = reg.registered
                || (reg.deregisterBlock != 0 && uint256(atBlock) <= uint256(reg.deregisterBlock) + DEALLOCATION_DELAY);
            if (!slashable) continue;
            for (uint256 j = 0; j < strategies.length; j++) {
                Allocation memory a = _settled(_allocations[operators[i]][key][strategies[j]]);
                uint256 magnitude = a.currentMagnitude;
                if (a.pendingDiff < 0 && a.effectBlock <= atBlock) {
                    magnitude = uint256(int256(uint256(a.currentMagnitude)) + a.pendingDiff);
                }
                out[i][j] = (_operatorShares[operators[i]][strategies[j]] * magnitude) / WAD;
            }
        }
    }

    // ---- test helpers ----

    /// The operator's delegated shares per strategy (the DelegationManager's ledger, reduced to a setter).
    function setOperatorShares(address operator, address[] calldata strategies, uint256[] calldata shares) external {
        if (strategies.length != shares.length) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < strategies.length; i++) {
            _operatorShares[operator][strategies[i]] = shares[i];
        }
    }

    function operatorShares(address operator, address strategy) external view returns (uint256) {
        return _operatorShares[operator][strategy];
    }

    function registerForOperatorSet(address operator, OperatorSet calldata operatorSet) external {
        _registrations[_key(operatorSet)][operator] = Registration(true, 0);
        emit OperatorAddedToOperatorSet(operator, operatorSet);
    }

    function deregisterFromOperatorSet(address operator, OperatorSet calldata operatorSet) external {
        Registration storage reg = _registrations[_key(operatorSet)][operator];
        if (!reg.registered) revert NotRegistered();
        reg.registered = false;
        reg.deregisterBlock = uint32(block.number);
        emit OperatorRemovedFromOperatorSet(operator, operatorSet);
    }

    /// Increases take effect at once (as on mainnet); reported with effectBlock = this block.
    function allocate(address operator, OperatorSet calldata operatorSet, address strategy, uint64 magnitude) external {
        Allocation storage a = _settle(operator, operatorSet, strategy);
        if (a.effectBlock != 0) revert ModificationAlreadyPending();
        if (magnitude < a.currentMagnitude) revert NotAnIncrease();
        a.currentMagnitude = magnitude;
        emit AllocationUpdated(operator, operatorSet, strategy, magnitude, uint32(block.number));
    }

    /// A decrease stays pending for DEALLOCATION_DELAY + 1 blocks while the operator is
    /// slashable; if it is not slashable there is nothing to protect and it applies at once.
    function queueDeallocation(address operator, OperatorSet calldata operatorSet, address strategy, uint64 newMagnitude)
        external
    {
        Allocation storage a = _settle(operator, operatorSet, strategy);
        if (a.effectBlock != 0) revert ModificationAlreadyPending();
        if (newMagnitude >= a.currentMagnitude) revert NotADecrease();
        if (!isOperatorSlashable(operator, operatorSet)) {
            a.currentMagnitude = newMagnitude;
            emit AllocationUpdated(operator, operatorSet, strategy, newMagnitude, uint32(block.number));
            return;
        }
        uint32 effectBlock = uint32(block.number + DEALLOCATION_DELAY + 1);
        a.pendingDiff = int128(uint128(newMagnitude)) - int128(uint128(a.currentMagnitude));
        a.effectBlock = effectBlock;
        emit AllocationUpdated(operator, operatorSet, strategy, newMagnitude, effectBlock);
    }

    // ---- the slash ----

    /// `shares` here are the magnitudes removed per strategy (the stand-in has no share ledger).
    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares)
    {
        if (params.strategies.length != params.wadsToSlash.length) revert InputArrayLengthMismatch();
        OperatorSet memory operatorSet = OperatorSet(avs, params.operatorSetId);
        if (!isOperatorSlashable(params.operator, operatorSet)) revert OperatorNotSlashable();

        shares = new uint256[](params.strategies.length);
        for (uint256 i = 0; i < params.strategies.length; i++) {
            shares[i] = _slashOne(params.operator, operatorSet, params.strategies[i], params.wadsToSlash[i]);
        }
        slashId = ++_slashCounts[_key(operatorSet)];
        emit OperatorSlashed(params.operator, operatorSet, params.strategies, params.wadsToSlash, params.description);
    }

    /// Slashable magnitude still includes a pending deallocation (it only leaves at its effect
    /// block), so the pending decrease shrinks by the same fraction as the current magnitude.
    function _slashOne(address operator, OperatorSet memory operatorSet, address strategy, uint256 wad)
        private
        returns (uint256 slashed)
    {
        if (wad == 0 || wad > WAD) revert InvalidWadToSlash();
        Allocation storage a = _settle(operator, operatorSet, strategy);
        // Round up, as slashing should never under-slash by dust.
        slashed = (uint256(a.currentMagnitude) * wad + WAD - 1) / WAD;
        a.currentMagnitude -= uint64(slashed);
        if (a.pendingDiff < 0) {
            int256 cut = (int256(a.pendingDiff) * int256(wad)) / int256(WAD);
            a.pendingDiff -= int128(cut);
            // The target can never drop below zero after the proportional cut.
            if (int256(uint256(a.currentMagnitude)) + a.pendingDiff < 0) {
                a.pendingDiff = -int128(uint128(a.currentMagnitude));
            }
        }
        emit AllocationUpdated(operator, operatorSet, strategy, a.currentMagnitude, uint32(block.number));
    }

    function _settle(address operator, OperatorSet memory operatorSet, address strategy)
        private
        returns (Allocation storage a)
    {
        a = _allocations[operator][_key(operatorSet)][strategy];
        Allocation memory s = _settled(a);
        a.currentMagnitude = s.currentMagnitude;
        a.pendingDiff = s.pendingDiff;
        a.effectBlock = s.effectBlock;
    }

    function _settled(Allocation memory a) private view returns (Allocation memory) {
        if (a.effectBlock == 0 || a.effectBlock > block.number) return a;
        int256 applied = int256(uint256(a.currentMagnitude)) + a.pendingDiff;
        return Allocation(uint64(uint256(applied)), 0, 0);
    }

    function _key(OperatorSet memory operatorSet) internal pure returns (bytes32) {
        return keccak256(abi.encode(operatorSet.avs, operatorSet.id));
    }
}

/// The redistribution release: a set created redistributing sends slashed funds to the recipient
/// the AVS chose at creation (fixed for the set's life); every other set burns them.
contract AllocationManagerStandIn is AllocationManagerCore {
    address public constant DEFAULT_BURN_ADDRESS = 0x00000000000000000000000000000000000E16E4;

    error InvalidRedistributionRecipient();
    error RedistributionAlreadySet();

    mapping(bytes32 operatorSetKey => address) private _redistributionRecipients;

    event RedistributionAddressSet(OperatorSet operatorSet, address redistributionRecipient);

    constructor(uint32 deallocationDelay) AllocationManagerCore(deallocationDelay) {}

    function isRedistributingOperatorSet(OperatorSet memory operatorSet) public view returns (bool) {
        return _redistributionRecipients[_key(operatorSet)] != address(0);
    }

    function getRedistributionRecipient(OperatorSet memory operatorSet) external view returns (address) {
        address r = _redistributionRecipients[_key(operatorSet)];
        return r == address(0) ? DEFAULT_BURN_ADDRESS : r;
    }

    /// Test helper standing in for `createRedistributingOperatorSets`: once per set.
    function createRedistributingOperatorSet(OperatorSet calldata operatorSet, address recipient) external {
        if (recipient == address(0) || recipient == DEFAULT_BURN_ADDRESS) revert InvalidRedistributionRecipient();
        bytes32 key = _key(operatorSet);
        if (_redistributionRecipients[key] != address(0)) revert RedistributionAlreadySet();
        _redistributionRecipients[key] = recipient;
        emit RedistributionAddressSet(operatorSet, recipient);
    }
}

/// An older core (v1.3): no redistribution getters, every slash burns.
contract AllocationManagerV13StandIn is AllocationManagerCore {
    constructor(uint32 deallocationDelay) AllocationManagerCore(deallocationDelay) {}
}
