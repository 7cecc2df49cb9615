/**
 * Senders: one per channel type, each delivering one alert or throwing. Real HTTP through
 * `fetch` with a timeout; e-mail through nodemailer. Any throw is a failed attempt (retried).
 */
import nodemailer from 'nodemailer';
import type { AlertChannelConfig } from '../config/alertRoutes';
import { discordPayload, emailMessage, pagerDutyPayload, slackPayload, telegramPayload, webhookPayload, type HttpPayload } from './formats';
import { SEVERITY_RANK, type Alert } from './types';

export interface AlertChannel {
  name: string;
  type: AlertChannelConfig['type'];
  /** routing: does this alert go here? */
  accepts(a: Pick<Alert, 'kind' | 'severity'>): boolean;
  send(a: Alert): Promise<void>;
  close(): void;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

async function post(url: string, p: HttpPayload, timeoutMs: number, ok: (status: number, body: string) => boolean = (s) => s >= 200 && s < 300): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: p.headers, body: p.body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text().catch(() => '');
  if (!ok(res.status, text)) throw new Error(`HTTP ${res.status} from ${new URL(url).host}: ${text.slice(0, 200)}`);
}

export function createChannel(c: AlertChannelConfig, o: { timeoutMs?: number } = {}): AlertChannel {
  const timeoutMs = o.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const accepts = (a: Pick<Alert, 'kind' | 'severity'>) =>
    (a.kind === 'test' || !c.kinds || c.kinds.includes(a.kind)) && SEVERITY_RANK[a.severity] >= SEVERITY_RANK[c.minSeverity];
  const base = { name: c.name, type: c.type, accepts, close() {} };
  switch (c.type) {
    case 'webhook':
      return { ...base, send: (a) => post(c.url, webhookPayload(a, c.secret), timeoutMs) };
    case 'slack':
      return { ...base, send: (a) => post(c.url, slackPayload(a), timeoutMs) };
    case 'discord':
      return { ...base, send: (a) => post(c.url, discordPayload(a), timeoutMs) };
    case 'pagerduty':
      return { ...base, send: (a) => post(c.eventsUrl, pagerDutyPayload(a, c.routingKey), timeoutMs) };
    case 'telegram': {
      const url = `${c.apiBaseUrl.replace(/\/$/, '')}/bot${c.botToken}/sendMessage`;
      // the Bot API answers 200 with { ok: false } on some refusals
      return {
        ...base,
        send: (a) =>
          post(url, telegramPayload(a, c.chatId), timeoutMs, (s, body) => {
            if (s < 200 || s >= 300) return false;
            try {
              return (JSON.parse(body) as { ok?: unknown }).ok === true;
            } catch {
              return false;
            }
          }),
      };
    }
    case 'email': {
      const transport = nodemailer.createTransport(c.smtpUrl, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs } as never);
      return {
        ...base,
        async send(a) {
          const m = emailMessage(a);
          await transport.sendMail({ from: c.from, to: c.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers });
        },
        close: () => transport.close(),
      };
    }
  }
}
