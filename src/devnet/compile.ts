import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Abi, Hex } from 'viem';
import { DeskError } from '../errors';

/** The contracts under test/contracts that fixtures deploy, by Solidity contract name. */
export const TEST_CONTRACT_NAMES = [
  'VetoableSlasherV1',
  'VetoableSlasherV2',
  'VetoableSlasherV3',
  'VetoableSlasherV4',
  'AllocationManagerStandIn',
  'AllocationManagerV13StandIn',
  'SlashingRegistryCoordinatorStandIn',
  'StrategyManagerStandIn',
  'StrategyStandIn',
  'TestToken',
] as const;
export type TestContractName = (typeof TEST_CONTRACT_NAMES)[number];

export interface ContractArtifact {
  abi: Abi;
  bytecode: Hex;
}
export type TestContractArtifacts = Record<TestContractName, ContractArtifact>;

export interface CompileTestContractsParameters {
  /** Defaults to `<repo>/test/contracts`. */
  contractsDir?: string;
  /** Defaults to `<repo>/.cache` (gitignored). */
  cacheDir?: string;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// Part of the cache key: changing them must recompile.
const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}
interface SolcModule {
  compile(input: string): string;
}

const memo = new Map<string, Promise<TestContractArtifacts>>();

/**
 * Compiles every `.sol` file in test/contracts with solc-js (offline) and returns ABI +
 * bytecode by contract name. Output is cached on disk under a key of the sources, the solc
 * version and the settings, so only the first run after an edit pays the ~10 s compile.
 *
 * @example
 * const artifacts = await compileTestContracts();
 * await wallet.deployContract({ ...artifacts.TestToken, args: ['Wrapped Ether', 'WETH', 18] });
 */
export function compileTestContracts(params: CompileTestContractsParameters = {}): Promise<TestContractArtifacts> {
  const contractsDir = params.contractsDir ?? path.join(REPO_ROOT, 'test', 'contracts');
  const cacheDir = params.cacheDir ?? path.join(REPO_ROOT, '.cache');
  const memoKey = `${contractsDir}|${cacheDir}`;
  let pending = memo.get(memoKey);
  if (!pending) {
    pending = compileOrLoad(contractsDir, cacheDir);
    pending.catch(() => memo.delete(memoKey));
    memo.set(memoKey, pending);
  }
  return pending;
}

async function compileOrLoad(contractsDir: string, cacheDir: string): Promise<TestContractArtifacts> {
  const sources = await readSources(contractsDir);
  const solcVersion = (require('solc/package.json') as { version: string }).version;
  const hash = createHash('sha256');
  hash.update(`solc ${solcVersion}\n${JSON.stringify(SOLC_SETTINGS)}\n`);
  for (const [name, content] of Object.entries(sources)) hash.update(`${name}\n${content}\n`);
  const cacheFile = path.join(cacheDir, `contracts-${hash.digest('hex')}.json`);

  const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
  if (cached !== undefined) return JSON.parse(cached) as TestContractArtifacts;

  const artifacts = runSolc(sources);
  await mkdir(cacheDir, { recursive: true });
  // Write-then-rename so a parallel test process never reads a half-written cache file.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(artifacts));
  await rename(tmp, cacheFile);
  return artifacts;
}

async function readSources(contractsDir: string): Promise<Record<string, string>> {
  const files = (await readdir(contractsDir)).filter((f) => f.endsWith('.sol')).sort();
  const sources: Record<string, string> = {};
  for (const file of files) sources[file] = await readFile(path.join(contractsDir, file), 'utf8');
  return sources;
}

function runSolc(sources: Record<string, string>): TestContractArtifacts {
  // Loaded lazily: requiring solc-js alone costs seconds, which cached runs should not pay.
  const solc = require('solc') as SolcModule;
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: SOLC_SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new DeskError('DEVNET_FAILED', 'Solidity compilation of test contracts failed', {
      details: errors.map((e) => e.formattedMessage).join('\n'),
    });
  }

  const byName = new Map<string, ContractArtifact>();
  for (const contracts of Object.values(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      byName.set(name, { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` });
    }
  }
  const artifacts = {} as TestContractArtifacts;
  for (const name of TEST_CONTRACT_NAMES) {
    const artifact = byName.get(name);
    if (!artifact) throw new DeskError('DEVNET_FAILED', `Test contract ${name} missing from solc output`);
    artifacts[name] = artifact;
  }
  return artifacts;
}
