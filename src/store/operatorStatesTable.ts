/** OperatorSetState: each operator set's slashability as last read. */
import type { DbKind, Db } from './database';
import { columnTime, type TxSql } from './bulk';
import { dialect } from './dialect';
import type { AllocationFact } from '../domain/types';
import type { OperatorSetStateRow } from '../domain/ingestFacts';

export function serializeAllocations(a: AllocationFact[]): string {
  return JSON.stringify(a.map((x) => ({ ...x, currentMagnitude: x.currentMagnitude.toString(), pendingDiff: x.pendingDiff.toString() })));
}

export function parseAllocations(json: string): AllocationFact[] {
  const raw = JSON.parse(json) as { strategy: `0x${string}`; currentMagnitude: string; pendingDiff: string; effectBlock: number }[];
  return raw.map((x) => ({ ...x, currentMagnitude: BigInt(x.currentMagnitude), pendingDiff: BigInt(x.pendingDiff) }));
}

export function createOperatorStatesTable(db: Db, slasher: string, kind: DbKind, inTransaction: <T>(fn: (sql: TxSql) => Promise<T>) => Promise<T>) {
  const d = dialect(kind);
  /** One multi-row upsert (INSERT … ON CONFLICT DO UPDATE) per 500 sets: a backfill reads hundreds at once. */
  async function write(sql: TxSql, states: OperatorSetStateRow[]): Promise<void> {
    const now = columnTime(kind, new Date());
    const columns = ['slasher', 'operator', 'operatorSetId', 'registered', 'deregisterBlock', 'allocations', 'readAtBlock', 'updatedAt'];
    // one row per set (a set twice in one statement is an error on PostgreSQL): the last wins
    const unique = [...new Map(states.map((s) => [`${s.operator.toLowerCase()}:${s.operatorSetId}`, s])).values()];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const p = d.counter();
      const tuples = chunk.map(() => `(${columns.map(() => p()).join(', ')})`);
      const values = chunk.flatMap((s) => [slasher, s.operator, s.operatorSetId, d.bool(s.registered), s.deregisterBlock, serializeAllocations(s.allocations), s.readAtBlock, now]);
      const updated = columns.slice(3).map((c) => `"${c}" = excluded."${c}"`).join(', ');
      await sql.run(
        `INSERT INTO "OperatorSetState" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT ("slasher", "operator", "operatorSetId") DO UPDATE SET ${updated}`,
        ...values,
      );
    }
  }

  return {
    write,
    async saveOperatorStates(states: OperatorSetStateRow[]): Promise<void> {
      if (states.length === 0) return;
      await inTransaction((sql) => write(sql, states));
    },

    async operatorStates() {
      const rows = await db.operatorSetState.findMany({ where: { slasher } });
      return rows.map((r) => ({ ...r, allocations: parseAllocations(r.allocations) }));
    },
  };
}
