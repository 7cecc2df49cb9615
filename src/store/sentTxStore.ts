/**
 * Persistence of every transaction the desk sends (SentTx): recorded before broadcast, settled
 * from the chain, moved back in flight when a reorg removes its block. Plain rows out.
 */
import type { Database, Db } from './database';
import { modelRows } from './modelRows';

export type SentTxRow = Awaited<ReturnType<Db['sentTx']['findFirstOrThrow']>>;
export type SentTxStatus = 'recorded' | 'mined' | 'reverted' | 'replaced' | 'dropped';
/** `cancel`: a 0-value transfer to ourselves replacing an attempt that can no longer do its job */
export type SendPurpose = 'fulfil' | 'fulfil_burn' | 'safe_veto' | 'safe_rejection' | 'safe_batch' | 'safe_fulfil' | 'cancel';

export interface NewSentTx {
  chainId: number;
  slasher: string;
  requestId: string;
  requestTxHash: string;
  purpose: SendPurpose;
  proposalId: number | null;
  deadlineBlock: number | null;
  account: string;
  txNonce: number;
  to: string;
  data: string;
  rawTx: string;
  txHash: string;
  gas: string;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  replaces: number | null;
  sentAtBlock: number;
}

export function createSentTxStore(database: Pick<Database, 'db' | 'kind' | 'queryRows'>) {
  const { db } = database;
  // the reads every page of requests makes, in raw SQL (see modelRows.ts)
  const rows = modelRows<SentTxRow>(database, 'SentTx');
  return {
    async record(row: NewSentTx): Promise<SentTxRow> {
      return db.sentTx.create({ data: { ...row, status: 'recorded' } });
    },

    async byId(id: number): Promise<SentTxRow | null> {
      return db.sentTx.findUnique({ where: { id } });
    },

    /** Every attempt at one account nonce, oldest first (a fee bump adds one). */
    async attemptsAt(account: string, txNonce: number): Promise<SentTxRow[]> {
      return db.sentTx.findMany({ where: { account, txNonce }, orderBy: { id: 'asc' } });
    },

    /**
     * The highest account nonce with an attempt still in flight, or included from `sinceBlock` on
     * (a reorg may still remove it) up to `untilBlock` (beyond it, of a chain the node no longer
     * serves, e.g. a devnet started again on the same database), or null.
     */
    async highestUsedNonce(account: string, sinceBlock: number, untilBlock: number): Promise<number | null> {
      const r = await db.sentTx.aggregate({ where: { account, OR: [{ status: 'recorded' }, { status: { in: ['mined', 'reverted'] }, blockNumber: { gte: sinceBlock, lte: untilBlock } }] }, _max: { txNonce: true } });
      return r._max.txNonce ?? null;
    },

    /** Attempts in flight (recorded, not settled), oldest first; of one account when given. */
    async inFlight(account?: string): Promise<SentTxRow[]> {
      return rows.find({ status: 'recorded', ...(account ? { account } : {}) });
    },

    /** Mined or reverted transactions in blocks ≥ `fromBlock` (a reorg could still remove them). */
    async includedSince(fromBlock: number): Promise<SentTxRow[]> {
      return db.sentTx.findMany({ where: { status: { in: ['mined', 'reverted'] }, blockNumber: { gte: fromBlock } }, orderBy: { id: 'asc' } });
    },

    /** One attempt was included: it is settled, the others at its nonce are replaced. */
    async settleIncluded(row: SentTxRow, outcome: { status: 'mined' | 'reverted'; blockNumber: number; blockHash: string; error: string | null }): Promise<SentTxRow> {
      const [done] = await db.$transaction([
        db.sentTx.update({ where: { id: row.id }, data: { status: outcome.status, blockNumber: outcome.blockNumber, blockHash: outcome.blockHash, error: outcome.error } }),
        db.sentTx.updateMany({ where: { account: row.account, txNonce: row.txNonce, NOT: { id: row.id }, status: 'recorded' }, data: { status: 'replaced' } }),
      ]);
      return done;
    },

    /**
     * These attempts (still recorded) are dropped: their nonce went to another transaction. Only
     * the rows the caller read: another desk may have recorded (and mined) one since. How many
     * were dropped.
     */
    async dropAttempts(ids: number[], reason: string): Promise<number> {
      return (await db.sentTx.updateMany({ where: { id: { in: ids }, status: 'recorded' }, data: { status: 'dropped', error: reason } })).count;
    },

    /**
     * A reorg removed the block it was included in: back in flight, its block forgotten. The
     * replaced attempts at its nonce stay replaced (only this one's bytes are ever sent again).
     */
    async reopen(row: SentTxRow): Promise<SentTxRow | null> {
      // on the row as read: another desk that saw the same reorg (or the transaction mined again
      // since, even in a block of the same hash: its reorg count moved) moved it, and a second
      // reopen would count the reorg twice or undo the new block
      const [reopened] = await db.sentTx.updateManyAndReturn({ where: { id: row.id, status: row.status, blockHash: row.blockHash, reorgs: row.reorgs }, data: { status: 'recorded', blockNumber: null, blockHash: null, error: null, reorgs: { increment: 1 } } });
      return reopened ?? null;
    },

    async forProposals(proposalIds: number[]): Promise<SentTxRow[]> {
      if (proposalIds.length === 0) return [];
      return db.sentTx.findMany({ where: { proposalId: { in: proposalIds } }, orderBy: { id: 'asc' } });
    },

    /** Attempts for these requests of a slasher (all when absent), oldest first. */
    async forRequests(slasher: string, requestIds?: string[]): Promise<SentTxRow[]> {
      return rows.find({ slasher }, requestIds && { column: 'requestId', values: requestIds });
    },
  };
}

export type SentTxStore = ReturnType<typeof createSentTxStore>;
