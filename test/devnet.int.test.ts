/*
 * `startDevnet()` produces what the demo and the desk's integration tests rely on: a V3 slasher
 * wired to a 2-of-3 committee Safe, requests in every state, one of them already at risk by the
 * DOMAIN.md §2 rule (window end after the last useful block L), and blocks that keep coming.
 */
import { createPublicClient, http, parseAbiItem, type Address, type PublicClient } from 'viem';
import { SLASHING_STATUS_NAMES, allocationManagerStandInAbi, vetoableSlasherV3Abi } from '../src/devnet/deploy';
import { startDevnet, type Devnet } from '../src/devnet/devnet';
import { safeAbi } from '../src/devnet/safe';

let devnet: Devnet;
let client: PublicClient;
let seedMs: number;

beforeAll(async () => {
  const started = Date.now();
  devnet = await startDevnet({ blockTime: 1 });
  seedMs = Date.now() - started;
  client = createPublicClient({ transport: http(devnet.rpcUrl), cacheTime: 0 });
});
afterAll(async () => {
  await devnet?.stop();
});

async function readRequest(id: bigint) {
  const [params, requestBlock, status] = await client.readContract({
    address: devnet.slasher,
    abi: vetoableSlasherV3Abi,
    functionName: 'slashingRequests',
    args: [id],
  });
  return { params, requestBlock, status: SLASHING_STATUS_NAMES.V3[status] };
}

/** DOMAIN.md §2: L = max over strategies of min(R, A_s); Infinity when nothing limits it. */
async function lastUsefulBlock(operator: Address, strategies: readonly Address[]): Promise<number> {
  const set = { avs: devnet.avs, id: devnet.operatorSetId };
  const registered = await client.readContract({ address: devnet.allocationManager, abi: allocationManagerStandInAbi, functionName: 'isOperatorSlashable', args: [operator, set] });
  const R = registered ? Infinity : -Infinity; // the seeded operators never deregister
  const perStrategy = await Promise.all(
    strategies.map(async (strategy) => {
      const a = await client.readContract({ address: devnet.allocationManager, abi: allocationManagerStandInAbi, functionName: 'getAllocation', args: [operator, set, strategy] });
      const fullExit = a.effectBlock !== 0 && a.currentMagnitude + BigInt(a.pendingDiff) === 0n;
      return Math.min(R, fullExit ? a.effectBlock - 1 : Infinity);
    }),
  );
  return Math.max(...perStrategy);
}

it('seeds quickly and wires the slasher to the keeper and the committee Safe', async () => {
  expect(seedMs).toBeLessThan(15_000);
  expect(await client.getChainId()).toBe(devnet.chainId);
  const read = (functionName: 'slasher' | 'vetoCommittee' | 'allocationManager') =>
    client.readContract({ address: devnet.slasher, abi: vetoableSlasherV3Abi, functionName });
  expect(await read('slasher')).toBe(devnet.keeper.address);
  expect(await read('vetoCommittee')).toBe(devnet.safe);
  expect(await read('allocationManager')).toBe(devnet.allocationManager);
  expect(await client.readContract({ address: devnet.slasher, abi: vetoableSlasherV3Abi, functionName: 'vetoWindowBlocks' })).toBe(devnet.vetoWindowBlocks);
  expect(await client.readContract({ address: devnet.safe, abi: safeAbi, functionName: 'getOwners' })).toEqual(devnet.owners.map((o) => o.address));
  expect(await client.readContract({ address: devnet.safe, abi: safeAbi, functionName: 'getThreshold' })).toBe(2n);
  expect(devnet.contractNetworks[String(devnet.chainId)]?.safeProxyFactoryAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
});

it('has requests in every state, all visible from deployBlock', async () => {
  const { seeded } = devnet;
  expect((await readRequest(seeded.fulfilled)).status).toBe('Completed');
  expect((await readRequest(seeded.cancelled)).status).toBe('Cancelled');
  expect((await readRequest(seeded.atRisk)).status).toBe('Requested');
  for (const id of seeded.open) expect((await readRequest(id)).status).toBe('Requested');
  expect(seeded.redistributing).toBeDefined();
  expect((await readRequest(seeded.redistributing!)).status).toBe('Requested');

  const logs = await client.getLogs({
    address: devnet.slasher,
    event: parseAbiItem('event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 operatorSetId, uint256[] wadsToSlash, string description)'),
    fromBlock: devnet.deployBlock,
  });
  expect(logs.map((l) => l.args.requestId).sort()).toEqual(
    [seeded.fulfilled, seeded.cancelled, seeded.atRisk, ...seeded.open, seeded.redistributing!].sort(),
  );
});

it('exactly the at-risk request has its window ending after its last useful block', async () => {
  const { seeded } = devnet;
  for (const id of [seeded.atRisk, ...seeded.open]) {
    const r = await readRequest(id);
    const windowEnd = Number(r.requestBlock) + devnet.vetoWindowBlocks;
    const L = await lastUsefulBlock(r.params.operator, r.params.strategies);
    expect([id, windowEnd > L]).toEqual([id, id === seeded.atRisk]);
  }
});

it('keeps mining on its own after seeding', async () => {
  const before = await client.getBlockNumber();
  await new Promise((r) => setTimeout(r, 2_500));
  expect(await client.getBlockNumber()).toBeGreaterThan(before);
});
