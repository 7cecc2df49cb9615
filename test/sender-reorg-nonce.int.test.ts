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
import { createDevClients } from '../src/devnet/devnet';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { executeRejection, openVetoDesk, settle, signVetoQuorum, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

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
    await signVetoQuorum(desk, f, vetoed);
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

  /** Its veto signed to threshold and executed by the desk; `before`: a snapshot of the chain without that execution. */
  async function executedByDesk(id: bigint): Promise<{ v: VetoView; before: string }> {
    await settle(desk!);
    const before = (await f.rpc('evm_snapshot')) as string;
    const v = await signVetoQuorum(desk!, f, id);
    await settle(desk!);
    expect((await view(id)).veto).toMatchObject({ status: 'executed' });
    return { v, before };
  }

  it("the desk's own execution, replaced in a reorg by a member's rejection at the same Safe nonce, is not kept as executed: its signers are asked again", async () => {
    const id = await f.queue('D: its execution loses its nonce to a rejection');
    const { v, before } = await executedByDesk(id);

    const ours = (await view(id)).veto!.executionTxHash as Hex;
    await f.rpc('evm_revert', [before]);
    expect(await f.rpc('eth_getTransactionByHash', [ours])).toBeNull();
    await executeRejection(f, v.nonce, createDevClients(f.anvil.rpcUrl, f.stranger.privateKey).wallet);
    await f.mine(3);
    // the Safe desk looks before the ingest has read the reorg (its own execution's row still says
    // mined): the pass does not fail, and no execution is kept
    desk!.vetoes.stateMayHaveChanged();
    await desk!.vetoes.reconcile();
    expect(desk!.vetoes.health().lastError).toBeUndefined();
    const row = await desk!.database.db.vetoProposal.findFirstOrThrow({ where: { requestId: id.toString(), nonce: v.nonce } });
    expect(row.status).not.toBe('executed');
    await settle(desk!);
    await settle(desk!);
    const after = await view(id);
    expect(after.status).toBe('in_veto_window');
    expect(after.veto).toMatchObject({ nonce: v.nonce + 1 });
    expect(after.veto!.status).not.toBe('failed');
    expect((await request(desk!.url).get(`/api/alerts?kind=veto_sign_again&requestId=${id}`).expect(200)).body.alerts).toMatchObject([{ severity: 'critical' }]);
    expect((await request(desk!.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts).toEqual([]);
  });

  it('a veto with its threshold whose nonce a reorg gave to another transaction, read only after its window closed, is alerted as failed', async () => {
    const id = await f.queue('E: its nonce is lost and its window closes before the desk reads it');
    const { v, before } = await executedByDesk(id);

    await f.rpc('evm_revert', [before]);
    await executeRejection(f, v.nonce, createDevClients(f.anvil.rpcUrl, f.stranger.privateKey).wallet);
    await f.mine(Number(f.queuedAt.get(id)!) + WINDOW + 1 - (await head()));
    await settle(desk!);
    await settle(desk!);
    expect(await f.slasherStatus(id)).not.toBe(CANCELLED);
    const failed = (await request(desk!.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts as { severity: string; title: string }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'critical' });
    expect(failed[0]!.title).toContain('had its threshold but did not land before the window closed');
    expect(failed[0]!.title).toContain('removed by a reorg');
  });
});
