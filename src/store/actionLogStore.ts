/**
 * The action history of requests (ActionLog): what the desk decided and did, and what the chain
 * did to it (sent, landed, reorged out, landed again). Each entry is written once per dedup key,
 * however many passes or desks report it.
 */
import type { Database, Db } from './database';
import { modelRows } from './modelRows';

export interface ActionLogEntry {
  dedupKey: string;
  requestId: string;
  kind: string;
  detail: string;
  txHash?: string | null;
  blockNumber?: number | null;
}

export type ActionLogRow = Awaited<ReturnType<Db['actionLog']['findFirstOrThrow']>>;

export function createActionLogStore(database: Pick<Database, 'db' | 'kind' | 'queryRows'>, slasher: string) {
  const { db } = database;
  // read for every page of requests, in raw SQL (see modelRows.ts)
  const rows = modelRows<ActionLogRow>(database, 'ActionLog');
  return {
    /** true when written now, false when it was written before */
    async append(e: ActionLogEntry): Promise<boolean> {
      try {
        await db.actionLog.create({ data: { dedupKey: e.dedupKey, slasher, requestId: e.requestId, kind: e.kind, detail: e.detail, txHash: e.txHash ?? null, blockNumber: e.blockNumber ?? null } });
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') return false;
        throw err;
      }
    },

    /** Entries of these requests (all when absent), oldest first. */
    async forRequests(requestIds?: string[]): Promise<ActionLogRow[]> {
      return rows.find({ slasher }, requestIds && { column: 'requestId', values: requestIds });
    },
  };
}

export type ActionLogStore = ReturnType<typeof createActionLogStore>;
