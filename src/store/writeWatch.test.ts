import { changesViews, watchWrites } from './writeWatch';

describe('changesViews', () => {
  it('reads change nothing', () => {
    for (const sql of ['SELECT 1', '  select "x" FROM "SlashingRequest"', 'PRAGMA busy_timeout = 5000', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'RELEASE SAVEPOINT a', 'SELECT "indexedBlock" FROM "IngestCursor" WHERE "slasher" = $1 FOR UPDATE']) {
      expect(changesViews(sql)).toBe(false);
    }
  });

  it('writes to a table a view shows count', () => {
    for (const sql of ['INSERT INTO `main`.`VetoSignature` (`a`) VALUES (?)', 'UPDATE `main`.`VetoProposal` SET `status` = ?', 'INSERT INTO "VetoSignature" ("a") VALUES (?)', 'UPDATE "main"."VetoProposal" SET "status" = ?', 'DELETE FROM "SentTx" WHERE 1', 'INSERT OR IGNORE INTO "RequestLapse" VALUES (1)', 'update ActionLog set x = 1']) {
      expect(changesViews(sql)).toBe(true);
    }
  });

  it('writes to the outbox, the lease and sign-in sessions do not', () => {
    // as Prisma writes them for SQLite and for PostgreSQL
    for (const sql of ['INSERT INTO "Alert" ("a") VALUES (?)', 'UPDATE "AlertDelivery" SET "x" = 1', 'UPDATE "public"."DeskLease" SET "holder" = $1', 'DELETE FROM "SiweSession"', 'UPDATE `main`.`DeskLease` SET `holder` = ? WHERE `name` = ?', 'INSERT INTO `main`.`Alert` (`a`) VALUES (?)']) {
      expect(changesViews(sql)).toBe(false);
    }
  });

  it('a statement it does not recognise counts (a needless recomputation, never a stale answer)', () => {
    expect(changesViews('WITH x AS (SELECT 1) UPDATE "Alert" SET "a" = 1')).toBe(true);
    expect(changesViews('VACUUM')).toBe(true);
  });
});

describe('watchWrites', () => {
  function fakeAdapter(log: string[]) {
    const queryable = {
      provider: 'sqlite',
      async queryRaw(q: { sql: string }) {
        log.push(`query ${q.sql}`);
        return { rows: [] };
      },
      async executeRaw(q: { sql: string }) {
        log.push(`execute ${q.sql}`);
        return 1;
      },
    };
    return {
      ...queryable,
      client: { raw: true },
      async startTransaction() {
        return {
          ...queryable,
          async commit() {
            log.push('commit');
          },
          async rollback() {
            log.push('rollback');
          },
        };
      },
    };
  }

  it('counts a write outside a transaction once it is done, and passes everything else through', async () => {
    const log: string[] = [];
    let n = 0;
    const a = watchWrites(fakeAdapter(log), () => n++);
    expect(a.provider).toBe('sqlite');
    expect(a.client).toEqual({ raw: true });
    await a.queryRaw({ sql: 'SELECT 1' });
    expect(n).toBe(0);
    await a.executeRaw({ sql: 'UPDATE "VetoProposal" SET "x" = 1' });
    expect(n).toBe(1);
    await a.executeRaw({ sql: 'UPDATE "DeskLease" SET "x" = 1' });
    expect(n).toBe(1);
  });

  it("counts a transaction's writes when it ends (committed, or rolled back: a read on its connection may have seen them), not before", async () => {
    const log: string[] = [];
    let n = 0;
    const a = watchWrites(fakeAdapter(log), () => n++);
    const tx = await a.startTransaction();
    await tx.executeRaw({ sql: 'INSERT INTO "SentTx" VALUES (1)' });
    expect(n).toBe(0);
    await tx.commit();
    expect(n).toBe(1);
    const rolled = await a.startTransaction();
    await rolled.executeRaw({ sql: 'INSERT INTO "SentTx" VALUES (2)' });
    await rolled.rollback();
    expect(n).toBe(2);
    const readOnly = await a.startTransaction();
    await readOnly.queryRaw({ sql: 'SELECT 1' });
    await readOnly.commit();
    expect(n).toBe(2);
    expect(log).toContain('rollback');
  });
});
