/**
 * Requests whose stake escaped once (they lapsed). The slasher never expires a request: an
 * operator who allocates or registers again makes it fulfillable again, and the desk must know it
 * had lapsed (it does not fulfil such a request unless FULFIL_AFTER_LAPSE is set).
 */
import type { Database } from './database';
import { columnTime, insertRows } from './bulk';
import { countedTransaction, toldWrite, type WriteHooks } from './ingestStore';

export interface LapseRow {
  requestId: string;
  requestTxHash: string;
  lapsedAtBlock: number;
  slashableAgainAtBlock: number | null;
}

const LAPSE_CHUNK = 500;

const LAPSE_COLUMNS = ['slasher', 'requestId', 'requestTxHash', 'lapsedAtBlock', 'createdAt'] as const;

export function createLapseStore(database: Pick<Database, 'db' | 'kind' | 'transaction'>, slasher: string, hooks: WriteHooks = {}) {
  const { db, kind } = database;
  const inCountedTransaction = countedTransaction(database, slasher, hooks, ['lapses']);
  // each write is one transaction counting one change (its first statement)
  const written = <T extends [{ count: number }, ...unknown[]]>(write: () => Promise<T>): Promise<T> => toldWrite(hooks, ['lapses'], write, (r) => r[0].count);
  // another desk keeping request views compares the checkpoint's count of changes; first in each
  // transaction, as in the ingest store (one lock order)
  const counted = () => db.ingestCursor.updateMany({ where: { slasher }, data: { changes: { increment: 1 } } });
  return {
    async all(): Promise<LapseRow[]> {
      return db.requestLapse.findMany({ where: { slasher }, select: { requestId: true, requestTxHash: true, lapsedAtBlock: true, slashableAgainAtBlock: true } });
    },

    /** The lapses recorded for these request ids. */
    async of(requestIds: string[]): Promise<LapseRow[]> {
      const out: LapseRow[] = [];
      for (let i = 0; i < requestIds.length; i += LAPSE_CHUNK) {
        out.push(...(await db.requestLapse.findMany({ where: { slasher, requestId: { in: requestIds.slice(i, i + LAPSE_CHUNK) } }, select: { requestId: true, requestTxHash: true, lapsedAtBlock: true, slashableAgainAtBlock: true } })));
      }
      return out;
    },

    /**
     * Records the first lapse of each request (idempotent), in one transaction: a desk starting on
     * a slasher with thousands of lapsed requests records them in a few transactions, not one each
     * (chunks keep each write lock short: the ingest writes between them). In raw SQL: through
     * Prisma, 500 upserts grew its query compiler's WebAssembly memory by 10 MB for good.
     */
    async recordLapses(items: { requestId: string; requestTxHash: string }[], block: number): Promise<void> {
      for (let i = 0; i < items.length; i += LAPSE_CHUNK) {
        const chunk = items.slice(i, i + LAPSE_CHUNK);
        const at = columnTime(kind, new Date());
        await inCountedTransaction((sql) => insertRows(sql, 'RequestLapse', LAPSE_COLUMNS, chunk.map(({ requestId, requestTxHash }) => [slasher, requestId, requestTxHash, block, at]), { key: ['slasher', 'requestId', 'requestTxHash'] }));
      }
    },

    /** The lapsed request is fulfillable again (first time seen so; idempotent). */
    async markSlashableAgain(requestId: string, requestTxHash: string, block: number): Promise<void> {
      await written(() => db.$transaction([counted(), db.requestLapse.updateMany({ where: { slasher, requestId, requestTxHash, slashableAgainAtBlock: null }, data: { slashableAgainAtBlock: block } })]));
    },
  };
}

export type LapseStore = ReturnType<typeof createLapseStore>;
