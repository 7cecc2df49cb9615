/**
 * `npm run cli -- alerts test <channel>`: sends one test alert through a configured channel
 * (ALERT_WEBHOOK_URL → "webhook", or a name from ALERT_ROUTES_FILE) and says what happened.
 * Talks to the channel directly: no database, no desk needed.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../config';
import type { AlertChannelConfig } from '../config/alertRoutes';
import { createChannel } from '../alerts/channels';
import type { Alert } from '../alerts/types';
import { describeError } from '../errors';
import { parseArgs } from './args';
import { CliError, EXIT } from './cliError';
import type { CliIo } from './io';

export const help = `usage: npm run cli -- alerts test <channel>

Sends one alert of kind "test" (severity info) through one configured channel and prints the
outcome. Channels: ALERT_WEBHOOK_URL is "webhook"; the others are named in ALERT_ROUTES_FILE.
Reads the desk's configuration (environment, then .env); no desk needs to run.
(\`npm run cli -- doctor --send-test\` does this for every channel.)

Exit: 0 sent, 1 the channel failed, 2 usage or no such channel.`;

/** A test alert through one channel. @throws whatever the channel's send throws */
export async function sendTestAlert(c: AlertChannelConfig, slasher: `0x${string}` | undefined): Promise<string> {
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
    slasher: slasher ?? '0x0000000000000000000000000000000000000000',
    createdAt: now,
    seenAt: now,
  };
  const channel = createChannel(c);
  try {
    await channel.send(alert);
    return alert.id;
  } finally {
    channel.close();
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { positionals: 2 });
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const [sub, name] = p.positionals;
  if (sub !== 'test' || !name) throw new CliError('USAGE', sub && sub !== 'test' ? `unknown alerts command ${JSON.stringify(sub.slice(0, 40))} (only: alerts test <channel>)` : 'usage: npm run cli -- alerts test <channel>');
  const config = loadConfig(io.env);
  const channels = config.alerts.channels;
  const c = channels.find((x) => x.name === name);
  if (!c) throw new CliError('USAGE', `no alert channel named "${name}"; configured: ${channels.map((x) => `${x.name} (${x.type})`).join(', ') || 'none'}`);
  try {
    const id = await sendTestAlert(c, config.slasherAddress);
    io.out(`sent test alert ${id} through ${c.type} channel "${c.name}"\n`);
    return EXIT.OK;
  } catch (e) {
    io.err(`test alert through ${c.type} channel "${c.name}" failed: ${describeError(e)}\n`);
    return EXIT.FAILED;
  }
}
