/**
 * The benchmark chain: a V3 slasher holding ≥ 10k requests spread over ≥ 20k blocks. Seeding
 * takes a while (anvil on two cores), so the finished chain is dumped into
 * `.cache/bench-<hash>.json` and later runs `--load-state` it. The hash covers every contract
 * source, this file and the seed parameters: change any of them and the chain is seeded again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getAddress, keccak256, numberToHex, parseEther, toHex, type Abi, type Address, type Hex } from 'viem';
import { anvilBinaryPath, anvilDevAccounts, startAnvil, type AnvilInstance } from '../src/devnet/anvil';
import { createDevClients } from '../src/devnet/devnet';
import { deployArtifact, deployTestbed } from '../src/devnet/deploy';
import { execFileSync } from 'node:child_process';

export interface SeedParameters {
  requests: number;
  requestsPerTx: number;
  /** empty blocks mined after each batch transaction */
  blocksBetweenBatches: number;
  operators: number;
  vetoWindowBlocks: number;
  deallocationDelay: number;
}

export const DEFAULT_SEED: SeedParameters = {
  requests: 10_000,
  requestsPerTx: 50,
  blocksBetweenBatches: 105,
  operators: 20,
  vetoWindowBlocks: 40,
  deallocationDelay: 60,
};

/** What a measurement needs to know about the seeded chain (stored next to the state dump). */
export interface BenchChain {
  params: SeedParameters;
  slasher: Address;
  bulkQueuer: Address;
  strategies: Address[];
  operators: Address[];
  deployBlock: number;
  firstRequestBlock: number;
  lastRequestBlock: number;
  head: number;
}

export interface LoadedChain {
  anvil: AnvilInstance;
  chain: BenchChain;
  how: 'seeded' | 'loaded';
  /** seeding + dump (first run) or state load (later runs), seconds */
  seconds: number;
  stateFile: string;
  stateBytes: number;
}

const REPO_ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(REPO_ROOT, '.cache');
const TEST_CONTRACTS = path.join(REPO_ROOT, 'test', 'contracts');
const BULK_QUEUER = path.join(__dirname, 'contracts', 'BulkQueuer.sol');
/**
 * anvil 1.7 rebuilds the whole state trie for every mined block, and from Prague on the
 * EIP-2935 history contract grows by one slot per block: mining 20k blocks turns quadratic
 * (minutes per thousand blocks; foundry-rs/foundry#15715). Cancun has no such contract, and the
 * desk does not care about the hardfork. The seeding node also keeps no historical states.
 */
export const ANVIL_ARGS = ['--hardfork', 'cancun'];
export const SEED_ANVIL_ARGS = [...ANVIL_ARGS, '--prune-history'];
const REASONS = [
  'Missed attestations',
  'Invalid task response',
  'Equivocation: double-signed checkpoint',
  'Liveness fault in epoch',
  'Oracle misreport, disputed by the committee pending review of the submitted evidence',
];

/** The expected content of request `i`: the bench checks a few of them in the database. */
export function expectedRequest(chain: Pick<BenchChain, 'operators' | 'strategies'>, i: number) {
  const [s0, s1, s2] = chain.strategies as [Address, Address, Address];
  const pairs: [Address, Address][] = [[s0, s1], [s1, s2], [s0, s2]];
  const wad = parseEther('0.01') * BigInt(1 + (i % 37));
  return {
    operator: chain.operators[i % chain.operators.length]!,
    operatorSetId: 1 + (i % 3),
    strategies: pairs[i % pairs.length]!,
    wadsToSlash: [wad, wad / 2n],
    description: `${REASONS[i % REASONS.length]} #${i}`,
  };
}

export async function loadOrSeedChain(params: SeedParameters, log: (line: string) => void): Promise<LoadedChain> {
  const key = await cacheKey(params);
  const stateFile = path.join(CACHE_DIR, `bench-${key}.json`);
  const metaFile = path.join(CACHE_DIR, `bench-${key}.meta.json`);
  const started = performance.now();
  if (existsSync(stateFile) && existsSync(metaFile)) {
    log(`loading cached chain ${path.relative(REPO_ROOT, stateFile)}`);
    const chain = JSON.parse(await readFile(metaFile, 'utf8')) as BenchChain;
    const anvil = await startAnvil({ loadState: stateFile, extraArgs: ANVIL_ARGS });
    try {
      await checkHead(anvil, chain);
    } catch (e) {
      await anvil.stop();
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    return { anvil, chain, how: 'loaded', seconds, stateFile, stateBytes: (await readFile(stateFile)).byteLength };
  }

  log(`no cached chain for key ${key.slice(0, 12)}: seeding ${params.requests} requests (first run only)`);
  await mkdir(CACHE_DIR, { recursive: true });
  const tmpState = `${stateFile}.${process.pid}.tmp`;
  // The seeding node forks an empty node: a fork skips the full state-trie rebuild that makes
  // every block mined by a standalone anvil 1.7 cost time in proportion to the state (≈ 50 ms per
  // empty block once 2k requests are stored; 10k requests over 20k blocks would take hours).
  const origin = await startAnvil({ extraArgs: ANVIL_ARGS });
  let chain: BenchChain;
  try {
    const seeding = await startAnvil({ dumpState: tmpState, extraArgs: [...SEED_ANVIL_ARGS, '--fork-url', origin.rpcUrl] });
    try {
      chain = await seed(seeding.rpcUrl, params, log);
    } finally {
      // SIGTERM: anvil writes --dump-state on its way out
      await seeding.stop();
    }
  } finally {
    await origin.stop();
  }
  if (!existsSync(tmpState)) throw new Error(`anvil exited without writing its state to ${tmpState}`);
  await rename(tmpState, stateFile);
  await writeFile(metaFile, JSON.stringify(chain, null, 2));
  log(`seeded and dumped in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(REPO_ROOT, stateFile)}`);

  // Measure against a loaded chain on every run, the first one included, so runs compare.
  const anvil = await startAnvil({ loadState: stateFile, extraArgs: ANVIL_ARGS });
  await checkHead(anvil, chain).catch(async (e) => {
    await anvil.stop();
    await rm(stateFile, { force: true });
    await rm(metaFile, { force: true });
    throw e;
  });
  const seconds = (performance.now() - started) / 1000;
  return { anvil, chain, how: 'seeded', seconds, stateFile, stateBytes: (await readFile(stateFile)).byteLength };
}

export async function seed(rpcUrl: string, params: SeedParameters, log: (line: string) => void): Promise<BenchChain> {
  const [keeper, committee] = anvilDevAccounts(2) as [{ address: Address; privateKey: Hex }, { address: Address }];
  const { publicClient, wallet } = createDevClients(rpcUrl, keeper.privateKey);
  const bulk = compileBulkQueuer(await readFile(BULK_QUEUER, 'utf8'), await readFile(path.join(TEST_CONTRACTS, 'SlashingTypes.sol'), 'utf8'));
  const queuer = await deployArtifact(wallet, publicClient, bulk, []);
  const testbed = await deployTestbed(wallet, publicClient, {
    variant: 'V3',
    vetoWindowBlocks: params.vetoWindowBlocks,
    deallocationDelay: params.deallocationDelay,
    slasher: queuer.address,
    vetoCommittee: committee.address,
  });
  // Operators only need to be distinct addresses: the V3 stand-in does not check registration.
  const operators = Array.from({ length: params.operators }, (_, i) => getAddress(keccak256(toHex(`bench operator ${i}`)).slice(0, 42)));
  const base = { strategies: testbed.strategies, operators };

  const batches = Math.ceil(params.requests / params.requestsPerTx);
  let firstRequestBlock = 0;
  let lastRequestBlock = 0;
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const from = b * params.requestsPerTx;
    const to = Math.min(params.requests, from + params.requestsPerTx);
    const requests = Array.from({ length: to - from }, (_, k) => expectedRequest(base, from + k));
    const hash = await wallet.writeContract({
      address: queuer.address,
      abi: bulk.abi,
      functionName: 'queueMany',
      args: [testbed.slasher, requests],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`bulk queue transaction ${hash} reverted`);
    const queued = receipt.logs.filter((l) => getAddress(l.address) === testbed.slasher).length;
    if (queued !== requests.length) throw new Error(`batch ${b}: ${queued} SlashingRequested logs for ${requests.length} requests`);
    if (b === 0) firstRequestBlock = Number(receipt.blockNumber);
    lastRequestBlock = Number(receipt.blockNumber);
    await publicClient.request({ method: 'anvil_mine', params: [numberToHex(params.blocksBetweenBatches)] } as never);
    if ((b + 1) % 20 === 0 || b + 1 === batches) {
      const s = (performance.now() - t0) / 1000;
      log(`  seeded ${to}/${params.requests} requests, block ${lastRequestBlock + params.blocksBetweenBatches} (${s.toFixed(1)} s)`);
    }
  }
  const head = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
  return {
    params,
    slasher: testbed.slasher,
    bulkQueuer: queuer.address,
    strategies: testbed.strategies,
    operators,
    deployBlock: Number(testbed.deployBlock),
    firstRequestBlock,
    lastRequestBlock,
    head,
  };
}

/** A loaded dump must give back the very chain that was seeded: else the cache is stale. */
async function checkHead(anvil: AnvilInstance, chain: BenchChain): Promise<void> {
  const { publicClient } = createDevClients(anvil.rpcUrl, anvilDevAccounts(1)[0]!.privateKey);
  const head = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
  const code = await publicClient.getCode({ address: chain.slasher });
  if (head !== chain.head || !code || code === '0x') {
    throw new Error(`the loaded chain is not the seeded one (head ${head}, expected ${chain.head}; slasher code ${code ? 'present' : 'missing'}): delete .cache/bench-* and run again`);
  }
}

async function cacheKey(params: SeedParameters): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(params));
  hash.update(execFileSync(anvilBinaryPath(), ['--version']).toString().split('\n')[0] ?? '');
  const files = (await readdir(TEST_CONTRACTS)).filter((f) => f.endsWith('.sol')).sort();
  for (const f of files) hash.update(`${f}\n${await readFile(path.join(TEST_CONTRACTS, f), 'utf8')}`);
  hash.update(await readFile(BULK_QUEUER, 'utf8'));
  hash.update(await readFile(__filename, 'utf8'));
  return hash.digest('hex').slice(0, 24);
}

/** solc-js, loaded only when seeding (requiring it alone costs seconds). */
function compileBulkQueuer(source: string, slashingTypes: string): { abi: Abi; bytecode: Hex } {
  const solc = require('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'BulkQueuer.sol': { content: source }, 'SlashingTypes.sol': { content: slashingTypes } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { 'BulkQueuer.sol': { BulkQueuer: ['abi', 'evm.bytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`BulkQueuer.sol does not compile:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const c = out.contracts?.['BulkQueuer.sol']?.BulkQueuer;
  if (!c) throw new Error('BulkQueuer missing from solc output');
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}
