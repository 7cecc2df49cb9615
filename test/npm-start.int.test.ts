/**
 * `npm start` as a process manager runs it: npm → node (the script `exec`s, so no shell sits
 * between). A stop signal to the npm process stops the desk and its devnet within seconds, the
 * port closes and no desk, anvil or watchdog process is left; a second signal exits at once; a
 * signal during start-up stops what has started; the kept devnet is resumed on the next start;
 * anvil dies with the desk even when the desk is SIGKILLed; a taken port is named before the
 * devnet or the database is touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, getJson, waitFor } from './helpers/deskProcess';

const ROOT = path.join(__dirname, '..');
const STOP_WITHIN_MS = 10_000;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-npm-start-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Started {
  npm: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function npmStart(port: number, extraEnv: Record<string, string> = {}): Started {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      LOG_LEVEL: 'info',
      // the devnet is kept beside this database: in the test's folder, not the repo's ./data
      DATABASE_URL: `file:${path.join(dir, 'veto-desk.db')}`,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => npm.once('exit', (code, signal) => r({ code, signal })));
  return { npm, port, output: () => out, exited };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

/** The desk (node), its anvil and anvil's watchdog, found under the npm process. */
async function processTree(s: Started): Promise<{ desk: number; anvil: number; watchdog: number }> {
  return waitFor('the desk, anvil and watchdog processes', async () => {
    const desk = childrenOf(s.npm.pid!).find((p) => cmdline(p).includes('src/main.ts'));
    if (!desk) return null;
    const kids = childrenOf(desk);
    const anvil = kids.find((p) => cmdline(p).includes('anvil'));
    const watchdog = kids.find((p) => cmdline(p).includes('process.kill(pid'));
    return anvil && watchdog ? { desk, anvil, watchdog } : null;
  }, 60_000);
}

async function serving(s: Started): Promise<void> {
  await waitFor('the desk to serve', async () => s.output().includes('Veto Desk is serving') && (await getJson(`http://127.0.0.1:${s.port}/api/health`)).status === 200, 120_000, 250);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function expectAllGone(pids: number[]): Promise<void> {
  await waitFor(`processes ${pids.join(', ')} to be gone`, async () => pids.every((p) => !alive(p)), STOP_WITHIN_MS, 100);
}

it('SIGTERM to the npm process stops the desk and its anvil within seconds', async () => {
  const s = npmStart(await freePort());
  await serving(s);
  const tree = await processTree(s);
  expect(s.output()).toMatch(/seeded a new chain because no devnet was kept/);
  // the start script's environment reaches node itself (set before `exec` in the script)
  expect(fs.readFileSync(`/proc/${tree.desk}/environ`, 'utf8').split('\0')).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_TRIM_THRESHOLD_=131072']));
  expect(cmdline(tree.desk)).toContain('--optimize-for-size');

  const sent = Date.now();
  s.npm.kill('SIGTERM');
  const exit = await s.exited;
  const tookMs = Date.now() - sent;
  expect(tookMs).toBeLessThan(STOP_WITHIN_MS);
  expect(exit.code).toBe(0);
  expect(s.output()).toMatch(/SIGTERM: shutting down/);
  expect(await portOpen(s.port)).toBe(false);
  await expectAllGone([tree.desk, tree.anvil, tree.watchdog]);
  // anvil wrote the chain on its way out: the next start resumes it
  expect(fs.existsSync(path.join(dir, 'devnet', 'anvil-state.json'))).toBe(true);
}, 180_000);

it('a restart resumes the same devnet and database; SIGINT twice exits at once', async () => {
  const s = npmStart(await freePort());
  await serving(s);
  expect(s.output()).toMatch(/devnet: resumed the chain kept in/);
  const { body } = await getJson<{ requests: { requestId: string; status: string }[] }>(`http://127.0.0.1:${s.port}/api/requests`);
  // the seeded requests, served open first (the page's order), none lost or added by the restart
  expect(body.requests.map((r) => r.requestId).sort((a, b) => Number(a) - Number(b))).toEqual(['0', '1', '2', '3', '4', '5']);
  const tree = await processTree(s);

  // two signals straight to the desk: the second does not wait for the stop to finish
  process.kill(tree.desk, 'SIGINT');
  process.kill(tree.desk, 'SIGINT');
  const exit = await s.exited;
  expect([0, 1]).toContain(exit.code);
  expect(await portOpen(s.port)).toBe(false);
  await expectAllGone([tree.desk, tree.anvil, tree.watchdog]);
}, 180_000);

it('anvil dies with the desk even when the desk is killed with SIGKILL', async () => {
  const s = npmStart(await freePort());
  await serving(s);
  const tree = await processTree(s);
  process.kill(tree.desk, 'SIGKILL');
  await s.exited;
  // the watchdog saw its pipe close: anvil gets SIGTERM (and writes its state), then both go
  await expectAllGone([tree.desk, tree.anvil, tree.watchdog]);
}, 180_000);

it('a taken port is named before the devnet or the database is touched, and nothing is left running', async () => {
  const port = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(port, '0.0.0.0', () => r()));
  // what a running desk keeps there (its chain, its database): a second start must not write them
  const kept = () => [path.join(dir, 'devnet'), dir].flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [])).filter((f) => fs.statSync(f).isFile()).map((f) => `${f}:${fs.statSync(f).mtimeMs}:${fs.statSync(f).size}`);
  const before = kept();
  try {
    const s = npmStart(port);
    const exit = await s.exited;
    expect(exit.code).not.toBe(0);
    expect(s.output()).toMatch(new RegExp(`\\[PORT_IN_USE\\] port ${port} is in use`));
    expect(s.output()).not.toMatch(/Cannot read properties/);
    expect(s.output()).not.toMatch(/starting the embedded local devnet|Local devnet is up|tracking slasher/);
    expect(kept()).toEqual(before);
    // no anvil of this run survives it (its own folder names it)
    await waitFor('no anvil on the test folder', async () => !fs.readdirSync('/proc').some((p) => /^\d+$/.test(p) && cmdline(Number(p)).includes(`--state ${path.join(dir, 'devnet')}`)), STOP_WITHIN_MS);
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
}, 180_000);

it('a stop during start-up (while the devnet is seeded) stops what has started', async () => {
  // a fresh folder: seeding takes seconds, the signal lands in the middle of it
  fs.rmSync(path.join(dir, 'devnet'), { recursive: true, force: true });
  const s = npmStart(await freePort());
  const anvil = await waitFor('anvil to start', async () => {
    const desk = childrenOf(s.npm.pid!).find((p) => cmdline(p).includes('src/main.ts'));
    return desk ? childrenOf(desk).find((p) => cmdline(p).includes('anvil')) : undefined;
  }, 60_000, 50);
  const sent = Date.now();
  s.npm.kill('SIGTERM');
  const exit = await s.exited;
  expect(Date.now() - sent).toBeLessThan(STOP_WITHIN_MS);
  expect(exit.code).toBe(0);
  expect(s.output()).toMatch(/SIGTERM during start-up: stopping what has started/);
  expect(s.output()).not.toMatch(/Veto Desk is serving/);
  await expectAllGone([anvil]);
}, 180_000);
