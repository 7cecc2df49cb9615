/**
 * A governance fulfil signed during the window whose request lapses (the operator left and its
 * stake escaped) is set aside; when the operator registers again the request is fulfillable again
 * and the same Safe transaction at the same unused nonce is live again with the signature it had,
 * so one more owner completes it (FULFIL_AFTER_LAPSE=true); one that had its threshold and failed
 * for missing the request executes by itself then. Both had stayed set aside: the desk served that
 * very transaction and refused every signature over it. Real anvil, Safe 1.4.1, both databases.
 */
import request from 'supertest';
import { getAddress } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import { fulfilCallData, safeAbi } from '../src/safe/safeTx';
import { deregisterOperator, registerOperator } from '../src/devnet/deploy';
import { DB_KINDS, createTestDatabase, type DbKind, type TestDatabase } from './helpers/databases';
import { WINDOW, openVetoDesk, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const DELAY = 30; // the fixture's DEALLOCATION_DELAY
const COMPLETED = 2;

/** A governance-Safe fixture, a database and a desk for the describe block around it, and the steps its tests take. */
function useGovernanceDesk(kind: DbKind, fulfilAfterLapse: boolean) {
  const t = {} as { f: SafeFixture; db: TestDatabase; desk: Desk };
  beforeAll(async () => {
    t.f = await startSafeFixture({ governance: true });
    t.db = await createTestDatabase(kind);
    t.desk = await openVetoDesk(t.f, t.db, { executorPrivateKey: t.f.executor.privateKey }, { scheduler: { fulfilAfterLapse } });
  });
  afterAll(async () => {
    await t.desk?.stop();
    await t.db?.drop();
    await t.f?.stop();
  });
  return {
    t,
    async settle() {
      await t.desk.ingestor.sync();
      await t.desk.scheduler.evaluate();
      await t.desk.scheduler.idle();
      await t.desk.fulfils.reconcile();
      await t.desk.fulfils.idle();
    },
    view: async (id: bigint) => (await request(t.desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView,
    fulfil: async (id: bigint) => (await request(t.desk.url).get(`/api/requests/${id}/fulfil`).expect(200)).body as VetoView,
    async sign(id: bigint, owner: number, v: VetoView, safeTxHash?: string) {
      const res = await request(t.desk.url).post(`/api/requests/${id}/fulfil/signatures`).send({ signature: await signTypedVeto(t.f.governance!.owners[owner]!.privateKey, v.typedData), ...(safeTxHash ? { safeTxHash } : {}) });
      expect([res.status, res.body.error?.code]).toEqual([201, undefined]);
    },
    target: () => ({ allocationManager: t.f.testbed.allocationManager, operator: t.f.stranger.address, operatorSet: { avs: t.f.testbed.avs, id: 1 } }),
  };
}

describe.each(DB_KINDS)('a governance fulfil set aside by a lapse, on %s', (kind) => {
  const { t, settle, view, fulfil, sign, target } = useGovernanceDesk(kind, true);

  it('is live again with its signature when the operator is slashable again, and lands at its nonce', async () => {
    const gov = t.f.governance!;
    const id = await t.f.queue('signed once, lapses, slashable again');
    await settle();
    const served = await fulfil(id);
    expect(served.signatures).toEqual([]);
    await sign(id, 0, served);
    // the operator leaves: slashable through its deregistration block + DELAY, then the stake escapes
    const left = await deregisterOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(DELAY + 2);
    await settle();
    await settle();
    const lapsed = await view(id);
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.lastUsefulBlock).toBe(Number(left.blockNumber) + DELAY);
    expect(lapsed.fulfil).toMatchObject({ nonce: served.nonce, status: 'abandoned' });

    // the operator registers again: the same transaction at the same nonce, with its signature
    await registerOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(1);
    await settle();
    await settle();
    const again = await view(id);
    expect(again.status).toBe('fulfillable');
    expect(again.lapsed).toEqual({ block: expect.any(Number), slashableAgainAtBlock: expect.any(Number) });
    expect(again.fulfil).toMatchObject({ nonce: served.nonce, safeTxHash: served.safeTxHash, status: 'collecting' });
    expect(again.fulfil!.signatures.map((s) => s.signer)).toEqual([getAddress(gov.owners[0]!.address)]);
    expect(await t.f.slasherStatus(id)).not.toBe(COMPLETED);

    // one more owner: it executes at its nonce
    await sign(id, 1, again.fulfil!);
    await settle();
    await settle();
    expect(await t.f.slasherStatus(id)).toBe(COMPLETED);
    const done = await view(id);
    expect(done.status).toBe('fulfilled');
    expect(done.fulfil).toMatchObject({ nonce: served.nonce, status: 'executed' });
  });

  it('a fulfil with its threshold that missed its request (failed) executes once the operator is slashable again', async () => {
    // the operator left 15 blocks before the request: its stake escapes before the window ends
    await deregisterOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(14);
    const id = await t.f.queue('signed by a quorum, too late, slashable again');
    await settle();
    const served = await fulfil(id);
    await sign(id, 0, served);
    await sign(id, 1, served);
    await t.f.mine(WINDOW);
    await settle();
    await settle();
    const missed = await view(id);
    expect(missed.status).toBe('lapsed');
    expect(missed.fulfil).toMatchObject({ nonce: served.nonce, status: 'failed', statusReason: expect.stringContaining('had its threshold but did not land') });
    expect(await t.f.slasherStatus(id)).not.toBe(COMPLETED);

    await registerOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(1);
    await settle();
    await settle();
    expect(await t.f.slasherStatus(id)).toBe(COMPLETED);
    expect((await view(id)).fulfil).toMatchObject({ nonce: served.nonce, safeTxHash: served.safeTxHash, status: 'executed' });
  });
});

describe('a governance fulfil set aside by a lapse, FULFIL_AFTER_LAPSE=false', () => {
  const { t, settle, view, sign, target } = useGovernanceDesk('sqlite', false);

  it('stays aside when slashable again (held for good, it would hold its nonce), and the next fulfil takes that nonce and lands', async () => {
    const gov = t.f.governance!;
    const r = await t.f.queue('signed once a nonce ahead, lapses, slashable again: governance decides');
    await settle();
    // an owner signs R's fulfil one nonce ahead (the next queueing through the Safe takes the first)
    const served = (await view(r)).fulfil!;
    const ahead = served.nonce + 1;
    const zero = '0x0000000000000000000000000000000000000000';
    const hash = await t.f.publicClient.readContract({ address: gov.safe, abi: safeAbi, functionName: 'getTransactionHash', args: [t.f.testbed.slasher, 0n, fulfilCallData('fulfillSlashingRequest', r), 0, 0n, 0n, 0n, zero, zero, BigInt(ahead)] });
    const typedData = { ...served.typedData, message: { ...served.typedData.message, nonce: String(ahead) } };
    await sign(r, 0, { ...served, typedData }, hash);
    await deregisterOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(DELAY + 2);
    await settle();
    await settle();
    expect((await view(r)).status).toBe('lapsed');
    await registerOperator(t.f.keeper, t.f.publicClient, target());
    await t.f.mine(1);
    await settle();
    await settle();
    const again = await view(r);
    expect(again.status).toBe('fulfillable');
    expect(again.nextAction).toMatchObject({ actor: 'nobody', note: expect.stringContaining('FULFIL_AFTER_LAPSE=false') });
    expect((await t.desk.database.db.vetoProposal.findFirstOrThrow({ where: { safeTxHash: hash } })).status).toBe('abandoned');

    // the next request (queued through the Safe at the first nonce): its fulfil is served at the
    // nonce R's would have held for good, and lands
    const s = await t.f.queue('the next one');
    await settle();
    const next = (await view(s)).fulfil!;
    expect(next.nonce).toBe(ahead);
    await sign(s, 0, next);
    await sign(s, 1, next);
    await t.f.mine(WINDOW);
    await settle();
    await settle();
    expect(await t.f.slasherStatus(s)).toBe(COMPLETED);
    expect(await t.f.slasherStatus(r)).not.toBe(COMPLETED);
  });
});
