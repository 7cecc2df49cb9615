/*
 * Safe 1.4.1 from the npm artifacts on anvil: a 2-of-3 committee Safe vetoes a request, our
 * EIP-712 SafeTx hash matches the contract's own, and protocol-kit accepts our contractNetworks.
 */
import Safe from '@safe-global/protocol-kit';
import { BaseError, encodeFunctionData, hashTypedData, numberToHex, type PublicClient } from 'viem';
import { anvilDevAccounts, startAnvil, type AnvilInstance, type DevAccount } from '../src/devnet/anvil';
import {
  SLASHING_STATUS_NAMES,
  cancelRequest,
  deployTestbed,
  queueRequest,
  vetoableSlasherV3Abi,
  type DevWalletClient,
  type Testbed,
} from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';
import {
  createSafe,
  deploySafeContracts,
  execSafeTransaction,
  safeAbi,
  safeTxTypedData,
  type SafeContracts,
} from '../src/devnet/safe';

let anvil: AnvilInstance;
let publicClient: PublicClient;
let executor: DevWalletClient;
let owners: DevAccount[];
let contracts: SafeContracts;
let safe: `0x${string}`;
let tb: Testbed;

beforeAll(async () => {
  anvil = await startAnvil({});
  const [a0, ...rest] = anvilDevAccounts(5);
  owners = rest.slice(0, 3);
  ({ publicClient, wallet: executor } = createDevClients(anvil.rpcUrl, a0!.privateKey));
  contracts = await deploySafeContracts(executor, publicClient);
  safe = await createSafe(executor, publicClient, contracts, owners.map((o) => o.address), 2);
  tb = await deployTestbed(executor, publicClient, {
    variant: 'V3',
    vetoWindowBlocks: 20,
    deallocationDelay: 30,
    slasher: a0!.address,
    vetoCommittee: safe,
  });
});
afterAll(async () => {
  await anvil?.stop();
});

const queue = () =>
  queueRequest(executor, publicClient, {
    slasher: tb.slasher,
    request: { operator: owners[0]!.address, operatorSetId: 1, strategies: [tb.strategies[0]!], wadsToSlash: [1n], description: 'x' },
  });
const cancelData = (id: bigint) => encodeFunctionData({ abi: vetoableSlasherV3Abi, functionName: 'cancelSlashingRequest', args: [id] });
const status = async (id: bigint) => {
  const [, , s] = await publicClient.readContract({ address: tb.slasher, abi: vetoableSlasherV3Abi, functionName: 'slashingRequests', args: [id] });
  return SLASHING_STATUS_NAMES.V3[s];
};

it('creates a 2-of-3 Safe 1.4.1', async () => {
  const r = <F extends 'getOwners' | 'getThreshold' | 'VERSION' | 'nonce'>(functionName: F) =>
    publicClient.readContract({ address: safe, abi: safeAbi, functionName });
  expect(await r('getOwners')).toEqual(owners.map((o) => o.address));
  expect(await r('getThreshold')).toBe(2n);
  expect(await r('VERSION')).toBe('1.4.1');
  expect(await r('nonce')).toBe(0n);
});

it('vetoes through the Safe with two owner signatures; our safeTxHash is the contract one', async () => {
  const { requestId } = await queue();
  // The Safe is the committee: an owner calling directly is not.
  const ownerWallet = createDevClients(anvil.rpcUrl, owners[0]!.privateKey).wallet;
  await expect(cancelRequest(ownerWallet, publicClient, { slasher: tb.slasher, requestId })).rejects.toThrow(/OnlyVetoCommittee/);

  const nonce = await publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' });
  const onChainHash = await publicClient.readContract({
    address: safe,
    abi: safeAbi,
    functionName: 'getTransactionHash',
    args: [tb.slasher, 0n, cancelData(requestId), 0, 0n, 0n, 0n, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', nonce],
  });
  expect(hashTypedData(safeTxTypedData(executor.chain.id, safe, { to: tb.slasher, data: cancelData(requestId), nonce }))).toBe(onChainHash);

  // Owners 3 and 1, given out of order: execSafeTransaction must sort them.
  const r = await execSafeTransaction(executor, publicClient, {
    safe,
    to: tb.slasher,
    data: cancelData(requestId),
    ownerPrivateKeys: [owners[2]!.privateKey, owners[0]!.privateKey],
  });
  expect(r.safeTxHash).toBe(onChainHash);
  expect(await status(requestId)).toBe('Cancelled');
  expect(await publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' })).toBe(nonce + 1n);
});

it('refuses one signature (below threshold) and a veto after the window', async () => {
  const { requestId } = await queue();
  const one = execSafeTransaction(executor, publicClient, { safe, to: tb.slasher, data: cancelData(requestId), ownerPrivateKeys: [owners[0]!.privateKey] });
  await expect(one).rejects.toBeInstanceOf(BaseError);
  await expect(one).rejects.toThrow(/GS020/); // signatures data too short for the threshold

  await publicClient.request({ method: 'anvil_mine', params: [numberToHex(20)] } as never);
  // The inner revert surfaces as the Safe's GS013 (safeTxGas 0 + gasPrice 0 bubbles failures).
  const late = execSafeTransaction(executor, publicClient, {
    safe,
    to: tb.slasher,
    data: cancelData(requestId),
    ownerPrivateKeys: [owners[0]!.privateKey, owners[1]!.privateKey],
  });
  await expect(late).rejects.toThrow(/GS013|VetoPeriodPassed/);
  expect(await status(requestId)).toBe('Requested');
});

it('protocol-kit accepts the contractNetworks entry and agrees on the safeTxHash', async () => {
  const kit = await Safe.init({
    provider: anvil.rpcUrl,
    signer: owners[0]!.privateKey,
    safeAddress: safe,
    contractNetworks: { [String(executor.chain.id)]: contracts },
  });
  expect(await kit.getOwners()).toEqual(owners.map((o) => o.address));
  expect(await kit.getThreshold()).toBe(2);
  const nonce = await publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' });
  const tx = await kit.createTransaction({ transactions: [{ to: tb.slasher, value: '0', data: cancelData(7n) }] });
  expect(BigInt(tx.data.nonce)).toBe(nonce);
  expect(await kit.getTransactionHash(tx)).toBe(
    hashTypedData(safeTxTypedData(executor.chain.id, safe, { to: tb.slasher, data: cancelData(7n), nonce })),
  );
});
