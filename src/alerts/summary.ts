/** Human sentences about a request: the words an on-call person reads at 3 a.m. */
import { z } from 'zod';
import type { RequestView } from '../api/views';

const WAD = 10n ** 18n;

/** 1e18 = 100%: `500000000000000000` → `50%`, `333…` → `33.33%`. */
export function formatWadPercent(wad: string): string {
  let v: bigint;
  try {
    v = BigInt(wad);
  } catch {
    return `${wad} wad`;
  }
  const hundredths = (v * 10_000n) / WAD;
  const whole = hundredths / 100n;
  const frac = hundredths % 100n;
  return frac === 0n ? `${whole}%` : `${whole}.${frac.toString().padStart(2, '0').replace(/0$/, '')}%`;
}

export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/** "≈ in 2h 5m", "≈ 40s ago" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(Math.abs(seconds)));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = d ? [`${d}d`, h ? `${h}h` : ''] : h ? [`${h}h`, m ? `${m}m` : ''] : m ? [`${m}m`] : [`${s % 60}s`];
  return parts.filter(Boolean).join(' ');
}

export function windowEndLine(v: RequestView): string {
  const where = v.vetoWindowEnd.block !== undefined ? `block ${v.vetoWindowEnd.block}` : `unix time ${v.vetoWindowEnd.timestamp}`;
  return `Veto window ends: ${where} (${v.vetoWindowEnd.estimated ? '≈ ' : ''}${v.vetoWindowEnd.estimatedAt})`;
}

export function lastUsefulLine(v: RequestView): string {
  if (v.lastUsefulBlock === null) return 'Last useful block (L): unbounded (stake cannot escape yet)';
  return `Last useful block (L): ${v.lastUsefulBlock}${v.lastUsefulBlockEstimatedAt ? ` (≈ ${v.lastUsefulBlockEstimatedAt})` : ''}`;
}

/** The longest description an alert carries; the whole text is on the desk's page. */
export const DESCRIPTION_MAX_CHARS = 280;

/** Characters that change how text is shown without being seen: controls, bidi overrides, zero-width. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * Text written by someone else (a request's description, an error from an RPC): one line, no
 * invisible or direction-changing characters, at most `max` characters. On one line it cannot
 * forge a line of its own ("Veto window ends: …"); clipped here, on its own, it can never push
 * the desk's own lines out of a message.
 */
export function untrustedLine(text: string, max = DESCRIPTION_MAX_CHARS): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

export function descriptionLine(v: RequestView): string {
  return `Description (from the slasher, unverified): ${v.description ? untrustedLine(v.description) : '(none)'}`;
}

/**
 * Both deadlines first, then operator, set, strategies with % to slash, and last the description:
 * the one part written by whoever queued the slash.
 */
export function requestSummary(v: RequestView): string {
  const strategies = v.strategies
    ? v.strategies.map((s, i) => `  • ${s}: ${formatWadPercent(v.wadsToSlash[i] ?? '0')}`)
    : v.wadsToSlash.map((w, i) => `  • strategy #${i + 1} (not read yet): ${formatWadPercent(w)}`);
  return [
    windowEndLine(v),
    lastUsefulLine(v),
    `Operator: ${v.operator}`,
    `Operator set: ${v.operatorSetId}`,
    'Strategies to slash:',
    ...strategies,
    `Queued at block ${v.queuedAtBlock}, tx ${v.queuedTxHash} (${v.variant} slasher ${v.slasher})`,
    descriptionLine(v),
  ].join('\n');
}

/**
 * The veto's signature state, when the Safe work (issue 3) puts a `veto` field on the view.
 * Read defensively: any shape we do not recognise reads as "unknown".
 */
const vetoShape = z
  .object({
    threshold: z.number().int().optional(),
    owners: z.array(z.string()).optional(),
    signers: z.array(z.string()).optional(),
    signatures: z.array(z.union([z.string(), z.object({ signer: z.string().optional(), owner: z.string().optional(), stale: z.string().optional() }).loose()])).optional(),
    missing: z.array(z.string()).optional(),
  })
  .loose();

export interface VetoProgress {
  collected: number;
  threshold: number | null;
  missing: string[] | null;
}

export function readVetoProgress(v: RequestView, committeeOwners?: string[]): VetoProgress | null {
  const raw = (v as unknown as { veto?: unknown }).veto;
  if (raw === undefined || raw === null) return null;
  const p = vetoShape.safeParse(raw);
  if (!p.success) return null;
  // a stale signature (its signer is no longer an owner) does not count
  const fromSignatures = p.data.signatures?.map((s) => (typeof s === 'string' ? s : s.stale ? '' : (s.signer ?? s.owner ?? '')));
  const signers = (p.data.signers ?? fromSignatures ?? []).filter(Boolean);
  const lower = new Set(signers.map((s) => s.toLowerCase()));
  const owners = p.data.owners ?? committeeOwners;
  const missing = p.data.missing ?? (owners ? owners.filter((o) => !lower.has(o.toLowerCase())) : null);
  return { collected: lower.size, threshold: p.data.threshold ?? null, missing };
}

export function vetoProgressLine(v: RequestView, committeeOwners?: string[]): string {
  const p = readVetoProgress(v, committeeOwners);
  if (!p) return 'Veto signatures: none collected through the desk yet';
  const of = p.threshold !== null ? `${p.collected} of ${p.threshold} needed` : `${p.collected} collected`;
  const who = p.missing && p.missing.length ? `; not signed: ${p.missing.join(', ')}` : '';
  return `Veto signatures: ${of}${who}`;
}
