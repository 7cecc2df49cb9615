/**
 * Alert channels and their routing: the `ALERT_ROUTES_FILE` JSON document, validated
 * with zod, plus the generic webhook from `ALERT_WEBHOOK_URL` / `ALERT_WEBHOOK_SECRET`.
 * Problems are reported as one line per bad value, like every other variable.
 */
import fs from 'node:fs';
import { z } from 'zod';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const DEFAULT_PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

const httpUrl = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s):// URL');

const smtpUrl = z.string().refine((v) => {
  try {
    return ['smtp:', 'smtps:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be an smtp:// or smtps:// URL (smtp://user:pass@host:587)');

const routing = {
  /** unique; what `alerts test <channel>` and the delivery rows name */
  name: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -'),
  /** alert kinds sent here; absent = every kind */
  kinds: z.array(z.string().min(1)).min(1).optional(),
  /** lowest severity sent here */
  minSeverity: z.enum(ALERT_SEVERITIES).default('info'),
};

const channelSchema = z.discriminatedUnion('type', [
  z.object({ ...routing, type: z.literal('webhook'), url: httpUrl, secret: z.string().min(1).optional() }).strict(),
  z.object({ ...routing, type: z.literal('slack'), url: httpUrl }).strict(),
  z.object({ ...routing, type: z.literal('discord'), url: httpUrl }).strict(),
  z
    .object({ ...routing, type: z.literal('pagerduty'), routingKey: z.string().min(1), eventsUrl: httpUrl.default(DEFAULT_PAGERDUTY_EVENTS_URL) })
    .strict(),
  z
    .object({
      ...routing,
      type: z.literal('telegram'),
      botToken: z.string().min(1),
      chatId: z.union([z.string().min(1), z.number().int()]),
      apiBaseUrl: httpUrl.default(DEFAULT_TELEGRAM_API_URL),
    })
    .strict(),
  z
    .object({ ...routing, type: z.literal('email'), smtpUrl, from: z.string().min(3), to: z.array(z.string().min(3)).min(1) })
    .strict(),
]);

export type AlertChannelConfig = z.infer<typeof channelSchema>;
export type AlertChannelType = AlertChannelConfig['type'];

const routesFileSchema = z.object({ channels: z.array(channelSchema) }).strict();

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads and validates a routes file; the problem names the first bad field. */
export function readAlertRoutesFile(file: string): Parsed<AlertChannelConfig[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, problem: `cannot be read as JSON (${(e as Error).message.split('\n')[0]})` };
  }
  const r = routesFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(document)';
    return { ok: false, problem: `${where}: ${issue.message}` };
  }
  const names = new Set<string>();
  for (const c of r.data.channels) {
    if (names.has(c.name)) return { ok: false, problem: `channel name "${c.name}" is used twice` };
    names.add(c.name);
  }
  return { ok: true, value: r.data.channels };
}

/** `48h,12h,2h,30m` → seconds, largest first. Units: s, m, h, d. */
export function parseLeadTimes(value: string): Parsed<number[]> {
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  const out: number[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)([smhd])$/.exec(part);
    if (!m || Number(m[1]) === 0) return { ok: false, problem: 'must be a comma-separated list of positive durations such as 48h,12h,2h,30m (units s, m, h, d)' };
    out.push(Number(m[1]) * unit[m[2]!]!);
  }
  if (out.length === 0) return { ok: false, problem: 'must list at least one duration' };
  return { ok: true, value: [...new Set(out)].sort((a, b) => b - a) };
}

export const DEFAULT_REMINDER_LEAD_TIMES = '48h,12h,2h,30m';
