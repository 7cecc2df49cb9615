/*
 * Our VetoableSlasher stand-ins against a real anvil: every variant's happy path, every revert,
 * the event layouts the desk decodes by topic count, V4's id reuse, and every selector/topic0
 * DOMAIN.md lists checked against the compiled ABIs.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  getAddress,
  numberToHex,
  parseAbi,
  parseEther,
  parseEventLogs,
  toEventSelector,
  toFunctionSelector,
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type Address,
  type PublicClient,
} from 'viem';
import { formatAbiItem } from 'viem/utils';
import { anvilDevAccounts, startAnvil, type AnvilInstance } from '../src/devnet/anvil';
import { compileTestContracts, type TestContractArtifacts } from '../src/devnet/compile';
import {
  SLASHING_STATUS_NAMES,
  allocate,
  allocationManagerStandInAbi,
  redistributionStandInAbi,
  cancelRequest,
  deployTestbed,
  fulfilRequest,
  queueRequest,
  registerOperator,
  slashingRegistryCoordinatorStandInAbi,
  strategyManagerStandInAbi,
  strategyStandInAbi,
  testTokenAbi,
  vetoableSlasherAbis,
  type DevWalletClient,
  type SlasherVariant,
  type SlashingParamsInput,
  type Testbed,
} from '../src/devnet/deploy';
import { createDevClients } from '../src/devnet/devnet';

const VARIANTS = ['V1', 'V2', 'V3', 'V4'] as const;
const coordinatorAbi = slashingRegistryCoordinatorStandInAbi;
/** A fulfil simulated with every error the call can meet (the slasher's, the AllocationManager's, the coordinator's). */
const fulfilWithEveryError = (publicClient: PublicClient, slasher: Address, requestId: bigint, account: Address) =>
  publicClient.simulateContract({ address: slasher, abi: [...vetoableSlasherAbis.V4, ...allocationManagerStandInAbi.filter((i) => i.type === 'error'), ...coordinatorAbi.filter((i) => i.type === 'error')], functionName: 'fulfillSlashingRequest', args: [requestId], account });
const WINDOW_BLOCKS = 10;
const DEALLOCATION_DELAY = 20;
const THREE_DAYS = 3 * 24 * 3600;

// Copied verbatim from /work/shared/DOMAIN.md §1–§2: the contract the stand-ins must honour.
const DOMAIN_SELECTORS = {
  'queueSlashingRequest((address,uint32,address[],uint256[],string))': '0x04e17704',
  'cancelSlashingRequest(uint256)': '0x1f05cc8e',
  'fulfillSlashingRequest(uint256)': '0x0b6d4a20',
  'fulfillSlashingRequestAndBurnOrRedistribute(uint256)': '0x7edfdf7b',
  'vetoWindowBlocks()': '0x18d8a462',
  'VETO_PERIOD()': '0xe861dc85',
  'vetoCommittee()': '0x6a8dcf54',
  'slasher()': '0xb1344271',
  'nextRequestId()': '0x6a84a985',
  'allocationManager()': '0xca8aa7c7',
  'slashingRequests(uint256)': '0xf48ab27f',
  'DEALLOCATION_DELAY()': '0x2981eb77',
  'getAllocation(address,(address,uint32),address)': '0x10e1b9b8',
  'isOperatorSlashable(address,(address,uint32))': '0x1352c3e6',
} as const;
const DOMAIN_TOPICS = {
  'SlashingRequested(uint256,address,uint32,uint256[],string)':
    '0xadd285945f652e749df3dab9a584be524ec7fbd2a2cad39851278950f9b73227',
  'SlashingRequestCancelled(uint256)': '0xb612b6d36795da938211ef5caee2c1d887a24430f76918733089eee28b7f54ac',
  'OperatorSlashed(uint256,address,uint32,uint256[],string)':
    '0x8a83cf9afb09a981314f4fb353b95b003451da170a99f48d8db6474b06d79f3b',
  'AllocationUpdated(address,(address,uint32),address,uint64,uint32)':
    '0x1487af5418c47ee5ea45ef4a93398668120890774a9e13487e61e9dc3baf76dd',
} as const;
// DOMAIN.md gives this one abbreviated: 0x80969ad2…ebe5.
const AM_OPERATOR_SLASHED = 'OperatorSlashed(address,(address,uint32),address[],uint256[],string)';
const SLASHER_ERRORS = [
  'OnlySlasher()',
  'OnlyVetoCommittee()',
  'VetoPeriodPassed()',
  'VetoPeriodNotPassed()',
  'SlashingRequestIsCancelled()',
  'SlashingRequestNotRequested()',
];

const signature = (item: AbiFunction | AbiEvent) => formatAbiItem(item);
const functionsOf = (abi: Abi) => abi.filter((i): i is AbiFunction => i.type === 'function');
const eventsOf = (abi: Abi) => abi.filter((i): i is AbiEvent => i.type === 'event');

/** The decoded custom-error name a viem call failed with, or undefined. */
function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const reverted = e.walk((err) => err instanceof ContractFunctionRevertedError);
  return reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
}
async function expectRevert(p: Promise<unknown>, errorName: string) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeDefined();
  expect(revertName(e)).toBe(errorName);
}

let anvil: AnvilInstance;
let artifacts: TestContractArtifacts;
let publicClient: PublicClient;
let keeper: DevWalletClient; // holds the slasher() role
let committee: DevWalletClient; // an EOA veto committee, so cancels need no Safe here
let stranger: DevWalletClient;
let operators: Address[];

async function rpc(method: string, params: unknown[] = []) {
  return publicClient.request({ method, params } as never);
}

beforeAll(async () => {
  [anvil, artifacts] = await Promise.all([startAnvil({}), compileTestContracts()]);
  const [a0, a1, a2, ...rest] = anvilDevAccounts(6);
  ({ publicClient, wallet: keeper } = createDevClients(anvil.rpcUrl, a0!.privateKey));
  committee = createDevClients(anvil.rpcUrl, a1!.privateKey).wallet;
  stranger = createDevClients(anvil.rpcUrl, a2!.privateKey).wallet;
  operators = rest.map((a) => a.address);
});
afterAll(async () => {
  await anvil?.stop();
});

describe('compiled ABIs vs DOMAIN.md', () => {
  const slasherNames = VARIANTS.map((v) => `VetoableSlasher${v}` as const);

  it('every DOMAIN.md selector is present with the exact value where DOMAIN.md says it exists', () => {
    for (const [sig, selector] of Object.entries(DOMAIN_SELECTORS)) expect(toFunctionSelector(sig)).toBe(selector);

    const has = (name: keyof TestContractArtifacts, sig: string) =>
      functionsOf(artifacts[name].abi).some((f) => signature(f) === sig);
    for (const name of slasherNames) {
      for (const sig of [
        'queueSlashingRequest((address,uint32,address[],uint256[],string))',
        'cancelSlashingRequest(uint256)',
        'fulfillSlashingRequest(uint256)',
        'vetoCommittee()',
        'slasher()',
        'allocationManager()',
        'slashingRequests(uint256)',
      ]) {
        expect([name, sig, has(name, sig)]).toEqual([name, sig, true]);
      }
    }
    const table: [string, Record<SlasherVariant, boolean>][] = [
      ['VETO_PERIOD()', { V1: true, V2: true, V3: false, V4: false }],
      ['vetoWindowBlocks()', { V1: false, V2: false, V3: true, V4: true }],
      ['nextRequestId()', { V1: true, V2: true, V3: true, V4: false }],
      ['slashingRegistryCoordinator()', { V1: false, V2: false, V3: true, V4: true }],
      ['strategyManager()', { V1: false, V2: false, V3: false, V4: true }],
      ['fulfillSlashingRequestAndBurnOrRedistribute(uint256)', { V1: false, V2: false, V3: false, V4: true }],
    ];
    for (const [sig, where] of table) {
      for (const v of VARIANTS) expect([v, sig, has(`VetoableSlasher${v}`, sig)]).toEqual([v, sig, where[v]]);
    }
    for (const sig of [
      'DEALLOCATION_DELAY()',
      'getAllocation(address,(address,uint32),address)',
      'isOperatorSlashable(address,(address,uint32))',
      'getSlashCount((address,uint32))',
    ]) {
      expect([sig, has('AllocationManagerStandIn', sig)]).toEqual([sig, true]);
      expect([sig, has('AllocationManagerV13StandIn', sig)]).toEqual([sig, true]);
    }
    // the redistribution release's getters (DOMAIN.md §2): the v1.5 stand-in has them, the older core not the redistribution ones
    const redistribution: [string, string, boolean][] = [
      ['getAllocatedStake((address,uint32),address[],address[])', '0x2b453a9a', true],
      ['getMinimumSlashableStake((address,uint32),address[],address[],uint32)', '0x2bab2c4a', true],
      ['getRedistributionRecipient((address,uint32))', '0x0f3df50e', false],
      ['isRedistributingOperatorSet((address,uint32))', '0xf231bd08', false],
    ];
    for (const [sig, selector, onOlderCore] of redistribution) {
      expect(toFunctionSelector(sig)).toBe(selector);
      expect([sig, has('AllocationManagerStandIn', sig), has('AllocationManagerV13StandIn', sig)]).toEqual([sig, true, onOlderCore]);
    }
    for (const [sig, selector] of [['sharesToUnderlyingView(uint256)', '0x7a8b2637'], ['underlyingToken()', '0x2495a599']] as const) {
      expect(toFunctionSelector(sig)).toBe(selector);
      expect([sig, has('StrategyStandIn', sig)]).toEqual([sig, true]);
    }
  });

  it('event topic0s and indexing layouts match DOMAIN.md', () => {
    for (const [sig, topic] of Object.entries(DOMAIN_TOPICS)) expect(toEventSelector(sig)).toBe(topic);
    expect(toEventSelector(AM_OPERATOR_SLASHED)).toMatch(/^0x80969ad2[0-9a-f]{52}ebe5$/);

    const indexedOf = (abi: Abi, name: string) => {
      const ev = eventsOf(abi).find((e) => e.name === name);
      if (!ev) throw new Error(`no event ${name}`);
      return { topic0: toEventSelector(ev), indexed: ev.inputs.map((i) => Boolean(i.indexed)) };
    };
    for (const v of VARIANTS) {
      const abi = artifacts[`VetoableSlasher${v}`].abi;
      expect(indexedOf(abi, 'SlashingRequested')).toEqual({
        topic0: DOMAIN_TOPICS['SlashingRequested(uint256,address,uint32,uint256[],string)'],
        indexed: [true, true, v === 'V1', false, false],
      });
      expect(indexedOf(abi, 'SlashingRequestCancelled')).toEqual({
        topic0: DOMAIN_TOPICS['SlashingRequestCancelled(uint256)'],
        indexed: [true],
      });
      expect(indexedOf(abi, 'OperatorSlashed')).toEqual({
        topic0: DOMAIN_TOPICS['OperatorSlashed(uint256,address,uint32,uint256[],string)'],
        indexed: [true, true, true, false, false],
      });
      const errors = abi.filter((i) => i.type === 'error').map((e) => formatAbiItem(e));
      expect(errors.sort()).toEqual([...SLASHER_ERRORS].sort());
    }
    const am = artifacts.AllocationManagerStandIn.abi;
    expect(indexedOf(am, 'AllocationUpdated').indexed).toEqual([false, false, false, false, false]);
    expect(indexedOf(am, 'OperatorSlashed')).toEqual({
      topic0: toEventSelector(AM_OPERATOR_SLASHED),
      indexed: [false, false, false, false, false],
    });
    expect(indexedOf(am, 'OperatorAddedToOperatorSet').indexed).toEqual([true, false]);
    expect(indexedOf(am, 'OperatorRemovedFromOperatorSet').indexed).toEqual([true, false]);
  });

  it('slashingRequests returns (params tuple, uint256, uint8) in every variant', () => {
    for (const v of VARIANTS) {
      const fn = functionsOf(artifacts[`VetoableSlasher${v}`].abi).find((f) => f.name === 'slashingRequests');
      expect(fn?.outputs.map((o) => o.type)).toEqual(['tuple', 'uint256', 'uint8']);
    }
  });

  it('the hand-written typed ABIs in src/devnet agree with the compiled ones', () => {
    const pairs: [keyof TestContractArtifacts, Abi][] = [
      ...VARIANTS.map((v) => [`VetoableSlasher${v}`, vetoableSlasherAbis[v]] as [keyof TestContractArtifacts, Abi]),
      ['AllocationManagerStandIn', allocationManagerStandInAbi],
      ['AllocationManagerStandIn', redistributionStandInAbi],
      ['AllocationManagerV13StandIn', allocationManagerStandInAbi],
      ['SlashingRegistryCoordinatorStandIn', slashingRegistryCoordinatorStandInAbi],
      ['StrategyManagerStandIn', strategyManagerStandInAbi],
      ['StrategyStandIn', strategyStandInAbi],
      ['TestToken', testTokenAbi],
    ];
    const shape = (i: Abi[number]) =>
      i.type === 'function' || i.type === 'event' || i.type === 'error'
        ? `${formatAbiItem(i)}|${JSON.stringify(i.type === 'event' ? i.inputs.map((x) => x.indexed ?? false) : [])}|${i.type === 'function' ? i.outputs.map((o) => o.type).join(',') : ''}`
        : '';
    for (const [name, hand] of pairs) {
      const compiled = new Set(artifacts[name].abi.map(shape));
      for (const item of hand) expect([name, shape(item), compiled.has(shape(item))]).toEqual([name, shape(item), true]);
    }
  });
});

describe.each(VARIANTS)('VetoableSlasher%s on anvil', (variant) => {
  const statusOf = (n: number) => SLASHING_STATUS_NAMES[variant][n];
  const blockWindow = variant === 'V3' || variant === 'V4';
  let tb: Testbed;
  let operatorSet: { avs: Address; id: number };
  let request: SlashingParamsInput;

  async function passWindow() {
    if (blockWindow) await rpc('anvil_mine', [numberToHex(WINDOW_BLOCKS)]);
    else {
      await rpc('evm_increaseTime', [numberToHex(THREE_DAYS)]);
      await rpc('evm_mine');
    }
  }
  const read = async (id: bigint) => {
    const [params, requestTimestampOrBlock, status] = await publicClient.readContract({
      address: tb.slasher,
      abi: vetoableSlasherAbis[variant],
      functionName: 'slashingRequests',
      args: [id],
    });
    return { params, requestTimestampOrBlock, status: statusOf(status) };
  };
  const queue = (r: SlashingParamsInput = request) => queueRequest(keeper, publicClient, { slasher: tb.slasher, request: r });

  beforeAll(async () => {
    tb = await deployTestbed(keeper, publicClient, {
      variant,
      vetoWindowBlocks: WINDOW_BLOCKS,
      deallocationDelay: DEALLOCATION_DELAY,
      slasher: keeper.account.address,
      vetoCommittee: committee.account.address,
    });
    operatorSet = { avs: tb.avs, id: 1 };
    const am = tb.allocationManager;
    for (const operator of operators.slice(0, 2)) {
      for (const set of [operatorSet, { avs: tb.avs, id: 2 }]) {
        await registerOperator(keeper, publicClient, { allocationManager: am, operator, operatorSet: set });
        for (const strategy of tb.strategies.slice(0, 2)) {
          await allocate(keeper, publicClient, { allocationManager: am, operator, operatorSet: set, strategy, magnitude: parseEther('1') });
        }
      }
    }
    request = {
      operator: operators[0]!,
      operatorSetId: 1,
      strategies: tb.strategies.slice(0, 2),
      wadsToSlash: [parseEther('0.25'), parseEther('0.5')],
      description: `test slash ${variant}`,
    };
  });

  it('exposes its roles, window and wiring', async () => {
    const abi = vetoableSlasherAbis[variant];
    const r = (functionName: 'slasher' | 'vetoCommittee' | 'allocationManager') =>
      publicClient.readContract({ address: tb.slasher, abi, functionName });
    expect(await r('slasher')).toBe(keeper.account.address);
    expect(await r('vetoCommittee')).toBe(committee.account.address);
    expect(await r('allocationManager')).toBe(tb.allocationManager);
    if (variant === 'V1' || variant === 'V2') {
      expect(await publicClient.readContract({ address: tb.slasher, abi: vetoableSlasherAbis[variant], functionName: 'VETO_PERIOD' })).toBe(BigInt(THREE_DAYS));
    } else {
      const v = vetoableSlasherAbis[variant];
      expect(await publicClient.readContract({ address: tb.slasher, abi: v, functionName: 'vetoWindowBlocks' })).toBe(WINDOW_BLOCKS);
      const coordinator = await publicClient.readContract({ address: tb.slasher, abi: v, functionName: 'slashingRegistryCoordinator' });
      expect(coordinator).toBe(tb.coordinator);
      expect(await publicClient.readContract({ address: coordinator, abi: slashingRegistryCoordinatorStandInAbi, functionName: 'avs' })).toBe(tb.avs);
    }
    if (variant === 'V4') {
      expect(await publicClient.readContract({ address: tb.slasher, abi: vetoableSlasherAbis.V4, functionName: 'strategyManager' })).toBe(tb.strategyManager);
    }
    const token = await publicClient.readContract({ address: tb.strategies[0]!, abi: strategyStandInAbi, functionName: 'underlyingToken' });
    expect(await publicClient.readContract({ address: token, abi: testTokenAbi, functionName: 'symbol' })).toBe('WETH');
  });

  it('queues: getter returns the whole params; SlashingRequested has the variant layout', async () => {
    const q = await queue();
    const receipt = await publicClient.getTransactionReceipt({ hash: q.txHash });
    const log = receipt.logs.find((l) => getAddress(l.address) === tb.slasher)!;
    expect(log.topics.length).toBe(variant === 'V1' ? 4 : 3);
    const [decoded] = parseEventLogs({ abi: vetoableSlasherAbis[variant], logs: [log], eventName: 'SlashingRequested' });
    expect(decoded?.args).toEqual({
      requestId: q.requestId,
      operator: request.operator,
      operatorSetId: 1,
      wadsToSlash: request.wadsToSlash,
      description: request.description,
    });

    const block = await publicClient.getBlock({ blockNumber: q.blockNumber });
    expect(await read(q.requestId)).toEqual({
      params: { ...request, strategies: [...request.strategies], wadsToSlash: [...request.wadsToSlash] },
      requestTimestampOrBlock: blockWindow ? q.blockNumber : block.timestamp,
      status: 'Requested',
    });
    if (variant !== 'V4') {
      const next = await publicClient.readContract({ address: tb.slasher, abi: vetoableSlasherAbis[variant], functionName: 'nextRequestId' });
      expect(next).toBe(q.requestId + 1n);
    }
  });

  it('cancels inside the window, then refuses every further action on it', async () => {
    const { requestId } = await queue();
    await expectRevert(cancelRequest(keeper, publicClient, { slasher: tb.slasher, requestId }), 'OnlyVetoCommittee');
    const c = await cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId });
    const receipt = await publicClient.getTransactionReceipt({ hash: c.txHash });
    expect(receipt.logs[0]?.topics.length).toBe(2);
    expect((await read(requestId)).status).toBe('Cancelled');

    // the real order (DOMAIN.md §1): the window first, then the status
    await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId }), 'SlashingRequestNotRequested');
    await passWindow();
    await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId }), 'VetoPeriodPassed');
    await expectRevert(fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId }), 'SlashingRequestIsCancelled');
  });

  it('fulfils after the window: slashes through the AllocationManager and emits OperatorSlashed', async () => {
    const { requestId } = await queue();
    await expectRevert(fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId }), 'VetoPeriodNotPassed');
    await passWindow();
    await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId }), 'VetoPeriodPassed');
    await expectRevert(fulfilRequest(stranger, publicClient, { slasher: tb.slasher, requestId }), 'OnlySlasher');

    const countBefore = await publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'getSlashCount', args: [operatorSet] });
    const f = await fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId });
    expect((await read(requestId)).status).toBe('Completed');

    const receipt = await publicClient.getTransactionReceipt({ hash: f.txHash });
    const slasherLogs = receipt.logs.filter((l) => getAddress(l.address) === tb.slasher);
    expect(slasherLogs.map((l) => l.topics.length)).toEqual([4]);
    const [slashed] = parseEventLogs({ abi: vetoableSlasherAbis[variant], logs: slasherLogs, eventName: 'OperatorSlashed' });
    // V4 reports the AllocationManager's new slash id; the others the request id.
    expect(slashed?.args.slashingRequestId).toBe(variant === 'V4' ? countBefore + 1n : requestId);
    expect(slashed?.args.operator).toBe(request.operator);
    expect(slashed?.args.operatorSetId).toBe(1);

    const amLogs = parseEventLogs({ abi: allocationManagerStandInAbi, logs: receipt.logs, eventName: 'OperatorSlashed' });
    expect(amLogs.map((l) => l.args.operatorSet)).toEqual([operatorSet]);

    // a Completed request: the fulfil's status check says IsCancelled too; a cancel fails on the window first
    await expectRevert(fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId }), 'SlashingRequestIsCancelled');
    await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId }), 'VetoPeriodPassed');
    if (blockWindow) {
      // after slashing, the block-window slashers call updateOperators([operator]) on their coordinator
      const updated = parseEventLogs({ abi: coordinatorAbi, logs: receipt.logs, eventName: 'OperatorsUpdated' });
      expect(updated.map((l) => l.args.operators)).toEqual([[request.operator]]);
    }
  });

  it('only the slasher may queue; unknown ids read as "no such request" and revert on the window first', async () => {
    await expectRevert(queueRequest(stranger, publicClient, { slasher: tb.slasher, request }), 'OnlySlasher');
    const unknown = 999_999n;
    const r = await read(unknown);
    expect(r.requestTimestampOrBlock).toBe(0n);
    expect(r.status).toBe(variant === 'V1' ? 'Null' : 'Requested');
    // its window "ended" long ago (request block or timestamp 0): a cancel fails on the window; a
    // fulfil passes it, then V1 refuses the Null status and V2+ (status 0 is Requested) reach the
    // AllocationManager, which refuses operator 0
    await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId: unknown }), 'VetoPeriodPassed');
    await expectRevert(fulfilWithEveryError(publicClient, tb.slasher, unknown, keeper.account!.address), variant === 'V1' ? 'SlashingRequestIsCancelled' : 'OperatorNotSlashable');
  });

  if (blockWindow) {
    it('a fulfil whose updateOperators reverts reverts whole (one more call that can fail)', async () => {
      const { requestId } = await queue();
      await passWindow();
      const coordinator = await publicClient.readContract({ address: tb.slasher, abi: parseAbi(['function slashingRegistryCoordinator() view returns (address)']), functionName: 'slashingRegistryCoordinator' });
      const set = async (on: boolean) => {
        const hash = await keeper.writeContract({ address: coordinator, abi: coordinatorAbi, functionName: 'setUpdateReverts', args: [on], chain: null, account: keeper.account! });
        await publicClient.waitForTransactionReceipt({ hash });
      };
      await set(true);
      await expectRevert(fulfilWithEveryError(publicClient, tb.slasher, requestId, keeper.account!.address), 'UpdateOperatorsFailed');
      expect((await read(requestId)).status).toBe('Requested');
      await set(false);
      await fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId });
      expect((await read(requestId)).status).toBe('Completed');
    });

    it('window edges are exact in blocks: cancel at requestBlock+w−1, fulfil at requestBlock+w', async () => {
      const a = await queue();
      await rpc('anvil_mine', [numberToHex(WINDOW_BLOCKS - 2)]); // next tx lands at a + w − 1
      const c = await cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId: a.requestId });
      expect(c.blockNumber).toBe(a.blockNumber + BigInt(WINDOW_BLOCKS) - 1n);

      const b = await queue({ ...request, operator: operators[1]! });
      await rpc('anvil_mine', [numberToHex(WINDOW_BLOCKS - 2)]);
      await expectRevert(fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId: b.requestId }), 'VetoPeriodNotPassed');
      await rpc('anvil_mine', ['0x1']); // next tx lands at b + w
      await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId: b.requestId }), 'VetoPeriodPassed');
      const f = await fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId: b.requestId });
      expect(f.blockNumber).toBe(b.blockNumber + BigInt(WINDOW_BLOCKS));
    });
  } else {
    it('window edge is exact in seconds: at requestTimestamp+3d−1 only cancel works, at +3d only fulfil', async () => {
      const q = await queue();
      const { timestamp } = await publicClient.getBlock({ blockNumber: q.blockNumber });
      await rpc('evm_setNextBlockTimestamp', [numberToHex(timestamp + BigInt(THREE_DAYS) - 1n)]);
      await rpc('evm_mine');
      // eth_call at that block runs with its timestamp: one second short of the window end.
      const lastInWindow = await publicClient.getBlockNumber();
      const at = { address: tb.slasher, abi: vetoableSlasherAbis[variant], args: [q.requestId], blockNumber: lastInWindow } as const;
      await expectRevert(publicClient.simulateContract({ ...at, functionName: 'fulfillSlashingRequest', account: keeper.account }), 'VetoPeriodNotPassed');
      await publicClient.simulateContract({ ...at, functionName: 'cancelSlashingRequest', account: committee.account });
      await rpc('evm_setNextBlockTimestamp', [numberToHex(timestamp + BigInt(THREE_DAYS))]);
      await expectRevert(cancelRequest(committee, publicClient, { slasher: tb.slasher, requestId: q.requestId }), 'VetoPeriodPassed');
      const f = await fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId: q.requestId });
      const fb = await publicClient.getBlock({ blockNumber: f.blockNumber });
      expect(fb.timestamp).toBe(timestamp + BigInt(THREE_DAYS));
    });
  }

  if (variant === 'V4') {
    it('V4 ids are the set slash count: same-count queues share an id and the later overwrites', async () => {
      const count = (id: number) =>
        publicClient.readContract({ address: tb.allocationManager, abi: allocationManagerStandInAbi, functionName: 'getSlashCount', args: [{ avs: tb.avs, id }] });
      const c1 = await count(1);
      const first = await queue({ ...request, description: 'first' });
      const second = await queue({ ...request, operator: operators[1]!, description: 'second' });
      expect(first.requestId).toBe(c1);
      expect(second.requestId).toBe(c1);
      expect((await read(c1)).params.description).toBe('second');
      expect((await read(c1)).params.operator).toBe(operators[1]);

      // Another set whose count equals c1 collides as well (set 2 has had no slashes; c1 may be > 0).
      const c2 = await count(2);
      const other = await queue({ ...request, operatorSetId: 2, description: 'set two' });
      expect(other.requestId).toBe(c2);

      // After a slash the count moves on, and the OperatorSlashed id is the new slash count.
      await passWindow();
      const f = await fulfilRequest(keeper, publicClient, { slasher: tb.slasher, requestId: other.requestId, burnOrRedistribute: true });
      expect(await count(2)).toBe(c2 + 1n);
      const receipt = await publicClient.getTransactionReceipt({ hash: f.txHash });
      const [slashed] = parseEventLogs({ abi: vetoableSlasherAbis.V4, logs: receipt.logs, eventName: 'OperatorSlashed' });
      expect(slashed?.args.slashingRequestId).toBe(c2 + 1n);
      const [cleared] = parseEventLogs({ abi: strategyManagerStandInAbi, logs: receipt.logs });
      expect(cleared?.args).toEqual({ avs: tb.avs, operatorSetId: 2, slashId: c2 + 1n });
      expect(await publicClient.readContract({ address: tb.strategyManager!, abi: strategyManagerStandInAbi, functionName: 'clearedCount' })).toBe(1n);
      const next = await queue({ ...request, operatorSetId: 2 });
      expect(next.requestId).toBe(c2 + 1n);
    });
  }
});
