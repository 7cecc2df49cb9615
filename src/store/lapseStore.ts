/**
 * Requests whose stake escaped once (they lapsed). The slasher never expires a request: an
 * operator who allocates or registers again makes it fulfillable again, and the desk must know it
 * had lapsed (it does not fulfil such a request unless FULFIL_AFTER_LAPSE is set).
 */
import type { Db } from './database';

export interface LapseRow {
  requestId: string;
  requestTxHash: string;
  lapsedAtBlock: number;
  slashableAgainAtBlock: number | null;
}

export function createLapseStore(db: Db, slasher: string) {
  return {
    async all(): Promise<LapseRow[]> {
      return db.requestLapse.findMany({ where: { slasher }, select: { requestId: true, requestTxHash: true, lapsedAtBlock: true, slashableAgainAtBlock: true } });
    },

    /** Records the first lapse of a request (idempotent). */
    async recordLapse(requestId: string, requestTxHash: string, block: number): Promise<void> {
      await db.requestLapse.upsert({ where: { slasher_requestId_requestTxHash: { slasher, requestId, requestTxHash } }, create: { slasher, requestId, requestTxHash, lapsedAtBlock: block }, update: {} });
    },

    /** The lapsed request is fulfillable again (first time seen so; idempotent). */
    async markSlashableAgain(requestId: string, requestTxHash: string, block: number): Promise<void> {
      await db.requestLapse.updateMany({ where: { slasher, requestId, requestTxHash, slashableAgainAtBlock: null }, data: { slashableAgainAtBlock: block } });
    },
  };
}

export type LapseStore = ReturnType<typeof createLapseStore>;
