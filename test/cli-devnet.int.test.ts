/**
 * The on-call commands on the devnet: `status` (exit 3 while the seeded at-risk request is open,
 * 0 once nothing needs a human), `plan`, `doctor` (exit 0 on the devnet's RPC and slasher, dry
 * and --send-test alert checks against real loopback receivers, a wrong RPC named with exit 1),
 * and `devnet queue` (404 on a desk that is not the devnet; the route itself through `npm start`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startDevnet, type Devnet } from '../src/devnet/devnet';
import { startDesk, type Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView } from '../src/api/views';
import { runCli } from '../src/cli/index';
import { bufferIo } from '../src/cli/io';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { freePort, getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './helpers/receivers';

const ROOT = path.join(__dirname, '..');

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = bufferIo({ env });
  const code = await runCli(args, io);
  return { code, out: io.text() };
}

function cliProcess(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** Whether the devnet's queue route exists on this branch (another engineer builds it). */
describe('status, plan and doctor on the devnet', () => {
  let devnet: Devnet;
  let db: TestDatabase;
  let desk: Desk;
  let deskHook: HttpReceiver;
  let hook: HttpReceiver;
  let smtp: SmtpReceiver;
  let dir: string;

  beforeAll(async () => {
    [devnet, db, deskHook, hook, smtp] = await Promise.all([startDevnet({ blockTime: 1 }), createTestDatabase('sqlite'), startHttpReceiver(), startHttpReceiver(), startSmtpReceiver()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-cli-devnet-'));
    // as `npm start` runs it on the devnet: the keeper executes vetoes and fulfils; one alert channel
    desk = await startDesk({
      rpcUrls: [devnet.rpcUrl],
      slasher: devnet.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      startBlock: Number(devnet.deployBlock),
      confirmations: 0,
      pollIntervalMs: 300,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      alerts: { channels: [{ name: 'webhook', type: 'webhook', url: `${deskHook.url}/desk`, minSeverity: 'info' }], reminderLeadTimesSec: [60] },
      vetoes: { executorPrivateKey: devnet.keeper.privateKey, contractNetworks: devnet.contractNetworks as unknown as Record<string, Record<string, string>> },
      scheduler: { slasherPrivateKey: devnet.keeper.privateKey },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await devnet?.stop();
    await db?.drop();
    await Promise.all([deskHook?.close(), hook?.close(), smtp?.close()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('status: health, the open requests with deadlines and next steps; the seeded at-risk request needs a human (exit 3)', async () => {
    const r = await waitFor('the seeded requests in status', async () => {
      const s = await cli(['status', '--desk', desk.url]);
      return s.out.includes(`#${devnet.seeded.open[1]}`) ? s : null;
    });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(new RegExp(`^desk ${desk.url}: ok — chain 31337, head \\d+, indexed \\d+`));
    expect(r.out).toContain(`#${devnet.seeded.atRisk}  in_veto_window  AT RISK`);
    // deadlines in blocks and time, the time marked as an estimate (how good it is is the desk's business)
    expect(r.out).toMatch(/veto window ends {2}block \d+ \(in \d+ blocks\), \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \([^)]+, estimated\)/);
    expect(r.out).toMatch(/last useful {7}block \d+ \(in \d+ blocks\), .*estimated\)/);
    expect(r.out).toMatch(/next {14}(collect_veto_signatures by owners|fulfil by desk), due block \d+/);
    expect(r.out).toContain('nothing blocked');
    expect(r.out).toContain(`NEEDS A HUMAN NOW (1):\n  - request #${devnet.seeded.atRisk} is at risk`);
    for (const id of [devnet.seeded.fulfilled, devnet.seeded.cancelled]) expect(r.out).not.toContain(`#${id} `);
  });

  it('plan: the committee Safe, its nonce and threshold, the veto an owner signed from the CLI (exit 0)', async () => {
    const id = devnet.seeded.open[0]!;
    const signed = await cli(['sign', '--desk', desk.url, '--request', String(id), '--key-env', 'K', '--rpc-url', devnet.rpcUrl, '--yes'], { K: devnet.owners[0]!.privateKey });
    expect(signed.code).toBe(0);
    expect(signed.out).toContain('accepted: 1 of 2 signatures, veto collecting');
    const r = await cli(['plan', '--desk', desk.url]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Committee Safe ${devnet.safe}: at nonce 1, threshold 2`);
    expect(r.out).toMatch(new RegExp(`\\n\\d+\\*?\\s+veto\\s+#${id}\\s+collecting\\s+1/2\\s+0x[0-9a-f]{64}\\n`));
    expect(r.out).toContain('No nonce is blocked.');
    const status = await cli(['status', '--desk', desk.url]);
    expect(status.out).toMatch(new RegExp(`#${id}  in_veto_window[\\s\\S]*?veto {14}collecting, 1 of 2 signatures at nonce \\d+`));
  });

  it('status exits 0 once nothing needs a human (the at-risk request lapsed, the desk fulfils the rest)', async () => {
    const views = (await getJson<{ requests: RequestView[] }>(`${desk.url}/api/requests`)).body.requests;
    const lastWindowEnd = Math.max(...views.map((v) => v.vetoWindowEnd.block ?? 0));
    const head = (await getJson<{ headBlock: number }>(`${desk.url}/api/health`)).body.headBlock;
    await fetch(devnet.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: [`0x${(lastWindowEnd - head + 2).toString(16)}`] }) });
    const r = await waitFor('status to exit 0', async () => {
      const s = await cli(['status', '--desk', desk.url]);
      return s.code === 0 ? s : null;
    }, 60_000, 500);
    expect(r.out).toContain('Nothing needs a human now.');
    const at = (await getJson<RequestView>(`${desk.url}/api/requests/${devnet.seeded.atRisk}`)).body;
    expect(at.status).toBe('lapsed');
  });

  it('doctor on the devnet: every check passes (exit 0); alert channels are checked dry, nothing sent; --send-test sends', async () => {
    const routes = path.join(dir, 'routes.json');
    fs.writeFileSync(routes, JSON.stringify({ channels: [{ name: 'mail', type: 'email', smtpUrl: smtp.url, from: 'desk@example.org', to: ['oncall@example.org'] }] }));
    const env = {
      RPC_URL: devnet.rpcUrl,
      SLASHER_ADDRESS: devnet.slasher,
      DATABASE_URL: db.url,
      EXECUTOR_PRIVATE_KEY: devnet.keeper.privateKey,
      SLASHER_PRIVATE_KEY: devnet.keeper.privateKey,
      ALERT_WEBHOOK_URL: `${hook.url}/doctor`,
      ALERT_ROUTES_FILE: routes,
    };
    const r = await cli(['doctor'], env);
    expect(r.out).not.toContain('FAIL');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const line = (area: string) => lines.filter((l) => l.slice(6, 16).trim() === area).join('\n');
    expect(line('config')).toMatch(/^ok {4}config {6}valid \(1 RPC endpoint, slasher 0x/);
    expect(line('database')).toMatch(/^ok .*SQLite .* readable and writable/);
    expect(line('rpc[1]')).toMatch(new RegExp(`^ok .*${devnet.rpcUrl.replace(/[/.]/g, '\\$&')}/?: chain 31337, head \\d+`));
    expect(line('slasher')).toContain(`${devnet.slasher}: VetoableSlasher V3, veto window ${devnet.vetoWindowBlocks} blocks`);
    expect(line('committee')).toContain(`vetoCommittee() ${devnet.safe} is a Safe: 2 of 3 owners (${devnet.owners.map((o) => o.address).join(', ')})`);
    expect(line('governance')).toContain(`slasher() role ${devnet.keeper.address} is an account`);
    expect(line('executor')).toMatch(new RegExp(`^ok .*EXECUTOR_PRIVATE_KEY is ${devnet.keeper.address}, balance [\\d.]+ ETH`));
    expect(line('fulfiller')).toMatch(new RegExp(`^ok .*SLASHER_PRIVATE_KEY is ${devnet.keeper.address}`));
    expect(line('alerts')).toContain('webhook "webhook": TCP to 127.0.0.1');
    expect(line('alerts')).toContain('email "mail": the SMTP server at 127.0.0.1');
    expect(line('alerts')).toContain('nothing posted');
    expect(line('txservice')).toMatch(/^skip/);
    expect(hook.received).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);

    const sent = await cli(['doctor', '--send-test'], env);
    expect(sent.code).toBe(0);
    expect(hook.received.map((x) => x.json.kind)).toEqual(['test']);
    expect(smtp.mails).toHaveLength(1);
  });

  it('doctor names a wrong RPC endpoint (redacted) and fails (exit 1), as a real process with no desk; bad values are listed and the rest still checked', async () => {
    const port = await freePort();
    const key = '0123456789abcdef0123456789abcdef';
    const r = await cliProcess(['doctor'], { RPC_URL: `${devnet.rpcUrl},http://127.0.0.1:${port}/v3/${key}`, SLASHER_ADDRESS: devnet.slasher, DATABASE_URL: db.url });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ok {4}rpc\[1\] /m);
    expect(r.out).toContain(`FAIL  rpc[2]      http://127.0.0.1:${port}/v3/***: HTTP request failed. (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(r.out).not.toContain(key);
    expect(r.out).toMatch(/doctor: \d+ ok, \d+ warnings?, 1 failure/);

    const only = await cli(['doctor'], { RPC_URL: `http://127.0.0.1:${port}`, SLASHER_ADDRESS: devnet.slasher, DATABASE_URL: db.url });
    expect(only.code).toBe(1);
    expect(only.out).toContain(`FAIL  rpc[1]      http://127.0.0.1:${port}/`);
    expect(only.out).toContain('skip  chain       no RPC endpoint answered');

    const bad = await cli(['doctor'], { RPC_URL: devnet.rpcUrl, SLASHER_ADDRESS: devnet.slasher, DATABASE_URL: db.url, PORT: 'eighty', ALERT_MIN_BALANCE: '-1' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^FAIL {2}config {6}PORT: must be an integer between 1 and 65535 \(got "eighty"\)$/m);
    expect(bad.out).toMatch(/^FAIL {2}config {6}ALERT_MIN_BALANCE: /m);
    expect(bad.out).toMatch(/^ok {4}slasher /m);
  });

  it('devnet queue: a desk that is not the devnet says so (exit 1)', async () => {
    const r = await cli(['devnet', 'queue', '--desk', desk.url, '--percent', '10']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`this desk is not running the devnet: ${desk.url} has no POST /api/dev/requests`);
    expect((await cli(['devnet', 'queue', '--percent', '0'])).code).toBe(2);
    // below the desk's own minimum: a usage error here, not the desk's refusal
    expect((await cli(['devnet', 'queue', '--percent', '0.5'])).code).toBe(2);
    expect((await cli(['devnet', 'queue', '--operator', 'nope'])).code).toBe(2);
    expect((await cli(['devnet', 'dequeue'])).code).toBe(2);
  });
});

const queueTitle = 'devnet queue through `npm start` on the embedded devnet: 201 { requestId, txHash, block }, and the request shows up';
describe('devnet queue against `npm start`', () => {
  let proc: DeskProcess;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-cli-queue-'));
    proc = await spawnDesk({ DATABASE_URL: `file:${path.join(dir, 'desk.db')}` });
    await waitFor('the devnet desk', async () => (await getJson<{ status: string }>(`${proc.url}/api/health`)).body.status === 'ok', 120_000, 500);
  });
  afterAll(async () => {
    await proc?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  it(queueTitle, async () => {
    const r = await cli(['devnet', 'queue', '--desk', proc.url, '--percent', '25', '--description', 'practice veto']);
    expect(r.code).toBe(0);
    const m = /queued request #(\d+) in block (\d+) \(transaction (0x[0-9a-f]{64})\)/.exec(r.out);
    expect(m).not.toBeNull();
    const view = await waitFor('the queued request on the desk', async () => {
      const v = await getJson<RequestView>(`${proc.url}/api/requests/${m![1]}`);
      return v.status === 200 ? v.body : null;
    });
    expect(view).toMatchObject({ description: 'practice veto', queuedAtBlock: Number(m![2]), queuedTxHash: m![3] });
    expect(view.wadsToSlash.every((w) => w === '250000000000000000')).toBe(true);
    const plain = await cli(['devnet', 'queue', '--desk', proc.url]);
    expect(plain.code).toBe(0);
  });
});
