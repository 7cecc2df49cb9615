/**
 * Persistence for ingest: the checkpoint, and every batch applied in one transaction — facts,
 * headers, projections, slashability and the checkpoint commit together or not at all, so a
 * restart resumes exactly. Each table's own statements live beside it (requestsTable,
 * blocksTable, operatorStatesTable); the SQL dialect in dialect.ts.
 */
import { DeskError } from '../errors';
import type { Database, Db, DbKind } from './database';
import { columnTime, insertRows, type TxSql } from './bulk';
import { dialect } from './dialect';
import { modelRows } from './modelRows';
import { createBlocksTable } from './blocksTable';
import { createOperatorStatesTable } from './operatorStatesTable';
import { createRequestsTable } from './requestsTable';
import type { BlockRef } from '../domain/types';
import type { BlockRow, NewFact, OperatorSetStateRow } from '../domain/ingestFacts';

export type { BlockRow, NewFact, OperatorSetStateRow };
export { parseAllocations } from './operatorStatesTable';
export type { SlashingRequestRow } from './requestsTable';

export interface CursorRow {
  slasher: string;
  chainId: number;
  variant: string | null;
  startBlock: number;
  indexedBlock: number;
  indexedHash: string | null;
  windowKind: string | null;
  windowLength: number | null;
  allocationManager: string | null;
  avs: string | null;
  vetoCommittee: string | null;
  slasherRole: string | null;
  deallocationDelay: number | null;
  /** writes counted so far (see `inTransactionOf` below); stored, never set by a caller */
  changes?: number;
  /** the indexed block at which the last whole pass had read the operator sets (see `markSlashabilityRead`) */
  slashabilityReadTo?: number | null;
  /** counts what may have changed a watched Safe (`BatchInput.safeChanges`, a reorg); stored, never set by a caller */
  safeChanges?: number;
}

export interface BatchInput {
  facts: NewFact[];
  blocks: BlockRow[];
  indexedBlock: number;
  indexedHash: string | null;
  variant?: string;
  operatorStates?: OperatorSetStateRow[];
  /**
   * headers below this block are no longer needed to revert a reorg; the timestamps of those the
   * desk shows times for (event blocks, block windows' ends) move to BlockTime
   */
  pruneBlocksBelow?: number;
  /** timestamps of blocks below the reorg window the desk shows times for (a backfill's event blocks) */
  blockTimes?: BlockRef[];
  /**
   * The checkpoint this batch continues from. When another desk on the same database moved it
   * meanwhile, the batch is refused (INGEST_CONFLICT) and nothing is written.
   */
  expectIndexedBlock?: number;
  /**
   * What in these blocks may have changed a watched Safe's owners, threshold or nonce (its logs,
   * or 1 for a backfill that did not read them): added to the checkpoint's `safeChanges`, which
   * every desk on the database compares (only the desk that ingests a block sees its logs).
   */
  safeChanges?: number;
}

/**
 * What a write did, for whoever keeps views of the stored rows: `counted` is how many it added to
 * the checkpoint's `changes` when it committed (NaN when unknown: failed, or perhaps committed
 * with its answer lost), `touched` what it may have changed (a block's headers alone change none
 * of these).
 */
export interface WriteNotice {
  counted: number;
  touched: readonly StoredPart[];
}

/** What the request views are made of, as whoever keeps them reads it again part by part. */
export type StoredPart = 'requests' | 'operatorStates' | 'blockTimes' | 'lapses' | 'impacts';
export const STORED_PARTS: readonly StoredPart[] = Object.freeze(['requests', 'operatorStates', 'blockTimes', 'lapses', 'impacts']);

/** A write nothing is known of: everything may have changed. */
export const UNKNOWN_WRITE: WriteNotice = Object.freeze({ counted: Number.NaN, touched: STORED_PARTS });

/** Told of every write that may show in the request views: as it begins, and once it is done (or failed). */
export interface WriteHooks {
  onBegin?: () => void;
  onWrite?: (w: WriteNotice) => void;
}

/**
 * Runs one write that counts one change in the checkpoint, telling `hooks` as it begins and once
 * it is done: what it touched when it counted exactly one change (`countedOf` its result), an
 * unknown write otherwise (failed, perhaps committed; or no checkpoint row counted it). Every
 * writer of what the request views show goes through here, so a begin always has its notice.
 * `touched` is read once the write is done (a write may learn what it touched as it goes).
 */
export function toldWrite<T>(hooks: WriteHooks, touched: readonly StoredPart[], write: () => Promise<T>, countedOf: (r: T) => number): Promise<T> {
  hooks.onBegin?.();
  return write().then(
    (r) => {
      hooks.onWrite?.(countedOf(r) === 1 ? { counted: 1, touched } : UNKNOWN_WRITE);
      return r;
    },
    (e: unknown) => {
      hooks.onWrite?.(UNKNOWN_WRITE);
      throw e;
    },
  );
}

/**
 * Counts one change in the checkpoint, inside a transaction of raw SQL (its first statement, so
 * every writer takes the cursor's row in the same order): another desk keeping request views
 * compares the count. The changes counted: 1, or 0 without a checkpoint row.
 */
export function countChange(sql: TxSql, slasher: string): Promise<number> {
  return sql.run(`UPDATE "IngestCursor" SET "changes" = "changes" + 1 WHERE "slasher" = ${dialect(sql.kind).p(1)}`, slasher);
}

/** A transaction of raw SQL that counts one change (`countChange`), told to `hooks` as a write of `touched`. */
export function countedTransaction(access: Pick<Database, 'transaction'>, slasher: string, hooks: WriteHooks, touched: readonly StoredPart[]): Database['transaction'] {
  return (fn) => {
    let counted = 0;
    return toldWrite(
      hooks,
      touched,
      () =>
        access.transaction(async (sql) => {
          counted = await countChange(sql, slasher);
          return fn(sql);
        }),
      () => counted,
    );
  };
}

/**
 * `access`: the database's raw-SQL paths (Database.transaction and .queryRows), which the store's
 * writes and its large reads take; `db` serves the rest (Prisma's model API).
 */
export function createIngestStore(db: Db, slasher: string, kind: DbKind, access: Pick<Database, 'transaction' | 'queryRows'>, hooks: WriteHooks = {}) {
  const d = dialect(kind);
  const p = d.p;
  // every write of this store is a transaction here or the cursor's upsert: whoever keeps views
  // of these rows in this process learns of each one (also of a failed one: it may have been
  // committed before its answer was lost), and each counts in the checkpoint's `changes` in the
  // same transaction, which another desk keeping views of these rows compares. The count comes
  // first: every transaction that writes views locks the checkpoint row before any other (one
  // order, so two of them never wait on each other on PostgreSQL)
  const inTransactionOf = (touched: readonly StoredPart[]): Database['transaction'] => countedTransaction(access, slasher, hooks, touched);
  const requests = createRequestsTable(db, slasher, kind, { ...access, transaction: inTransactionOf(['requests']) });
  const blocks = createBlocksTable(db, slasher, kind, access.queryRows);
  const cursorRows = modelRows<CursorRow>({ kind, queryRows: access.queryRows }, 'IngestCursor');
  const operatorStates = createOperatorStatesTable(db, slasher, kind, inTransactionOf(['operatorStates']));
  const { reproject: _reproject, ...requestReads } = requests;
  const { write: _writeBlocks, writeTimes: _writeTimes, prune: _prune, ...blockReads } = blocks;

  return {
    slasher,
    ...requestReads,
    ...blockReads,
    saveOperatorStates: operatorStates.saveOperatorStates,
    operatorStates: operatorStates.operatorStates,

    async getCursor(): Promise<CursorRow | null> {
      // raw SQL: read by every view read and every ingest pass (see modelRows.ts)
      return (await cursorRows.find({ slasher }, undefined, 'slasher'))[0] ?? null;
    },

    /**
     * A whole pass read every operator set it had to at indexed block `block` (it only moves up: a
     * desk behind another on the same database does not pull it back)
     */
    async markSlashabilityRead(block: number): Promise<void> {
      await db.ingestCursor.updateMany({ where: { slasher, OR: [{ slashabilityReadTo: null }, { slashabilityReadTo: { lt: block } }] }, data: { slashabilityReadTo: block } });
    },

    async saveCursor(c: Omit<CursorRow, 'slasher' | 'changes' | 'slashabilityReadTo' | 'safeChanges'>): Promise<void> {
      // created (nothing counted) or updated (one counted): not known here, so an unknown write
      await toldWrite(hooks, STORED_PARTS, () => db.ingestCursor.upsert({ where: { slasher }, create: { slasher, ...c }, update: { ...c, changes: { increment: 1 } } }), () => Number.NaN);
    },

    /**
     * Applies one batch atomically: facts, headers, projections, slashability, checkpoint. Its
     * statements are raw SQL (on SQLite straight through the connection holding the transaction,
     * see bulk.ts txSql): a backfill commits thousands of rows per batch, and Prisma's per-query
     * work was a good part of it.
     */
    async applyBatch(b: BatchInput): Promise<void> {
      // a batch of headers alone (a block with no event of the slasher) leaves every request row as it was
      const touched: StoredPart[] = [];
      if (b.facts.length > 0) touched.push('requests');
      if (b.operatorStates) touched.push('operatorStates');
      if (b.blockTimes?.length) touched.push('blockTimes');
      await inTransactionOf(touched)(async (sql) => {
        // FOR UPDATE (PostgreSQL): a second desk's batch waits here for this one, then sees the
        // checkpoint it moved (SQLite's single writer serialises batches by itself)
        const [cursor] = await sql.all<{ indexedBlock: number; variant: string | null }>(
          `SELECT "indexedBlock", "variant" FROM "IngestCursor" WHERE "slasher" = ${p(1)}${d.forUpdate}`,
          slasher,
        );
        if (!cursor) throw new DeskError('DATABASE_ERROR', `no ingest checkpoint is stored for ${slasher}`);
        if (b.expectIndexedBlock !== undefined && Number(cursor.indexedBlock) !== b.expectIndexedBlock) {
          throw new DeskError('INGEST_CONFLICT', `the checkpoint is at block ${cursor.indexedBlock}, not ${b.expectIndexedBlock}: another desk on this database indexed meanwhile`, { retryable: true });
        }
        const variant = b.variant ?? cursor.variant ?? 'unknown';
        if (b.facts.length > 0) {
          await requests.reproject(sql, b.facts.map((f) => f.requestId.toString()), variant, b.facts);
          await insertRows(
            sql,
            'RequestEvent',
            ['slasher', 'requestId', 'kind', 'blockNumber', 'blockHash', 'txHash', 'logIndex', 'data'],
            b.facts.map(({ requestId, fact }) => [
              slasher,
              requestId.toString(),
              fact.kind,
              fact.blockNumber,
              fact.blockHash,
              fact.txHash,
              fact.logIndex,
              fact.kind === 'queued' ? JSON.stringify(fact.data) : '{}',
            ]),
          );
        }
        await blocks.write(sql, b.blocks);
        if (b.operatorStates) await operatorStates.write(sql, b.operatorStates);
        if (b.blockTimes?.length) await blocks.writeTimes(sql, b.blockTimes);
        if (b.pruneBlocksBelow !== undefined) {
          // the kept timestamps change only when a block worth keeping left the reorg window
          if ((await blocks.prune(sql, b.pruneBlocksBelow)) > 0 && !touched.includes('blockTimes')) touched.push('blockTimes');
        }
        // the variant is kept when the batch does not settle it
        await sql.run(
          `UPDATE "IngestCursor" SET "indexedBlock" = ${p(1)}, "indexedHash" = ${p(2)}, "variant" = COALESCE(${p(3)}, "variant"), "updatedAt" = ${p(4)}, "safeChanges" = "safeChanges" + ${p(5)} WHERE "slasher" = ${p(6)}`,
          b.indexedBlock,
          b.indexedHash,
          b.variant ?? null,
          columnTime(kind, new Date()),
          b.safeChanges ?? 0,
          slasher,
        );
      });
    },

    /** Reverts everything above the common ancestor of a reorg, in one transaction. Returns the request ids touched. */
    async revertTo(ancestor: BlockRow): Promise<string[]> {
      return inTransactionOf(STORED_PARTS)(async (sql) => {
        const [cursor] = await sql.all<{ variant: string | null }>(`SELECT "variant" FROM "IngestCursor" WHERE "slasher" = ${p(1)}${d.forUpdate}`, slasher);
        if (!cursor) throw new DeskError('DATABASE_ERROR', `no ingest checkpoint is stored for ${slasher}`);
        const gone = await sql.all<{ requestId: string }>(`SELECT DISTINCT "requestId" FROM "RequestEvent" WHERE "slasher" = ${p(1)} AND "blockNumber" > ${p(2)} ORDER BY "requestId"`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "RequestEvent" WHERE "slasher" = ${p(1)} AND "blockNumber" > ${p(2)}`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "Block" WHERE "slasher" = ${p(1)} AND "number" > ${p(2)}`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "BlockTime" WHERE "slasher" = ${p(1)} AND "number" > ${p(2)}`, slasher, ancestor.number);
        // slashability read on the abandoned branch: re-read from scratch (refreshAll follows)
        await sql.run(`DELETE FROM "OperatorSetState" WHERE "slasher" = ${p(1)} AND "readAtBlock" > ${p(2)}`, slasher, ancestor.number);
        const ids = gone.map((g) => g.requestId);
        await requests.reproject(sql, ids, cursor.variant ?? 'unknown');
        // the reverted blocks' Safe events are gone too: every desk reads its Safes again
        await sql.run(
          `UPDATE "IngestCursor" SET "indexedBlock" = ${p(1)}, "indexedHash" = ${p(2)}, "updatedAt" = ${p(3)}, "safeChanges" = "safeChanges" + 1 WHERE "slasher" = ${p(4)}`,
          ancestor.number,
          ancestor.hash,
          columnTime(kind, new Date()),
          slasher,
        );
        return ids;
      });
    },

  };
}

export type IngestStore = ReturnType<typeof createIngestStore>;
