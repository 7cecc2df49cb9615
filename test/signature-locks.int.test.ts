/**
 * An owner's signature must count where it is stored. Anyone may propose a batch veto, and
 * unsigned batches are deleted to keep them bounded; two desks storing one first signature at
 * once make duplicate proposals, merged into the oldest. A signature arriving as its proposal is
 * deleted or merged must keep the batch, be refused, or follow the merge: never be kept on a
 * proposal that is gone or set aside (it would count nowhere while the owner was told it was
 * accepted). On PostgreSQL they run side by side at read committed, each waiting on the other's
 * row lock; on SQLite a second process holding the file's write lock makes a signature wait for
 * it, never fail on that process's commit.
 */
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { openDatabase, type Database } from '../src/store/database';
import { createVetoStore, type VetoStore } from '../src/store/vetoStore';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const SAFE = '0x00000000000000000000000000000000000000C1';
const OWNER = '0x00000000000000000000000000000000000000A1';
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe.each(DB_KINDS)('a signature against the deletion or merge of its proposal on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;
  let store: VetoStore;
  let n = 0;
  const batch = () => store.createProposal({ requestId: `batch:7:${++n}`, requestTxHash: '', chainId: 31337, nonce: 7, to: SAFE, data: '0x', safeTxHash: hash(n) });
  const signature = (proposalId: number) => ({ proposalId, signer: OWNER, signature: `0x${'11'.repeat(65)}`, source: 'http' as const });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    database = await openDatabase(tdb.target);
    store = createVetoStore(database, SLASHER, SAFE);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  it('stores a signature once while its batch exists, refuses it once the batch is gone, and never deletes a signed batch', async () => {
    const kept = await batch();
    expect((await store.addSignature(signature(kept.id))).outcome).toBe('added');
    expect((await store.addSignature(signature(kept.id))).outcome).toBe('duplicate');
    await store.deleteUnsigned(kept.id);
    expect(await store.proposal(kept.id)).not.toBeNull();

    const gone = await batch();
    await store.deleteUnsigned(gone.id);
    expect(await store.proposal(gone.id)).toBeNull();
    expect((await store.addSignature(signature(gone.id))).outcome).toBe('gone');
    expect(await store.signatures([gone.id])).toEqual([]);
  });

  it('a signature on a duplicate that a merge set aside goes to the proposal kept', async () => {
    const keep = await batch();
    const dup = await store.createProposal({ requestId: keep.requestId, requestTxHash: '', chainId: 31337, nonce: 7, to: SAFE, data: '0x', safeTxHash: keep.safeTxHash });
    await store.mergeDuplicate(keep.id, dup.id, 'merged');
    expect(await store.addSignature(signature(dup.id))).toEqual({ outcome: 'added', proposalId: keep.id });
    expect(await store.signatures([dup.id])).toEqual([]);
  });

  it('a signature on the proposal of an earlier request under the same id (V4) never counts for the later one', async () => {
    const earlier = await store.createProposal({ requestId: '5', requestTxHash: hash(501), chainId: 31337, nonce: 8, to: SAFE, data: '0x', safeTxHash: hash(500) });
    await store.supersede(earlier.id, 'a reorg replaced the request under this id');
    // the same call (cancel request 5 at nonce 8) for the request queued later under id 5
    const later = await store.createProposal({ requestId: '5', requestTxHash: hash(502), chainId: 31337, nonce: 8, to: SAFE, data: '0x', safeTxHash: hash(500) });
    expect((await store.addSignature(signature(earlier.id))).outcome).toBe('gone');
    expect(await store.signatures([earlier.id, later.id])).toEqual([]);
  });

  it('a decision made on a proposal as it was read is not written over what another desk wrote since', async () => {
    const p = await batch();
    await store.setStatus(p.id, 'ready');
    // another desk saw its execution after this one read it as ready
    await store.setStatus(p.id, 'executed', { executionTxHash: hash(900), executionBlock: 9 });
    expect(await store.setStatus(p.id, 'failed', { statusReason: 'missed' }, 'ready')).toBe(false);
    expect(await store.supersede(p.id, 'nonce used', 'ready')).toBe(false);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'executed', superseded: false, executionTxHash: hash(900) });
    expect(await store.setStatus(p.id, 'executed', { statusReason: 'vetoed' }, 'executed')).toBe(true);
  });

  if (kind !== 'postgresql') return;

  /**
   * Another session holding a proposal's row, as a signature, a deletion or a merge under way
   * does; `then` runs in it after the lock. Rolled back by `end` if the test did not commit.
   */
  async function holding(proposalId: number, then: (c: Client) => Promise<void>) {
    const c = new Client({ connectionString: tdb.url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT "id" FROM "VetoProposal" WHERE "id" = $1 FOR UPDATE', [proposalId]);
      await then(c);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    let open = true;
    return {
      commit: async () => {
        await c.query('COMMIT');
        open = false;
      },
      end: async () => {
        if (open) await c.query('ROLLBACK').catch(() => undefined);
        await c.end().catch(() => undefined);
      },
    };
  }
  /** until a session of this database waits for a row lock (the desk's call, behind `holding`) */
  async function waitingOnLock() {
    const c = new Client({ connectionString: tdb.url });
    await c.connect();
    try {
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if ((rows[0] as { n: number }).n > 0) return;
      }
      throw new Error('no session waited for the row lock within 10 s');
    } finally {
      await c.end();
    }
  }

  it('a deletion that starts while a signature is being stored waits for it and keeps the batch', async () => {
    const b = await batch();
    // the signature's transaction has locked the batch and inserted, not yet committed
    const sig = await holding(b.id, async (c) => {
      await c.query('INSERT INTO "VetoSignature" ("proposalId", "signer", "signature", "source") VALUES ($1, $2, $3, $4)', [b.id, OWNER, `0x${'22'.repeat(65)}`, 'http']);
    });
    try {
      const deletion = store.deleteUnsigned(b.id);
      await waitingOnLock();
      await sig.commit();
      await deletion;
      // without the lock first, the deletion counts no (uncommitted) signature and deletes the
      // batch once the row is released: the signature would stay on a batch that is gone
      expect(await store.proposal(b.id)).not.toBeNull();
      expect((await store.signatures([b.id])).map((s) => s.signer)).toEqual([OWNER]);
    } finally {
      await sig.end();
    }
  });

  it('a signature that arrives while its batch is being deleted waits for it and is refused, leaving nothing behind', async () => {
    const b = await batch();
    const del = await holding(b.id, async (c) => {
      await c.query('DELETE FROM "VetoProposal" WHERE "id" = $1', [b.id]);
    });
    try {
      const added = store.addSignature(signature(b.id));
      await waitingOnLock();
      await del.commit();
      expect((await added).outcome).toBe('gone');
      expect(await store.signatures([b.id])).toEqual([]);
    } finally {
      await del.end();
    }
  });

  it('a signature that arrives while its duplicate is being merged waits and goes to the proposal kept', async () => {
    const keep = await batch();
    const dup = await store.createProposal({ requestId: keep.requestId, requestTxHash: '', chainId: 31337, nonce: 7, to: SAFE, data: '0x', safeTxHash: keep.safeTxHash });
    // the other desk's merge holds the duplicate and has set it aside, not yet committed
    const merge = await holding(dup.id, async (c) => {
      await c.query('UPDATE "VetoProposal" SET "superseded" = true, "status" = \'abandoned\' WHERE "id" = $1', [dup.id]);
    });
    try {
      const added = store.addSignature(signature(dup.id));
      await waitingOnLock();
      await merge.commit();
      // without the lock it was stored on the duplicate, where it counts nowhere
      expect(await added).toEqual({ outcome: 'added', proposalId: keep.id });
    } finally {
      await merge.end();
    }
  });

  it('a merge that starts while a signature is stored on the duplicate waits for it and takes the signature along', async () => {
    const keep = await batch();
    const dup = await store.createProposal({ requestId: keep.requestId, requestTxHash: '', chainId: 31337, nonce: 7, to: SAFE, data: '0x', safeTxHash: keep.safeTxHash });
    const sig = await holding(dup.id, async (c) => {
      await c.query('INSERT INTO "VetoSignature" ("proposalId", "signer", "signature", "source") VALUES ($1, $2, $3, $4)', [dup.id, OWNER, `0x${'33'.repeat(65)}`, 'http']);
    });
    try {
      const merged = store.mergeDuplicate(keep.id, dup.id, 'merged');
      await waitingOnLock();
      await sig.commit();
      await merged;
      expect((await store.signatures([keep.id])).map((s) => s.signer)).toEqual([OWNER]);
      expect(await store.signatures([dup.id])).toEqual([]);
    } finally {
      await sig.end();
    }
  });
});

describe('a signature stored while another process holds the SQLite file’s write lock', () => {
  let tdb: TestDatabase;
  let database: Database;
  let store: VetoStore;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    database = await openDatabase(tdb.target);
    store = createVetoStore(database, SLASHER, SAFE);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  /**
   * Another process (as a second desk on the file is) takes the write lock, writes, and commits
   * after `holdMs`; resolves once it holds the lock, with its commit to await.
   */
  async function otherProcessWriting(holdMs: number): Promise<{ committed: Promise<void> }> {
    const file = tdb.url.replace(/^file:/, '');
    const code = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
      db.pragma('busy_timeout = 5000');
      db.exec('BEGIN IMMEDIATE');
      db.prepare('UPDATE "VetoProposal" SET "statusReason" = ? WHERE "requestId" = ?').run('written by the other process', 'batch:9:other');
      process.send('locked');
      setTimeout(() => { db.exec('COMMIT'); db.close(); process.send('committed'); process.disconnect(); }, ${holdMs});`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const said = (what: string) =>
      new Promise<void>((resolve, reject) => {
        child.on('message', (m) => m === what && resolve());
        child.on('exit', (code) => reject(new Error(`the other process exited (${code}) before it said ${what}`)));
      });
    const locked = said('locked');
    const committed = said('committed');
    committed.catch(() => undefined);
    await locked;
    return { committed };
  }

  it('waits for the lock and stores it (a read before its first write would fail on the other commit: BUSY_SNAPSHOT)', async () => {
    const mine = await store.createProposal({ requestId: 'batch:9:mine', requestTxHash: '', chainId: 31337, nonce: 9, to: SAFE, data: '0x', safeTxHash: hash(901) });
    await store.createProposal({ requestId: 'batch:9:other', requestTxHash: '', chainId: 31337, nonce: 9, to: SAFE, data: '0x', safeTxHash: hash(902) });
    const other = await otherProcessWriting(500);
    const stored = await store.addSignature({ proposalId: mine.id, signer: OWNER, signature: `0x${'22'.repeat(65)}`, source: 'http' });
    await other.committed;
    expect(stored.outcome).toBe('added');
    expect((await store.signatures([mine.id])).map((s) => s.signer)).toEqual([OWNER]);
    // the other process's write is there too: nothing lost on either side
    expect((await store.currentProposals(['batch:9:other']))[0]?.statusReason).toBe('written by the other process');
  });
});
