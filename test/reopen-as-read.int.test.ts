/**
 * Two desks on one database both follow the chain: each sees the same reorg, the same request
 * open again. What one reopens (a proposal live again, a sent transaction back in flight) is
 * written only on the row as it read it, so the other desk's reopen of a row read before it never
 * lands a second time: it would count the reorg twice, write over a block the transaction was
 * mined in again meanwhile, or undo an execution seen since.
 */
import { openDatabase, type Database } from '../src/store/database';
import { createVetoStore } from '../src/store/vetoStore';
import { createSentTxStore, type NewSentTx } from '../src/store/sentTxStore';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const SAFE = '0x00000000000000000000000000000000000000C1';
const ACCOUNT = '0x00000000000000000000000000000000000000E1';
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe.each(DB_KINDS)('reopening a row as it was read on %s', (kind) => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    database = await openDatabase(tdb.target);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  it('a proposal whose execution a reorg removed is reopened once; a reopen read before another desk executed it again changes nothing', async () => {
    const store = createVetoStore(database, SLASHER, SAFE);
    const p = await store.createProposal({ requestId: '3', requestTxHash: hash(3), chainId: 31337, nonce: 4, to: SAFE, data: '0x', safeTxHash: hash(40) });
    await store.setStatus(p.id, 'executed', { executionTxHash: hash(41), executionBlock: 12 });
    // both desks read it executed (as a reconcile pass reads its rows)
    const [first] = await store.currentProposals(['3']);
    const [second] = await store.currentProposals(['3']);
    expect(first).toMatchObject({ status: 'executed', executionTxHash: hash(41) });
    expect(await store.reopen(p.id, 'its execution was removed by a reorg', first!)).toBe(true);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'collecting', executionTxHash: null, executionBlock: null });
    // the first desk executes it again, the same transaction in a later block, before the second's reopen is written
    await store.setStatus(p.id, 'executed', { executionTxHash: hash(41), executionBlock: 14 }, 'collecting');
    expect(await store.reopen(p.id, 'its execution was removed by a reorg', second!)).toBe(false);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'executed', executionTxHash: hash(41), executionBlock: 14 });
    // …and in the same block again (the execution as read, only the row's last write tells them apart)
    const [third] = await store.currentProposals(['3']);
    expect(await store.reopen(p.id, 'removed again', third!)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    await store.setStatus(p.id, 'executed', { executionTxHash: hash(41), executionBlock: 14 }, 'collecting');
    expect(await store.reopen(p.id, 'its execution was removed by a reorg', third!)).toBe(false);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'executed', executionTxHash: hash(41), executionBlock: 14 });
    // a row read through the model API (as an owner's signature reads it) reopens as well
    await store.setStatus(p.id, 'abandoned', { statusReason: 'not needed' }, 'executed');
    expect(await store.reopen(p.id, 'signed again', (await store.proposal(p.id))!)).toBe(true);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'collecting', statusReason: 'signed again' });
    // never a proposal set aside for good
    await store.supersede(p.id, 'nonce used');
    const aside = await store.proposal(p.id);
    expect(await store.reopen(p.id, 'open again', aside!)).toBe(false);
    expect(await store.proposal(p.id)).toMatchObject({ status: 'abandoned', superseded: true });
  });

  it('a sent transaction a reorg removed goes back in flight once, and not over the block it was mined in again', async () => {
    const store = createSentTxStore(database);
    const tx: NewSentTx = { chainId: 31337, slasher: SLASHER, requestId: '3', requestTxHash: hash(3), purpose: 'fulfil', proposalId: null, deadlineBlock: 50, account: ACCOUNT, txNonce: 0, to: SLASHER, data: '0x', rawTx: '0x02', txHash: hash(70), gas: '21000', maxFeePerGas: '1', maxPriorityFeePerGas: '1', replaces: null, sentAtBlock: 10 };
    const sent = await store.record(tx);
    const mined = await store.settleIncluded(sent, { status: 'mined', blockNumber: 11, blockHash: hash(110), error: null });
    // both desks read it mined in block 11 (hash 110), which a reorg removed
    const first = await store.reopen(mined);
    expect(first).toMatchObject({ status: 'recorded', blockNumber: null, blockHash: null, reorgs: 1 });
    expect(await store.reopen(mined)).toBeNull();
    expect(await store.byId(sent.id)).toMatchObject({ status: 'recorded', reorgs: 1 });
    // mined again in the new block 11 before a stale reopen arrives: that block stands
    await store.settleIncluded(first!, { status: 'mined', blockNumber: 11, blockHash: hash(111), error: null });
    expect(await store.reopen(mined)).toBeNull();
    expect(await store.byId(sent.id)).toMatchObject({ status: 'mined', blockNumber: 11, blockHash: hash(111), reorgs: 1 });
    // and when the chain went back to the very block it was first mined in: the reorg is counted once
    const again = (await store.byId(sent.id))!;
    expect(await store.reopen(again)).toMatchObject({ reorgs: 2 });
    await store.settleIncluded((await store.byId(sent.id))!, { status: 'mined', blockNumber: 11, blockHash: hash(111), error: null });
    expect(await store.reopen(again)).toBeNull();
    expect(await store.byId(sent.id)).toMatchObject({ status: 'mined', blockHash: hash(111), reorgs: 2 });
  });
});
