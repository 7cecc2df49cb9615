/**
 * The veto as a Safe transaction (DOMAIN.md §3): `to` = slasher, `value` = 0,
 * `data` = `cancelSlashingRequest(id)`, `operation` = call, gas and refund fields zero; governance's
 * fulfil the same with `fulfillSlashingRequest(id)` (or V4's burn-or-redistribute). Pure: the
 * chain id, Safe and nonce come in as parameters.
 */
import type { TypedDataJson } from '../requests/views';
import { concatHex, encodeFunctionData, encodePacked, getAddress, hashTypedData, parseAbi, size, zeroAddress, type Address, type Hex } from 'viem';

export const safeAbi = parseAbi([
  'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)',
  'function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)',
  'function getOwners() view returns (address[])',
  'function getThreshold() view returns (uint256)',
  'function nonce() view returns (uint256)',
  'function approvedHashes(address owner, bytes32 hash) view returns (uint256)',
  'event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)',
  'event ExecutionFailure(bytes32 indexed txHash, uint256 payment)',
  'event AddedOwner(address indexed owner)',
  'event RemovedOwner(address indexed owner)',
  'event ChangedThreshold(uint256 threshold)',
]);

const slasherCallAbi = parseAbi([
  'function cancelSlashingRequest(uint256 requestId)',
  'function fulfillSlashingRequest(uint256 requestId)',
  'function fulfillSlashingRequestAndBurnOrRedistribute(uint256 requestId)',
]);

/** The slasher function a fulfil calls (FULFIL_FUNCTION; the second exists on V4 only). */
export type FulfilFunction = 'fulfillSlashingRequest' | 'fulfillSlashingRequestAndBurnOrRedistribute';

export interface SafeTx {
  to: Address;
  value: bigint;
  data: Hex;
  operation: 0 | 1;
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: Address;
  refundReceiver: Address;
  nonce: bigint;
}

/** Where a signature is valid: one chain, one Safe. */
export interface SafeDomain {
  chainId: number;
  safe: Address;
}

export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' },
    { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const;

/** `cancelSlashingRequest(requestId)` calldata. */
export function vetoCallData(requestId: bigint): Hex {
  return encodeFunctionData({ abi: slasherCallAbi, functionName: 'cancelSlashingRequest', args: [requestId] });
}

/** `fulfillSlashingRequest(requestId)` (or the V4 burn-or-redistribute variant) calldata. */
export function fulfilCallData(fn: FulfilFunction, requestId: bigint): Hex {
  return encodeFunctionData({ abi: slasherCallAbi, functionName: fn, args: [requestId] });
}

/** A Safe transaction that calls `to` with `data` (value 0, operation call, gas and refund fields zero). */
export function buildCallSafeTx(to: Address, data: Hex, nonce: bigint, operation: 0 | 1 = 0): SafeTx {
  return { to: getAddress(to), value: 0n, data, operation, safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress, nonce };
}

/**
 * The Safe transaction that vetoes `requestId` at `nonce`.
 *
 * @example
 * const tx = buildVetoSafeTx(slasher, 3n, 7n);
 */
export function buildVetoSafeTx(slasher: Address, requestId: bigint, nonce: bigint): SafeTx {
  return buildCallSafeTx(slasher, vetoCallData(requestId), nonce);
}

/**
 * Governance's Safe transaction that fulfils `requestId` at `nonce` (the Safe is the slasher role).
 *
 * @example
 * const tx = buildFulfilSafeTx(slasher, 'fulfillSlashingRequest', 3n, 7n);
 */
export function buildFulfilSafeTx(slasher: Address, fn: FulfilFunction, requestId: bigint, nonce: bigint): SafeTx {
  return buildCallSafeTx(slasher, fulfilCallData(fn, requestId), nonce);
}

/**
 * A rejection: the Safe calling itself with nothing, at a given nonce. Executing it consumes the
 * nonce, so a lower-nonce transaction that will never reach quorum stops blocking higher ones.
 */
export function buildRejectionSafeTx(safe: Address, nonce: bigint): SafeTx {
  return buildCallSafeTx(safe, '0x', nonce);
}

const multiSendAbi = parseAbi(['function multiSend(bytes transactions) payable']);

/** MultiSend's packed calls: per call uint8 operation (0), address, uint256 value, uint256 length, bytes. */
export function multiSendData(calls: readonly { to: Address; data: Hex }[]): Hex {
  const packed = concatHex(calls.map((c) => encodePacked(['uint8', 'address', 'uint256', 'uint256', 'bytes'], [0, getAddress(c.to), 0n, BigInt(size(c.data)), c.data])));
  return encodeFunctionData({ abi: multiSendAbi, functionName: 'multiSend', args: [packed] });
}

/**
 * One Safe transaction vetoing several requests: DELEGATECALL (operation 1) into
 * MultiSendCallOnly, which calls `cancelSlashingRequest` on the slasher once per id (the Safe is
 * `msg.sender` of each call).
 */
export function buildBatchVetoSafeTx(multiSendCallOnly: Address, slasher: Address, requestIds: readonly bigint[], nonce: bigint): SafeTx {
  return buildCallSafeTx(multiSendCallOnly, multiSendData(requestIds.map((id) => ({ to: slasher, data: vetoCallData(id) }))), nonce, 1);
}

/** EIP-712 typed data of a SafeTx, as `eth_signTypedData_v4` and viem's `signTypedData` take it. */
export function safeTxTypedData(domain: SafeDomain, tx: SafeTx) {
  return {
    domain: { chainId: domain.chainId, verifyingContract: getAddress(domain.safe) },
    types: SAFE_TX_TYPES,
    primaryType: 'SafeTx' as const,
    message: tx,
  };
}

/** The safeTxHash: EIP-712 hash with domain `{ chainId, verifyingContract }` (Safe ≥ 1.3.0). */
export function safeTxHash(domain: SafeDomain, tx: SafeTx): Hex {
  return hashTypedData(safeTxTypedData(domain, tx));
}

/** Typed data as JSON (bigints as decimal strings), the form the API serves and wallets accept. */
export function typedDataJson(domain: SafeDomain, tx: SafeTx): TypedDataJson {
  const t = safeTxTypedData(domain, tx);
  return {
    domain: t.domain,
    types: { EIP712Domain: [{ name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }], ...t.types },
    primaryType: t.primaryType,
    message: {
      ...tx,
      value: tx.value.toString(),
      safeTxGas: tx.safeTxGas.toString(),
      baseGas: tx.baseGas.toString(),
      gasPrice: tx.gasPrice.toString(),
      nonce: tx.nonce.toString(),
    },
  };
}

export type { TypedDataJson } from '../requests/views';

/** Parses the JSON form back into the typed data viem signs (used by the CLI). */
export function typedDataFromJson(json: TypedDataJson) {
  const m = json.message;
  const tx: SafeTx = {
    to: getAddress(m.to),
    value: BigInt(m.value),
    data: m.data,
    operation: m.operation,
    safeTxGas: BigInt(m.safeTxGas),
    baseGas: BigInt(m.baseGas),
    gasPrice: BigInt(m.gasPrice),
    gasToken: getAddress(m.gasToken),
    refundReceiver: getAddress(m.refundReceiver),
    nonce: BigInt(m.nonce),
  };
  return safeTxTypedData({ chainId: Number(json.domain.chainId), safe: json.domain.verifyingContract }, tx);
}
