/**
 * Persistence for ingest: checkpoint, recent block headers, request facts, the request
 * projection and operator-set slashability. Every batch is one transaction: facts, blocks,
 * projections and the checkpoint commit together or not at all, so a restart resumes exactly.
 */
import { DeskError } from '../errors';
import type { Database, Db, DbKind } from './database';
import { columnTime, insertRows, type TxSql } from './bulk';
import { projectRequest, type ProjectedRequest, type QueuedData, type RequestFact } from '../domain/projection';
import type { AllocationFact, BlockRef } from '../domain/types';

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
}

export interface BlockRow {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

export interface NewFact {
  requestId: bigint;
  fact: RequestFact;
}

export interface OperatorSetStateRow {
  operator: string;
  operatorSetId: number;
  registered: boolean;
  deregisterBlock: number | null;
  allocations: AllocationFact[];
  readAtBlock: number;
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
}

function serializeAllocations(a: AllocationFact[]): string {
  return JSON.stringify(a.map((x) => ({ ...x, currentMagnitude: x.currentMagnitude.toString(), pendingDiff: x.pendingDiff.toString() })));
}

export function parseAllocations(json: string): AllocationFact[] {
  const raw = JSON.parse(json) as { strategy: `0x${string}`; currentMagnitude: string; pendingDiff: string; effectBlock: number }[];
  return raw.map((x) => ({ ...x, currentMagnitude: BigInt(x.currentMagnitude), pendingDiff: BigInt(x.pendingDiff) }));
}

/** `?, ?, …` (SQLite) or `$from, $from+1, …` (PostgreSQL) */
function placeholders(kind: DbKind, n: number, from: number): string {
  return Array.from({ length: n }, (_, k) => (kind === 'postgresql' ? `$${from + k}` : '?')).join(', ');
}

/** ids per query: well under SQLite's and PostgreSQL's bound-parameter limits */
const PROJECTION_CHUNK = 500;
/** ids per "is anything stored about these" lookup (one JSON parameter) */
const SEEN_CHUNK = 5_000;

const REQUEST_COLUMNS = [
  'variant',
  'operator',
  'operatorSetId',
  'strategies',
  'wadsToSlash',
  'description',
  'requestBlockOrTimestamp',
  'queuedAtBlock',
  'queuedBlockHash',
  'queuedTxHash',
  'queuedLogIndex',
  'onchainStatus',
  'cancelledBlock',
  'cancelledTxHash',
  'fulfilledBlock',
  'fulfilledTxHash',
  'overwrote',
] as const;

/**
 * A description is free text from the chain; PostgreSQL's text type refuses U+0000, which would
 * stop the ingest at that request for good. Stored (on both databases alike) as U+FFFD; the
 * fact keeps the exact text (JSON-escaped).
 */
function storableText(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '\uFFFD') : s;
}

const INSERT_COLUMNS = [...REQUEST_COLUMNS, 'slasher', 'requestId', 'updatedAt'] as const;

/** A stored projection row, as the model API reads it. */
export type SlashingRequestRow = Awaited<ReturnType<Db['slashingRequest']['findFirstOrThrow']>>;

const ROW_COLUMNS = ['slasher', 'requestId', ...REQUEST_COLUMNS, 'updatedAt'] as const;

/** each column's index in ROW_COLUMNS */
const AT = Object.fromEntries(ROW_COLUMNS.map((c, k) => [c, k])) as Record<(typeof ROW_COLUMNS)[number], number>;

const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A raw row (either database; values in ROW_COLUMNS order) → the model API's shape. */
function requestRowOf(r: unknown[]): SlashingRequestRow {
  const at = r[AT.updatedAt];
  return {
    slasher: r[AT.slasher] as string,
    requestId: r[AT.requestId] as string,
    variant: r[AT.variant] as string,
    operator: r[AT.operator] as string,
    operatorSetId: Number(r[AT.operatorSetId]),
    strategies: r[AT.strategies] as string,
    wadsToSlash: r[AT.wadsToSlash] as string,
    description: r[AT.description] as string,
    requestBlockOrTimestamp: Number(r[AT.requestBlockOrTimestamp]),
    queuedAtBlock: Number(r[AT.queuedAtBlock]),
    queuedBlockHash: r[AT.queuedBlockHash] as string,
    queuedTxHash: r[AT.queuedTxHash] as string,
    queuedLogIndex: Number(r[AT.queuedLogIndex]),
    onchainStatus: r[AT.onchainStatus] as string,
    cancelledBlock: intOrNull(r[AT.cancelledBlock]),
    cancelledTxHash: (r[AT.cancelledTxHash] as string | null) ?? null,
    fulfilledBlock: intOrNull(r[AT.fulfilledBlock]),
    fulfilledTxHash: (r[AT.fulfilledTxHash] as string | null) ?? null,
    overwrote: Number(r[AT.overwrote]),
    updatedAt: at instanceof Date ? at : new Date(at as string),
  };
}

/** Replaces a stored projection: parameters are a row's REQUEST_COLUMNS values, updatedAt, slasher, requestId. */
function updateRequestSql(kind: DbKind): string {
  const p = (n: number) => (kind === 'postgresql' ? `$${n}` : '?');
  const n = REQUEST_COLUMNS.length;
  const set = [...REQUEST_COLUMNS, 'updatedAt'].map((c, k) => `"${c}" = ${p(k + 1)}`).join(', ');
  return `UPDATE "SlashingRequest" SET ${set} WHERE "slasher" = ${p(n + 2)} AND "requestId" = ${p(n + 3)}`;
}

function rowOf(projected: ProjectedRequest, variant: string) {
  return {
    variant,
    operator: projected.operator,
    operatorSetId: projected.operatorSetId,
    strategies: JSON.stringify(projected.strategies),
    wadsToSlash: JSON.stringify(projected.wadsToSlash),
    description: storableText(projected.description),
    requestBlockOrTimestamp: projected.requestBlockOrTimestamp,
    queuedAtBlock: projected.queuedAtBlock,
    queuedBlockHash: projected.queuedBlockHash,
    queuedTxHash: projected.queuedTxHash,
    queuedLogIndex: projected.queuedLogIndex,
    onchainStatus: projected.onchainStatus,
    cancelledBlock: projected.cancelled?.block ?? null,
    cancelledTxHash: projected.cancelled?.txHash ?? null,
    fulfilledBlock: projected.fulfilled?.block ?? null,
    fulfilledTxHash: projected.fulfilled?.txHash ?? null,
    overwrote: projected.overwrote,
  };
}

/**
 * `access`: the database's raw-SQL paths (Database.transaction and .queryRows), which the store's
 * writes and its large reads take; `db` serves the rest (Prisma's model API).
 */
export function createIngestStore(db: Db, slasher: string, kind: DbKind, access: Pick<Database, 'transaction' | 'queryRows'>) {
  const inTransaction = access.transaction;
  const queryRows = access.queryRows;
  /** `$n` (PostgreSQL) or `?` (SQLite) */
  const p = (n: number) => (kind === 'postgresql' ? `$${n}` : '?');
  /** PostgreSQL: statistics refreshed once before the first strategies update of this process */
  let analyzed = false;
  /**
   * Rebuilds the projection of the given ids from all their facts: one read of the facts and one
   * of the existing rows per chunk, new rows inserted in bulk (the backfill case), the rest
   * updated or deleted one by one.
   */
  async function reproject(sql: TxSql, requestIds: Iterable<string>, variant: string, batch: NewFact[] = []): Promise<void> {
    const ids = [...new Set(requestIds)];
    // facts of this batch are not stored yet: the reads below return only earlier facts, which
    // is nothing at all for the ids a backfill sees for the first time
    const batchById = new Map<string, RequestFact[]>();
    for (const f of batch) {
      const key = f.requestId.toString();
      const list = batchById.get(key) ?? [];
      list.push(f.fact);
      batchById.set(key, list);
    }
    // ids nothing is stored about yet (a backfill's new requests) are projected from the batch
    // alone: one indexed lookup per SEEN_CHUNK ids instead of two reads per PROJECTION_CHUNK
    const seen = batch.length > 0 ? await storedIds(sql, ids) : new Set(ids);
    const now = columnTime(kind, new Date());
    const fresh: unknown[][] = [];
    for (const requestId of ids) {
      if (seen.has(requestId)) continue;
      const projected = projectRequest(batchById.get(requestId) ?? []);
      if (projected) fresh.push(requestValues(rowOf(projected, variant), requestId, now));
    }
    await insertRows(sql, 'SlashingRequest', INSERT_COLUMNS, fresh);
    const known = ids.filter((id) => seen.has(id));
    for (let i = 0; i < known.length; i += PROJECTION_CHUNK) {
      const chunk = known.slice(i, i + PROJECTION_CHUNK);
      const marks = placeholders(kind, chunk.length, 2);
      const events = await sql.all<{ requestId: string; kind: string; blockNumber: number; logIndex: number; blockHash: string; txHash: string; data: string }>(
        `SELECT "requestId", "kind", "blockNumber", "logIndex", "blockHash", "txHash", "data" FROM "RequestEvent" WHERE "slasher" = ${p(1)} AND "requestId" IN (${marks})`,
        slasher,
        ...chunk,
      );
      const existing = await sql.all<{ requestId: string }>(`SELECT "requestId" FROM "SlashingRequest" WHERE "slasher" = ${p(1)} AND "requestId" IN (${marks})`, slasher, ...chunk);
      const byId = new Map<string, RequestFact[]>();
      for (const r of events) {
        const fact: RequestFact =
          r.kind === 'queued'
            ? { kind: 'queued', blockNumber: Number(r.blockNumber), logIndex: Number(r.logIndex), blockHash: r.blockHash, txHash: r.txHash, data: JSON.parse(r.data) as QueuedData }
            : { kind: r.kind as 'cancelled' | 'fulfilled', blockNumber: Number(r.blockNumber), logIndex: Number(r.logIndex), blockHash: r.blockHash, txHash: r.txHash };
        const list = byId.get(r.requestId) ?? [];
        list.push(fact);
        byId.set(r.requestId, list);
      }
      for (const id of chunk) {
        const facts = batchById.get(id);
        if (facts) byId.set(id, [...(byId.get(id) ?? []), ...facts]);
      }
      const exists = new Set(existing.map((e) => e.requestId));
      const inserts: unknown[][] = [];
      for (const requestId of chunk) {
        const projected = projectRequest(byId.get(requestId) ?? []);
        if (!projected) {
          if (exists.has(requestId)) await sql.run(`DELETE FROM "SlashingRequest" WHERE "slasher" = ${p(1)} AND "requestId" = ${p(2)}`, slasher, requestId);
          continue;
        }
        const row = rowOf(projected, variant);
        if (exists.has(requestId)) await sql.run(updateRequestSql(kind), ...REQUEST_COLUMNS.map((c) => row[c]), now, slasher, requestId);
        else inserts.push(requestValues(row, requestId, now));
      }
      await insertRows(sql, 'SlashingRequest', INSERT_COLUMNS, inserts);
    }
  }

  /** A projection row's values in INSERT_COLUMNS order. */
  function requestValues(row: ReturnType<typeof rowOf>, requestId: string, now: string): unknown[] {
    const values: unknown[] = REQUEST_COLUMNS.map((c) => row[c]);
    values.push(slasher, requestId, now);
    return values;
  }

  /** The ids among `ids` with a stored fact or projection. */
  async function storedIds(sql: TxSql, ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const list = kind === 'postgresql' ? 'SELECT json_array_elements_text($2::json)' : 'SELECT value FROM json_each(?)';
    const first = kind === 'postgresql' ? '$1' : '?';
    for (let i = 0; i < ids.length; i += SEEN_CHUNK) {
      const json = JSON.stringify(ids.slice(i, i + SEEN_CHUNK));
      const rows = await sql.all<{ requestId: string }>(
        kind === 'postgresql'
          ? `SELECT DISTINCT "requestId" FROM "RequestEvent" WHERE "slasher" = $1 AND "requestId" IN (${list})
             UNION SELECT "requestId" FROM "SlashingRequest" WHERE "slasher" = $1 AND "requestId" IN (${list})`
          : `SELECT DISTINCT "requestId" FROM "RequestEvent" WHERE "slasher" = ${first} AND "requestId" IN (${list})
             UNION SELECT "requestId" FROM "SlashingRequest" WHERE "slasher" = ${first} AND "requestId" IN (${list})`,
        ...(kind === 'postgresql' ? [slasher, json] : [slasher, json, slasher, json]),
      );
      for (const r of rows) out.add(r.requestId);
    }
    return out;
  }

  /** Headers in one multi-row upsert per 1,000 (a catch-up stores REORG_DEPTH at once); a header seen again replaces the stored one. */
  async function writeBlocks(sql: TxSql, blocks: BlockRow[]): Promise<void> {
    const unique = [...new Map(blocks.map((b) => [b.number, b])).values()];
    for (let i = 0; i < unique.length; i += 1_000) {
      const chunk = unique.slice(i, i + 1_000);
      let n = 0;
      const p = () => (kind === 'postgresql' ? `$${++n}` : '?');
      const tuples = chunk.map(() => `(${p()}, ${p()}, ${p()}, ${p()}, ${p()})`);
      await sql.run(
        `INSERT INTO "Block" ("slasher", "number", "hash", "parentHash", "timestamp") VALUES ${tuples.join(', ')}
         ON CONFLICT ("slasher", "number") DO UPDATE SET "hash" = excluded."hash", "parentHash" = excluded."parentHash", "timestamp" = excluded."timestamp"`,
        ...chunk.flatMap((b) => [slasher, b.number, b.hash, b.parentHash, b.timestamp]),
      );
    }
  }

  async function writeBlockTimes(sql: TxSql, blocks: BlockRef[]): Promise<void> {
    const unique = [...new Map(blocks.map((b) => [b.number, b])).values()];
    for (let i = 0; i < unique.length; i += 1_000) {
      const chunk = unique.slice(i, i + 1_000);
      let n = 0;
      const q = () => (kind === 'postgresql' ? `$${++n}` : '?');
      const tuples = chunk.map(() => `(${q()}, ${q()}, ${q()})`);
      await sql.run(
        `INSERT INTO "BlockTime" ("slasher", "number", "timestamp") VALUES ${tuples.join(', ')}
         ON CONFLICT ("slasher", "number") DO UPDATE SET "timestamp" = excluded."timestamp"`,
        ...chunk.flatMap((b) => [slasher, b.number, b.timestamp]),
      );
    }
  }

  /** One multi-row upsert (INSERT … ON CONFLICT DO UPDATE) per 500 sets: a backfill reads hundreds at once. */
  async function writeOperatorStates(sql: TxSql, states: OperatorSetStateRow[]): Promise<void> {
    const now = columnTime(kind, new Date());
    const columns = ['slasher', 'operator', 'operatorSetId', 'registered', 'deregisterBlock', 'allocations', 'readAtBlock', 'updatedAt'];
    // one row per set (a set twice in one statement is an error on PostgreSQL): the last wins
    const unique = [...new Map(states.map((s) => [`${s.operator.toLowerCase()}:${s.operatorSetId}`, s])).values()];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      let n = 0;
      const p = () => (kind === 'postgresql' ? `$${++n}` : '?');
      const tuples = chunk.map(() => `(${columns.map(() => p()).join(', ')})`);
      const values = chunk.flatMap((s) => [slasher, s.operator, s.operatorSetId, kind === 'sqlite' ? (s.registered ? 1 : 0) : s.registered, s.deregisterBlock, serializeAllocations(s.allocations), s.readAtBlock, now]);
      const updated = columns.slice(3).map((c) => `"${c}" = excluded."${c}"`).join(', ');
      await sql.run(
        `INSERT INTO "OperatorSetState" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT ("slasher", "operator", "operatorSetId") DO UPDATE SET ${updated}`,
        ...values,
      );
    }
  }

  return {
    slasher,

    getCursor(): Promise<CursorRow | null> {
      return db.ingestCursor.findUnique({ where: { slasher } });
    },

    async saveCursor(c: Omit<CursorRow, 'slasher'>): Promise<void> {
      await db.ingestCursor.upsert({ where: { slasher }, create: { slasher, ...c }, update: c });
    },

    /**
     * Applies one batch atomically: facts, headers, projections, slashability, checkpoint. Its
     * statements are raw SQL (on SQLite straight through the connection holding the transaction,
     * see bulk.ts txSql): a backfill commits thousands of rows per batch, and Prisma's per-query
     * work was a good part of it.
     */
    async applyBatch(b: BatchInput): Promise<void> {
      await inTransaction(async (sql) => {
        // FOR UPDATE (PostgreSQL): a second desk's batch waits here for this one, then sees the
        // checkpoint it moved (SQLite's single writer serialises batches by itself)
        const [cursor] = await sql.all<{ indexedBlock: number; variant: string | null }>(
          `SELECT "indexedBlock", "variant" FROM "IngestCursor" WHERE "slasher" = ${p(1)}${kind === 'postgresql' ? ' FOR UPDATE' : ''}`,
          slasher,
        );
        if (!cursor) throw new DeskError('DATABASE_ERROR', `no ingest checkpoint is stored for ${slasher}`);
        if (b.expectIndexedBlock !== undefined && Number(cursor.indexedBlock) !== b.expectIndexedBlock) {
          throw new DeskError('INGEST_CONFLICT', `the checkpoint is at block ${cursor.indexedBlock}, not ${b.expectIndexedBlock}: another desk on this database indexed meanwhile`, { retryable: true });
        }
        const variant = b.variant ?? cursor.variant ?? 'unknown';
        if (b.facts.length > 0) {
          await reproject(sql, b.facts.map((f) => f.requestId.toString()), variant, b.facts);
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
        await writeBlocks(sql, b.blocks);
        if (b.operatorStates) await writeOperatorStates(sql, b.operatorStates);
        if (b.blockTimes?.length) await writeBlockTimes(sql, b.blockTimes);
        if (b.pruneBlocksBelow !== undefined) {
          // only the headers leaving now are looked at: every older one left (or stayed) before
          await sql.run(
            `INSERT INTO "BlockTime" ("slasher", "number", "timestamp")
             SELECT b."slasher", b."number", b."timestamp" FROM "Block" b
             WHERE b."slasher" = ${p(1)} AND b."number" < ${p(2)} AND (
               EXISTS (SELECT 1 FROM "RequestEvent" e WHERE e."slasher" = b."slasher" AND e."blockNumber" = b."number")
               OR EXISTS (
                 SELECT 1 FROM "SlashingRequest" r JOIN "IngestCursor" c ON c."slasher" = r."slasher"
                 WHERE r."slasher" = b."slasher" AND c."windowKind" = 'blocks' AND r."requestBlockOrTimestamp" + c."windowLength" = b."number"))
             ON CONFLICT ("slasher", "number") DO UPDATE SET "timestamp" = excluded."timestamp"`,
            slasher,
            b.pruneBlocksBelow,
          );
          await sql.run(`DELETE FROM "Block" WHERE "slasher" = ${p(1)} AND "number" < ${p(2)}`, slasher, b.pruneBlocksBelow);
        }
        // the variant is kept when the batch does not settle it
        await sql.run(
          `UPDATE "IngestCursor" SET "indexedBlock" = ${p(1)}, "indexedHash" = ${p(2)}, "variant" = COALESCE(${p(3)}, "variant"), "updatedAt" = ${p(4)} WHERE "slasher" = ${p(5)}`,
          b.indexedBlock,
          b.indexedHash,
          b.variant ?? null,
          columnTime(kind, new Date()),
          slasher,
        );
      });
    },

    /** Reverts everything above the common ancestor of a reorg, in one transaction. Returns the request ids touched. */
    async revertTo(ancestor: BlockRow): Promise<string[]> {
      return inTransaction(async (sql) => {
        const [cursor] = await sql.all<{ variant: string | null }>(`SELECT "variant" FROM "IngestCursor" WHERE "slasher" = ${p(1)}${kind === 'postgresql' ? ' FOR UPDATE' : ''}`, slasher);
        if (!cursor) throw new DeskError('DATABASE_ERROR', `no ingest checkpoint is stored for ${slasher}`);
        const gone = await sql.all<{ requestId: string }>(`SELECT DISTINCT "requestId" FROM "RequestEvent" WHERE "slasher" = ${p(1)} AND "blockNumber" > ${p(2)} ORDER BY "requestId"`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "RequestEvent" WHERE "slasher" = ${p(1)} AND "blockNumber" > ${p(2)}`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "Block" WHERE "slasher" = ${p(1)} AND "number" > ${p(2)}`, slasher, ancestor.number);
        await sql.run(`DELETE FROM "BlockTime" WHERE "slasher" = ${p(1)} AND "number" > ${p(2)}`, slasher, ancestor.number);
        // slashability read on the abandoned branch: re-read from scratch (refreshAll follows)
        await sql.run(`DELETE FROM "OperatorSetState" WHERE "slasher" = ${p(1)} AND "readAtBlock" > ${p(2)}`, slasher, ancestor.number);
        const ids = gone.map((g) => g.requestId);
        await reproject(sql, ids, cursor.variant ?? 'unknown');
        await sql.run(
          `UPDATE "IngestCursor" SET "indexedBlock" = ${p(1)}, "indexedHash" = ${p(2)}, "updatedAt" = ${p(3)} WHERE "slasher" = ${p(4)}`,
          ancestor.number,
          ancestor.hash,
          columnTime(kind, new Date()),
          slasher,
        );
        return ids;
      });
    },

    async saveOperatorStates(states: OperatorSetStateRow[]): Promise<void> {
      if (states.length === 0) return;
      await inTransaction((sql) => writeOperatorStates(sql, states));
    },

    async getBlock(number: number): Promise<BlockRow | null> {
      return db.block.findUnique({ where: { slasher_number: { slasher, number } }, select: { number: true, hash: true, parentHash: true, timestamp: true } });
    },

    async oldestBlock(): Promise<number | null> {
      const r = await db.block.findFirst({ where: { slasher }, orderBy: { number: 'asc' }, select: { number: true } });
      return r?.number ?? null;
    },

    /** Hashes of the stored headers at or above `from` (the canonical chain as last indexed). */
    async blockHashes(from: number): Promise<Map<number, string>> {
      const rows = await db.block.findMany({ where: { slasher, number: { gte: from } }, select: { number: true, hash: true } });
      return new Map(rows.map((r) => [r.number, r.hash]));
    },

    /**
     * The timestamps the desk has of these blocks: headers of the reorg window and the older
     * blocks kept in BlockTime. Blocks it has no timestamp of are left out.
     */
    async blockTimes(numbers: readonly number[]): Promise<BlockRef[]> {
      const wanted = [...new Set(numbers)].filter((n) => Number.isSafeInteger(n) && n >= 0);
      if (wanted.length === 0) return [];
      const [kept, headers] = await Promise.all([
        db.blockTime.findMany({ where: { slasher, number: { in: wanted } }, select: { number: true, timestamp: true } }),
        db.block.findMany({ where: { slasher, number: { in: wanted } }, select: { number: true, timestamp: true } }),
      ]);
      // a header (the reorg window) is the newer fact where both exist
      return [...new Map([...kept, ...headers].map((b) => [b.number, b])).values()].sort((a, b) => a.number - b.number);
    },

    /** Every kept timestamp (BlockTime), for a listing: one raw read, one row per event or window-end block. */
    async keptBlockTimes(): Promise<BlockRef[]> {
      const rows = await queryRows(`SELECT "number", "timestamp" FROM "BlockTime" WHERE "slasher" = ${p(1)}`, slasher);
      return rows.map((r) => ({ number: Number(r[0]), timestamp: Number(r[1]) }));
    },

    async recentBlocks(limit: number): Promise<BlockRef[]> {
      const rows = await db.block.findMany({ where: { slasher }, orderBy: { number: 'desc' }, take: limit, select: { number: true, timestamp: true } });
      return rows.reverse();
    },

    /** Requests still Requested on chain: the ones whose deadlines and slashability matter. */
    async openRequests() {
      return db.slashingRequest.findMany({
        where: { slasher, onchainStatus: 'requested' },
        select: { requestId: true, operator: true, operatorSetId: true, strategies: true, queuedAtBlock: true },
      });
    },

    /**
     * The operator sets of open requests: the oldest queueing block and every distinct strategies
     * list (JSON texts) per set, grouped in the database (a backfill leaves thousands of requests).
     */
    async openOperatorSets(): Promise<{ operator: string; operatorSetId: number; historyFrom: number; strategies: string[] }[]> {
      const agg = kind === 'postgresql' ? 'json_agg(DISTINCT "strategies")::text' : 'json_group_array(DISTINCT "strategies")';
      const rows = await db.$queryRawUnsafe<{ operator: string; operatorSetId: number | bigint; historyFrom: number | bigint; strategies: string }[]>(
        `SELECT "operator", "operatorSetId", MIN("queuedAtBlock") AS "historyFrom", ${agg} AS "strategies"
           FROM "SlashingRequest" WHERE "slasher" = ${kind === 'postgresql' ? '$1' : '?'} AND "onchainStatus" = 'requested'
          GROUP BY "operator", "operatorSetId"`,
        slasher,
      );
      return rows.map((r) => ({ operator: r.operator, operatorSetId: Number(r.operatorSetId), historyFrom: Number(r.historyFrom), strategies: JSON.parse(r.strategies) as string[] }));
    },

    /** Requests stored with their strategies still to read (`strategies` = JSON null), newest first. */
    async pendingStrategies(limit: number) {
      const rows = await db.slashingRequest.findMany({
        where: { slasher, strategies: 'null' },
        select: { requestId: true, operator: true, operatorSetId: true, queuedAtBlock: true, queuedBlockHash: true, queuedLogIndex: true, queuedTxHash: true },
        orderBy: [{ queuedAtBlock: 'desc' }, { queuedLogIndex: 'desc' }],
        take: limit,
      });
      return rows;
    },

    /**
     * Completes requests with the strategies read for them: the stored fact (so a reorg's
     * re-projection keeps them) and the projection, each only while it is still the same
     * request (block hash + log index) and still unread. One transaction, two statements.
     */
    async setStrategies(items: { requestId: string; blockNumber: number; blockHash: string; logIndex: number; strategies: string[] }[]): Promise<number> {
      if (items.length === 0) return 0;
      const json = JSON.stringify(items.map((x) => ({ id: x.requestId, b: x.blockNumber, h: x.blockHash, i: x.logIndex, s: JSON.stringify(x.strategies) })));
      return inTransaction(async (sql) => {
        if (kind === 'postgresql') {
          if (!analyzed) {
            // a backfill has just filled these tables: without statistics the planner walks
            // every request of the slasher for each item of the update below
            await sql.run('ANALYZE "SlashingRequest", "RequestEvent"');
            analyzed = true;
          }
          // per item, an index lookup (LATERAL), then the rows by physical id: without
          // statistics (fresh tables) the planner would otherwise scan the table per item
          await sql.run(
            `WITH x AS MATERIALIZED (
               SELECT e.ctid AS rid, u.s FROM json_to_recordset($1::json) AS u(id text, b int, h text, i int, s text)
               CROSS JOIN LATERAL (SELECT ctid FROM "RequestEvent"
                 WHERE "slasher" = $2 AND "blockNumber" = u.b AND "logIndex" = u.i AND "kind" = 'queued' AND "blockHash" = u.h) AS e)
             UPDATE "RequestEvent" SET "data" = jsonb_set("data"::jsonb, '{strategies}', x.s::jsonb)::text FROM x WHERE "RequestEvent".ctid = x.rid`,
            json,
            slasher,
          );
          return sql.run(
            `WITH x AS MATERIALIZED (
               SELECT r.ctid AS rid, u.s FROM json_to_recordset($1::json) AS u(id text, b int, h text, i int, s text)
               CROSS JOIN LATERAL (SELECT ctid FROM "SlashingRequest"
                 WHERE "slasher" = $2 AND "requestId" = u.id AND "queuedBlockHash" = u.h AND "queuedLogIndex" = u.i AND "strategies" = 'null') AS r)
             UPDATE "SlashingRequest" SET "strategies" = x.s, "updatedAt" = now() FROM x WHERE "SlashingRequest".ctid = x.rid`,
            json,
            slasher,
          );
        }
        const items = `SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.b') AS b, json_extract(value, '$.h') AS h, json_extract(value, '$.i') AS i, json_extract(value, '$.s') AS s FROM json_each(?)`;
        // the items drive the join through the unique indexes (materialized first): SQLite's own
        // plan for UPDATE … FROM scans the table once per item (seconds for a few thousand)
        await sql.run(
          `WITH x AS MATERIALIZED (
             SELECT e."id" AS rid, u.s AS s FROM (${items}) AS u CROSS JOIN "RequestEvent" AS e
              WHERE e."slasher" = ? AND e."blockNumber" = u.b AND e."logIndex" = u.i AND e."kind" = 'queued' AND e."blockHash" = u.h)
           UPDATE "RequestEvent" SET "data" = json_set("data", '$.strategies', json(x.s)) FROM x WHERE "RequestEvent"."id" = x.rid`,
          json,
          slasher,
        );
        return sql.run(
          `WITH x AS MATERIALIZED (
             SELECT r.rowid AS rid, u.s AS s FROM (${items}) AS u CROSS JOIN "SlashingRequest" AS r
              WHERE r."slasher" = ? AND r."requestId" = u.id AND r."queuedBlockHash" = u.h AND r."queuedLogIndex" = u.i AND r."strategies" = 'null')
           UPDATE "SlashingRequest" SET "strategies" = x.s, "updatedAt" = ? FROM x WHERE "SlashingRequest".rowid = x.rid`,
          json,
          slasher,
          columnTime('sqlite', new Date()),
        );
      });
    },

    /**
     * Every request of the slasher, in queueing order: one raw read mapped here (the read model's
     * snapshot of thousands of requests; Prisma's row mapping had cost more than the read).
     */
    async allRequests(): Promise<SlashingRequestRow[]> {
      // PostgreSQL: the UTC timestamp as ISO text (pg would read TIMESTAMP without time zone as local time)
      const updatedAt = kind === 'postgresql' ? `to_char("updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"` : '"updatedAt"';
      const rows = await queryRows(
        `SELECT ${ROW_COLUMNS.map((c) => (c === 'updatedAt' ? updatedAt : `"${c}"`)).join(', ')}
           FROM "SlashingRequest" WHERE "slasher" = ${p(1)} ORDER BY "queuedAtBlock", "queuedLogIndex"`,
        slasher,
      );
      return rows.map(requestRowOf);
    },

    async request(requestId: bigint) {
      return db.slashingRequest.findUnique({ where: { slasher_requestId: { slasher, requestId: requestId.toString() } } });
    },

    async operatorStates() {
      const rows = await db.operatorSetState.findMany({ where: { slasher } });
      return rows.map((r) => ({ ...r, allocations: parseAllocations(r.allocations) }));
    },
  };
}

export type IngestStore = ReturnType<typeof createIngestStore>;
