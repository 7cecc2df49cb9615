/** Shared fixtures for integration tests: an anvil node, dev wallets and a deployed testbed. */
import { getAddress, parseAbi, parseEther, type Address, type PublicClient } from 'viem';
import { anvilDevAccounts, startAnvil, type AnvilInstance } from '../../src/devnet/anvil';
import { createDevClients } from '../../src/devnet/devnet';
import { allocate, deployTestbed, registerOperator, type DevWalletClient, type SlasherVariant, type Testbed } from '../../src/devnet/deploy';

export const AVS: Address = getAddress('0x00000000000000000000000000000000000a1500');
export const WAD = parseEther('1');

export interface ChainFixture {
  anvil: AnvilInstance;
  publicClient: PublicClient;
  keeper: DevWalletClient;
  committee: DevWalletClient;
  testbed: Testbed;
  operators: Address[];
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  mine(blocks: number): Promise<void>;
  /** a request's SlashingStatus on the slasher (V2+: 0 Requested, 1 Cancelled, 2 Completed) */
  slasherStatus(id: bigint): Promise<number>;
  stop(): Promise<void>;
}

export async function startChainFixture(variant: SlasherVariant, o: { vetoWindowBlocks?: number; deallocationDelay?: number; core?: 'v1.3' | 'v1.5' } = {}): Promise<ChainFixture> {
  const anvil = await startAnvil({});
  const accounts = anvilDevAccounts(10);
  const { publicClient, wallet: keeper } = createDevClients(anvil.rpcUrl, accounts[0]!.privateKey);
  const { wallet: committee } = createDevClients(anvil.rpcUrl, accounts[1]!.privateKey);
  const testbed = await deployTestbed(keeper, publicClient, {
    variant,
    vetoWindowBlocks: o.vetoWindowBlocks ?? 20,
    deallocationDelay: o.deallocationDelay ?? 10,
    slasher: accounts[0]!.address,
    vetoCommittee: accounts[1]!.address,
    avs: AVS,
    core: o.core,
  });
  const operators = accounts.slice(5, 9).map((a) => a.address);
  for (const operator of operators) {
    const target = { allocationManager: testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
    await registerOperator(keeper, publicClient, target);
    for (const strategy of testbed.strategies.slice(0, 2)) await allocate(keeper, publicClient, { ...target, strategy, magnitude: WAD });
  }
  const rpc = <T,>(method: string, params: unknown[] = []) => publicClient.request({ method: method as never, params: params as never }) as Promise<T>;
  return {
    anvil,
    publicClient,
    keeper,
    committee,
    testbed,
    operators,
    rpc,
    mine: async (blocks) => void (await rpc('anvil_mine', [`0x${blocks.toString(16)}`])),
    async slasherStatus(id) {
      const [, , status] = await publicClient.readContract({ address: testbed.slasher, abi: parseAbi(['function slashingRequests(uint256) view returns ((address,uint32,address[],uint256[],string), uint256, uint8)']), functionName: 'slashingRequests', args: [id] });
      return status;
    },
    stop: () => anvil.stop(),
  };
}
