/**
 * One key both executes vetoes and fulfils (SLASHER_PRIVATE_KEY = EXECUTOR_PRIVATE_KEY, the slasher
 * role an EOA). A veto's execution is mined, then removed by a reorg that the node shows (and
 * drops the transaction from its pool) before the desk's ingest has read it; a fulfil decided
 * meanwhile must not take the account nonce the veto's transaction holds, or that veto could
 * never land again. The veto lands again and the fulfil after it. Real anvil (snapshot and
 * revert), Safe and desk.
 */
import request from 'supertest';
import type { Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const CANCELLED = 1;
const COMPLETED = 2;
const WINDOW = 30;

describe('a send between a reorg the node shows and the desk reading it', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ window: WINDOW, slashable: true });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const head = async () => Number(await f.publicClient.getBlockNumber({ cacheTime: 0 }));

  it("never gives the removed execution's account nonce to a fulfil: the veto lands again, then the fulfil", async () => {
    const key = f.keeperAccount;
    desk = await openVetoDesk(f, db, { executorPrivateKey: key.privateKey }, { scheduler: { slasherPrivateKey: key.privateKey } });
    const due = await f.queue('C: its fulfil comes due while the reorg is unread');
    await f.mine(20);
    const vetoed = await f.queue('A: its veto is reorged out');
    await settle(desk);

    const accountNonce = await f.publicClient.getTransactionCount({ address: key.address });
    const before = (await f.rpc('evm_snapshot')) as string;
    const v = (await view(vetoed)).veto as VetoView;
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${vetoed}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
    await settle(desk);
    const execution = (await view(vetoed)).veto!.executionTxHash as Hex;
    expect((await f.publicClient.getTransaction({ hash: execution })).nonce).toBe(accountNonce);

    // C's window passes on this chain and the ingest reads it; the scheduler has not decided yet
    const dueAt = Number(f.queuedAt.get(due)!) + WINDOW;
    await f.mine(dueAt - (await head()));
    await desk.ingestor.sync();
    const staleHead = await head();

    // a longer chain without the veto's transaction, which the node forgets
    await f.rpc('evm_revert', [before]);
    await f.mine(staleHead - (await head()) + 2);
    expect(await f.slasherStatus(vetoed)).toBe(0);
    expect(await f.publicClient.getTransactionCount({ address: key.address, blockTag: 'pending' })).toBe(accountNonce);

    // decided on the index that still shows the veto: the fulfil goes out from the same key
    await desk.scheduler.evaluate();
    await desk.scheduler.idle();
    const fulfils = await desk.database.db.sentTx.findMany({ where: { requestId: due.toString() } });
    expect(fulfils.length).toBeGreaterThan(0);
    expect(fulfils.map((r) => r.txNonce)).not.toContain(accountNonce);

    for (let i = 0; i < 5 && ((await f.slasherStatus(vetoed)) !== CANCELLED || (await f.slasherStatus(due)) !== COMPLETED); i++) {
      await settle(desk);
      await f.mine(1);
    }
    expect(await f.slasherStatus(vetoed)).toBe(CANCELLED);
    expect(await f.slasherStatus(due)).toBe(COMPLETED);
    await settle(desk);
    expect((await view(vetoed)).veto).toMatchObject({ status: 'executed' });
  });
});
