/** A real 2-of-3 committee Safe on anvil guarding a V3 slasher, for the veto suites. */
import { parseAbi, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilDevAccounts, startAnvil, type AnvilInstance, type DevAccount } from '../../src/devnet/anvil';
import { deployTestbed, queueRequest, type DevWalletClient, type Testbed } from '../../src/devnet/deploy';
import { createDevClients } from '../../src/devnet/devnet';
import { createSafe, deploySafeContracts, type SafeContracts } from '../../src/devnet/safe';
import { typedDataFromJson, type TypedDataJson } from '../../src/safe/safeTx';
import { startDesk, type Desk } from '../../src/desk';
import { createLogger } from '../../src/lib/logger';
import type { DeskVetoOptions } from '../../src/safe';
import type { TestDatabase } from './databases';

export const WINDOW = 20;

export interface SafeFixture {
  anvil: AnvilInstance;
  publicClient: PublicClient;
  keeper: DevWalletClient;
  keeperAccount: DevAccount;
  owners: DevAccount[];
  executor: DevAccount;
  stranger: DevAccount;
  contracts: SafeContracts;
  safe: Address;
  /** protocol-kit's contractNetworks for this chain (what SAFE_CONTRACT_NETWORKS holds) */
  contractNetworks: Record<string, SafeContracts>;
  testbed: Testbed;
  queue(description?: string): Promise<bigint>;
  mine(blocks: number): Promise<void>;
  slasherStatus(id: bigint): Promise<number>;
  stop(): Promise<void>;
}

export async function startSafeFixture(): Promise<SafeFixture> {
  const anvil = await startAnvil({});
  const [keeperAccount, o1, o2, o3, executor, stranger] = anvilDevAccounts(6) as DevAccount[];
  const { publicClient, wallet: keeper } = createDevClients(anvil.rpcUrl, keeperAccount!.privateKey);
  const contracts = await deploySafeContracts(keeper, publicClient);
  const owners = [o1!, o2!, o3!];
  const safe = await createSafe(keeper, publicClient, contracts, owners.map((o) => o.address), 2);
  const testbed = await deployTestbed(keeper, publicClient, { variant: 'V3', vetoWindowBlocks: WINDOW, deallocationDelay: 30, slasher: keeperAccount!.address, vetoCommittee: safe });
  let n = 0;
  return {
    anvil,
    publicClient,
    keeper,
    keeperAccount: keeperAccount!,
    owners,
    executor: executor!,
    stranger: stranger!,
    contracts,
    safe,
    contractNetworks: { '31337': contracts },
    testbed,
    async queue(description = `request ${n++}`) {
      const r = await queueRequest(keeper, publicClient, {
        slasher: testbed.slasher,
        request: { operator: stranger!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description },
      });
      return r.requestId;
    },
    mine: async (blocks) => void (await publicClient.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`] } as never)),
    async slasherStatus(id) {
      const [, , status] = await publicClient.readContract({
        address: testbed.slasher,
        abi: parseAbi(['function slashingRequests(uint256) view returns ((address,uint32,address[],uint256[],string), uint256, uint8)']),
        functionName: 'slashingRequests',
        args: [id],
      });
      return status;
    },
    stop: () => anvil.stop(),
  };
}

/** An owner's EIP-712 signature over a veto's typed data, as a wallet would produce it. */
export function signTypedVeto(privateKey: Hex, typedData: TypedDataJson): Promise<Hex> {
  return privateKeyToAccount(privateKey).signTypedData(typedDataFromJson(typedData));
}

/** The eth_sign form: personal_sign over the safeTxHash, v raised by 4 (DOMAIN.md §3). */
export async function signEthSignVeto(privateKey: Hex, safeTxHash: Hex): Promise<Hex> {
  const sig = await privateKeyToAccount(privateKey).signMessage({ message: { raw: safeTxHash } });
  const v = parseInt(sig.slice(-2), 16) + 4;
  return `${sig.slice(0, -2)}${v.toString(16)}` as Hex;
}

/** A desk on the fixture's chain, driven by the test (`follow: false`), sending with the fixture's executor by default. */
export function openVetoDesk(f: SafeFixture, db: TestDatabase, vetoes: DeskVetoOptions = { executorPrivateKey: f.executor.privateKey }): Promise<Desk> {
  return startDesk({
    rpcUrls: [f.anvil.rpcUrl],
    slasher: f.testbed.slasher,
    database: db.target,
    port: 0,
    host: '127.0.0.1',
    confirmations: 0,
    pollIntervalMs: 60_000,
    reorgDepth: 64,
    maxLogRange: 10_000,
    logger: createLogger('silent'),
    follow: false,
    vetoes,
  });
}

/** One ingest pass, one veto pass, and whatever execution it started. */
export async function settle(desk: Desk): Promise<void> {
  await desk.ingestor.sync();
  await desk.vetoes.reconcile();
  await desk.vetoes.idle();
}
