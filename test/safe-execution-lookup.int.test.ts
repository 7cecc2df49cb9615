/**
 * A veto a member executed from a wallet, found through a provider that caps eth_getLogs at a
 * block range: the desk follows the chain and looks for the Safe's ExecutionSuccess in ranges the
 * provider accepts (a refused range fails the pass, and every veto's execution with it). A
 * rejection, which has no request to date it, is looked for only since the Safe was last read with
 * its nonce unused (211 capped calls over the whole chain before, 10 now).
 */
import request from 'supertest';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import { createDevClients } from '../src/devnet/devnet';
import { startRpcProxy, type RpcProxy } from '../bench/rpcProxy';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const CAP = 8;
const CANCELLED = 1;

describe('an execution by someone else, looked for through a provider capping eth_getLogs', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let proxy: RpcProxy;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ window: 400 });
    db = await createTestDatabase('sqlite');
    proxy = await startRpcProxy(f.anvil.rpcUrl, { maxLogRange: CAP });
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;

  it('marks the veto executed, and plans the next one', async () => {
    // no executor key: the desk never executes, a member does
    desk = await openVetoDesk(f, db, {}, { rpcUrls: [proxy.url] });
    const a = await f.queue('A');
    const b = await f.queue('B');
    await settle(desk);
    const va = (await view(a)).veto as VetoView;
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${a}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, va.typedData) }).expect(201);
    await settle(desk);
    const call = (await request(desk.url).get(`/api/requests/${a}/veto/execution`).expect(200)).body as { to: `0x${string}`; data: `0x${string}` };
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    await f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });
    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    // the request's queue block now lies many capped ranges below the head
    await f.mine(6 * CAP);
    proxy.reset();
    await settle(desk);
    await settle(desk);

    const done = await view(a);
    expect(done.status).toBe('vetoed');
    expect(done.veto).toMatchObject({ status: 'executed', nonce: va.nonce });
    // looked for in ranges within the cap (at most the one refusal that names it)
    expect(proxy.counts().eth_getLogs).toBeGreaterThan(0);
    expect(proxy.refusals().logRange).toBeLessThanOrEqual(1);
    // the pass went on to the plan: the next veto is served at the next nonce
    expect(((await view(b)).veto as VetoView).nonce).toBe(va.nonce + 1);
  });

  it('looks for a rejection (no request to date it) only since the Safe was last seen with its nonce unused', async () => {
    // a long chain: a walk from far back would be hundreds of capped calls
    await f.mine(200 * CAP);
    const a = await f.queue('C: holds a nonce with one signature');
    const b = await f.queue('D: ready behind it');
    await settle(desk!);
    const va = (await view(a)).veto as VetoView;
    await request(desk!.url).post(`/api/requests/${a}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, va.typedData) }).expect(201);
    const vb = (await view(b)).veto as VetoView;
    for (const o of f.owners.slice(0, 2)) await request(desk!.url).post(`/api/requests/${b}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, vb.typedData) }).expect(201);
    await settle(desk!);
    // one owner signs the rejection offered at the blocking nonce; the committee completes C's veto instead
    const offer = (await request(desk!.url).get(`/api/safe/rejections/${va.nonce}`).expect(200)).body as { typedData: VetoView['typedData'] };
    await request(desk!.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signTypedVeto(f.owners[2]!.privateKey, offer.typedData) }).expect(201);
    await request(desk!.url).post(`/api/requests/${a}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, va.typedData) }).expect(201);
    await settle(desk!);
    const call = (await request(desk!.url).get(`/api/requests/${a}/veto/execution`).expect(200)).body as { to: `0x${string}`; data: `0x${string}` };
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    await f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });
    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    proxy.reset();
    await settle(desk!);
    await settle(desk!);

    expect((await view(a)).veto).toMatchObject({ status: 'executed', nonce: va.nonce });
    // the rejection was looked for, not found, and set aside: the veto took its nonce
    const rejection = await desk!.database.db.vetoProposal.findFirstOrThrow({ where: { requestId: `rejection:${va.nonce}` } });
    expect(rejection).toMatchObject({ status: 'abandoned', superseded: true, statusReason: expect.stringContaining(`Safe nonce ${va.nonce} was used by another transaction`) });
    // the rejection's walk began near the previous pass's read, not LOOKBACK_BLOCKS (here: the whole chain) back
    expect(proxy.counts().eth_getLogs).toBeLessThan(40);
    expect((await view(b)).veto).toMatchObject({ nonce: va.nonce + 1 });
  });
});
