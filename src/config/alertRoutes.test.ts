import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeskError } from '../errors';
import { loadConfig } from './config';
import { formatConfigForLog } from './logged';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (!isDeskError(e, 'CONFIG_INVALID')) throw e;
    return e.message.split('\n');
  }
  throw new Error('expected CONFIG_INVALID');
}

function routesFile(doc: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-routes-'));
  const file = path.join(dir, 'routes.json');
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

describe('alert configuration', () => {
  it('makes a webhook channel from the environment alone', () => {
    const c = loadConfig({ ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/hook', ALERT_WEBHOOK_SECRET: 's3cret' });
    expect(c.alerts.channels).toEqual([{ name: 'webhook', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 's3cret', minSeverity: 'info' }]);
  });

  it('parses reminder lead times, largest first', () => {
    expect(loadConfig({ ALERT_REMINDER_LEAD_TIMES: '30m, 2h,90s,1d' }).alerts.reminderLeadTimesSec).toEqual([86400, 7200, 1800, 90]);
    expect(problemsOf({ ALERT_REMINDER_LEAD_TIMES: '2 hours' })).toEqual([
      'ALERT_REMINDER_LEAD_TIMES: must be a comma-separated list of positive durations such as 48h,12h,2h,30m (units s, m, h, d) (got "2 hours")',
    ]);
  });

  it('reads every channel type from a routes file, with defaults', () => {
    const file = routesFile({
      channels: [
        { name: 'slack', type: 'slack', url: 'https://hooks.slack.com/services/x', kinds: ['request_queued'] },
        { name: 'discord', type: 'discord', url: 'https://discord.com/api/webhooks/1/x', minSeverity: 'warning' },
        { name: 'pd', type: 'pagerduty', routingKey: 'R0UT1NG', minSeverity: 'critical' },
        { name: 'tg', type: 'telegram', botToken: '1:abc', chatId: -100123 },
        { name: 'mail', type: 'email', smtpUrl: 'smtp://u:p@127.0.0.1:2525', from: 'desk@example.org', to: ['oncall@example.org'] },
        { name: 'hook2', type: 'webhook', url: 'https://example.org/h' },
      ],
    });
    const channels = loadConfig({ ALERT_ROUTES_FILE: file }).alerts.channels;
    expect(channels.map((c) => [c.name, c.type, c.minSeverity])).toEqual([
      ['slack', 'slack', 'info'],
      ['discord', 'discord', 'warning'],
      ['pd', 'pagerduty', 'critical'],
      ['tg', 'telegram', 'info'],
      ['mail', 'email', 'info'],
      ['hook2', 'webhook', 'info'],
    ]);
    expect(channels[2]).toMatchObject({ eventsUrl: 'https://events.pagerduty.com/v2/enqueue' });
    expect(channels[3]).toMatchObject({ apiBaseUrl: 'https://api.telegram.org' });
  });

  it('reports one clear line for a bad routes file', () => {
    const bad = routesFile({ channels: [{ name: 'pd', type: 'pagerduty' }] });
    expect(problemsOf({ ALERT_ROUTES_FILE: bad })).toEqual([
      `ALERT_ROUTES_FILE: channels[0].routingKey: Invalid input: expected string, received undefined (got ${JSON.stringify(bad)})`,
    ]);
    const notJson = routesFile('{ nope');
    expect(problemsOf({ ALERT_ROUTES_FILE: notJson })[0]).toMatch(/^ALERT_ROUTES_FILE: cannot be read as JSON/);
    expect(problemsOf({ ALERT_ROUTES_FILE: '/nonexistent/routes.json' })[0]).toMatch(/^ALERT_ROUTES_FILE: cannot be read as JSON \(ENOENT/);
    const url = routesFile({ channels: [{ name: 's', type: 'slack', url: 'ftp://x' }] });
    expect(problemsOf({ ALERT_ROUTES_FILE: url })[0]).toMatch(/^ALERT_ROUTES_FILE: channels\[0\]\.url: must be an http\(s\):\/\/ URL/);
  });

  it('never echoes the webhook secret', () => {
    expect(problemsOf({ ALERT_WEBHOOK_URL: 'nope', ALERT_WEBHOOK_SECRET: 'x' })).toEqual(['ALERT_WEBHOOK_URL: must be an http(s):// URL (got "nope")']);
  });

  it('logs channel names and types only, never URLs, tokens or secrets', () => {
    const c = loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.org/t0ken', ALERT_WEBHOOK_SECRET: 's3cret' });
    const logged = JSON.stringify(formatConfigForLog(c));
    expect(logged).not.toContain('t0ken');
    expect(logged).not.toContain('s3cret');
    expect(formatConfigForLog(c).alerts.channels).toEqual([{ name: 'webhook', type: 'webhook' }]);
  });
});
