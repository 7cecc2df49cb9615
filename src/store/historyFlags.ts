/**
 * `SlashingRequest.historyPending`: a request whose strategies were read after its operator set
 * was (a backfill stores them unread) waits for its set's allocation history to be read for it;
 * its slashability reads pending until then. Set with the strategies (requestsTable.ts), read and
 * cleared here.
 */
import { columnTime } from './bulk';
import type { Database, Db, DbKind } from './database';
import { dialect } from './dialect';

/** requests cleared per statement (one JSON parameter) */
const CLEAR_CHUNK = 5_000;

export function createHistoryFlags(db: Db, slasher: string, kind: DbKind, access: Pick<Database, 'transaction' | 'queryRows'>) {
  const inTransaction = access.transaction;
  const queryRows = access.queryRows;
  const d = dialect(kind);
  const p = d.p;
  return {
    /**
     * Open requests whose strategies were read after their operator set was: the set's history
     * is still to be read for them (`historyRead` once it is).
     */
    async historyPending(): Promise<{ requestId: string; queuedBlockHash: string; queuedLogIndex: number; queuedAtBlock: number; operator: string; operatorSetId: number; strategies: string[] }[]> {
      // one whose strategies are still to read waits for them (they flag it again)
      const rows = await db.slashingRequest.findMany({
        where: { slasher, onchainStatus: 'requested', historyPending: true, NOT: { strategies: 'null' } },
        select: { requestId: true, queuedBlockHash: true, queuedLogIndex: true, queuedAtBlock: true, operator: true, operatorSetId: true, strategies: true },
      });
      return rows.map((r) => ({ ...r, strategies: (JSON.parse(r.strategies) as string[] | null) ?? [] }));
    },

    /**
     * Whether any open request waits for its set's history: asked every pass, so an indexed raw
     * read (Prisma 6 compiles each model query on the main thread, milliseconds per block)
     */
    async anyHistoryPending(): Promise<boolean> {
      const rows = await queryRows(
        `SELECT 1 FROM "SlashingRequest" WHERE "slasher" = ${p(1)} AND "onchainStatus" = 'requested' AND "historyPending" = ${p(2)} AND "strategies" <> 'null' LIMIT 1`,
        slasher,
        d.bool(true),
      );
      return rows.length > 0;
    },

    /** The set's history was read for these requests (each only while it is still the same request). */
    async historyRead(items: readonly { requestId: string; queuedBlockHash: string; queuedLogIndex: number }[]): Promise<void> {
      for (let i = 0; i < items.length; i += CLEAR_CHUNK) {
        const json = JSON.stringify(items.slice(i, i + CLEAR_CHUNK).map((x) => ({ id: x.requestId, h: x.queuedBlockHash, i: x.queuedLogIndex })));
        await inTransaction((sql) =>
          kind === 'postgresql'
            ? sql.run(
                `UPDATE "SlashingRequest" AS r SET "historyPending" = false, "updatedAt" = (now() AT TIME ZONE 'UTC')
                   FROM json_to_recordset($1::json) AS u(id text, h text, i int)
                  WHERE r."slasher" = $2 AND r."requestId" = u.id AND r."queuedBlockHash" = u.h AND r."queuedLogIndex" = u.i AND r."historyPending"`,
                json,
                slasher,
              )
            : // through the primary key per item (see setStrategies on SQLite's own plan)
              sql.run(
                `UPDATE "SlashingRequest" SET "historyPending" = 0, "updatedAt" = ?
                  WHERE rowid IN (SELECT r.rowid FROM json_each(?) AS u CROSS JOIN "SlashingRequest" AS r
                                   WHERE r."slasher" = ? AND r."requestId" = json_extract(u.value, '$.id') AND r."queuedBlockHash" = json_extract(u.value, '$.h') AND r."queuedLogIndex" = json_extract(u.value, '$.i') AND r."historyPending")`,
                columnTime('sqlite', new Date()),
                json,
                slasher,
              ),
        );
      }
    },

  };
}
