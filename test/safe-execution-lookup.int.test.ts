/**
 * A veto a member executed from a wallet, found through a provider that caps eth_getLogs at a
 * block range: the desk follows the chain and looks for the Safe's ExecutionSuccess in ranges the
 * provider accepts (a refused range fails the pass, and every veto's execution with it).
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
});
