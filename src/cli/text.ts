/**
 * Printing what a desk or the chain says. A request's description is written by whoever queued
 * the slash, and a compromised desk writes every string it returns: none of it may move the
 * cursor, recolour the terminal, rewrite a line or reorder text. Pure functions.
 */
import { formatUnits } from 'viem';
import { INVISIBLE_CLASS } from '../lib/untrustedText';

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and the two-byte ESC sequences
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls, DEL, and every other invisible character the desk knows
const INVISIBLE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CLASS}]`, 'gu');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Untrusted text made safe for one terminal line: ANSI escape sequences removed, every other
 * control or invisible character shown as an escape (`\n`, `\u202e`), clipped to `max`
 * characters with a note of what was cut.
 *
 * @example
 * untrusted('ok\x1b[2K\rforged\u202e'); // 'ok\\rforged\\u202e'
 */
export function untrusted(value: unknown, max = 240): string {
  const s = (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)).replace(ANSI, '');
  const escaped = s.replace(INVISIBLE, (c) => {
    const n = c.codePointAt(0)!;
    return NAMED[c] ?? (n > 0xffff ? `\\u{${n.toString(16)}}` : `\\u${n.toString(16).padStart(4, '0')}`);
  });
  const chars = [...escaped];
  if (chars.length <= max) return escaped;
  return `${chars.slice(0, max).join('')}… (${chars.length - max} more characters)`;
}

/** A wad (1e18 = 100 %) as a percentage, exact up to 4 decimals: `12.5 %`. */
export function wadPercent(wad: string | bigint): string {
  let w: bigint;
  try {
    w = BigInt(wad);
  } catch {
    return `${untrusted(wad, 40)} (not a number)`;
  }
  // 1e18 = 100 %, so percent = wad / 1e16
  const text = formatUnits(w, 16);
  const [int, frac = ''] = text.split('.');
  const f = frac.slice(0, 4).replace(/0+$/, '');
  const clipped = frac.length > 4 && /[1-9]/.test(frac.slice(4));
  return `${clipped ? '≈ ' : ''}${int}${f ? `.${f}` : ''} %`;
}

/** `2 min 5 s`, `3 h 10 min`, `2 d 4 h`: a duration for people. */
export function duration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ''}`;
}

/** An ISO time with how far it is from now: `2025-06-01 12:00:05 UTC (in 2 min 5 s, estimated)`. */
export function when(iso: string | null | undefined, estimated: boolean, nowMs: number): string {
  if (!iso) return 'time unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return `time ${untrusted(iso, 40)} (unreadable)`;
  const delta = (t - nowMs) / 1000;
  const rel = Math.abs(delta) < 1 ? 'now' : delta > 0 ? `in ${duration(delta)}` : `${duration(delta)} ago`;
  const stamp = new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `${stamp} (${rel}${estimated ? ', estimated' : ''})`;
}

/** `block 1300 (in 66 blocks)` / `block 1200 (34 blocks ago)` relative to the head. */
export function blockWords(block: number, head: number | null): string {
  if (head === null) return `block ${block}`;
  const d = block - head;
  if (d === 0) return `block ${block} (the head)`;
  return `block ${block} (${d > 0 ? `in ${d} block${d === 1 ? '' : 's'}` : `${-d} block${d === -1 ? '' : 's'} ago`})`;
}

/** Fixed-width columns for a small table. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ')).join('\n') + '\n';
}

const isErrorLike = (x: unknown): x is { message: string; cause?: unknown; code?: unknown; shortMessage?: unknown } =>
  typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string';

/** The innermost cause of a failure (errors from another realm count too) and the first errno code met. */
export function rootCause(e: unknown): { code?: string; message?: string } {
  let code: string | undefined;
  let deepest: { message: string } | undefined;
  for (let c: unknown = e, i = 0; isErrorLike(c) && i < 6; i++) {
    if (typeof c.code === 'string' && !code) code = c.code;
    if (c !== e) deepest = c;
    c = c.cause;
  }
  return { code, message: deepest?.message.split('\n')[0] };
}

/**
 * A failure in words with its root cause: `HTTP request failed. (connect ECONNREFUSED
 * 127.0.0.1:1)` rather than viem's and fetch's wrappers alone.
 */
export function failure(e: unknown): string {
  const top = isErrorLike(e) ? (typeof e.shortMessage === 'string' ? e.shortMessage : e.message.split('\n')[0]!) : String(e);
  const { code, message } = rootCause(e);
  const detail = [code && !(message ?? '').includes(code) ? code : '', message ?? ''].filter(Boolean).join(': ');
  return detail ? `${top} (${detail})` : top;
}
