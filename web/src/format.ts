/** The page's formatters: wads as percentages, token amounts, addresses, durations, times. */
import { INVISIBLE_CLASS } from '../../src/lib/untrustedText';
import type { ImpactView } from './types';
const WAD = 10n ** 18n;

// C0 and C1 controls (escape sequences start with ESC), DEL, and every other invisible character
// the desk knows (one list with the CLI's and the alerts')
const INVISIBLE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CLASS}]`, 'gu');

/**
 * Text someone else wrote (a request's description is the queuer's) as the page shows it: every
 * control or invisible character written out (`\u202e`), so a direction override cannot make
 * "evil" read "live", nor an escape sequence hide or box what follows. React escapes the HTML.
 */
export function shownText(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const n = c.codePointAt(0)!;
    return n > 0xffff ? `\\u{${n.toString(16)}}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** 1e18 = 100%; up to 6 decimals, trailing zeros dropped. */
export function wadToPercent(wad: string): string {
  let v: bigint;
  try {
    v = BigInt(wad);
  } catch {
    return '?';
  }
  const scaled = (v * 100n * 1_000_000n) / WAD; // percent × 1e6
  if (v > 0n && scaled === 0n) return '< 0.000001%';
  const whole = scaled / 1_000_000n;
  const frac = (scaled % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** `1250000000000000000000, 18` → `1,250`: up to 4 decimals, never rounded up. */
export function tokenAmount(amount: string, decimals: number, maxFraction = 4): string {
  let v: bigint;
  try {
    v = BigInt(amount);
  } catch {
    return '?';
  }
  const unit = 10n ** BigInt(Math.max(0, decimals));
  const shown = Math.min(maxFraction, Math.max(0, decimals));
  const whole = v / unit;
  const frac = shown > 0 ? ((v % unit) * 10n ** BigInt(shown)) / unit : 0n;
  if (whole === 0n && frac === 0n && v > 0n) return `< 0.${'0'.repeat(Math.max(0, shown - 1))}1`;
  const fracText = shown > 0 ? frac.toString().padStart(shown, '0').replace(/0+$/, '') : '';
  return `${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fracText ? `.${fracText}` : ''}`;
}

/** "1,250 stETH", "100 WETH + 500 USDC" (summed per token); null when any strategy's amount is unknown. */
export function impactAmount(impact: ImpactView | null): string | null {
  if (!impact || impact.strategies.length === 0) return null;
  const totals = new Map<string, { symbol: string; decimals: number; amount: bigint }>();
  for (const s of impact.strategies) {
    if (!s.token || s.tokensToSlash === null) return null;
    const key = s.token.address.toLowerCase();
    const t = totals.get(key) ?? { symbol: s.token.symbol, decimals: s.token.decimals, amount: 0n };
    t.amount += BigInt(s.tokensToSlash);
    totals.set(key, t);
  }
  return [...totals.values()].map((t) => `${tokenAmount(t.amount.toString(), t.decimals)} ${t.symbol}`).join(' + ');
}

/** "10%" when every strategy is slashed alike, else each in order. */
export function slashSummary(wads: readonly string[]): string {
  const parts = wads.map(wadToPercent);
  if (parts.length === 0) return '—';
  return parts.every((p) => p === parts[0]) ? parts[0]! : parts.join(' / ');
}

export function shortAddress(a: string | null | undefined): string {
  if (!a) return '—';
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

export function shortHash(h: string | null | undefined): string {
  if (!h) return '—';
  return h.length > 18 ? `${h.slice(0, 10)}…${h.slice(-6)}` : h;
}

/** "1 h 4 min", "3 min 20 s", "45 s" */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${sec} s`;
  return `${sec} s`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFormat.format(d);
}

export const STATUS_LABELS: Record<string, string> = {
  in_veto_window: 'In veto window',
  vetoed: 'Vetoed',
  fulfillable: 'Fulfillable',
  fulfilled: 'Fulfilled',
  lapsed: 'Lapsed',
};

export const NEXT_ACTION_LABELS: Record<string, string> = {
  fulfil: 'Fulfil',
  execute_veto: 'Execute veto',
  collect_veto_signatures: 'Collect veto signatures',
  collect_fulfil_signatures: 'Collect fulfil signatures',
  await_confirmations: 'Await confirmations',
  await_fulfil: 'Await fulfil receipt',
  unblock_veto: 'Unblock the veto',
};

export const ACTOR_LABELS: Record<string, string> = { desk: 'the desk', owners: 'Safe owners', nobody: 'nobody (no key or Safe)' };
