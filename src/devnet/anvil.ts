import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { toHex, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { DeskError } from '../errors';

export interface StartAnvilParameters {
  /** Free port picked when omitted. */
  port?: number;
  /** Seconds between blocks; omitted = anvil's default automine (one block per transaction). */
  blockTime?: number;
  chainId?: number;
  loadState?: string;
  dumpState?: string;
  /** `--state`: load the chain from this file when it exists, dump it there on exit */
  state?: string;
  /** `--state-interval`: also dump every this many seconds (a crash then loses only those) */
  stateIntervalSec?: number;
  /**
   * Make sure anvil dies with this process even when it is killed with SIGKILL: anvil runs in a
   * process group of its own (a Ctrl-C in the terminal reaches the desk, which stops it in
   * order), and a small watchdog process reading a pipe from this one stops anvil (SIGTERM, so
   * its state is dumped; SIGKILL after 10 s) once the pipe closes, i.e. once this process is gone.
   */
  watchdog?: boolean;
  extraArgs?: string[];
}

export interface AnvilInstance {
  rpcUrl: string;
  wsUrl: string;
  port: number;
  /** the anvil process (the bench reads its CPU time) */
  pid: number | undefined;
  /** anvil's own HOME, where it writes the states of older blocks: removed once it has exited */
  home: string;
  stop(): Promise<void>;
}

export interface DevAccount {
  address: Hex;
  privateKey: Hex;
}

/** anvil's default mnemonic: its accounts are public knowledge and must never hold real funds. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

const READY_TIMEOUT_MS = 20_000;
const LOG_TAIL_LINES = 40;

/** anvil's well-known funded dev accounts #0..#(count-1). */
export function anvilDevAccounts(count = 10): DevAccount[] {
  return Array.from({ length: count }, (_, addressIndex) => {
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });
    const key = account.getHdKey().privateKey;
    if (!key) throw new DeskError('DEVNET_FAILED', `No private key derived for dev account #${addressIndex}`);
    return { address: account.address, privateKey: toHex(key) };
  });
}

export function anvilBinaryPath(): string {
  const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
  return path.join(path.dirname(pkg), 'bin', 'anvil');
}

/**
 * Starts a local anvil node and resolves once it answers `eth_chainId`. The child is killed on
 * `stop()` and, as a last resort, when this process exits, so test runs never leak nodes.
 *
 * @example
 * const anvil = await startAnvil({});
 * const client = createPublicClient({ transport: http(anvil.rpcUrl) });
 * await anvil.stop();
 */
export async function startAnvil(params: StartAnvilParameters = {}): Promise<AnvilInstance> {
  // A picked port can be taken between probe and bind; retry only when we picked it.
  const attempts = params.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = params.port ?? (await findFreePort());
    try {
      return await launch(port, params);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

async function launch(port: number, params: StartAnvilParameters): Promise<AnvilInstance> {
  const args = ['--host', '127.0.0.1', '--port', String(port)];
  if (params.blockTime !== undefined) args.push('--block-time', String(params.blockTime));
  if (params.chainId !== undefined) args.push('--chain-id', String(params.chainId));
  if (params.loadState !== undefined) args.push('--load-state', params.loadState);
  if (params.dumpState !== undefined) args.push('--dump-state', params.dumpState);
  if (params.state !== undefined) args.push('--state', params.state);
  if (params.stateIntervalSec !== undefined) args.push('--state-interval', String(params.stateIntervalSec));
  args.push(...(params.extraArgs ?? []));

  // anvil writes the states of older blocks under $HOME/.foundry/anvil/tmp (≈ 200 kB a block,
  // gigabytes for a long chain) and leaves them there when it stops: a home of its own, removed
  // once it has exited, keeps a test run or a long devnet from filling the disk
  // (beside a kept chain's state file, so a long devnet writes to the disk it keeps its data on,
  // never to a temporary directory that may live in memory)
  const homeParent = params.state !== undefined ? path.dirname(path.resolve(params.state)) : os.tmpdir();
  mkdirSync(homeParent, { recursive: true });
  const home = mkdtempSync(path.join(homeParent, 'vetodesk-anvil-'));
  const removeHome = () => {
    try {
      rmSync(home, { recursive: true, force: true });
    } catch {
      // best effort: a leftover temporary directory is no failure
    }
  };
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: params.watchdog === true, env: { ...process.env, HOME: home } });
  const watchdog = params.watchdog && child.pid !== undefined ? startWatchdog(child.pid, home) : null;
  // Keep draining output (a full pipe would stall anvil) but remember only the tail for errors.
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - LOG_TAIL_LINES));
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      removeHome();
      resolve(code);
    }),
  );
  // with a watchdog, SIGTERM: anvil dumps its state and exits, and the watchdog makes sure it does
  // (and removes its home); without one, anvil is gone at once and its home with it
  const killOnExit = () => {
    child.kill(watchdog ? 'SIGTERM' : 'SIGKILL');
    if (!watchdog) removeHome();
  };
  process.once('exit', killOnExit);

  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(rpcUrl, exited);
  } catch (e) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    watchdog?.release();
    throw new DeskError('DEVNET_FAILED', `anvil did not start on port ${port}`, {
      details: tail.join('\n'),
      cause: e,
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    rpcUrl,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    home,
    stop() {
      stopping ??= stopChild(child, exited).finally(() => {
        process.removeListener('exit', killOnExit);
        watchdog?.release();
      });
      return stopping;
    },
  };
}

async function waitUntilReady(rpcUrl: string, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`anvil exited with code ${exitCode}`);
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok && typeof ((await res.json()) as { result?: unknown }).result === 'string') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`anvil did not answer eth_chainId within ${READY_TIMEOUT_MS} ms`);
}

/** SIGTERM first so `--dump-state` gets written; SIGKILL if anvil lingers. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The watchdog: a node process that waits for its stdin (a pipe from this process) to close,
 * then stops `pid`. It exits on its own once `pid` is gone, removing anvil's home (its block states). Plain JavaScript, no tsx: it must start
 * in milliseconds and outlive this process's loader.
 */
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1]);
const home = process.argv[2];
const gone = () => { try { require('node:fs').rmSync(home, { recursive: true, force: true }); } catch {} process.exit(0); };
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  try { process.kill(pid, 'SIGTERM'); } catch {}
  setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch {} setTimeout(gone, 200); }, 10000).unref();
};
process.stdin.on('end', stop).on('close', stop).on('error', stop).resume();
setInterval(() => { if (!alive()) gone(); }, stopping ? 100 : 500);
`;

function startWatchdog(pid: number, home: string): { release(): void } {
  const w = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(pid), home], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  w.stdin?.on('error', () => undefined);
  // neither the process nor its pipe may keep this process's event loop alive
  w.unref();
  (w.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    /** anvil is stopped (or never started): the watchdog may go */
    release() {
      w.stdin?.end();
      if (w.exitCode === null) w.kill('SIGTERM');
    },
  };
}

/** A port free on the loopback right now (the OS picks it; closed again before it is returned). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
