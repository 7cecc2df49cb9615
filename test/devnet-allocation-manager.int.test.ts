/*
 * The AllocationManager stand-in's timing rules, which the desk's deadline maths (DOMAIN.md §2)
 * depends on: deallocations land at queuedBlock + DEALLOCATION_DELAY + 1 and stay slashable
 * until then; deregistered operators stay slashable through deregisterBlock + DEALLOCATION_DELAY.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  numberToHex,
  parseEther,
  parseEventLogs,
  type Address,
  type PublicClient,
} from 'viem';
import { anvilDevAccounts, startAnvil, type AnvilInstance } from '../src/devnet/anvil';
import {
  allocate,
  allocationManagerStandInAbi,
  deployTestbed,
  deregisterOperator,
  queueDeallocation,
  registerOperator,
  type DevWalletClient,
  type Testbed,
} from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';

const DELAY = 15;
const WAD = parseEther('1');

let anvil: AnvilInstance;
let publicClient: PublicClient;
let wallet: DevWalletClient;
let tb: Testbed;
let operators: Address[];
let nextSetId = 1;

const rpc = (method: string, params: unknown[] = []) => publicClient.request({ method, params } as never);
/** Mines so that the next transaction lands exactly in `block`. */
async function nextTxLandsAt(block: bigint) {
  const head = await publicClient.getBlockNumber();
  const toMine = block - 1n - head;
  if (toMine < 0n) throw new Error(`already past block ${block}`);
  if (toMine > 0n) await rpc('anvil_mine', [numberToHex(toMine)]);
}
function revertName(e: unknown) {
  const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : undefined;
  return reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
}
const read = {
  allocation: (operator: Address, set: { avs: Address; id: number }, strategy: Address) =>
    publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'getAllocation', args: [operator, set, strategy] }),
  slashable: (operator: Address, set: { avs: Address; id: number }) =>
    publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'isOperatorSlashable', args: [operator, set] }),
};
function slash(operator: Address, set: { avs: Address; id: number }, strategies: Address[], wads: bigint[]) {
  return wallet.writeContract({
    address: tb.allocationManager,
    abi: allocationManagerStandInAbi,
    functionName: 'slashOperator',
    args: [set.avs, { operator, operatorSetId: set.id, strategies, wadsToSlash: wads, description: 'direct' }],
  });
}
/** A fresh operator set with operators[0] registered and fully allocated to strategy 0. */
async function freshSet() {
  const set = { avs: tb.avs, id: nextSetId++ };
  const base = { allocationManager: tb.allocationManager, operator: operators[0]!, operatorSet: set };
  await registerOperator(wallet, publicClient, base);
  const a = await allocate(wallet, publicClient, { ...base, strategy: tb.strategies[0]!, magnitude: WAD });
  return { set, base, allocatedAt: a };
}

beforeAll(async () => {
  anvil = await startAnvil({});
  const [a0, ...rest] = anvilDevAccounts(4);
  ({ publicClient, wallet } = createDevClients(anvil.rpcUrl, a0!.privateKey));
  operators = rest.map((a) => a.address);
  tb = await deployTestbed(wallet, publicClient, {
    variant: 'V3',
    deallocationDelay: DELAY,
    slasher: a0!.address,
    vetoCommittee: a0!.address,
  });
});
afterAll(async () => {
  await anvil?.stop();
});

it('reports DEALLOCATION_DELAY in blocks', async () => {
  expect(
    await publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'DEALLOCATION_DELAY' }),
  ).toBe(DELAY);
});

it('allocation increases apply at once and are logged with effectBlock = that block, nothing indexed', async () => {
  const { set, allocatedAt } = await freshSet();
  expect(await read.allocation(operators[0]!, set, tb.strategies[0]!)).toEqual({ currentMagnitude: WAD, pendingDiff: 0n, effectBlock: 0 });
  const receipt = await publicClient.getTransactionReceipt({ hash: allocatedAt.txHash });
  expect(receipt.logs.map((l) => l.topics.length)).toEqual([1]);
  const [log] = parseEventLogs({ abi: allocationManagerStandInAbi, logs: receipt.logs, eventName: 'AllocationUpdated' });
  expect(log?.args).toEqual({ operator: operators[0], operatorSet: set, strategy: tb.strategies[0], magnitude: WAD, effectBlock: Number(allocatedAt.blockNumber) });
});

it('a deallocation takes effect at queuedBlock + DELAY + 1 and stays slashable until then', async () => {
  const { set, base } = await freshSet();
  const strategy = tb.strategies[0]!;
  const q = await queueDeallocation(wallet, publicClient, { ...base, strategy, newMagnitude: parseEther('0.25') });
  const effectBlock = Number(q.blockNumber) + DELAY + 1;
  const receipt = await publicClient.getTransactionReceipt({ hash: q.txHash });
  const [log] = parseEventLogs({ abi: allocationManagerStandInAbi, logs: receipt.logs, eventName: 'AllocationUpdated' });
  expect(log?.args.magnitude).toBe(parseEther('0.25'));
  expect(log?.args.effectBlock).toBe(effectBlock);
  expect(await read.allocation(operators[0]!, set, strategy)).toEqual({ currentMagnitude: WAD, pendingDiff: -parseEther('0.75'), effectBlock });

  // Slashing the last block before the effect block still hits the full magnitude, and the
  // pending decrease shrinks by the same fraction.
  await nextTxLandsAt(BigInt(effectBlock - 1));
  const hash = await slash(operators[0]!, set, [strategy], [parseEther('0.5')]);
  expect((await publicClient.waitForTransactionReceipt({ hash })).blockNumber).toBe(BigInt(effectBlock - 1));
  expect(await read.allocation(operators[0]!, set, strategy)).toEqual({ currentMagnitude: parseEther('0.5'), pendingDiff: -parseEther('0.375'), effectBlock });

  await rpc('anvil_mine', ['0x1']); // head = effectBlock
  expect(await read.allocation(operators[0]!, set, strategy)).toEqual({ currentMagnitude: parseEther('0.125'), pendingDiff: 0n, effectBlock: 0 });
});

it('a deregistered operator is slashable through deregisterBlock + DELAY, not after', async () => {
  const { set, base } = await freshSet();
  expect(await read.slashable(operators[0]!, set)).toBe(true);
  const d = await deregisterOperator(wallet, publicClient, base);
  const lastSlashable = d.blockNumber + BigInt(DELAY);

  await nextTxLandsAt(lastSlashable);
  const ok = await slash(operators[0]!, set, [tb.strategies[0]!], [parseEther('0.1')]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash: ok });
  expect(receipt.blockNumber).toBe(lastSlashable);
  const [slashed] = parseEventLogs({ abi: allocationManagerStandInAbi, logs: receipt.logs, eventName: 'OperatorSlashed' });
  expect(slashed?.args).toEqual({ operator: operators[0], operatorSet: set, strategies: [tb.strategies[0]], wadSlashed: [parseEther('0.1')], description: 'direct' });
  expect(await read.slashable(operators[0]!, set)).toBe(true); // head = lastSlashable

  const err = await slash(operators[0]!, set, [tb.strategies[0]!], [parseEther('0.1')]).catch((e: unknown) => e);
  expect(revertName(err)).toBe('OperatorNotSlashable');
  await rpc('anvil_mine', ['0x1']);
  expect(await read.slashable(operators[0]!, set)).toBe(false);
});

it('slashOperator counts slashes per set, returns the new count as slashId, and checks its inputs', async () => {
  const { set } = await freshSet();
  const count = () =>
    publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'getSlashCount', args: [set] });
  expect(await count()).toBe(0n);
  const args = [set.avs, { operator: operators[0]!, operatorSetId: set.id, strategies: [tb.strategies[0]!], wadsToSlash: [parseEther('0.5')], description: 'x' }] as const;
  const { result } = await publicClient.simulateContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'slashOperator', args, account: wallet.account });
  expect(result).toEqual([1n, [parseEther('0.5')]]);
  await publicClient.waitForTransactionReceipt({ hash: await slash(operators[0]!, set, [tb.strategies[0]!], [parseEther('0.5')]) });
  expect(await count()).toBe(1n);

  const mismatch = await slash(operators[0]!, set, [tb.strategies[0]!], []).catch((e: unknown) => e);
  expect(revertName(mismatch)).toBe('InputArrayLengthMismatch');
  const stranger = await slash(operators[2]!, set, [tb.strategies[0]!], [1n]).catch((e: unknown) => e);
  expect(revertName(stranger)).toBe('OperatorNotSlashable');
});

it('logs set membership with the operator indexed', async () => {
  const set = { avs: tb.avs, id: nextSetId++ };
  const base = { allocationManager: tb.allocationManager, operator: operators[1]!, operatorSet: set };
  const r = await registerOperator(wallet, publicClient, base);
  const d = await deregisterOperator(wallet, publicClient, base);
  for (const [tx, eventName] of [[r, 'OperatorAddedToOperatorSet'], [d, 'OperatorRemovedFromOperatorSet']] as const) {
    const receipt = await publicClient.getTransactionReceipt({ hash: tx.txHash });
    expect(receipt.logs[0]?.topics.length).toBe(2);
    const [log] = parseEventLogs({ abi: allocationManagerStandInAbi, logs: receipt.logs, eventName });
    expect(log?.args).toEqual({ operator: operators[1], operatorSet: set });
  }
});
