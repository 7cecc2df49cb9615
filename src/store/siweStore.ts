/**
 * Sign-In with Ethereum sessions (table SiweSession). A row is created with a fresh nonce and no
 * address; verifying the signed message consumes that row (the nonce is single use) and creates
 * the session under a new token, so a token handed out before sign-in never becomes a session.
 */
import type { Db } from './database';

export interface SiweSessionRecord {
  token: string;
  nonce: string;
  /** null until the signed message is verified */
  address: string | null;
  expiresAt: Date;
}

export function createSiweSessionStore(db: Db) {
  return {
    /** A pending sign-in: `nonce` must appear in the message signed before `expiresAt`. */
    async createPending(p: { token: string; nonce: string; expiresAt: Date }): Promise<void> {
      await db.siweSession.create({ data: { token: p.token, nonce: p.nonce, expiresAt: p.expiresAt, address: null } });
    },

    async find(token: string): Promise<SiweSessionRecord | null> {
      const r = await db.siweSession.findUnique({ where: { token } });
      return r ? { token: r.token, nonce: r.nonce, address: r.address, expiresAt: r.expiresAt } : null;
    },

    /**
     * Consumes the pending row `(token, nonce)` and creates the verified session `newToken`, in
     * one transaction. false when the row was already consumed (a replayed or raced verify).
     */
    async verify(p: { token: string; nonce: string; newToken: string; address: string; expiresAt: Date }): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const consumed = await tx.siweSession.deleteMany({ where: { token: p.token, nonce: p.nonce, address: null } });
        if (consumed.count !== 1) return false;
        // the nonce column is unique: the verified session keeps it, so it can never be handed out again
        await tx.siweSession.create({ data: { token: p.newToken, nonce: p.nonce, address: p.address, expiresAt: p.expiresAt } });
        return true;
      });
    },

    async remove(token: string): Promise<void> {
      await db.siweSession.deleteMany({ where: { token } });
    },

    /** Pending sign-ins not yet expired: the table is capped on this count. */
    async countPending(now: Date): Promise<number> {
      return db.siweSession.count({ where: { address: null, expiresAt: { gt: now } } });
    },

    /** Drops the `n` oldest pending sign-ins not yet expired (verified sessions are never touched). */
    async dropOldestPending(now: Date, n: number): Promise<void> {
      const oldest = await db.siweSession.findMany({ where: { address: null, expiresAt: { gt: now } }, orderBy: { expiresAt: 'asc' }, take: n, select: { token: true } });
      await db.siweSession.deleteMany({ where: { token: { in: oldest.map((r) => r.token) }, address: null } });
    },

    /** Drops expired rows (pending and verified alike). */
    async purgeExpired(now: Date): Promise<number> {
      return (await db.siweSession.deleteMany({ where: { expiresAt: { lt: now } } })).count;
    },
  };
}

export type SiweSessionStore = ReturnType<typeof createSiweSessionStore>;
