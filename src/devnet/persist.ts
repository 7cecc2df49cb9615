/**
 * Where a kept devnet lives: anvil's state (dumped by anvil itself on stop and every few
 * seconds) and the layout of what was deployed on it (addresses, seeded requests), so a restart
 * resumes the same chain instead of seeding a new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Address } from 'viem';
import type { SafeContracts } from './safe';

export interface DevnetFiles {
  dir: string;
  /** anvil's `--state` file */
  state: string;
  /** what was deployed on that chain */
  layout: string;
}

/** Everything about a seeded devnet that does not change while it runs. */
export interface DevnetLayout {
  chainId: number;
  slasher: Address;
  allocationManager: Address;
  avs: Address;
  operatorSetId: number;
  strategies: Address[];
  operators: Address[];
  safe: Address;
  contractNetworks: Record<string, SafeContracts>;
  deployBlock: bigint;
  vetoWindowBlocks: number;
  deallocationDelay: number;
  blockTime: number;
  seeded: { fulfilled: bigint; cancelled: bigint; atRisk: bigint; open: bigint[]; redistributing?: bigint };
}

const LAYOUT_VERSION = 1;
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/).transform((a) => a as Address);
const big = z.string().regex(/^\d+$/).transform((v) => BigInt(v));
const layoutSchema = z.object({
  version: z.literal(LAYOUT_VERSION),
  chainId: z.number().int(),
  slasher: address,
  allocationManager: address,
  avs: address,
  operatorSetId: z.number().int(),
  strategies: z.array(address).min(3),
  operators: z.array(address).min(1),
  safe: address,
  contractNetworks: z.record(z.string(), z.record(z.string(), z.string())),
  deployBlock: big,
  vetoWindowBlocks: z.number().int().positive(),
  deallocationDelay: z.number().int().nonnegative(),
  blockTime: z.number().nonnegative(),
  seeded: z.object({ fulfilled: big, cancelled: big, atRisk: big, open: z.array(big), redistributing: big.optional() }),
});

export function devnetFiles(dir: string): DevnetFiles {
  return { dir, state: path.join(dir, 'anvil-state.json'), layout: path.join(dir, 'devnet.json') };
}

/** The saved layout when both files are there and readable; else why there is nothing to resume. */
export function readSavedDevnet(files: DevnetFiles): { layout: DevnetLayout; reason?: undefined } | { layout?: undefined; reason: string } {
  if (!fs.existsSync(files.layout) && !fs.existsSync(files.state)) return { reason: `no devnet was kept in ${files.dir} yet` };
  if (!fs.existsSync(files.state)) return { reason: `${files.state} is missing (the last devnet never wrote its state)` };
  if (!fs.existsSync(files.layout)) return { reason: `${files.layout} is missing (the last devnet did not finish seeding)` };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(files.layout, 'utf8'));
  } catch (e) {
    return { reason: `${files.layout} is not readable JSON (${(e as Error).message})` };
  }
  const parsed = layoutSchema.safeParse(raw);
  if (!parsed.success) return { reason: `${files.layout} is not a devnet layout this desk knows (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'})` };
  const { version: _version, ...layout } = parsed.data;
  return { layout: { ...layout, contractNetworks: layout.contractNetworks as unknown as Record<string, SafeContracts> } };
}

/** Written once seeding is done: until then a crash leaves no layout, and the next start seeds anew. */
export function saveDevnet(files: DevnetFiles, layout: DevnetLayout): void {
  fs.mkdirSync(files.dir, { recursive: true });
  const json = JSON.stringify({ version: LAYOUT_VERSION, ...layout }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  const tmp = `${files.layout}.tmp`;
  fs.writeFileSync(tmp, json + '\n');
  fs.renameSync(tmp, files.layout);
}

/** Removes what a new chain replaces (it would be another chain's state). */
export function discardState(files: DevnetFiles): void {
  fs.mkdirSync(files.dir, { recursive: true });
  for (const f of [files.state, files.layout]) fs.rmSync(f, { force: true });
}

/** Moves an unusable kept chain aside (never deleted: someone may want to look at it); returns where. */
export function setAside(files: DevnetFiles): string {
  const aside = path.join(files.dir, `unusable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(aside, { recursive: true });
  for (const f of [files.state, files.layout]) if (fs.existsSync(f)) fs.renameSync(f, path.join(aside, path.basename(f)));
  return aside;
}

