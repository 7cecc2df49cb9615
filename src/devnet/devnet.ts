import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getAddress,
  http,
  numberToHex,
  parseEther,
  parseUnits,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilDevAccounts, startAnvil, type AnvilInstance, type DevAccount, type StartAnvilParameters } from './anvil';
import { withAccountLock } from '../chain/accountLock';
import { DeskError, describeError } from '../errors';
import { devnetFiles, discardState, readSavedDevnet, saveDevnet, setAside, type DevnetFiles, type DevnetLayout } from './persist';
import {
  createRedistributingOperatorSet,
  setOperatorShares,
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
  /** default 150 blocks: five minutes at 2 s, long enough to practise a veto on the board */
  vetoWindowBlocks?: number;
  /** default 60 blocks */
  deallocationDelay?: number;
  /**
   * A folder to keep the chain in: anvil's state is dumped there on stop (and every
   * `stateIntervalSec`), and the next start with the same folder resumes that chain instead of
   * seeding a new one. Absent: a new chain every time, nothing written.
   */
  stateDir?: string;
  /** seconds between periodic state dumps (default 10); only with `stateDir` */
  stateIntervalSec?: number;
  /** kill anvil when this process dies, even by SIGKILL (a watchdog on a pipe from this process) */
  watchdog?: boolean;
}

export interface SeededRequests {
  fulfilled: bigint;
  cancelled: bigint;
  /** Its operator's full deallocation lands before the request's window ends. */
  atRisk: bigint;
  open: bigint[];
  /** open, in operator set 2, which redistributes slashed funds to DEVNET_REDISTRIBUTION_RECIPIENT (absent on a chain saved before it existed) */
  redistributing?: bigint;
}

/** Operator set 2 of the devnet sends slashed funds here instead of burning them. */
export const DEVNET_REDISTRIBUTION_RECIPIENT: Address = getAddress('0x00000000000000000000000000000000000BeeF0');
/** Each seeded operator's delegated shares per strategy (WETH, stETH, EIGEN): what its magnitudes are fractions of. */
const DEVNET_SHARES = [3_200n * 10n ** 18n, 2_500n * 10n ** 18n, 12_500n * 10n ** 18n] as const;

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
  /** seconds between blocks once seeded (0: automine) */
  blockTime: number;
  seeded: SeededRequests;
  /** true: the chain was resumed from `stateDir`, not seeded anew */
  resumed: boolean;
  /** with `stateDir`, why a new chain was seeded instead of resuming one (null when resumed) */
  freshReason: string | null;
  /** the anvil process (for tests that check it is gone) */
  pid: number | undefined;
  /** queues a practice slashing request from the keeper (the slasher role) */
  queue(input?: DevnetQueueInput): Promise<DevnetQueued>;
  stop(): Promise<void>;
}

export interface DevnetQueueInput {
  /** one of the seeded operators; default the first */
  operator?: Address;
  /** percent of each strategy's allocation to slash, 1–100; default 10 */
  percent?: number;
  description?: string;
}

export interface DevnetQueued {
  requestId: bigint;
  txHash: Hex;
  block: bigint;
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
 * every state: one fulfilled, one vetoed, one whose stake escapes before its window ends, and
 * open ones (one of whose operator pulls its stake out of one strategy only). Seeding runs under
 * automine (fast), then the node switches to interval mining so deadlines advance on their own.
 * With `stateDir`, the chain is kept there and the next start resumes it.
 *
 * @example
 * const devnet = await startDevnet();
 * console.log(devnet.rpcUrl, devnet.slasher);
 * await devnet.stop();
 */
export async function startDevnet(params: StartDevnetParameters = {}): Promise<Devnet> {
  const blockTime = params.blockTime ?? 2;
  const files = params.stateDir ? devnetFiles(params.stateDir) : null;
  let freshReason: string | null = null;
  if (files) {
    const saved = readSavedDevnet(files);
    if (saved.layout) {
      try {
        return await resume(saved.layout, files, params, blockTime);
      } catch (e) {
        freshReason = `the saved chain in ${files.dir} could not be resumed (${describeError(e)}); it was moved to ${setAside(files)}`;
      }
    } else {
      freshReason = saved.reason;
      discardState(files);
    }
  }
  return seed(params, blockTime, files, freshReason);
}

async function seed(params: StartDevnetParameters, blockTime: number, files: DevnetFiles | null, freshReason: string | null): Promise<Devnet> {
  const vetoWindowBlocks = params.vetoWindowBlocks ?? 150;
  const deallocationDelay = params.deallocationDelay ?? 60;
  const anvil = await startAnvil({ port: params.port, chainId: CHAIN_ID, ...anvilPersistence(files, params) });
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
      await setOperatorShares(wallet, publicClient, { allocationManager, operator, strategies: [s0, s1, s2], shares: DEVNET_SHARES });
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

    // Open: opC pulls its stake out of one strategy only (that part escapes before the window
    // ends; the other stays slashable); the second opens a minute later, so the two end apart.
    await queueDeallocation(wallet, publicClient, { allocationManager, operator: opC, operatorSet, strategy: s1, newMagnitude: 0n });
    const open = [await queue(request(opC, 'Invalid task response #88'))];
    await mine(publicClient, Math.min(30, Math.floor(vetoWindowBlocks / 5)));
    open.push(await queue(request(opA, 'Liveness fault')));

    // Redistributing: opB's EIGEN in operator set 2, whose slashed funds go to a recipient the AVS chose
    const redistributingSet = { avs, id: OPERATOR_SET_ID + 1 };
    await createRedistributingOperatorSet(wallet, publicClient, { allocationManager, operatorSet: redistributingSet, recipient: DEVNET_REDISTRIBUTION_RECIPIENT });
    await registerOperator(wallet, publicClient, { allocationManager, operator: opB, operatorSet: redistributingSet });
    await allocate(wallet, publicClient, { allocationManager, operator: opB, operatorSet: redistributingSet, strategy: s2, magnitude: WAD });
    const redistributing = await queue({ operator: opB, operatorSetId: redistributingSet.id, strategies: [s2], wadsToSlash: [parseEther('0.1')], description: 'Redistributing: SLA breach on task #7' });

    if (blockTime > 0) await publicClient.request({ method: 'evm_setIntervalMining', params: [blockTime] } as never);

    const layout: DevnetLayout = {
      chainId: CHAIN_ID,
      slasher,
      allocationManager,
      avs,
      operatorSetId: OPERATOR_SET_ID,
      strategies,
      operators,
      safe,
      contractNetworks: { [String(CHAIN_ID)]: safeContracts },
      deployBlock: testbed.deployBlock,
      vetoWindowBlocks,
      deallocationDelay,
      blockTime,
      seeded: { fulfilled, cancelled, atRisk, open, redistributing },
    };
    if (files) saveDevnet(files, layout);
    return assemble(layout, anvil, { resumed: false, freshReason });
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

/** Starts anvil on the saved chain and checks it is the one the layout describes. */
async function resume(layout: DevnetLayout, files: DevnetFiles, params: StartDevnetParameters, blockTime: number): Promise<Devnet> {
  const anvil = await startAnvil({ port: params.port, chainId: layout.chainId, ...anvilPersistence(files, params) });
  try {
    const { publicClient } = createDevClients(anvil.rpcUrl, anvilDevAccounts(1)[0]!.privateKey, layout.chainId);
    const [code, head] = await Promise.all([publicClient.getCode({ address: layout.slasher }), publicClient.getBlockNumber()]);
    if (!code || code === '0x') throw new DeskError('DEVNET_FAILED', `no slasher contract at ${layout.slasher} on the loaded chain`);
    if (head < layout.deployBlock) throw new DeskError('DEVNET_FAILED', `the loaded chain is at block ${head}, before the slasher's deployment (${layout.deployBlock})`);
    // anvil loads a state in automine: blocks must keep coming on their own
    if (blockTime > 0) await publicClient.request({ method: 'evm_setIntervalMining', params: [blockTime] } as never);
    return assemble({ ...layout, blockTime }, anvil, { resumed: true, freshReason: null });
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

function anvilPersistence(files: DevnetFiles | null, params: StartDevnetParameters): Partial<StartAnvilParameters> {
  return {
    ...(files ? { state: files.state, stateIntervalSec: params.stateIntervalSec ?? 10 } : {}),
    ...(params.watchdog ? { watchdog: true } : {}),
  };
}

function assemble(layout: DevnetLayout, anvil: AnvilInstance, how: { resumed: boolean; freshReason: string | null }): Devnet {
  const [keeper, o1, o2, o3] = anvilDevAccounts(4) as [DevAccount, DevAccount, DevAccount, DevAccount];
  const { publicClient, wallet } = createDevClients(anvil.rpcUrl, keeper.privateKey, layout.chainId);
  return {
    ...layout,
    rpcUrl: anvil.rpcUrl,
    wsUrl: anvil.wsUrl,
    owners: [o1, o2, o3],
    keeper,
    pid: anvil.pid,
    ...how,
    queue: (input = {}) => queuePracticeRequest({ layout, wallet, publicClient, keeper: keeper.address }, input),
    stop: () => anvil.stop(),
  };
}

/** The seeded operators' strategies: every operator allocated to the first two, the first operator also to the third. */
function strategiesOf(layout: DevnetLayout, operator: Address): Address[] {
  return getAddress(operator) === getAddress(layout.operators[0]!) ? layout.strategies.slice(0, 3) : layout.strategies.slice(0, 2);
}

async function queuePracticeRequest(
  ctx: { layout: DevnetLayout; wallet: DevWalletClient; publicClient: PublicClient; keeper: Address },
  input: DevnetQueueInput,
): Promise<DevnetQueued> {
  const { layout } = ctx;
  const operator = input.operator === undefined ? layout.operators[0]! : layout.operators.find((o) => o.toLowerCase() === input.operator!.toLowerCase());
  if (!operator) throw new DeskError('BAD_REQUEST', `${input.operator} is not one of the devnet's operators (${layout.operators.join(', ')})`);
  const percent = input.percent ?? 10;
  if (!Number.isFinite(percent) || percent < 1 || percent > 100) throw new DeskError('BAD_REQUEST', `percent must be a number from 1 to 100, got ${percent}`);
  // 1e18 = 100 %: a percent is 1e16, up to 16 decimals
  const wad = parseUnits(percent.toFixed(16).replace(/\.?0+$/, ''), 16);
  const strategies = strategiesOf(layout, operator);
  const description = input.description ?? `Practice request queued on the devnet at ${new Date().toISOString()}`;
  // the keeper also sends the desk's fulfils (and, on the devnet, executes vetoes): one nonce at a time
  const sent = await withAccountLock(ctx.keeper, () =>
    queueRequest(ctx.wallet, ctx.publicClient, {
      slasher: layout.slasher,
      request: { operator, operatorSetId: layout.operatorSetId, strategies, wadsToSlash: strategies.map(() => wad), description },
    }),
  );
  return { requestId: sent.requestId, txHash: sent.txHash, block: sent.blockNumber };
}

async function mine(publicClient: PublicClient, blocks: number): Promise<void> {
  if (blocks <= 0) return;
  await publicClient.request({ method: 'anvil_mine', params: [numberToHex(blocks)] } as never);
}
