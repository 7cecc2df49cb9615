import {
  getAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { DeskError } from '../errors';
import { compileTestContracts, type TestContractArtifacts } from './compile';
import { allocationManagerStandInAbi, redistributionStandInAbi, strategyStandInAbi, vetoableSlasherAbis } from './testbedAbis';

export * from './testbedAbis';
export { compileTestContracts } from './compile';

export type SlasherVariant = 'V1' | 'V2' | 'V3' | 'V4';
/** A wallet that can send on its own: fixtures always know their chain and account. */
export type DevWalletClient = WalletClient<Transport, Chain, Account>;

export interface OperatorSetRef {
  avs: Address;
  id: number;
}

export interface SlashingParamsInput {
  operator: Address;
  operatorSetId: number;
  strategies: readonly Address[];
  wadsToSlash: readonly bigint[];
  description: string;
}

export interface DeployTestbedParameters {
  variant: SlasherVariant;
  /** V3/V4 only; defaults to 40. */
  vetoWindowBlocks?: number;
  deallocationDelay: number;
  /** Who may queue and fulfil (keeper EOA or governance Safe). */
  slasher: Address;
  /** Who may cancel (the committee Safe, or an EOA in unit-style tests). */
  vetoCommittee: Address;
  avs?: Address;
  /** the AllocationManager's release: 'v1.5' (default, redistribution getters) or 'v1.3' (older core without them) */
  core?: 'v1.3' | 'v1.5';
}

export interface Testbed {
  variant: SlasherVariant;
  allocationManager: Address;
  /** The VetoableSlasher contract (not the `slasher()` role). */
  slasher: Address;
  coordinator?: Address;
  strategyManager?: Address;
  /** WETH, stETH, EIGEN (18 decimals), USDC (6 decimals) */
  strategies: Address[];
  tokens: Address[];
  avs: Address;
  core: 'v1.3' | 'v1.5';
  /** First block holding testbed contracts: a safe START_BLOCK for indexing. */
  deployBlock: bigint;
}

export interface SentTx {
  txHash: Hash;
  blockNumber: bigint;
}

/** The AVS used when none is given. Only an identifier to the stand-ins; nothing lives there. */
export const DEFAULT_TESTBED_AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');

const STRATEGY_TOKENS = [
  ['Wrapped Ether', 'WETH', 18],
  ['Lido Staked Ether', 'stETH', 18],
  ['Eigen', 'EIGEN', 18],
  // a token whose base unit is not 1e-18: amounts must follow the token's own decimals
  ['USD Coin', 'USDC', 6],
] as const;

/**
 * Deploys an AllocationManager stand-in, three token-backed strategies and one VetoableSlasher
 * of the requested variant (plus coordinator / StrategyManager stand-ins where the variant has
 * them). Works under automine or interval mining; each deploy waits for its receipt.
 *
 * @example
 * const tb = await deployTestbed(wallet, publicClient, {
 *   variant: 'V3', vetoWindowBlocks: 40, deallocationDelay: 60, slasher: keeper, vetoCommittee: safe,
 * });
 */
export async function deployTestbed(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: DeployTestbedParameters,
): Promise<Testbed> {
  const artifacts = await compileTestContracts();
  const deploy = (name: keyof TestContractArtifacts, args: readonly unknown[]) =>
    deployArtifact(wallet, publicClient, artifacts[name], args);
  const avs = params.avs ?? DEFAULT_TESTBED_AVS;
  const window = params.vetoWindowBlocks ?? 40;

  const core = params.core ?? 'v1.5';
  const am = await deploy(core === 'v1.5' ? 'AllocationManagerStandIn' : 'AllocationManagerV13StandIn', [params.deallocationDelay]);
  const tokens: Address[] = [];
  const strategies: Address[] = [];
  for (const [name, symbol, decimals] of STRATEGY_TOKENS) {
    const token = await deploy('TestToken', [name, symbol, decimals]);
    tokens.push(token.address);
    strategies.push((await deploy('StrategyStandIn', [token.address])).address);
  }

  const base = { variant: params.variant, allocationManager: am.address, strategies, tokens, avs, core, deployBlock: am.blockNumber };
  const { slasher: keeper, vetoCommittee } = params;
  switch (params.variant) {
    case 'V1':
    case 'V2': {
      const slasher = await deploy(`VetoableSlasher${params.variant}`, [am.address, avs, keeper, vetoCommittee]);
      return { ...base, slasher: slasher.address };
    }
    case 'V3': {
      const coordinator = await deploy('SlashingRegistryCoordinatorStandIn', [avs]);
      const slasher = await deploy('VetoableSlasherV3', [am.address, coordinator.address, keeper, vetoCommittee, window]);
      return { ...base, slasher: slasher.address, coordinator: coordinator.address };
    }
    case 'V4': {
      const coordinator = await deploy('SlashingRegistryCoordinatorStandIn', [avs]);
      const strategyManager = await deploy('StrategyManagerStandIn', []);
      const slasher = await deploy('VetoableSlasherV4', [
        am.address,
        strategyManager.address,
        coordinator.address,
        keeper,
        vetoCommittee,
        window,
      ]);
      return {
        ...base,
        slasher: slasher.address,
        coordinator: coordinator.address,
        strategyManager: strategyManager.address,
      };
    }
  }
}

/** Deploys raw ABI + bytecode and waits for it; shared with the Safe deployer. */
export async function deployArtifact(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  artifact: { abi: Abi; bytecode: Hex },
  args: readonly unknown[],
): Promise<{ address: Address; blockNumber: bigint }> {
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new DeskError('DEVNET_FAILED', `Contract deployment reverted (tx ${hash})`);
  }
  return { address: getAddress(receipt.contractAddress), blockNumber: receipt.blockNumber };
}

// ---- fixture actions: each sends one tx, waits, and fails loudly on revert ----

/** The same calldata works on every variant; the variant only matters for decoding the log. */
export async function queueRequest(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { slasher: Address; request: SlashingParamsInput },
): Promise<SentTx & { requestId: bigint }> {
  const { request } = params;
  const txHash = await wallet.writeContract({
    address: params.slasher,
    abi: vetoableSlasherAbis.V3,
    functionName: 'queueSlashingRequest',
    args: [{ ...request, strategies: [...request.strategies], wadsToSlash: [...request.wadsToSlash] }],
  });
  const receipt = await waitForSuccess(publicClient, txHash);
  // topic1 is the request id in every indexing layout.
  const log = receipt.logs.find((l) => getAddress(l.address) === getAddress(params.slasher));
  const idTopic = log?.topics[1];
  if (!idTopic) throw new DeskError('DEVNET_FAILED', `No SlashingRequested log in ${txHash}`);
  return { txHash, blockNumber: receipt.blockNumber, requestId: BigInt(idTopic) };
}

export async function cancelRequest(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { slasher: Address; requestId: bigint },
): Promise<SentTx> {
  const txHash = await wallet.writeContract({
    address: params.slasher,
    abi: vetoableSlasherAbis.V3,
    functionName: 'cancelSlashingRequest',
    args: [params.requestId],
  });
  return sent(publicClient, txHash);
}

/** `burnOrRedistribute` uses V4's `fulfillSlashingRequestAndBurnOrRedistribute`. */
export async function fulfilRequest(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { slasher: Address; requestId: bigint; burnOrRedistribute?: boolean },
): Promise<SentTx> {
  const txHash = await wallet.writeContract({
    address: params.slasher,
    abi: vetoableSlasherAbis.V4,
    functionName: params.burnOrRedistribute ? 'fulfillSlashingRequestAndBurnOrRedistribute' : 'fulfillSlashingRequest',
    args: [params.requestId],
  });
  return sent(publicClient, txHash);
}

interface AllocationTarget {
  allocationManager: Address;
  operator: Address;
  operatorSet: OperatorSetRef;
}

export async function registerOperator(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: AllocationTarget,
): Promise<SentTx> {
  return amWrite(wallet, publicClient, params.allocationManager, 'registerForOperatorSet', [
    params.operator,
    params.operatorSet,
  ]);
}

export async function deregisterOperator(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: AllocationTarget,
): Promise<SentTx> {
  return amWrite(wallet, publicClient, params.allocationManager, 'deregisterFromOperatorSet', [
    params.operator,
    params.operatorSet,
  ]);
}

export async function allocate(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: AllocationTarget & { strategy: Address; magnitude: bigint },
): Promise<SentTx> {
  return amWrite(wallet, publicClient, params.allocationManager, 'allocate', [
    params.operator,
    params.operatorSet,
    params.strategy,
    params.magnitude,
  ]);
}

/** Lands at effectBlock = tx block + DEALLOCATION_DELAY + 1 while the operator is slashable. */
export async function queueDeallocation(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: AllocationTarget & { strategy: Address; newMagnitude: bigint },
): Promise<SentTx> {
  return amWrite(wallet, publicClient, params.allocationManager, 'queueDeallocation', [
    params.operator,
    params.operatorSet,
    params.strategy,
    params.newMagnitude,
  ]);
}

/** The operator's delegated shares per strategy (what its allocated magnitude is a fraction of). */
export async function setOperatorShares(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { allocationManager: Address; operator: Address; strategies: readonly Address[]; shares: readonly bigint[] },
): Promise<SentTx> {
  return amWrite(wallet, publicClient, params.allocationManager, 'setOperatorShares', [params.operator, [...params.strategies], [...params.shares]]);
}

/** Makes an operator set redistributing to `recipient` (v1.5 stand-in only; once per set). */
export async function createRedistributingOperatorSet(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { allocationManager: Address; operatorSet: OperatorSetRef; recipient: Address },
): Promise<SentTx> {
  const txHash = await wallet.writeContract({
    address: params.allocationManager,
    abi: redistributionStandInAbi,
    functionName: 'createRedistributingOperatorSet',
    args: [params.operatorSet, params.recipient],
  });
  return sent(publicClient, txHash);
}

/** What one share of the strategy is worth in its token, as a wad (1e18 = one base unit per share). */
export async function setUnderlyingPerShare(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  params: { strategy: Address; rateWad: bigint },
): Promise<SentTx> {
  const txHash = await wallet.writeContract({ address: params.strategy, abi: strategyStandInAbi, functionName: 'setUnderlyingPerShareWad', args: [params.rateWad] });
  return sent(publicClient, txHash);
}

type AmWrite = 'registerForOperatorSet' | 'deregisterFromOperatorSet' | 'allocate' | 'queueDeallocation' | 'setOperatorShares';

async function amWrite(
  wallet: DevWalletClient,
  publicClient: PublicClient,
  address: Address,
  functionName: AmWrite,
  args: readonly unknown[],
): Promise<SentTx> {
  const txHash = await wallet.writeContract({
    address,
    abi: allocationManagerStandInAbi as Abi,
    functionName,
    args,
  });
  return sent(publicClient, txHash);
}

async function sent(publicClient: PublicClient, txHash: Hash): Promise<SentTx> {
  const receipt = await waitForSuccess(publicClient, txHash);
  return { txHash, blockNumber: receipt.blockNumber };
}

async function waitForSuccess(publicClient: PublicClient, hash: Hash) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new DeskError('DEVNET_FAILED', `Transaction reverted: ${hash}`);
  return receipt;
}
