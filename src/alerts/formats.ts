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
 *
 * An alert's text mixes the desk's own lines with text written by others (a request's
 * description, an RPC's error), which the planner has already put last, on one line each and
 * clipped (see `untrustedLine`). Here every chat and e-mail payload escapes the whole text for its
 * platform — no mention, link or markup an outsider wrote can come alive — and defangs URLs and
 * @-mentions. A text too long for the platform is clipped *before* escaping, at the end, so
 * the deadlines at the top survive and an entity or tag is never cut in half.
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
const context = (a: Alert) => `${a.severity.toUpperCase()} · ${a.kind}${a.action === 'resolve' ? ' (resolved)' : ''} · chain ${a.chainId} · slasher ${a.slasher}${a.requestId !== undefined ? ` · request #${a.requestId}` : ''}`;

/**
 * The longest prefix of `text` whose escaped form (plus `…` when cut) fits in `max` characters,
 * escaped. Walks code points, so neither a surrogate pair nor an escape sequence is ever split.
 */
export function clipEscaped(text: string, max: number, escape: (s: string) => string = (s) => s): string {
  const whole = escape(text);
  if (whole.length <= max) return whole;
  const ellipsis = escape('…');
  let out = '';
  for (const ch of text) {
    const piece = escape(ch);
    if (out.length + piece.length + ellipsis.length > max) break;
    out += piece;
  }
  return out + ellipsis;
}

/**
 * URLs and bare domains lose their power to become links (`https://evil.example` →
 * `hxxps[:]//evil[.]example`), and @-mentions their power to ping (`@everyone` → `@\u2060everyone`).
 * Applied to the whole text: the desk's own lines hold no URL or mention.
 */
export function defang(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]{0,20}):\/\//gi, (_m, scheme: string) => `${scheme.replace(/^http/i, (h) => (h === 'HTTP' ? 'HXXP' : 'hxxp'))}[:]//`)
    .replace(/([a-z0-9-])\.(?=[a-z]{2,63}\b)/gi, '$1[.]')
    .replace(/@/g, '@\u2060');
}

/** Slack mrkdwn's three control characters; a backtick would close the code block, so it becomes ˋ. */
const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, 'ˋ');

export function slackPayload(a: Alert): HttpPayload {
  const title = `${EMOJI[a.severity]} ${a.title}`;
  return json({
    text: clipEscaped(defang(title), 300, escapeSlack),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clipEscaped(defang(title), 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '```' + clipEscaped(defang(a.text), 3000 - 6, escapeSlack) + '```' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: clipEscaped(context(a), 3000, escapeSlack) }] },
    ],
  });
}

const DISCORD_COLOUR = { info: 0x3498db, warning: 0xf1c40f, critical: 0xe74c3c } as const;

/** Discord markdown: a backslash makes any punctuation literal (links, mentions, headers, quotes, spoilers). */
const escapeDiscord = (s: string) => s.replace(/[\\*_~`|<>#\-[\]()@:!]/g, (c) => `\\${c}`);
/** An embed title is one line of inline markdown: no headings, lists or quotes to fear there. */
const escapeDiscordTitle = (s: string) => s.replace(/[\\*_~`|<>@[\]()]/g, (c) => `\\${c}`);

export function discordPayload(a: Alert): HttpPayload {
  return json({
    username: 'Veto Desk',
    // no @everyone, role or user ping, whatever the text says
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clipEscaped(defang(`${EMOJI[a.severity]} ${a.title}`), 256, escapeDiscordTitle),
        description: clipEscaped(defang(a.text), 4096, escapeDiscord),
        color: a.action === 'resolve' ? 0x2ecc71 : DISCORD_COLOUR[a.severity],
        timestamp: a.createdAt.toISOString(),
        fields: [
          { name: 'Severity', value: a.severity, inline: true },
          { name: 'Kind', value: a.kind, inline: true },
          ...(a.requestId !== undefined ? [{ name: 'Request', value: `#${a.requestId}`, inline: true }] : []),
        ],
        footer: { text: clipEscaped(`chain ${a.chainId} · slasher ${a.slasher}`, 2048) },
      },
    ],
  });
}

const PD_SEVERITY = { info: 'info', warning: 'warning', critical: 'critical' } as const;

/** PagerDuty shows custom details as text and links URLs in them: defanged, and every string clipped. */
function pagerDutyDetail(value: unknown): unknown {
  if (typeof value === 'string') return clipEscaped(defang(value), 2000);
  if (Array.isArray(value)) return value.slice(0, 50).map(pagerDutyDetail);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pagerDutyDetail(v)]));
  return value;
}

export function pagerDutyPayload(a: Alert, routingKey: string): HttpPayload {
  if (a.action === 'resolve') return json({ routing_key: routingKey, event_action: 'resolve', dedup_key: a.incidentKey });
  return json({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: a.incidentKey,
    payload: {
      summary: clipEscaped(defang(a.title), 1024),
      source: `veto-desk chain ${a.chainId} slasher ${a.slasher}`,
      severity: PD_SEVERITY[a.severity],
      timestamp: a.createdAt.toISOString(),
      component: a.requestId !== undefined ? `request #${a.requestId}` : 'desk',
      group: a.slasher,
      class: a.kind,
      custom_details: { text: clipEscaped(defang(a.text), 8000), alertId: a.id, requestId: a.requestId ?? null, ...(pagerDutyDetail(a.data) as Record<string, unknown>) },
    },
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Telegram's limit on a message, counted on the text as sent (a safe over-count of what it parses). */
const TELEGRAM_MAX = 4096;

export function telegramPayload(a: Alert, chatId: string | number): HttpPayload {
  // the frame (title and context) is clipped first and the body gets what is left: the deadlines
  // lead the body, so what a long description loses is its own tail, never a deadline
  const head = `${EMOJI[a.severity]} <b>${clipEscaped(defang(a.title), 512, escapeHtml)}</b>\n\n`;
  const tail = `\n\n<i>${clipEscaped(context(a), 512, escapeHtml)}</i>`;
  const body = clipEscaped(defang(a.text), TELEGRAM_MAX - head.length - tail.length, escapeHtml);
  return json({
    chat_id: chatId,
    parse_mode: 'HTML',
    disable_web_page_preview: true,
    link_preview_options: { is_disabled: true },
    text: head + body + tail,
  });
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const EMAIL_TEXT_MAX = 20_000;

export function emailMessage(a: Alert): EmailMessage {
  const subject = `[Veto Desk ${a.severity}${a.action === 'resolve' ? ', resolved' : ''}] ${a.title}`.replace(/[\r\n]+/g, ' ');
  const text = defang(a.text);
  return {
    subject: clipEscaped(subject, 250),
    text: `${a.title}\n\n${clipEscaped(text, EMAIL_TEXT_MAX)}\n\n${context(a)}\nAlert ${a.id}, ${a.createdAt.toISOString()}\n`,
    html: `<h2>${clipEscaped(defang(a.title), 500, escapeHtml)}</h2><pre>${clipEscaped(text, EMAIL_TEXT_MAX, escapeHtml)}</pre><p><small>${escapeHtml(context(a))}<br>Alert ${escapeHtml(a.id)}, ${a.createdAt.toISOString()}</small></p>`,
    headers: { 'X-Veto-Desk-Alert-Id': a.id, 'X-Veto-Desk-Kind': a.kind },
  };
}
