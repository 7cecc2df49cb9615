/**
 * Persistence of Safe proposals (committee vetoes, governance fulfils), owner signatures and
 * execution actions (issues 3 and 4). Plain rows out; no chain or HTTP knowledge.
 */
import type { Db } from './database';

export type ProposalStatus = 'collecting' | 'ready' | 'executed' | 'failed' | 'abandoned';
export type SignatureSource = 'http' | 'cli' | 'tx-service';
export type ActionStatus = 'recorded' | 'mined' | 'reverted' | 'dropped';

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
export function createVetoStore(db: Db, slasher: string, safe: string) {
  return {
    /** The current (not superseded) proposal of each request id given, newest first per id. */
    async currentProposals(requestIds?: string[]) {
      return db.vetoProposal.findMany({
        where: { slasher, safe, superseded: false, ...(requestIds ? { requestId: { in: requestIds } } : {}) },
        orderBy: { id: 'asc' },
      });
    },

    async supersededProposals(requestIds?: string[]) {
      return db.vetoProposal.findMany({
        where: { slasher, safe, superseded: true, ...(requestIds ? { requestId: { in: requestIds } } : {}) },
        orderBy: { id: 'asc' },
      });
    },

    async proposal(id: number) {
      return db.vetoProposal.findFirst({ where: { id, slasher, safe } });
    },

    async createProposal(p: NewProposal) {
      return db.vetoProposal.create({ data: { ...p, slasher, safe, status: 'collecting' } });
    },

    async setStatus(id: number, status: ProposalStatus, extra: { statusReason?: string | null; executionTxHash?: string | null } = {}) {
      return db.vetoProposal.update({ where: { id }, data: { status, ...extra } });
    },

    /** Sets a proposal aside for good: its signatures are never executed. */
    async supersede(id: number, reason: string) {
      return db.vetoProposal.update({ where: { id }, data: { superseded: true, status: 'abandoned', statusReason: reason } });
    },

    async signatures(proposalIds: number[]) {
      if (proposalIds.length === 0) return [];
      return db.vetoSignature.findMany({ where: { proposalId: { in: proposalIds } }, orderBy: { id: 'asc' } });
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

    async markSignatureStale(id: number, reason: string | null) {
      return db.vetoSignature.update({ where: { id }, data: { staleReason: reason } });
    },

    /** Ids of proposals with an execution still awaiting the chain (one query for a whole pass). */
    async proposalsWithOpenActions(): Promise<Set<number>> {
      const rows = await db.vetoAction.findMany({ where: { status: 'recorded' }, select: { proposalId: true } });
      return new Set(rows.map((r) => r.proposalId));
    },

    async actions(proposalId: number) {
      return db.vetoAction.findMany({ where: { proposalId }, orderBy: { id: 'asc' } });
    },

    async recordAction(a: { proposalId: number; executor: string; txNonce: number; rawTx: string; txHash: string }) {
      return db.vetoAction.create({ data: { ...a, status: 'recorded' } });
    },

    async settleAction(id: number, status: Exclude<ActionStatus, 'recorded'>, extra: { revertReason?: string | null; blockNumber?: number | null } = {}) {
      return db.vetoAction.update({ where: { id }, data: { status, ...extra } });
    },
  };
}

export type VetoStore = ReturnType<typeof createVetoStore>;
export type VetoProposalRow = Awaited<ReturnType<VetoStore['createProposal']>>;
export type VetoSignatureRow = Awaited<ReturnType<VetoStore['signatures']>>[number];
export type VetoActionRow = Awaited<ReturnType<VetoStore['recordAction']>>;
