/**
 * Anyone may propose a batch veto, and unsigned batches are deleted to keep them bounded: an
 * owner's signature arriving as its batch is deleted must either keep the batch or be refused,
 * never be stored on a batch that no longer exists (it would count nowhere while the owner was
 * told it was accepted). On PostgreSQL the two run side by side at read committed.
 */
import { Client } from 'pg';
import { openDatabase, type Database } from '../src/store/database';
import { createVetoStore, type VetoStore } from '../src/store/vetoStore';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const SAFE = '0x00000000000000000000000000000000000000C1';
const OWNER = '0x00000000000000000000000000000000000000A1';
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe.each(DB_KINDS)('a batch signature against the deletion of its unsigned batch on %s', (kind) => {
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
    expect(await store.addSignatureWhileProposed(signature(kept.id))).toBe('added');
    expect(await store.addSignatureWhileProposed(signature(kept.id))).toBe('duplicate');
    await store.deleteUnsigned(kept.id);
    expect(await store.proposal(kept.id)).not.toBeNull();

    const gone = await batch();
    await store.deleteUnsigned(gone.id);
    expect(await store.proposal(gone.id)).toBeNull();
    expect(await store.addSignatureWhileProposed(signature(gone.id))).toBe('gone');
    expect(await store.signatures([gone.id])).toEqual([]);
  });

  if (kind !== 'postgresql') return;

  /** another session holding the batch's row as a signature or a deletion under way does */
  async function holding(proposalId: number, then: (c: Client) => Promise<void>) {
    const c = new Client({ connectionString: tdb.url });
    await c.connect();
    await c.query('BEGIN');
    await c.query('SELECT "id" FROM "VetoProposal" WHERE "id" = $1 FOR UPDATE', [proposalId]);
    await then(c);
    return {
      commit: async () => {
        await c.query('COMMIT');
        await c.end();
      },
    };
  }
  /** resolves once `p` settled, or after `ms` with 'waiting' */
  const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms))]);

  it('a deletion that starts while a signature is being stored waits for it and keeps the batch', async () => {
    const b = await batch();
    // the signature's transaction has locked the batch and inserted, not yet committed
    const sig = await holding(b.id, async (c) => {
      await c.query('INSERT INTO "VetoSignature" ("proposalId", "signer", "signature", "source") VALUES ($1, $2, $3, $4)', [b.id, OWNER, `0x${'22'.repeat(65)}`, 'http']);
    });
    const deletion = store.deleteUnsigned(b.id);
    expect(await within(deletion, 300)).toBe('waiting');
    await sig.commit();
    await deletion;
    // before, the deletion had counted no signature (not yet committed) and deleted the batch
    // once the lock was released: the signature stayed behind on a batch that was gone
    expect(await store.proposal(b.id)).not.toBeNull();
    expect((await store.signatures([b.id])).map((s) => s.signer)).toEqual([OWNER]);
  });

  it('a signature that arrives while its batch is being deleted waits for it and is refused, leaving nothing behind', async () => {
    const b = await batch();
    const del = await holding(b.id, async (c) => {
      await c.query('DELETE FROM "VetoProposal" WHERE "id" = $1', [b.id]);
    });
    const added = store.addSignatureWhileProposed(signature(b.id));
    expect(await within(added, 300)).toBe('waiting');
    await del.commit();
    expect(await added).toBe('gone');
    expect(await store.signatures([b.id])).toEqual([]);
  });
});
