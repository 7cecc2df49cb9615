/**
 * Persistence of Safe proposals (committee vetoes, governance fulfils, rejections, batches) and
 * owner signatures. Their executions are SentTx rows (sentTxStore). Plain rows out; no chain or
 * HTTP knowledge.
 */
import { TRANSACTION_MAX_WAIT_MS, type Database, type Db } from './database';
import { dialect } from './dialect';
import { modelRows } from './modelRows';

export type ProposalStatus = 'collecting' | 'ready' | 'executed' | 'failed' | 'abandoned';
export type SignatureSource = 'http' | 'cli' | 'tx-service';

type ProposalRow = Awaited<ReturnType<Db['vetoProposal']['findFirstOrThrow']>>;
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
  type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
  /**
   * Locks a proposal's row until the transaction ends (whether it exists): a signature and the
   * deletion of an unsigned proposal both take it first, so on PostgreSQL (read committed) the
   * later one sees what the earlier one did; SQLite's single writer serialises them by itself.
   */
  const lockProposal = async (tx: Tx, id: number) =>
    (await tx.$queryRawUnsafe<unknown[]>(`SELECT "id" FROM "VetoProposal" WHERE "id" = ${d.p(1)} AND "slasher" = ${d.p(2)} AND "safe" = ${d.p(3)}${d.forUpdate}`, id, slasher, safe)).length > 0;
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

    async setStatus(id: number, status: ProposalStatus, extra: { statusReason?: string | null; executionTxHash?: string | null; executionBlock?: number | null } = {}) {
      return db.vetoProposal.update({ where: { id }, data: { status, ...extra } });
    },

    /** Sets a proposal aside for good: its signatures are never executed. */
    async supersede(id: number, reason: string) {
      return db.vetoProposal.update({ where: { id }, data: { superseded: true, status: 'abandoned', statusReason: reason } });
    },

    async signatures(proposalIds: number[]): Promise<SignatureRow[]> {
      if (proposalIds.length === 0) return [];
      return signatureRows.find({}, { column: 'proposalId', values: proposalIds });
    },

    /** false when this signer already signed this proposal (unique constraint). */
    async addSignature(s: { proposalId: number; signer: string; signature: string; source: SignatureSource }): Promise<boolean> {
      const existing = await db.vetoSignature.findUnique({ where: { proposalId_signer: { proposalId: s.proposalId, signer: s.signer } } });
      if (existing) return false;
      try {
        await db.vetoSignature.create({ data: s });
        return true;
      } catch (e) {
        if ((e as { code?: string }).code === 'P2002') return false;
        throw e;
      }
    },

    /**
     * A signature stored only while its proposal exists: for proposals anyone may make and that
     * are deleted while unsigned (batches), so a signature is never kept on a deleted one.
     */
    async addSignatureWhileProposed(s: { proposalId: number; signer: string; signature: string; source: SignatureSource }): Promise<'added' | 'duplicate' | 'gone'> {
      try {
        return await db.$transaction(async (tx) => {
          if (!(await lockProposal(tx, s.proposalId))) return 'gone';
          if (await tx.vetoSignature.findUnique({ where: { proposalId_signer: { proposalId: s.proposalId, signer: s.signer } } })) return 'duplicate';
          await tx.vetoSignature.create({ data: s });
          return 'added';
        }, { maxWait: TRANSACTION_MAX_WAIT_MS });
      } catch (e) {
        if ((e as { code?: string }).code === 'P2002') return 'duplicate';
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

    /** Live proposals sharing a safeTxHash (two desks storing one first signature at once). */
    async mergeDuplicate(keepId: number, dupId: number, reason: string) {
      const [keep, dup] = await Promise.all([this.signatures([keepId]), this.signatures([dupId])]);
      const have = new Set(keep.map((x) => x.signer));
      for (const s of dup) if (!have.has(s.signer)) await db.vetoSignature.update({ where: { id: s.id }, data: { proposalId: keepId } });
      await db.vetoProposal.update({ where: { id: dupId }, data: { superseded: true, status: 'abandoned', statusReason: reason } });
    },

    /** An execution a reorg removed: the proposal is live again (its signatures still count). */
    async reopen(id: number, reason: string) {
      return db.vetoProposal.update({ where: { id }, data: { status: 'collecting', executionTxHash: null, executionBlock: null, statusReason: reason } });
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
      await db.$transaction(async (tx) => {
        // the lock first: a signature under way is committed (and counted below) or waits, then finds no row
        if (!(await lockProposal(tx, id))) return;
        if ((await tx.vetoSignature.count({ where: { proposalId: id } })) > 0) return;
        await tx.vetoProposal.deleteMany({ where: { id, slasher, safe, status: 'collecting' } });
      }, { maxWait: TRANSACTION_MAX_WAIT_MS });
    },
  };
}

export type VetoStore = ReturnType<typeof createVetoStore>;
export type VetoProposalRow = ProposalRow;
export type VetoSignatureRow = SignatureRow;
