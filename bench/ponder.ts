/**
 * Ponder beside the desk in the provider bench: the indexer an AVS team would otherwise use,
 * installed from npm into .cache/ponder (on the first run; nothing of it is a dependency of the
 * desk), indexing the slasher's three events into its embedded database (PGlite) through the
 * same kind of proxy. Its app is written here rather than kept as files: its `ponder:*` imports
 * resolve only inside a Ponder build, not under the desk's TypeScript.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Address } from 'viem';

export const PONDER_VERSION = '1.0.0';
const APP_DIR = path.resolve(__dirname, '..', '.cache', 'ponder');

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'veto-desk-bench-ponder', private: true, type: 'module' }, null, 2),
  'ponder.config.ts': `import { createConfig } from 'ponder';
import { http, parseAbi } from 'viem';

// the V2–V4 layout (the bench deploys a V3 slasher)
const abi = parseAbi([
  'event SlashingRequested(uint256 indexed requestId, address indexed operator, uint32 operatorSetId, uint256[] wadsToSlash, string description)',
  'event SlashingRequestCancelled(uint256 indexed requestId)',
  'event OperatorSlashed(uint256 indexed slashingRequestId, address indexed operator, uint32 indexed operatorSetId, uint256[] wadsToSlash, string description)',
]);

export default createConfig({
  networks: {
    bench: {
      chainId: Number(process.env.PONDER_CHAIN_ID),
      transport: http(process.env.PONDER_RPC_URL),
      maxRequestsPerSecond: Number(process.env.PONDER_MAX_RPS),
    },
  },
  contracts: {
    Slasher: {
      abi,
      network: 'bench',
      address: process.env.PONDER_SLASHER as \`0x\${string}\`,
      startBlock: Number(process.env.PONDER_START_BLOCK),
      endBlock: Number(process.env.PONDER_END_BLOCK),
    },
  },
});
`,
  'ponder.schema.ts': `import { onchainTable } from 'ponder';

export const request = onchainTable('request', (t) => ({
  id: t.bigint().primaryKey(),
  operator: t.hex().notNull(),
  operatorSetId: t.integer().notNull(),
  description: t.text().notNull(),
  queuedAtBlock: t.bigint().notNull(),
  status: t.text().notNull(),
}));
`,
  'src/index.ts': `import { ponder } from 'ponder:registry';
import { request } from 'ponder:schema';

ponder.on('Slasher:SlashingRequested', async ({ event, context }) => {
  await context.db.insert(request).values({
    id: event.args.requestId,
    operator: event.args.operator,
    operatorSetId: event.args.operatorSetId,
    description: event.args.description,
    queuedAtBlock: event.block.number,
    status: 'requested',
  });
});

ponder.on('Slasher:SlashingRequestCancelled', async ({ event, context }) => {
  await context.db.update(request, { id: event.args.requestId }).set({ status: 'cancelled' });
});

ponder.on('Slasher:OperatorSlashed', async ({ event, context }) => {
  await context.db.update(request, { id: event.args.slashingRequestId }).set({ status: 'completed' });
});
`,
  'src/api/index.ts': `import { db } from 'ponder:api';
import schema from 'ponder:schema';
import { Hono } from 'hono';
import { count } from 'ponder';

const app = new Hono();
app.get('/requests/count', async (c) => {
  const [row] = await db.select({ n: count() }).from(schema.request);
  return c.json({ n: Number(row?.n ?? 0) });
});
export default app;
`,
};

/**
 * Writes the app and installs Ponder into it when it is not there yet.
 * @returns null when Ponder is ready to run, else why not (printed as is)
 */
export function preparePonder(log: (line: string) => void): string | null {
  for (const [file, text] of Object.entries(FILES)) {
    const at = path.join(APP_DIR, file);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    if (!fs.existsSync(at) || fs.readFileSync(at, 'utf8') !== text) fs.writeFileSync(at, text);
  }
  // written once npm install succeeded: an install cut short may leave ponder's package.json behind
  const installed = path.join(APP_DIR, `.installed-ponder-${PONDER_VERSION}`);
  if (fs.existsSync(installed)) return null;
  log(`  installing ponder@${PONDER_VERSION} into ${path.relative(process.cwd(), APP_DIR)} (first run only)`);
  // hono: the app's own API route; esbuild's install script only checks its binary, which its platform package carries
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `ponder@${PONDER_VERSION}`, 'viem@2', 'hono@4'], { cwd: APP_DIR, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `npm install ponder@${PONDER_VERSION} failed here: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' / ')}`;
  fs.writeFileSync(installed, '');
  return null;
}

export interface PonderRun {
  /** from the process's start until /ready answered 200 and every request was stored */
  seconds: number;
  /** from its HTTP server answering /health until done: its own start (build, database) left out */
  indexingSeconds: number;
  listed: number;
  exitedEarly: string | null;
}

/**
 * One Ponder run on a fresh database, from spawn until it says historical indexing is complete
 * (GET /ready → 200) and its own API counts every request (or stops short for 30 s).
 */
export async function runPonder(o: { rpcUrl: string; chainId: number; slasher: Address; startBlock: number; endBlock: number; maxRequestsPerSecond: number; port: number; timeoutMs: number; requests: number }): Promise<PonderRun> {
  fs.rmSync(path.join(APP_DIR, '.ponder'), { recursive: true, force: true });
  const bin = path.join(APP_DIR, 'node_modules', 'ponder', 'dist', 'esm', 'bin', 'ponder.js');
  const t0 = performance.now();
  let output = '';
  const child = spawn(process.execPath, [bin, 'start', '--schema', 'bench', '--port', String(o.port), '--hostname', '127.0.0.1'], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      PONDER_LOG_LEVEL: 'warn',
      PONDER_TELEMETRY_DISABLED: 'true',
      PONDER_RPC_URL: o.rpcUrl,
      PONDER_CHAIN_ID: String(o.chainId),
      PONDER_SLASHER: o.slasher,
      PONDER_START_BLOCK: String(o.startBlock),
      PONDER_END_BLOCK: String(o.endBlock),
      PONDER_MAX_RPS: String(o.maxRequestsPerSecond),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => void (output = (output + b.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | null = null;
  // its first error lines say why (the last ones are a stack and its shutdown)
  const why = () => (output.split('\n').filter((l) => /ERROR|Error:|error:/.test(l)).slice(0, 4).join(' / ') || output.trim().split('\n').slice(-5).join(' / ')).replace(/\s+/g, ' ');
  child.once('exit', (code, signal) => void (exited = `exited (${code ?? signal}) before it was ready: ${why()}`));
  const base = `http://127.0.0.1:${o.port}`;
  const status = async (route: string) => {
    try {
      return (await fetch(`${base}${route}`, { signal: AbortSignal.timeout(2_000) })).status;
    } catch {
      return 0;
    }
  };
  try {
    let healthyAt: number | null = null;
    let readyAt: number | null = null;
    let listed = 0;
    const counted = async (): Promise<number | null> => {
      try {
        return ((await (await fetch(`${base}/requests/count`, { signal: AbortSignal.timeout(2_000) })).json()) as { n: number }).n;
      } catch {
        return null;
      }
    };
    while (performance.now() - t0 < o.timeoutMs && exited === null) {
      if (healthyAt === null && (await status('/health')) === 200) healthyAt = performance.now();
      if (healthyAt !== null && readyAt === null && (await status('/ready')) === 200) readyAt = performance.now();
      if (readyAt !== null) {
        // ready means the historical sync reached the chain's finalized block; the blocks after it
        // (up to the end block) come through its realtime sync: done once every request is there
        listed = (await counted()) ?? listed;
        const doneAt = performance.now();
        if (listed >= o.requests) return { seconds: (doneAt - t0) / 1000, indexingSeconds: (doneAt - (healthyAt ?? t0)) / 1000, listed, exitedEarly: null };
        if (doneAt - readyAt > 30_000) return { seconds: (doneAt - t0) / 1000, indexingSeconds: NaN, listed, exitedEarly: `ready, but ${listed} of ${o.requests} requests stored 30 s later` };
      }
      // every poll of /ready reads Ponder's own database: often enough for a 250 ms grain, no more
      await new Promise((r) => setTimeout(r, 250));
    }
    return { seconds: (performance.now() - t0) / 1000, indexingSeconds: NaN, listed, exitedEarly: exited ?? `not ready within ${o.timeoutMs / 1000} s: ${why()}` };
  } finally {
    const running = () => child.exitCode === null && child.signalCode === null;
    if (running()) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (running()) child.kill('SIGKILL');
    }
  }
}
