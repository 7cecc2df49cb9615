/**
 * Each platform's documented payload for one alert. Pure: an alert in, the exact HTTP body (or
 * e-mail) out, so a unit test can pin the formats and the senders stay dumb.
 *
 * - generic webhook: our JSON (README "Alerts"), signed with HMAC-SHA256 of the raw body
 * - Slack incoming webhook: `text` fallback + Block Kit `blocks` (header, section, context)
 * - Discord webhook: `embeds` with colour by severity
 * - PagerDuty Events API v2: `trigger` / `resolve` with a stable `dedup_key`
 * - Telegram Bot API `sendMessage` with `parse_mode: HTML`
 * - e-mail: subject with severity, plain text + HTML body
 */
import crypto from 'node:crypto';
import type { Alert } from './types';

export interface HttpPayload {
  body: string;
  headers: Record<string, string>;
}

export const SIGNATURE_HEADER = 'X-Veto-Desk-Signature';
export const TIMESTAMP_HEADER = 'X-Veto-Desk-Timestamp';

export function webhookBody(a: Alert): Record<string, unknown> {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    action: a.action,
    chainId: a.chainId,
    slasher: a.slasher,
    ...(a.requestId !== undefined ? { requestId: a.requestId } : {}),
    title: a.title,
    text: a.text,
    dedupKey: a.dedupKey,
    incidentKey: a.incidentKey,
    data: a.data,
    seenAt: a.seenAt.toISOString(),
    createdAt: a.createdAt.toISOString(),
  };
}

export function signBody(body: string, secret: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookPayload(a: Alert, secret: string | undefined, nowMs = Date.now()): HttpPayload {
  const body = JSON.stringify(webhookBody(a));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', [TIMESTAMP_HEADER]: String(Math.floor(nowMs / 1000)), 'X-Veto-Desk-Alert-Id': a.id };
  if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
  return { body, headers };
}

const EMOJI = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;
const json = (o: unknown): HttpPayload => ({ body: JSON.stringify(o), headers: { 'Content-Type': 'application/json' } });
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const context = (a: Alert) => `${a.severity.toUpperCase()} · ${a.kind}${a.action === 'resolve' ? ' (resolved)' : ''} · chain ${a.chainId} · slasher ${a.slasher}${a.requestId !== undefined ? ` · request #${a.requestId}` : ''}`;

export function slackPayload(a: Alert): HttpPayload {
  return json({
    text: `${EMOJI[a.severity]} ${a.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${EMOJI[a.severity]} ${a.title}`, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: clip('```' + a.text + '```', 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(context(a), 3000) }] },
    ],
  });
}

const DISCORD_COLOUR = { info: 0x3498db, warning: 0xf1c40f, critical: 0xe74c3c } as const;

export function discordPayload(a: Alert): HttpPayload {
  return json({
    username: 'Veto Desk',
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(`${EMOJI[a.severity]} ${a.title}`, 256),
        description: clip(a.text, 4096),
        color: a.action === 'resolve' ? 0x2ecc71 : DISCORD_COLOUR[a.severity],
        timestamp: a.createdAt.toISOString(),
        fields: [
          { name: 'Severity', value: a.severity, inline: true },
          { name: 'Kind', value: a.kind, inline: true },
          ...(a.requestId !== undefined ? [{ name: 'Request', value: `#${a.requestId}`, inline: true }] : []),
        ],
        footer: { text: clip(`chain ${a.chainId} · slasher ${a.slasher}`, 2048) },
      },
    ],
  });
}

const PD_SEVERITY = { info: 'info', warning: 'warning', critical: 'critical' } as const;

export function pagerDutyPayload(a: Alert, routingKey: string): HttpPayload {
  if (a.action === 'resolve') return json({ routing_key: routingKey, event_action: 'resolve', dedup_key: a.incidentKey });
  return json({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: a.incidentKey,
    payload: {
      summary: clip(a.title, 1024),
      source: `veto-desk chain ${a.chainId} slasher ${a.slasher}`,
      severity: PD_SEVERITY[a.severity],
      timestamp: a.createdAt.toISOString(),
      component: a.requestId !== undefined ? `request #${a.requestId}` : 'desk',
      group: a.slasher,
      class: a.kind,
      custom_details: { text: a.text, alertId: a.id, requestId: a.requestId ?? null, ...a.data },
    },
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function telegramPayload(a: Alert, chatId: string | number): HttpPayload {
  return json({
    chat_id: chatId,
    parse_mode: 'HTML',
    disable_web_page_preview: true,
    text: clip(`${EMOJI[a.severity]} <b>${escapeHtml(a.title)}</b>\n\n${escapeHtml(a.text)}\n\n<i>${escapeHtml(context(a))}</i>`, 4096),
  });
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export function emailMessage(a: Alert): EmailMessage {
  return {
    subject: `[Veto Desk ${a.severity}${a.action === 'resolve' ? ', resolved' : ''}] ${a.title}`,
    text: `${a.title}\n\n${a.text}\n\n${context(a)}\nAlert ${a.id}, ${a.createdAt.toISOString()}\n`,
    html: `<h2>${escapeHtml(a.title)}</h2><pre>${escapeHtml(a.text)}</pre><p><small>${escapeHtml(context(a))}<br>Alert ${a.id}, ${a.createdAt.toISOString()}</small></p>`,
    headers: { 'X-Veto-Desk-Alert-Id': a.id, 'X-Veto-Desk-Kind': a.kind },
  };
}
