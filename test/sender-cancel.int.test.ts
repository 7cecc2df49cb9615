/**
 * A veto execution still in the mempool when its window passes can no longer land: the desk
 * replaces it at the same account nonce with a 0-value transfer to itself, once — later passes
 * leave the cancellation to the sender's re-pricing, against the fulfil's deadline it unblocks
 * (not the veto's, passed: it would be re-priced as urgent block after block) — and then sends
 * the fulfil. Real anvil, Safe and desk;
 * the veto is held out of the blocks by a base fee above its fee cap.
 */
import request from 'supertest';
import { numberToHex, parseTransaction, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, WINDOW, type SafeFixture } from './helpers/safeFixture';

const COMPLETED = 2;

describe('a veto in flight past its window', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ slashable: true });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await f?.rpc('evm_setAutomine', [true]).catch(() => undefined);
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });


  it('is cancelled once, and the fulfil follows once the cancellation lands', async () => {
    desk = await openVetoDesk(f, db, { executorPrivateKey: f.executor.privateKey }, { scheduler: { slasherPrivateKey: f.keeperAccount.privateKey } });
    const id = await f.queue();
    await settle(desk);
    const v = ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto!;
    await f.rpc('evm_setAutomine', [false]);
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
    await desk.vetoes.idle();
    const veto = await desk.database.db.sentTx.findFirstOrThrow({ where: { purpose: 'safe_veto', requestId: id.toString() } });
    const fee = parseTransaction(veto.rawTx as Hex).maxFeePerGas!;
    // every block's base fee above what the veto may pay, until the window has passed
    for (let i = 0; i <= WINDOW; i++) {
      await f.rpc('anvil_setNextBlockBaseFeePerGas', [numberToHex(fee * 4n)]);
      await f.rpc('anvil_mine', ['0x1']);
    }
    expect(await f.slasherStatus(id)).toBe(0);

    const atNonce = () => desk!.database.db.sentTx.findMany({ where: { account: veto.account, txNonce: veto.txNonce }, orderBy: { id: 'asc' } });
    await settle(desk);
    await settle(desk);
    await settle(desk);
    const attempts = await atNonce();
    // the veto (re-priced while its window was open, perhaps) and exactly one cancellation
    expect(attempts.filter((a) => a.purpose === 'cancel')).toHaveLength(1);
    const cancel = attempts[attempts.length - 1]!;
    const due = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
    // (no AVS is configured here: the fulfil's L is unknown, so the cancellation has no deadline)
    expect(cancel).toMatchObject({ purpose: 'cancel', status: 'recorded', deadlineBlock: due.lastUsefulBlock, to: veto.account });
    expect(veto.deadlineBlock).not.toBeNull();
    // nothing else is sent while the veto's nonce is held
    expect(await desk.database.db.sentTx.count({ where: { purpose: 'fulfil' } })).toBe(0);

    // the market comes back: the cancellation lands, then the fulfil goes
    await f.rpc('evm_setAutomine', [true]);
    await f.mine(1);
    await settle(desk);
    await settle(desk);
    expect((await atNonce()).map((a) => a.status)).toEqual([...attempts.slice(0, -1).map(() => 'replaced'), 'mined']);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
  });
});
