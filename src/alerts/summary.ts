/** Human sentences about a request: the words an on-call person reads at 3 a.m. */
import { z } from 'zod';
import type { RequestView } from '../requests/views';
import { untrustedLine } from '../lib/untrustedText';
import { describeTokenTotals, formatTokenAmount, tokenTotals } from '../domain/impact';

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

/** One line, clipped on its own: see `untrustedLine`. */
export function untrustedDescription(description: string): string {
  return untrustedLine(description, DESCRIPTION_MAX_CHARS);
}

export function descriptionLine(v: RequestView): string {
  return `Description (from the slasher, unverified): ${v.description ? untrustedDescription(v.description) : '(none)'}`;
}

/** Where slashed funds go, in words. */
export function fundsLine(v: RequestView): string {
  const r = v.impact?.redistribution;
  if (!r) return 'Funds: unknown (not read)';
  if (r.redistributing === null) return 'Funds: unknown (older core without the redistribution getters)';
  return r.redistributing ? `Funds: redistributed to ${r.recipient} (not burned)` : `Funds: burned (${r.recipient})`;
}

/**
 * What the slash takes, in tokens, per strategy; then where the funds go. A token symbol is
 * chosen by the token's deployer: it arrives cleaned to one short line (see chain/impact.ts).
 */
export function impactLines(v: RequestView): string[] {
  const i = v.impact;
  if (!i) return [`To slash: unknown (${v.impactReason ?? 'not read yet'})`];
  const totals = tokenTotals(i.strategies.map((s) => ({ token: s.token, tokensToSlash: s.tokensToSlash === null ? null : BigInt(s.tokensToSlash) })));
  const when = i.atWindowEnd ? 'at the window end' : 'now';
  return [
    `To slash: ${totals ? describeTokenTotals(totals) : 'amount in tokens unknown'} (${when}, read at block ${i.readAtBlock})`,
    ...i.strategies.map((s) => {
      const d = s.token?.decimals ?? 18;
      const amount = s.token && s.tokensToSlash !== null ? `${formatTokenAmount(BigInt(s.tokensToSlash), d)} ${untrustedLine(s.token.symbol, 32)}` : `${s.sharesToSlash} shares`;
      return `  • ${s.strategy}: ${amount} of ${formatTokenAmount(BigInt(s.slashableShares), d)} slashable shares, ${formatTokenAmount(BigInt(s.remainingShares), d)} remain`;
    }),
    fundsLine(v),
  ];
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
    ...impactLines(v),
    `Queued at block ${v.queuedAtBlock}, tx ${v.queuedTxHash} (${v.variant} slasher ${v.slasher})`,
    descriptionLine(v),
  ].join('\n');
}

/**
 * The veto's signature state, when the Safe work puts a `veto` field on the view.
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
