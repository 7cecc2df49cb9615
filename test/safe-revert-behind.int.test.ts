/**
 * Two vetoes with quorum go out back to back (Safe nonces n and n+1); the first cannot land in
 * its window and reverts, so the second reverts too: the Safe was still at n. The second veto's
 * signatures are still good at n+1: it stays planned (never `failed`), the nonce left empty at n is
 * explained with its way out (a rejection), and once that is signed the second veto executes with
 * the signatures it had. Real anvil and Safe; both executions are held out of the blocks until
 * the first one's window has passed.
 */
import request from 'supertest';
import { numberToHex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import type { RejectionView } from '../src/requests/views';
import { typedDataFromJson } from '../src/safe/safeTx';
import { createDevClients } from '../src/devnet/devnet';
import { privateKeyToAccount } from 'viem/accounts';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, WINDOW, type SafeFixture } from './helpers/safeFixture';

const CANCELLED = 1;

describe('a veto reverted behind one that did not land', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await f?.rpc('evm_setAutomine', [true]).catch(() => undefined);
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const sign = async (id: bigint, v: VetoView) => {
    for (const o of f.owners.slice(0, 2)) await request(desk!.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
  };

  it('stays planned at its nonce and executes with its signatures once the nonce below is filled', async () => {
    desk = await openVetoDesk(f, db);
    const a = await f.queue('A: its veto comes too late');
    await f.mine(10);
    const b = await f.queue('B: its window ends 11 blocks after the first');
    await settle(desk);
    // A two blocks before its window closes
    const head = Number(await f.publicClient.getBlockNumber({ cacheTime: 0 }));
    await f.mine(Number(f.queuedAt.get(a)!) + WINDOW - 2 - head);

    await f.rpc('evm_setAutomine', [false]);
    const va = (await view(a)).veto!;
    await sign(a, va);
    await settle(desk);
    // A holds its nonce now: B is served at the next
    const vb = (await view(b)).veto!;
    expect(vb.nonce).toBe(va.nonce + 1);
    await sign(b, vb);
    await settle(desk);
    const pending = (await f.rpc('eth_getBlockByNumber', ['pending', false])) as { transactions: string[] };
    expect(pending.transactions).toHaveLength(2);

    // held out of the blocks until A's window has passed: taken out of the pool, then the same
    // signed bytes sent again (as a node that had lost them and a peer's rebroadcast would)
    const raw = await Promise.all(pending.transactions.map((hash) => f.rpc('eth_getRawTransactionByHash', [hash]) as Promise<`0x${string}`>));
    for (const hash of pending.transactions) await f.rpc('anvil_dropTransaction', [hash]);
    await f.rpc('anvil_mine', [numberToHex(4)]);
    expect(((await f.rpc('eth_getBlockByNumber', ['latest', false])) as { transactions: string[] }).transactions).toHaveLength(0);
    for (const r of raw) await f.rpc('eth_sendRawTransaction', [r]);
    await f.rpc('evm_mine');
    const included = (await f.rpc('eth_getBlockByNumber', ['latest', false])) as { transactions: `0x${string}`[] };
    expect(included.transactions).toHaveLength(2);
    const receipts = await Promise.all(included.transactions.map((hash) => f.publicClient.getTransactionReceipt({ hash })));
    expect(receipts.map((r) => r.status)).toEqual(['reverted', 'reverted']);
    await f.rpc('evm_setAutomine', [true]);

    await settle(desk);
    await settle(desk);
    const after = (await view(b)).veto!;
    expect(after.status).not.toBe('failed');
    expect(after).toMatchObject({ nonce: vb.nonce, blockedByNonce: va.nonce });
    expect(after.statusReason).toContain(`/api/safe/rejections/${va.nonce}`);
    // A had its threshold and did not land in its window: that one failed, and says why
    expect((await view(a)).veto).toMatchObject({ status: 'failed' });

    const offer = (await request(desk.url).get(`/api/safe/rejections/${va.nonce}`).expect(200)).body as RejectionView;
    for (const o of f.owners.slice(0, 2)) {
      await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await privateKeyToAccount(o.privateKey).signTypedData(typedDataFromJson(offer.typedData)) }).expect(201);
    }
    await settle(desk);
    await settle(desk);
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    expect((await view(b)).veto).toMatchObject({ status: 'executed', nonce: vb.nonce });
  });

  it("a member's wallet executing the same transaction first: executed by them, not failed", async () => {
    const c = await f.queue('C');
    await settle(desk!);
    await f.rpc('evm_setAutomine', [false]);
    const vc = (await view(c)).veto!;
    await sign(c, vc);
    await settle(desk!);
    const ours = ((await f.rpc('eth_getBlockByNumber', ['pending', false])) as { transactions: `0x${string}`[] }).transactions;
    expect(ours).toHaveLength(1);
    // the member's wallet submits the same call, with a tip that orders it first in the block
    const call = (await request(desk!.url).get(`/api/requests/${c}/veto/execution`).expect(200)).body as { to: `0x${string}`; data: `0x${string}` };
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    const theirs = await wallet.sendTransaction({ to: call.to, data: call.data, gas: 500_000n, maxPriorityFeePerGas: 1_000_000_000_000n, maxFeePerGas: 2_000_000_000_000n });
    await f.rpc('evm_mine');
    await f.rpc('evm_setAutomine', [true]);
    expect((await f.publicClient.getTransactionReceipt({ hash: theirs })).status).toBe('success');
    expect((await f.publicClient.getTransactionReceipt({ hash: ours[0]! })).status).toBe('reverted');

    await settle(desk!);
    await settle(desk!);
    expect(await f.slasherStatus(c)).toBe(CANCELLED);
    expect((await view(c)).veto).toMatchObject({ status: 'executed', executionTxHash: theirs });
  });
});
