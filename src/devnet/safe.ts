import type { ContractNetworkConfig } from '@safe-global/protocol-kit';
import path from 'node:path';
import {
  concatHex,
  encodeFunctionData,
  getAddress,
  parseAbi,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DeskError } from '../errors';
import { deployArtifact, type DevWalletClient } from './deploy';
import { SAFE_TX_TYPES } from '../safe/safeTx';

/** The Safe 1.4.1 entry points fixtures and tests call. */
export const safeAbi = parseAbi([
  'function setup(address[] _owners, uint256 _threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver)',
  'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)',
  'function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)',
  'function getOwners() view returns (address[])',
  'function getThreshold() view returns (uint256)',
  'function nonce() view returns (uint256)',
  'function VERSION() view returns (string)',
  'event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)',
  'event ExecutionFailure(bytes32 indexed txHash, uint256 payment)',
]);

export const safeProxyFactoryAbi = parseAbi([
  'function createProxyWithNonce(address _singleton, bytes initializer, uint256 saltNonce) returns (address proxy)',
  'event ProxyCreation(address indexed proxy, address singleton)',
]);

/** Addresses of the deployed Safe 1.4.1 contracts, keyed as protocol-kit 8 expects. */
export type SafeContracts = Required<
  Pick<
    ContractNetworkConfig,
    | 'safeSingletonAddress'
    | 'safeProxyFactoryAddress'
    | 'multiSendAddress'
    | 'multiSendCallOnlyAddress'
    | 'fallbackHandlerAddress'
    | 'signMessageLibAddress'
    | 'createCallAddress'
    | 'simulateTxAccessorAddress'
  >
> & { safeL2SingletonAddress: string };

/** Resolved on first use: the package is a development dependency, absent from a production install. */
const artifactsDir = () => path.join(path.dirname(require.resolve('@safe-global/safe-contracts/package.json')), 'build', 'artifacts', 'contracts');

function safeArtifact(relPath: string): { abi: Abi; bytecode: Hex } {
  const json = require(path.join(artifactsDir(), relPath)) as { abi: Abi; bytecode: Hex };
  return { abi: json.abi, bytecode: json.bytecode };
}

/**
 * Deploys the Safe 1.4.1 contract suite from the npm artifacts. Pass the result to
 * protocol-kit as `contractNetworks: { [chainId]: contracts }` (the extra
 * `safeL2SingletonAddress` key is ours and ignored by protocol-kit).
 */
export async function deploySafeContracts(wallet: DevWalletClient, publicClient: PublicClient): Promise<SafeContracts> {
  const d = async (relPath: string) => (await deployArtifact(wallet, publicClient, safeArtifact(relPath), [])).address;
  return {
    safeSingletonAddress: await d('Safe.sol/Safe.json'),
    safeL2SingletonAddress: await d('SafeL2.sol/SafeL2.json'),
    safeProxyFactoryAddress: await d('proxies/SafeProxyFactory.sol/SafeProxyFactory.json'),
    multiSendAddress: await d('libraries/MultiSend.sol/MultiSend.json'),
    multiSendCallOnlyAddress: await d('libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json'),
    fallbackHandlerAddress: await d('handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json'),
    signMessageLibAddress: await d('libraries/SignMessageLib.sol/SignMessageLib.json'),
    createCallAddress: await d('libraries/CreateCall.sol/CreateCall.json'),
    simulateTxAccessorAddress: await d('accessors/SimulateTxAccessor.sol/SimulateTxAccessor.json'),
  };
}

let saltCounter = 0n;

/** Creates a Safe proxy (L1 singleton, as a mainnet committee Safe would be) and returns its address. */
export async function createSafe(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  contracts: SafeContracts,
  owners: readonly Address[],
  threshold: number,
  saltNonce: bigint = BigInt(Date.now()) * 1000n + saltCounter++,
): Promise<Address> {
  const initializer = encodeFunctionData({
    abi: safeAbi,
    functionName: 'setup',
    args: [
      [...owners],
      BigInt(threshold),
      zeroAddress,
      '0x',
      contracts.fallbackHandlerAddress as Address,
      zeroAddress,
      0n,
      zeroAddress,
    ],
  });
  const hash = await wallet.writeContract({
    address: contracts.safeProxyFactoryAddress as Address,
    abi: safeProxyFactoryAbi,
    functionName: 'createProxyWithNonce',
    args: [contracts.safeSingletonAddress as Address, initializer, saltNonce],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: safeProxyFactoryAbi, logs: receipt.logs, eventName: 'ProxyCreation' });
  if (receipt.status !== 'success' || !created) throw new DeskError('DEVNET_FAILED', `Safe creation failed (tx ${hash})`);
  return created.args.proxy;
}

export interface SafeTxInput {
  to: Address;
  value?: bigint;
  data: Hex;
  /** 0 = call, 1 = delegatecall (MultiSend batches). */
  operation?: 0 | 1;
  nonce: bigint;
}

/** EIP-712 typed data of a SafeTx (DOMAIN.md §3); gas/refund fields are zero for our use. */
export function safeTxTypedData(chainId: number, safe: Address, tx: SafeTxInput) {
  return {
    domain: { chainId, verifyingContract: safe },
    types: SAFE_TX_TYPES,
    primaryType: 'SafeTx',
    message: {
      to: tx.to,
      value: tx.value ?? 0n,
      data: tx.data,
      operation: tx.operation ?? 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: zeroAddress,
      refundReceiver: zeroAddress,
      nonce: tx.nonce,
    },
  } as const;
}

/** Typed-data signatures (v = 27/28), concatenated in ascending owner order as the Safe requires. */
export async function signSafeTransaction(
  chainId: number,
  safe: Address,
  tx: SafeTxInput,
  ownerPrivateKeys: readonly Hex[],
): Promise<Hex> {
  const typedData = safeTxTypedData(chainId, safe, tx);
  const signed = await Promise.all(
    ownerPrivateKeys.map(async (pk) => {
      const account = privateKeyToAccount(pk);
      return { owner: BigInt(account.address), signature: await account.signTypedData(typedData) };
    }),
  );
  signed.sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  return concatHex(signed.map((s) => s.signature));
}

/**
 * Signs a Safe transaction with the given owners' keys and executes it from `wallet` (any
 * account may submit). Uses the Safe's current nonce unless one is given.
 *
 * @example
 * await execSafeTransaction(wallet, publicClient, {
 *   safe, to: slasher, data: encodeFunctionData({ abi, functionName: 'cancelSlashingRequest', args: [id] }),
 *   ownerPrivateKeys: [owner1.privateKey, owner2.privateKey],
 * });
 */
export async function execSafeTransaction(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: Omit<SafeTxInput, 'nonce'> & { safe: Address; nonce?: bigint; ownerPrivateKeys: readonly Hex[] },
): Promise<{ txHash: Hash; blockNumber: bigint; safeTxHash: Hex }> {
  const nonce =
    params.nonce ?? (await publicClient.readContract({ address: params.safe, abi: safeAbi, functionName: 'nonce' }));
  const tx: SafeTxInput = { to: params.to, value: params.value, data: params.data, operation: params.operation, nonce };
  const { message } = safeTxTypedData(wallet.chain.id, params.safe, tx);
  const signatures = await signSafeTransaction(wallet.chain.id, params.safe, tx, params.ownerPrivateKeys);

  const txHash = await wallet.writeContract({
    address: params.safe,
    abi: safeAbi,
    functionName: 'execTransaction',
    args: [
      message.to,
      message.value,
      message.data,
      message.operation,
      message.safeTxGas,
      message.baseGas,
      message.gasPrice,
      message.gasToken,
      message.refundReceiver,
      signatures,
    ],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  const [success] = parseEventLogs({ abi: safeAbi, logs: receipt.logs, eventName: 'ExecutionSuccess' }).filter(
    (l) => getAddress(l.address) === getAddress(params.safe),
  );
  if (receipt.status !== 'success' || !success) {
    throw new DeskError('DEVNET_FAILED', `Safe transaction did not execute successfully (tx ${txHash})`);
  }
  return { txHash, blockNumber: receipt.blockNumber, safeTxHash: success.args.txHash };
}
