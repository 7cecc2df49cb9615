/**
 * SlashingRequest (each request's projection from its facts) and RequestEvent (the facts):
 * re-projection, the reads the desk runs on, and completing requests a backfill stored without
 * their strategies.
 */
import { DeskError } from '../errors';
import type { Database, Db, DbKind } from './database';
import { columnTime, insertRows, type TxSql } from './bulk';
import { dialect } from './dialect';
import { projectRequest, type ProjectedRequest, type QueuedData, type RequestFact } from '../domain/projection';
import type { NewFact } from '../domain/ingestFacts';
import { createHistoryFlags } from './historyFlags';

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

/** `historyPending` is the ingest's, not the facts': a re-projection leaves it as it is */
const ROW_COLUMNS = ['slasher', 'requestId', ...REQUEST_COLUMNS, 'historyPending', 'updatedAt'] as const;

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
    // SQLite stores a boolean as 0/1
    historyPending: Boolean(Number(r[AT.historyPending])),
    updatedAt: at instanceof Date ? at : new Date(at as string),
  };
}

/**
 * Replaces a stored projection: parameters are a row's REQUEST_COLUMNS values, updatedAt, its
 * queuedBlockHash and queuedLogIndex, slasher, requestId. Another request under the same id (V4
 * reuses ids; a reorg uncovers an older one) has its set's history still to read:
 * `historyPending` is set then (the right-hand sides read the row as it was).
 */
function updateRequestSql(kind: DbKind): string {
  const p = dialect(kind).p;
  const n = REQUEST_COLUMNS.length;
  const set = [...REQUEST_COLUMNS, 'updatedAt'].map((c, k) => `"${c}" = ${p(k + 1)}`).join(', ');
  // the new queueing event again as its own parameters (SQLite's are positional); one
  // transaction may queue two requests under one id, so the event, not the transaction
  return `UPDATE "SlashingRequest" SET ${set}, "historyPending" = ("historyPending" OR "queuedBlockHash" <> ${p(n + 2)} OR "queuedLogIndex" <> ${p(n + 3)}) WHERE "slasher" = ${p(n + 4)} AND "requestId" = ${p(n + 5)}`;
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

export function createRequestsTable(db: Db, slasher: string, kind: DbKind, access: Pick<Database, 'transaction' | 'queryRows'>) {
  const inTransaction = access.transaction;
  const queryRows = access.queryRows;
  const d = dialect(kind);
  const p = d.p;
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
      const marks = d.list(chunk.length, 2);
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
        if (exists.has(requestId)) await sql.run(updateRequestSql(kind), ...REQUEST_COLUMNS.map((c) => row[c]), now, row.queuedBlockHash, row.queuedLogIndex, slasher, requestId);
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
    const list = d.jsonTexts(2);
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

  return {
    reproject,
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
      const agg = d.jsonAggDistinct('strategies');
      const rows = await db.$queryRawUnsafe<{ operator: string; operatorSetId: number | bigint; historyFrom: number | bigint; strategies: string }[]>(
        `SELECT "operator", "operatorSetId", MIN("queuedAtBlock") AS "historyFrom", ${agg} AS "strategies"
           FROM "SlashingRequest" WHERE "slasher" = ${p(1)} AND "onchainStatus" = 'requested'
          GROUP BY "operator", "operatorSetId"`,
        slasher,
      );
      return rows.map((r) => ({ operator: r.operator, operatorSetId: Number(r.operatorSetId), historyFrom: Number(r.historyFrom), strategies: JSON.parse(r.strategies) as string[] }));
    },

    /** The requests still Requested on chain of these operator sets (a set's history says something about each). */
    async openRequestsOfSets(sets: readonly { operator: string; operatorSetId: number }[]): Promise<{ requestId: string; queuedTxHash: string; queuedAtBlock: number; requestBlockOrTimestamp: number; operator: string; operatorSetId: number; strategies: string[] | null }[]> {
      if (sets.length === 0) return [];
      const rows = await db.slashingRequest.findMany({
        where: { slasher, onchainStatus: 'requested', OR: sets.map((x) => ({ operator: x.operator, operatorSetId: x.operatorSetId })) },
        select: { requestId: true, queuedTxHash: true, queuedAtBlock: true, requestBlockOrTimestamp: true, operator: true, operatorSetId: true, strategies: true },
      });
      // strategies still to read are JSON null
      return rows.map((r) => ({ ...r, strategies: JSON.parse(r.strategies) as string[] | null }));
    },

    ...createHistoryFlags(db, slasher, kind, access),

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
             UPDATE "SlashingRequest" SET "strategies" = x.s, "historyPending" = true, "updatedAt" = (now() AT TIME ZONE 'UTC') FROM x WHERE "SlashingRequest".ctid = x.rid`,
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
           UPDATE "SlashingRequest" SET "strategies" = x.s, "historyPending" = 1, "updatedAt" = ? FROM x WHERE "SlashingRequest".rowid = x.rid`,
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
      const updatedAt = `${d.utcText('updatedAt')} AS "updatedAt"`;
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

  };
}
