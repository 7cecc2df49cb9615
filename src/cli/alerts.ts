/**
 * `npm run cli -- alerts test <channel>`: sends one test alert through a configured channel
 * (ALERT_WEBHOOK_URL → "webhook", or a name from ALERT_ROUTES_FILE) and says what happened.
 * Talks to the channel directly: no database, no desk needed.
 */
import crypto from 'node:crypto';
import { loadConfig, readProcessEnv } from '../config';
import { createChannel } from '../alerts/channels';
import type { Alert } from '../alerts/types';
import { describeError } from '../errors';

const USAGE = 'usage: npm run cli -- alerts test <channel>   (channels: ALERT_WEBHOOK_URL is "webhook"; others by name from ALERT_ROUTES_FILE)\n';

export async function run(args: string[]): Promise<number> {
  const [sub, name] = args;
  if (sub !== 'test' || !name) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig(readProcessEnv());
  const channels = config.alerts.channels;
  const c = channels.find((x) => x.name === name);
  if (!c) {
    process.stderr.write(`no alert channel named "${name}"; configured: ${channels.map((x) => `${x.name} (${x.type})`).join(', ') || 'none'}\n`);
    return 2;
  }
  const now = new Date();
  const alert: Alert = {
    id: crypto.randomUUID(),
    dedupKey: `test:${now.toISOString()}`,
    kind: 'test',
    severity: 'info',
    action: 'trigger',
    incidentKey: `test:${c.name}`,
    title: `Veto Desk test alert for channel "${c.name}"`,
    text: `If you can read this, the ${c.type} channel "${c.name}" works.\nSent ${now.toISOString()}.`,
    data: { test: true },
    chainId: 0,
    slasher: config.slasherAddress ?? '0x0000000000000000000000000000000000000000',
    createdAt: now,
    seenAt: now,
  };
  const channel = createChannel(c);
  try {
    await channel.send(alert);
    process.stdout.write(`sent test alert ${alert.id} through ${c.type} channel "${c.name}"\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`test alert through ${c.type} channel "${c.name}" failed: ${describeError(e)}\n`);
    return 1;
  } finally {
    channel.close();
  }
}
