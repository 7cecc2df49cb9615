import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  numberToHex,
  parseEther,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilDevAccounts, startAnvil, type DevAccount } from './anvil';
import {
  allocate,
  deployTestbed,
  fulfilRequest,
  queueDeallocation,
  queueRequest,
  registerOperator,
  vetoableSlasherV3Abi,
  type DevWalletClient,
  type SlashingParamsInput,
} from './deploy';
import { createSafe, deploySafeContracts, execSafeTransaction, type SafeContracts } from './safe';

export interface StartDevnetParameters {
  port?: number;
  /** Seconds between blocks once seeded; default 2. 0 keeps automine. */
  blockTime?: number;
  vetoWindowBlocks?: number;
  deallocationDelay?: number;
}

export interface SeededRequests {
  fulfilled: bigint;
  cancelled: bigint;
  /** Its operator's full deallocation lands before the request's window ends. */
  atRisk: bigint;
  open: bigint[];
}

export interface Devnet {
  rpcUrl: string;
  wsUrl: string;
  chainId: number;
  /** The V3 VetoableSlasher contract. */
  slasher: Address;
  allocationManager: Address;
  avs: Address;
  operatorSetId: number;
  strategies: Address[];
  operators: Address[];
  /** The committee Safe (2-of-3), i.e. the slasher's `vetoCommittee()`. */
  safe: Address;
  owners: DevAccount[];
  /** Account #0: deployer, the slasher's `slasher()` role, and a convenient Safe executor. */
  keeper: DevAccount;
  contractNetworks: Record<string, SafeContracts>;
  deployBlock: bigint;
  vetoWindowBlocks: number;
  deallocationDelay: number;
  seeded: SeededRequests;
  stop(): Promise<void>;
}

const CHAIN_ID = 31337;
const OPERATOR_SET_ID = 1;
const WAD = parseEther('1');

/** viem clients for a local devnet; fast polling because blocks come every second or two. */
export function createDevClients(rpcUrl: string, privateKey: Hex, chainId = CHAIN_ID) {
  const chain = defineChain({
    id: chainId,
    name: 'Veto Desk devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl);
  // cacheTime 0: tests mine blocks by RPC and must never see a cached, stale block number.
  const publicClient: PublicClient = createPublicClient({ chain, transport, pollingInterval: 50, cacheTime: 0 });
  const wallet: DevWalletClient = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(privateKey),
    pollingInterval: 50,
  });
  return { publicClient, wallet, chain };
}

/**
 * A local chain with a seeded V3 slasher for demos and integration tests: Safe 1.4.1 suite, a
 * 2-of-3 committee Safe (dev accounts #1–#3), four operators with allocations and requests in
 * every state, including one already at risk. Seeding runs under automine (fast), then the
 * node switches to interval mining so deadlines advance on their own.
 *
 * @example
 * const devnet = await startDevnet();
 * console.log(devnet.rpcUrl, devnet.slasher);
 * await devnet.stop();
 */
export async function startDevnet(params: StartDevnetParameters = {}): Promise<Devnet> {
  const blockTime = params.blockTime ?? 2;
  const vetoWindowBlocks = params.vetoWindowBlocks ?? 40;
  const deallocationDelay = params.deallocationDelay ?? 60;
  const anvil = await startAnvil({ port: params.port, chainId: CHAIN_ID });
  try {
    const accounts = anvilDevAccounts(8);
    const [keeper, o1, o2, o3, ...operatorAccounts] = accounts as [DevAccount, DevAccount, DevAccount, DevAccount, ...DevAccount[]];
    const owners = [o1, o2, o3];
    const operators = operatorAccounts.map((a) => a.address);
    const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper.privateKey);

    const safeContracts = await deploySafeContracts(wallet, publicClient);
    const safe = await createSafe(wallet, publicClient, safeContracts, owners.map((o) => o.address), 2);
    const testbed = await deployTestbed(wallet, publicClient, {
      variant: 'V3',
      vetoWindowBlocks,
      deallocationDelay,
      slasher: keeper.address,
      vetoCommittee: safe,
    });
    const { allocationManager, slasher, strategies, avs } = testbed;
    const operatorSet = { avs, id: OPERATOR_SET_ID };
    const [s0, s1, s2] = strategies as [Address, Address, Address];

    // Every operator allocates fully to two strategies; the first also to the third.
    for (const [i, operator] of operators.entries()) {
      await registerOperator(wallet, publicClient, { allocationManager, operator, operatorSet });
      for (const strategy of i === 0 ? [s0, s1, s2] : [s0, s1]) {
        await allocate(wallet, publicClient, { allocationManager, operator, operatorSet, strategy, magnitude: WAD });
      }
    }
    const [opA, opB, opC, opD] = operators as [Address, Address, Address, Address];
    const request = (operator: Address, description: string, wad = parseEther('0.1')): SlashingParamsInput => ({
      operator,
      operatorSetId: OPERATOR_SET_ID,
      strategies: [s0, s1],
      wadsToSlash: [wad, wad],
      description,
    });
    const queue = async (r: SlashingParamsInput) =>
      (await queueRequest(wallet, publicClient, { slasher, request: r })).requestId;

    // Fulfilled: mine past its window in one RPC call rather than waiting for it.
    const fulfilled = await queue(request(opA, 'Missed attestations in epoch 1204'));
    await mine(publicClient, vetoWindowBlocks);
    await fulfilRequest(wallet, publicClient, { slasher, requestId: fulfilled });

    // Cancelled: a veto executed by two of the three committee owners.
    const cancelled = await queue(request(opB, 'Disputed: oracle misreport'));
    await execSafeTransaction(wallet, publicClient, {
      safe,
      to: slasher,
      data: encodeFunctionData({ abi: vetoableSlasherV3Abi, functionName: 'cancelSlashingRequest', args: [cancelled] }),
      ownerPrivateKeys: [o1.privateKey, o2.privateKey],
    });

    // At risk: opD queues a full deallocation first; the request arrives late enough that its
    // window ends after the deallocation's effectBlock − 1 (the last block a slash still bites).
    for (const strategy of [s0, s1]) {
      await queueDeallocation(wallet, publicClient, { allocationManager, operator: opD, operatorSet, strategy, newMagnitude: 0n });
    }
    await mine(publicClient, Math.max(0, deallocationDelay - vetoWindowBlocks + 5));
    const atRisk = await queue(request(opD, 'Equivocation: double-signed checkpoint', parseEther('0.5')));

    const open = [await queue(request(opC, 'Invalid task response #88')), await queue(request(opA, 'Liveness fault'))];

    if (blockTime > 0) await publicClient.request({ method: 'evm_setIntervalMining', params: [blockTime] } as never);

    return {
      rpcUrl: anvil.rpcUrl,
      wsUrl: anvil.wsUrl,
      chainId: CHAIN_ID,
      slasher,
      allocationManager,
      avs,
      operatorSetId: OPERATOR_SET_ID,
      strategies,
      operators,
      safe,
      owners,
      keeper,
      contractNetworks: { [String(CHAIN_ID)]: safeContracts },
      deployBlock: testbed.deployBlock,
      vetoWindowBlocks,
      deallocationDelay,
      seeded: { fulfilled, cancelled, atRisk, open },
      stop: () => anvil.stop(),
    };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

async function mine(publicClient: PublicClient, blocks: number): Promise<void> {
  if (blocks <= 0) return;
  await publicClient.request({ method: 'anvil_mine', params: [numberToHex(blocks)] } as never);
}
