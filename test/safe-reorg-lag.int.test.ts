/**
 * A veto a member executed is removed by a reorg that the node shows before the desk's ingest has
 * read it: the Safe's nonce is back, but the indexed request still reads vetoed. The proposal is
 * reopened and must not be set aside as "not needed" on the strength of a cancellation that is no
 * longer on chain: once the ingest reads the reorg, the veto is ready again with the signatures it
 * had, and executes. Real anvil (snapshot and revert), Safe and desk.
 */
import request from 'supertest';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import { createDevClients } from '../src/devnet/devnet';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { executeRejection, openVetoDesk, settle, signTypedVeto, signVetoQuorum, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const REQUESTED = 0;
const CANCELLED = 1;

describe('a reorg the node shows before the ingest has read it', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ window: 60 });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;

  it('keeps the reopened veto with its signatures, and it executes again', async () => {
    // no executor key: members execute from their wallets
    desk = await openVetoDesk(f, db, {});
    const id = await f.queue();
    await settle(desk);
    const v = (await view(id)).veto!;
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
    await settle(desk);
    const call = (await request(desk.url).get(`/api/requests/${id}/veto/execution`).expect(200)).body as { to: `0x${string}`; data: `0x${string}` };
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    const execute = async () => f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });

    const before = (await f.rpc('evm_snapshot')) as string;
    await execute();
    await settle(desk);
    expect((await view(id)).veto).toMatchObject({ status: 'executed' });

    // the execution's block is replaced by a longer chain without it
    await f.rpc('evm_revert', [before]);
    await f.mine(4);
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    // the Safe desk reads the Safe before the ingest reads the reorg
    desk.vetoes.stateMayHaveChanged();
    await desk.vetoes.reconcile();
    await settle(desk);
    await settle(desk);

    const again = (await view(id)).veto as VetoView;
    expect(again).toMatchObject({ status: 'ready', nonce: v.nonce, safeTxHash: v.safeTxHash });
    expect(again.signatures.filter((s) => !s.stale)).toHaveLength(2);
    await execute();
    await settle(desk);
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
    expect((await view(id)).veto).toMatchObject({ status: 'executed' });
  });

  /** Its veto signed to threshold and executed from a member's wallet; `before`: a snapshot of the chain without that execution. */
  async function executedByMember(id: bigint): Promise<{ v: VetoView; before: string }> {
    await settle(desk!);
    const v = await signVetoQuorum(desk!, f, id);
    await settle(desk!);
    const call = (await request(desk!.url).get(`/api/requests/${id}/veto/execution`).expect(200)).body as { to: `0x${string}`; data: `0x${string}` };
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    const before = (await f.rpc('evm_snapshot')) as string;
    await f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });
    await settle(desk!);
    expect((await view(id)).veto).toMatchObject({ status: 'executed' });
    return { v, before };
  }

  it('an execution a reorg replaced with another transaction at the same Safe nonce is not kept as executed: its signers are asked again', async () => {
    const id = await f.queue('another transaction takes its nonce in a reorg');
    const { v, before } = await executedByMember(id);

    // the longer chain has the owners' rejection at that nonce instead (a member's wallet sent it)
    await f.rpc('evm_revert', [before]);
    await executeRejection(f, v.nonce);
    await f.mine(4);
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    desk!.vetoes.stateMayHaveChanged();
    await settle(desk!);
    await settle(desk!);

    const after = (await view(id)) as RequestView;
    expect(after.status).toBe('in_veto_window');
    expect(after.veto!.status).not.toBe('executed');
    expect(after.veto!.nonce).toBe(v.nonce + 1);
    const asked = (await request(desk!.url).get(`/api/alerts?kind=veto_sign_again&requestId=${id}`).expect(200)).body.alerts as { severity: string }[];
    expect(asked).toMatchObject([{ severity: 'critical' }]);
  });

  it('a member\'s execution whose nonce a reorg gave to another transaction, first read after the window closed, is a failure with its cause and a critical alert', async () => {
    const id = await f.queue('its execution is lost and its window closes before the desk looks');
    const { v, before } = await executedByMember(id);

    await f.rpc('evm_revert', [before]);
    await executeRejection(f, v.nonce);
    const head = Number(await f.publicClient.getBlockNumber({ cacheTime: 0 }));
    await f.mine(Number(f.queuedAt.get(id)!) + 60 + 1 - head);
    await settle(desk!);
    await settle(desk!);

    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    const row = await desk!.database.db.vetoProposal.findFirstOrThrow({ where: { requestId: id.toString(), nonce: v.nonce } });
    expect(row).toMatchObject({ status: 'failed', statusReason: `the veto had its threshold but did not land before the window closed: another transaction took Safe nonce ${v.nonce}` });
    const failed = (await request(desk!.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts as { severity: string; title: string }[];
    expect(failed).toMatchObject([{ severity: 'critical', title: expect.stringContaining(`another transaction took Safe nonce ${v.nonce}`) }]);
  });
});
