/** `npm run cli -- alerts test <channel>` against real loopback receivers. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './helpers/receivers';

const ROOT = path.join(__dirname, '..');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('alerts test <channel>', () => {
  let hook: HttpReceiver;
  let smtp: SmtpReceiver;
  let routes: string;
  beforeAll(async () => {
    hook = await startHttpReceiver();
    smtp = await startSmtpReceiver();
    routes = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vd-cli-')), 'routes.json');
    fs.writeFileSync(routes, JSON.stringify({ channels: [{ name: 'mail', type: 'email', smtpUrl: smtp.url, from: 'desk@example.org', to: ['oncall@example.org'] }] }));
  });
  afterAll(async () => {
    await hook?.close();
    await smtp?.close();
  });

  it('sends a signed test alert to the env webhook and an e-mail through a routed channel', async () => {
    const env = { ALERT_WEBHOOK_URL: `${hook.url}/h`, ALERT_WEBHOOK_SECRET: 's', ALERT_ROUTES_FILE: routes };
    const w = await cli(['alerts', 'test', 'webhook'], env);
    expect(w.out).toMatch(/sent test alert .* through webhook channel "webhook"/);
    expect(w.code).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.json).toMatchObject({ kind: 'test', severity: 'info' });
    expect(hook.received[0]!.headers['x-veto-desk-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const m = await cli(['alerts', 'test', 'mail'], env);
    expect(m.code).toBe(0);
    expect(smtp.mails.map((x) => x.subject)).toEqual(['[Veto Desk info] Veto Desk test alert for channel "mail"']);
  });

  it('fails clearly for an unknown channel or an unreachable one', async () => {
    const unknown = await cli(['alerts', 'test', 'nope'], { ALERT_WEBHOOK_URL: `${hook.url}/h` });
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('no alert channel named "nope"; configured: webhook (webhook)');
    await hook.down();
    const down = await cli(['alerts', 'test', 'webhook'], { ALERT_WEBHOOK_URL: `${hook.url}/h` });
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/test alert through webhook channel "webhook" failed: fetch failed/);
  });
});
