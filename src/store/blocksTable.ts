/** Block (the reorg window's headers) and BlockTime (older blocks whose times the desk shows). */
import type { DbKind, Db, Database } from './database';
import type { TxSql } from './bulk';
import { dialect } from './dialect';
import type { BlockRef } from '../domain/types';
import { inList } from './modelRows';
import type { BlockRow } from '../domain/ingestFacts';

export function createBlocksTable(db: Db, slasher: string, kind: DbKind, queryRows: Database['queryRows']) {
  const d = dialect(kind);
  const p = d.p;
  /** Headers in one multi-row upsert per 1,000 (a catch-up stores REORG_DEPTH at once); a header seen again replaces the stored one. */
  async function write(sql: TxSql, blocks: BlockRow[]): Promise<void> {
    const unique = [...new Map(blocks.map((b) => [b.number, b])).values()];
    for (let i = 0; i < unique.length; i += 1_000) {
      const chunk = unique.slice(i, i + 1_000);
      const p = d.counter();
      const tuples = chunk.map(() => `(${p()}, ${p()}, ${p()}, ${p()}, ${p()})`);
      await sql.run(
        `INSERT INTO "Block" ("slasher", "number", "hash", "parentHash", "timestamp") VALUES ${tuples.join(', ')}
         ON CONFLICT ("slasher", "number") DO UPDATE SET "hash" = excluded."hash", "parentHash" = excluded."parentHash", "timestamp" = excluded."timestamp"`,
        ...chunk.flatMap((b) => [slasher, b.number, b.hash, b.parentHash, b.timestamp]),
      );
    }
  }

  async function writeTimes(sql: TxSql, blocks: BlockRef[]): Promise<void> {
    const unique = [...new Map(blocks.map((b) => [b.number, b])).values()];
    for (let i = 0; i < unique.length; i += 1_000) {
      const chunk = unique.slice(i, i + 1_000);
      const q = d.counter();
      const tuples = chunk.map(() => `(${q()}, ${q()}, ${q()})`);
      await sql.run(
        `INSERT INTO "BlockTime" ("slasher", "number", "timestamp") VALUES ${tuples.join(', ')}
         ON CONFLICT ("slasher", "number") DO UPDATE SET "timestamp" = excluded."timestamp"`,
        ...chunk.flatMap((b) => [slasher, b.number, b.timestamp]),
      );
    }
  }


  /**
   * Headers below `below` are no longer needed to revert a reorg: the times of those the desk
   * shows (event blocks, block windows' ends) move to BlockTime, the headers go.
   * @returns how many timestamps moved to BlockTime (most blocks leaving the reorg window have none to keep)
   */
  async function prune(sql: TxSql, below: number): Promise<number> {
    // only the headers leaving now are looked at: every older one left (or stayed) before. A
    // block window's end is looked up by the index on requestBlockOrTimestamp with the window's
    // length a scalar (compared as a sum of two columns it read every request per header: 33 ms
    // for 10 headers at 10k requests on PostgreSQL, 0.6 ms so)
    const kept = await sql.run(
      `INSERT INTO "BlockTime" ("slasher", "number", "timestamp")
       SELECT b."slasher", b."number", b."timestamp" FROM "Block" b
       WHERE b."slasher" = ${p(1)} AND b."number" < ${p(2)} AND (
         EXISTS (SELECT 1 FROM "RequestEvent" e WHERE e."slasher" = b."slasher" AND e."blockNumber" = b."number")
         OR EXISTS (
           SELECT 1 FROM "SlashingRequest" r
           WHERE r."slasher" = b."slasher"
             AND r."requestBlockOrTimestamp" = b."number" - (SELECT c."windowLength" FROM "IngestCursor" c WHERE c."slasher" = b."slasher" AND c."windowKind" = 'blocks')))
       ON CONFLICT ("slasher", "number") DO UPDATE SET "timestamp" = excluded."timestamp"`,
      slasher,
      below,
    );
    await sql.run(`DELETE FROM "Block" WHERE "slasher" = ${p(1)} AND "number" < ${p(2)}`, slasher, below);
    return kept;
  }

  return {
    write,
    writeTimes,
    prune,
    // the reads of every ingest pass and of every view, in raw SQL (see modelRows.ts)
    async getBlock(number: number): Promise<BlockRow | null> {
      const [r] = await queryRows(`SELECT "number", "hash", "parentHash", "timestamp" FROM "Block" WHERE "slasher" = ${p(1)} AND "number" = ${p(2)}`, slasher, number);
      return r ? { number: Number(r[0]), hash: r[1] as string, parentHash: r[2] as string, timestamp: Number(r[3]) } : null;
    },

    async oldestBlock(): Promise<number | null> {
      const r = await db.block.findFirst({ where: { slasher }, orderBy: { number: 'asc' }, select: { number: true } });
      return r?.number ?? null;
    },

    /** Hashes of the stored headers at or above `from` (the canonical chain as last indexed). */
    async blockHashes(from: number): Promise<Map<number, string>> {
      const rows = await queryRows(`SELECT "number", "hash" FROM "Block" WHERE "slasher" = ${p(1)} AND "number" >= ${p(2)}`, slasher, from);
      return new Map(rows.map((r) => [Number(r[0]), r[1] as string]));
    },

    /**
     * The timestamps the desk has of these blocks: headers of the reorg window and the older
     * blocks kept in BlockTime. Blocks it has no timestamp of are left out.
     */
    async blockTimes(numbers: readonly number[]): Promise<BlockRef[]> {
      const wanted = [...new Set(numbers)].filter((n) => Number.isSafeInteger(n) && n >= 0);
      if (wanted.length === 0) return [];
      const read = async (table: string) =>
        (await queryRows(`SELECT "number", "timestamp" FROM "${table}" WHERE "slasher" = ${p(1)} AND ${inList(kind, 'number', 2, 'int')}`, slasher, JSON.stringify(wanted))).map((r) => ({ number: Number(r[0]), timestamp: Number(r[1]) }));
      const [kept, headers] = await Promise.all([read('BlockTime'), read('Block')]);
      // a header (the reorg window) is the newer fact where both exist
      return [...new Map([...kept, ...headers].map((b) => [b.number, b])).values()].sort((a, b) => a.number - b.number);
    },

    /**
     * The timestamps kept below the reorg window (BlockTime, one row per event or window-end
     * block): with `headerTimes`, every timestamp the desk has, for the views.
     */
    async keptBlockTimes(): Promise<BlockRef[]> {
      const kept = await queryRows(`SELECT "number", "timestamp" FROM "BlockTime" WHERE "slasher" = ${p(1)}`, slasher);
      return kept.map((r) => ({ number: Number(r[0]), timestamp: Number(r[1]) }));
    },

    /** The timestamps of the headers of the reorg window (newer than a kept one of the same block). */
    async headerTimes(): Promise<BlockRef[]> {
      const headers = await queryRows(`SELECT "number", "timestamp" FROM "Block" WHERE "slasher" = ${p(1)} ORDER BY "number"`, slasher);
      return headers.map((r) => ({ number: Number(r[0]), timestamp: Number(r[1]) }));
    },

    async recentBlocks(limit: number): Promise<BlockRef[]> {
      // raw SQL: read for every page of requests (see modelRows.ts)
      const rows = await queryRows(`SELECT "number", "timestamp" FROM "Block" WHERE "slasher" = ${p(1)} ORDER BY "number" DESC LIMIT ${p(2)}`, slasher, Math.max(0, Math.floor(limit) || 0));
      return rows.map((r) => ({ number: Number(r[0]), timestamp: Number(r[1]) })).reverse();
    },

  };
}
