/**
 * Persistence of Safe proposals (committee vetoes, governance fulfils, rejections, batches) and
 * owner signatures. Their executions are SentTx rows (sentTxStore). Plain rows out; no chain or
 * HTTP knowledge.
 */
import { txSql, type TxSql } from './bulk';
import { TRANSACTION_MAX_WAIT_MS, type Database, type Db } from './database';
import { dialect } from './dialect';
import { modelRows } from './modelRows';

/** how long a locked write may run, its waits for the rows it locks included (a signature behind a merge) */
const LOCKED_WRITE_TIMEOUT_MS = 30_000;

export type ProposalStatus = 'collecting' | 'ready' | 'executed' | 'failed' | 'abandoned';
export type SignatureSource = 'http' | 'cli' | 'tx-service';

type ProposalRow = Awaited<ReturnType<Db['vetoProposal']['findFirstOrThrow']>>;
/** what a locked write uses of Prisma's transaction client */
type LockingTx = Pick<Db, 'vetoProposal' | 'vetoSignature' | '$queryRawUnsafe' | '$executeRawUnsafe'>;
type SignatureRow = Awaited<ReturnType<Db['vetoSignature']['findFirstOrThrow']>>;

/** A proposal to store; the store adds its slasher and Safe. */
export interface NewProposal {
  requestId: string;
  requestTxHash: string;
  chainId: number;
  nonce: number;
  to: string;
  data: string;
  safeTxHash: string;
}

/**
 * The proposals of one Safe for one slasher: the committee's vetoes and governance's fulfils share
 * the tables and are told apart by `safe` (checksummed, as stored), which every proposal query
 * filters on, so the two desks never see each other's rows.
 */
export function createVetoStore(database: Pick<Database, 'db' | 'kind' | 'queryRows'>, slasher: string, safe: string) {
  const { db } = database;
  // the reads every page of requests makes, in raw SQL (see modelRows.ts)
  const proposalRows = modelRows<ProposalRow>(database, 'VetoProposal');
  const signatureRows = modelRows<SignatureRow>(database, 'VetoSignature');
  const proposals = (superseded: boolean, requestIds?: string[]) => proposalRows.find({ slasher, safe, superseded }, requestIds && { column: 'requestId', values: requestIds });
  const d = dialect(database.kind);
  /**
   * A transaction whose first statements lock the proposal rows it decides on: a signature, the
   * merge of a duplicate and the deletion of an unsigned batch each lock the rows they touch
   * (the duplicate before the one kept, always in that order), so on PostgreSQL the later one
   * waits and then sees what the earlier one committed. Read committed is asked for explicitly: a
   * later statement must see rows committed while it waited. On SQLite each takes the database's
   * write lock first (one writer at a time). The options are typed as SQLite's client's, which
   * knows one level; PostgreSQL's takes read committed.
   */
  const lockingOptions = { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: LOCKED_WRITE_TIMEOUT_MS, ...(database.kind === 'postgresql' ? { isolationLevel: 'ReadCommitted' } : {}) } as { maxWait: number; timeout: number };
  const locking = <T>(fn: (sql: TxSql, tx: LockingTx) => Promise<T>): Promise<T> => db.$transaction(async (tx: LockingTx) => fn(txSql(tx, database.kind), tx), lockingOptions);
  /** a proposal's row, or (`from` given) only while it is still live in that status */
  const asRead = (id: number, from: string | undefined) => ({ id, ...(from !== undefined ? { status: from, superseded: false } : {}) });
  /** the proposal's row, locked until the transaction ends; null when there is none */
  const lockProposal = async (sql: TxSql, id: number) => {
    // SQLite: a write first, so the transaction waits for the database's write lock now rather than
    // failing at its first write when another process committed after its read (WAL: BUSY_SNAPSHOT)
    if (database.kind === 'sqlite') await sql.run(`UPDATE "VetoProposal" SET "id" = "id" WHERE "id" = ${d.p(1)}`, id);
    const [row] = await sql.all<{ id: number; safeTxHash: string; requestTxHash: string; superseded: boolean | number }>(`SELECT "id", "safeTxHash", "requestTxHash", "superseded" FROM "VetoProposal" WHERE "id" = ${d.p(1)} AND "slasher" = ${d.p(2)} AND "safe" = ${d.p(3)}${d.forUpdate}`, id, slasher, safe);
    // a boolean on PostgreSQL, 0/1 on SQLite
    return row ? { ...row, superseded: Boolean(Number(row.superseded)) } : null;
  };
  /**
   * the live proposal a merge keeps (the oldest with this safeTxHash), locked; for the same
   * request only: on V4 a later request under the same id has the same call, and a signature
   * given for one request must never count for another
   */
  const lockLive = async (sql: TxSql, row: { safeTxHash: string; requestTxHash: string }) =>
    (await sql.all<{ id: number }>(`SELECT "id" FROM "VetoProposal" WHERE "slasher" = ${d.p(1)} AND "safe" = ${d.p(2)} AND "safeTxHash" = ${d.p(3)} AND "requestTxHash" = ${d.p(4)} AND "superseded" = ${d.p(5)} ORDER BY "id" LIMIT 1${d.forUpdate}`, slasher, safe, row.safeTxHash, row.requestTxHash, d.bool(false)))[0] ?? null;
  return {
    /** The current (not superseded) proposals of the request ids given (all when absent), oldest first. */
    async currentProposals(requestIds?: string[]): Promise<ProposalRow[]> {
      return proposals(false, requestIds);
    },

    async supersededProposals(requestIds?: string[]): Promise<ProposalRow[]> {
      return proposals(true, requestIds);
    },

    async proposal(id: number) {
      return db.vetoProposal.findFirst({ where: { id, slasher, safe } });
    },

    async createProposal(p: NewProposal) {
      return db.vetoProposal.create({ data: { ...p, slasher, safe, status: 'collecting' } });
    },

    /**
     * `from`: written only while the row is still live in that status, as the caller read it (a
     * decision made on a row another desk has moved since, an execution it saw say, must not
     * overwrite that desk's newer one: the next pass decides again). Whether it was written.
     */
    async setStatus(id: number, status: ProposalStatus, extra: { statusReason?: string | null; executionTxHash?: string | null; executionBlock?: number | null } = {}, from?: string): Promise<boolean> {
      return (await db.vetoProposal.updateMany({ where: asRead(id, from), data: { status, ...extra } })).count > 0;
    },

    /** Sets a proposal aside for good: its signatures are never executed. `from` as for setStatus. */
    async supersede(id: number, reason: string, from?: string): Promise<boolean> {
      return (await db.vetoProposal.updateMany({ where: asRead(id, from), data: { superseded: true, status: 'abandoned', statusReason: reason } })).count > 0;
    },

    async signatures(proposalIds: number[]): Promise<SignatureRow[]> {
      if (proposalIds.length === 0) return [];
      return signatureRows.find({}, { column: 'proposalId', values: proposalIds });
    },

    /**
     * Stores an owner's signature on a proposal, locked while it does (see `locking`): on the
     * live proposal it was merged into when two desks stored the same one at once; refused
     * ('gone') when the proposal was deleted (an unsigned batch) or set aside meanwhile, so a
     * signature is never kept where it counts nowhere. `proposalId`: where it was stored.
     */
    async addSignature(s: { proposalId: number; signer: string; signature: string; source: SignatureSource }): Promise<{ outcome: 'added' | 'duplicate' | 'gone'; proposalId: number }> {
      let target: number | null = s.proposalId;
      try {
        return await locking(async (sql, tx) => {
          const row = await lockProposal(sql, s.proposalId);
          target = !row ? null : row.superseded ? ((await lockLive(sql, row))?.id ?? null) : row.id;
          if (target === null) return { outcome: 'gone' as const, proposalId: s.proposalId };
          if (await tx.vetoSignature.findUnique({ where: { proposalId_signer: { proposalId: target, signer: s.signer } } })) return { outcome: 'duplicate' as const, proposalId: target };
          await tx.vetoSignature.create({ data: { ...s, proposalId: target } });
          return { outcome: 'added' as const, proposalId: target };
        });
      } catch (e) {
        // the unique index: this signer's signature was stored by a concurrent call
        if ((e as { code?: string }).code === 'P2002') return { outcome: 'duplicate', proposalId: target ?? s.proposalId };
        throw e;
      }
    },

    async markSignatureStale(id: number, reason: string | null) {
      return db.vetoSignature.update({ where: { id }, data: { staleReason: reason } });
    },

    /**
     * The live proposal with this safeTxHash, created when there is none: a proposal is stored at
     * its first signature (an unsigned one holds no nonce and is only served). Idempotent.
     */
    async findOrCreateProposal(p: NewProposal) {
      const existing = await db.vetoProposal.findFirst({ where: { slasher, safe, safeTxHash: p.safeTxHash, superseded: false }, orderBy: { id: 'asc' } });
      if (existing) return existing;
      return db.vetoProposal.create({ data: { ...p, slasher, safe, status: 'collecting' } });
    },

    /**
     * Live proposals sharing a safeTxHash (two desks storing one first signature at once): the
     * duplicate's signatures move to the one kept and it is set aside, in one transaction holding
     * both rows (a signature arriving meanwhile waits, then follows it to the one kept).
     */
    async mergeDuplicate(keepId: number, dupId: number, reason: string) {
      await locking(async (sql, tx) => {
        // both still live: a pass working from older rows must not move signatures onto one set aside
        const dup = await lockProposal(sql, dupId);
        const kept = dup && !dup.superseded ? await lockProposal(sql, keepId) : null;
        if (!kept || kept.superseded) return;
        const [keptSigs, dupSigs] = await Promise.all([tx.vetoSignature.findMany({ where: { proposalId: keepId } }), tx.vetoSignature.findMany({ where: { proposalId: dupId } })]);
        const have = new Set(keptSigs.map((x) => x.signer));
        for (const sig of dupSigs) if (!have.has(sig.signer)) await tx.vetoSignature.update({ where: { id: sig.id }, data: { proposalId: keepId } });
        await tx.vetoProposal.update({ where: { id: dupId }, data: { superseded: true, status: 'abandoned', statusReason: reason } });
      });
    },

    /**
     * Live again (an execution a reorg removed, a request open again, an owner signing it again):
     * its signatures count again. Written only on the row as read — its status, its execution and
     * its last write (another desk may have reopened it and executed it again since: the status
     * alone would read the same) —; false when another desk moved it since.
     */
    async reopen(id: number, reason: string, read: Pick<ProposalRow, 'status' | 'executionTxHash' | 'executionBlock' | 'updatedAt'>): Promise<boolean> {
      const where = { ...asRead(id, read.status), executionTxHash: read.executionTxHash, executionBlock: read.executionBlock, updatedAt: read.updatedAt };
      return (await db.vetoProposal.updateMany({ where, data: { status: 'collecting', executionTxHash: null, executionBlock: null, statusReason: reason } })).count > 0;
    },

    /** Unsigned proposals of a kind (batches: anyone may propose one), oldest first. */
    async unsigned(requestIdPrefix: string) {
      const rows = await db.vetoProposal.findMany({ where: { slasher, safe, superseded: false, requestId: { startsWith: requestIdPrefix }, status: 'collecting' }, orderBy: { id: 'asc' } });
      if (rows.length === 0) return [];
      const signed = new Set((await db.vetoSignature.findMany({ where: { proposalId: { in: rows.map((r) => r.id) } }, select: { proposalId: true } })).map((x) => x.proposalId));
      return rows.filter((r) => !signed.has(r.id));
    },

    /** Deletes the proposal only while it has no signature (one may have arrived since `unsigned` listed it). */
    async deleteUnsigned(id: number) {
      await locking(async (sql, tx) => {
        // the lock first: a signature under way is committed (and counted below) or waits, then finds no row
        if (!(await lockProposal(sql, id))) return;
        if ((await tx.vetoSignature.count({ where: { proposalId: id } })) > 0) return;
        await tx.vetoProposal.deleteMany({ where: { id, slasher, safe, status: 'collecting' } });
      });
    },
  };
}

export type VetoStore = ReturnType<typeof createVetoStore>;
export type VetoProposalRow = ProposalRow;
export type VetoSignatureRow = SignatureRow;
