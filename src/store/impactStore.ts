/**
 * What each request's slash takes, as last read (see chain/impact.ts): one row per request
 * (keyed by its queue transaction, ids are reused on V4). The figures are a JSON column, parsed
 * with zod on the way out: a row that does not parse reads as "unknown", never as wrong figures.
 */
import { z } from 'zod';
import type { Database } from './database';
import { columnTime, insertRows } from './bulk';
import { countChange } from './ingestStore';
import { ByRequest } from '../lib/byRequest';
import { sameTexts } from '../lib/sameText';

const decimal = z.string().regex(/^\d{1,78}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as z.ZodType<`0x${string}`>;

export const impactSchema = z.object({
  readAtBlock: z.number().int().nonnegative(),
  atWindowEnd: z.boolean(),
  /** null/null: an older core without the redistribution getters (unknown, never guessed) */
  redistribution: z.object({ redistributing: z.boolean().nullable(), recipient: address.nullable() }),
  strategies: z.array(
    z.object({
      strategy: address,
      token: z.object({ address, symbol: z.string().max(64), decimals: z.number().int().min(0).max(77) }).nullable(),
      slashableShares: decimal,
      slashableSharesNow: decimal,
      sharesToSlash: decimal,
      /** null when the strategy could not convert shares to its token */
      tokensToSlash: decimal.nullable(),
      remainingShares: decimal,
    }),
  ),
});
export type ImpactJson = z.infer<typeof impactSchema>;

export interface ImpactRow {
  requestId: string;
  requestTxHash: string;
  /** the allocation facts the figures follow (see requests/impact.ts) */
  facts: string;
  readAtBlock: number;
  impact: ImpactJson | null;
  reason: string | null;
}

/**
 * One copy of what repeats across requests' figures: the strategies' and recipients' addresses,
 * tokens, redistribution. Every request on a strategy had held its own copies (≈ 0.5 kB each: 5 MB
 * at 10k requests). The shared objects are frozen: a view hands them out.
 */
function createCanon() {
  const text = sameTexts();
  const objects = new Map<string, object>();
  const shared = <T extends object>(key: string, make: () => T): T => {
    let kept = objects.get(key) as T | undefined;
    if (kept === undefined) objects.set(key, (kept = Object.freeze(make())));
    return kept;
  };
  return (j: ImpactJson): ImpactJson => {
    const { redistributing, recipient } = j.redistribution;
    return {
      readAtBlock: j.readAtBlock,
      atWindowEnd: j.atWindowEnd,
      redistribution: shared(`r:${redistributing}:${recipient}`, () => ({ redistributing, recipient: recipient && text(recipient) })),
      strategies: j.strategies.map((s) => {
        const token = s.token;
        return {
          ...s,
          strategy: text(s.strategy),
          token: token && shared(`t:${token.address}:${token.decimals}:${token.symbol}`, () => ({ address: text(token.address), symbol: token.symbol, decimals: token.decimals })),
        };
      }),
    };
  };
}

function parse(r: { requestId: string; requestTxHash: string; facts: string; readAtBlock: number; impact: string | null; reason: string | null }, canon: (j: ImpactJson) => ImpactJson): ImpactRow {
  if (r.impact === null) return { ...r, impact: null };
  let parsed: ReturnType<typeof impactSchema.safeParse>;
  try {
    parsed = impactSchema.safeParse(JSON.parse(r.impact));
  } catch {
    parsed = { success: false } as ReturnType<typeof impactSchema.safeParse>;
  }
  return parsed.success ? { ...r, impact: canon(parsed.data) } : { ...r, impact: null, reason: 'the stored figures could not be read back; they are read again on the next change' };
}

const select = { requestId: true, requestTxHash: true, facts: true, readAtBlock: true, impact: true, reason: true } as const;

type RawRow = Parameters<typeof parse>[0];

/**
 * A 53-bit digest of a text (cyrb53: two multiplicative 32-bit lanes, mixed at the end). Two
 * different texts of the same length share one with a chance of 2^-53.
 */
export function digest53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const IMPACT_COLUMNS = ['slasher', 'requestId', 'requestTxHash', 'facts', 'readAtBlock', 'impact', 'reason', 'updatedAt'] as const;

export function createImpactStore(database: Pick<Database, 'db' | 'kind' | 'transaction'>, slasher: string) {
  const { db, kind } = database;
  /**
   * Parsed figures by request, reused while the stored JSON is the same: every listing reads all
   * rows, and most of them (decided requests) never change again. The JSON is recognised by its
   * length and digest, not kept: at 10k requests the texts alone were 7 MB of the desk's heap.
   */
  const parsed = new ByRequest<{ requestId: string; length: number; digest: number; row: ImpactRow }>((e) => e.row.requestTxHash);
  const canon = createCanon();
  const parseKept = (r: RawRow): ImpactRow => {
    const hit = parsed.get(r.requestId, r.requestTxHash);
    const length = r.impact === null ? -1 : r.impact.length;
    const digest = r.impact === null ? 0 : digest53(r.impact);
    if (hit && hit.length === length && hit.digest === digest && hit.row.facts === r.facts && hit.row.readAtBlock === r.readAtBlock && hit.row.reason === r.reason) return hit.row;
    const row = parse(r, canon);
    parsed.set({ requestId: row.requestId, length, digest, row });
    return row;
  };
  return {
    async all(): Promise<ImpactRow[]> {
      return (await db.requestImpact.findMany({ where: { slasher }, select })).map(parseKept);
    },

    /**
     * @returns the changes it counted in the checkpoint (1; 0 without a checkpoint row). In raw
     * SQL: through Prisma, a slice of upserts grew its query compiler's WebAssembly memory (which
     * never shrinks) by megabytes.
     */
    async save(rows: ImpactRow[]): Promise<number> {
      const at = columnTime(kind, new Date());
      return database.transaction(async (sql) => {
        const counted = await countChange(sql, slasher);
        await insertRows(
          sql,
          'RequestImpact',
          IMPACT_COLUMNS,
          rows.map((r) => [slasher, r.requestId, r.requestTxHash, r.facts, r.readAtBlock, r.impact === null ? null : JSON.stringify(r.impact), r.reason, at]),
          { key: ['slasher', 'requestId', 'requestTxHash'], update: ['facts', 'readAtBlock', 'impact', 'reason', 'updatedAt'] },
        );
        return counted;
      });
    },
  };
}

export type ImpactStore = ReturnType<typeof createImpactStore>;
