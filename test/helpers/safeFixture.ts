/**
 * A real 2-of-3 committee Safe on anvil guarding a V3 slasher, for the veto suites; with
 * `governance`, the slasher role is a second 2-of-3 Safe (governance) that queues through
 * execTransaction, and the operator is registered so fulfils really slash (the fulfil suite).
 */
import { encodeFunctionData, getAddress, parseAbi, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilDevAccounts, startAnvil, type AnvilInstance, type DevAccount } from '../../src/devnet/anvil';
import { deployTestbed, queueRequest, registerOperator, allocate, vetoableSlasherAbis, type DevWalletClient, type SlasherVariant, type Testbed } from '../../src/devnet/deploy';
import { createDevClients } from '../../src/devnet/devnet';
import { createSafe, deploySafeContracts, execSafeTransaction, type SafeContracts } from '../../src/devnet/safe';
import { typedDataFromJson, type TypedDataJson } from '../../src/safe/safeTx';
import type { Desk, DeskOptions } from '../../src/app/desk';
import type { DeskVetoOptions } from '../../src/safe';
import type { TestDatabase } from './databases';
import { startTestDesk } from './desk';
import request from 'supertest';
import type { RequestView, VetoView } from '../../src/api/views';

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
  /** with `governance`: the slasher role's 2-of-3 Safe and its owners */
  governance?: { safe: Address; owners: DevAccount[] };
  /** queues a request (through the governance Safe when there is one); resolves to its id */
  queue(description?: string): Promise<bigint>;
  /** the block a request was queued in, by id (the last queue of that id) */
  queuedAt: Map<bigint, bigint>;
  mine(blocks: number): Promise<void>;
  /** a raw JSON-RPC call to the node (anvil's and evm_ methods) */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  slasherStatus(id: bigint): Promise<number>;
  stop(): Promise<void>;
}

export async function startSafeFixture(opts: { variant?: SlasherVariant; governance?: boolean; window?: number; blockTime?: number; slashable?: boolean } = {}): Promise<SafeFixture> {
  const anvil = await startAnvil(opts.blockTime !== undefined ? { blockTime: opts.blockTime } : {});
  const [keeperAccount, o1, o2, o3, executor, stranger, g1, g2, g3] = anvilDevAccounts(9) as DevAccount[];
  const { publicClient, wallet: keeper } = createDevClients(anvil.rpcUrl, keeperAccount!.privateKey);
  const contracts = await deploySafeContracts(keeper, publicClient);
  const owners = [o1!, o2!, o3!];
  const safe = await createSafe(keeper, publicClient, contracts, owners.map((o) => o.address), 2);
  const governance = opts.governance ? { owners: [g1!, g2!, g3!], safe: await createSafe(keeper, publicClient, contracts, [g1!.address, g2!.address, g3!.address], 2) } : undefined;
  const testbed = await deployTestbed(keeper, publicClient, { variant: opts.variant ?? 'V3', vetoWindowBlocks: opts.window ?? WINDOW, deallocationDelay: 30, slasher: governance?.safe ?? keeperAccount!.address, vetoCommittee: safe });
  if (governance || opts.slashable) {
    // a registered operator with stake, so that a fulfil's slashOperator succeeds
    const target = { allocationManager: testbed.allocationManager, operator: stranger!.address, operatorSet: { avs: testbed.avs, id: 1 } };
    await registerOperator(keeper, publicClient, target);
    await allocate(keeper, publicClient, { ...target, strategy: testbed.strategies[0]!, magnitude: 10n ** 18n });
  }
  const queuedAt = new Map<bigint, bigint>();
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
    governance,
    queuedAt,
    async queue(description = `request ${n++}`) {
      const request = { operator: stranger!.address, operatorSetId: 1, strategies: [testbed.strategies[0]!], wadsToSlash: [1n], description };
      if (!governance) {
        const r = await queueRequest(keeper, publicClient, { slasher: testbed.slasher, request });
        queuedAt.set(r.requestId, r.blockNumber);
        return r.requestId;
      }
      // governance queues through its Safe (this uses one of its nonces)
      const data = encodeFunctionData({ abi: vetoableSlasherAbis.V3, functionName: 'queueSlashingRequest', args: [request] });
      const sent = await execSafeTransaction(keeper, publicClient, { safe: governance.safe, to: testbed.slasher, data, ownerPrivateKeys: [governance.owners[0]!.privateKey, governance.owners[1]!.privateKey] });
      const receipt = await publicClient.getTransactionReceipt({ hash: sent.txHash });
      const topic = receipt.logs.find((l) => getAddress(l.address) === getAddress(testbed.slasher))?.topics[1];
      if (!topic) throw new Error(`no SlashingRequested log in ${sent.txHash}`);
      queuedAt.set(BigInt(topic), sent.blockNumber);
      return BigInt(topic);
    },
    mine: async (blocks) => void (await publicClient.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`] } as never)),
    rpc: (method, params = []) => publicClient.request({ method, params } as never),
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
export function openVetoDesk(f: SafeFixture, db: TestDatabase, vetoes: DeskVetoOptions = { executorPrivateKey: f.executor.privateKey }, extra: Partial<DeskOptions> = {}): Promise<Desk> {
  return startTestDesk(f, db, { startBlock: undefined, avs: undefined, reorgDepth: 64, vetoes, ...extra });
}

/** One ingest pass and one whole cycle (senders settle, the Safe desks reconcile, timers decide). */
export async function settle(desk: Desk): Promise<void> {
  await desk.ingestor.sync();
  await desk.scheduler.evaluate();
  await desk.scheduler.idle();
  await desk.vetoes.idle();
}

/** The first two owners sign the request's veto as the desk serves it (its threshold), over HTTP. */
export async function signVetoQuorum(desk: Desk, f: SafeFixture, id: bigint): Promise<VetoView> {
  const v = ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto as VetoView;
  for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
  return v;
}

/** A rejection at Safe `nonce` (the Safe calling itself with nothing), signed by two owners and sent from `wallet`. */
export async function executeRejection(f: SafeFixture, nonce: number, wallet: DevWalletClient = f.keeper): Promise<void> {
  await execSafeTransaction(wallet, f.publicClient, { safe: f.safe, to: f.safe, value: 0n, data: '0x', operation: 0, nonce: BigInt(nonce), ownerPrivateKeys: [f.owners[0]!.privateKey, f.owners[1]!.privateKey] });
}
