/**
 * `doctor`'s alert channel checks. Dry by default: the channel's host is reached (TCP, TLS for
 * https) or the SMTP server greets and takes the login, and nothing is posted — a doctor run must
 * not page anyone. `--send-test` sends a real `test` alert through each instead.
 */
import net from 'node:net';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import type { Address } from 'viem';
import type { AlertChannelConfig } from '../config/alertRoutes';
import { sendTestAlert } from './alerts';
import { failure } from './text';

export type Outcome = 'ok' | 'warn' | 'FAIL' | 'skip';

export interface Report {
  line(outcome: Outcome, area: string, text: string): void;
  counts: Record<Outcome, number>;
}

const TIMEOUT_MS = 5_000;

function channelHost(c: AlertChannelConfig): string {
  const url = c.type === 'pagerduty' ? c.eventsUrl : c.type === 'telegram' ? c.apiBaseUrl : c.type === 'email' ? c.smtpUrl : c.url;
  return new URL(url).host;
}

/** TCP (and TLS for https) to the channel's host: reachable without sending anything. */
function reach(url: string): Promise<string> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const port = Number(u.port || (secure ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(secure ? `TLS to ${u.host} ok` : `TCP to ${u.host} ok`);
    };
    const socket: net.Socket = secure ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host }, () => done()) : net.connect({ host, port }, () => done());
    socket.setTimeout(TIMEOUT_MS, () => done(new Error(`no answer from ${u.host} within ${TIMEOUT_MS / 1000} s`)));
    socket.once('error', (e) => done(e));
  });
}

export async function checkChannel(c: AlertChannelConfig, sendTest: boolean, slasher: Address | undefined, r: Report): Promise<void> {
  const name = `${c.type} "${c.name}"`;
  if (sendTest) {
    try {
      const id = await sendTestAlert(c, slasher);
      r.line('ok', 'alerts', `${name}: sent test alert ${id} (check that it arrived)`);
    } catch (e) {
      r.line('FAIL', 'alerts', `${name}: the test alert failed: ${failure(e)}`);
    }
    return;
  }
  try {
    if (c.type === 'email') {
      const transport = nodemailer.createTransport(c.smtpUrl, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS } as never);
      try {
        await transport.verify();
      } finally {
        transport.close();
      }
      r.line('ok', 'alerts', `${name}: the SMTP server at ${channelHost(c)} answered and accepted the login (dry check: nothing sent; --send-test sends one)`);
      return;
    }
    const url = c.type === 'pagerduty' ? c.eventsUrl : c.type === 'telegram' ? c.apiBaseUrl : c.url;
    const how = await reach(url);
    r.line('ok', 'alerts', `${name}: ${how} (dry check: reachable, nothing posted; --send-test posts a test alert)`);
  } catch (e) {
    r.line('FAIL', 'alerts', `${name}: ${channelHost(c)} unreachable: ${failure(e)}`);
  }
}

