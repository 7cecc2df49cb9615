/**
 * A veto execution still in the mempool when its window passes can no longer land: the desk
 * replaces it at the same account nonce with a 0-value transfer to itself, once — later passes
 * leave the cancellation to the sender's re-pricing, against the fulfil's deadline it unblocks
 * (not the veto's, passed: it would be re-priced as urgent block after block) — and sends the
 * fulfil in the same pass, never held for the cancellation: from the slasher key, or from the one
 * key both roles share (the fulfil then takes the next nonce, right behind the cancellation, and
 * never replaces anything). Real anvil, Safe and desk; the veto is held out of the blocks by a
 * base fee above its fee cap until its window has passed.
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
  let db: TestDatabase | undefined;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ slashable: true });
  });
  afterEach(async () => {
    await f?.rpc('evm_setAutomine', [true]).catch(() => undefined);
    await desk?.stop();
    await db?.drop();
    desk = undefined;
    db = undefined;
  });
  afterAll(async () => {
    await f?.stop();
  });

  /** A desk whose veto of a new request waits in the mempool, priced out, until its window has passed. */
  async function vetoHeldPastWindow(keys: { executor: Hex; slasher: Hex }) {
    db = await createTestDatabase('sqlite');
    desk = await openVetoDesk(f, db, { executorPrivateKey: keys.executor }, { scheduler: { slasherPrivateKey: keys.slasher } });
    const id = await f.queue();
    await settle(desk);
    const v = ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto!;
    await f.rpc('evm_setAutomine', [false]);
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
    await desk.vetoes.idle();
    const veto = await desk.database.db.sentTx.findFirstOrThrow({ where: { purpose: 'safe_veto', requestId: id.toString() } });
    const fee = parseTransaction(veto.rawTx as Hex).maxFeePerGas!;
    for (let i = 0; i <= WINDOW; i++) {
      await f.rpc('anvil_setNextBlockBaseFeePerGas', [numberToHex(fee * 4n)]);
      await f.rpc('anvil_mine', ['0x1']);
    }
    expect(await f.slasherStatus(id)).toBe(0);
    return { id, veto, desk };
  }

  it('is cancelled once, and the fulfil is sent in the same pass from the slasher key', async () => {
    const { id, veto, desk } = await vetoHeldPastWindow({ executor: f.executor.privateKey, slasher: f.keeperAccount.privateKey });
    const atNonce = () => desk.database.db.sentTx.findMany({ where: { account: veto.account, txNonce: veto.txNonce }, orderBy: { id: 'asc' } });
    await settle(desk);
    // the fulfil did not wait for the cancellation to be mined
    const fulfils = await desk.database.db.sentTx.findMany({ where: { purpose: 'fulfil' } });
    expect(fulfils).toHaveLength(1);
    expect(fulfils[0]!.account).not.toBe(veto.account);
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
    expect(await desk.database.db.sentTx.count({ where: { purpose: 'fulfil' } })).toBe(1);

    // the market comes back: both land
    await f.rpc('evm_setAutomine', [true]);
    await f.mine(1);
    await settle(desk);
    await settle(desk);
    expect((await atNonce()).map((a) => a.status)).toEqual([...attempts.slice(0, -1).map(() => 'replaced'), 'mined']);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
  });

  it('with one key for both roles: the fulfil takes the next nonce, behind the cancellation, in the same block', async () => {
    const key = f.keeperAccount.privateKey;
    const { id, veto, desk } = await vetoHeldPastWindow({ executor: key, slasher: key });
    await settle(desk);
    const sent = await desk.database.db.sentTx.findMany({ where: { account: veto.account, txNonce: { gte: veto.txNonce } }, orderBy: { id: 'asc' } });
    expect(sent.map((a) => [a.purpose, a.txNonce])).toEqual([...sent.filter((a) => a.purpose === 'safe_veto').map((a) => ['safe_veto', veto.txNonce]), ['cancel', veto.txNonce], ['fulfil', veto.txNonce + 1]]);
    await f.rpc('evm_setAutomine', [true]);
    await f.mine(1);
    await settle(desk);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
    const landed = await desk.database.db.sentTx.findMany({ where: { account: veto.account, status: 'mined', txNonce: { gte: veto.txNonce } }, orderBy: { txNonce: 'asc' } });
    expect(landed.map((a) => a.purpose)).toEqual(['cancel', 'fulfil']);
    expect(landed[0]!.blockNumber).toBe(landed[1]!.blockNumber);
  });
});
