/**
 * Resolving nonce blocking with a rejection: a partly signed veto (A) holds a lower nonce and
 * blocks a veto with quorum (B); the API explains it (`/api/safe/plan`, B's statusReason) and
 * offers the rejection at A's nonce; two owners sign it over HTTP; the desk executes it, then B;
 * A's signer is asked to sign again at a later nonce. Refusals (not needed, out of range,
 * non-owner, duplicate) store nothing.
 */
import request from 'supertest';
import type { Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView, VetoView } from '../src/api/views';
import type { RejectionView, SafePlanView } from '../src/requests/views';
import { typedDataFromJson } from '../src/safe/safeTx';
import { privateKeyToAccount } from 'viem/accounts';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { signTypedVeto, startSafeFixture, type SafeFixture, openVetoDesk, settle } from './helpers/safeFixture';

const logger = createLogger('silent');
const CANCELLED = 1;


describe.each(DB_KINDS)('rejection at a blocking nonce on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const veto = async (id: bigint) => ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto as VetoView;
  const signRejection = (key: `0x${string}`, r: RejectionView) => privateKeyToAccount(key).signTypedData(typedDataFromJson(r.typedData));

  it('blocked veto detected → rejection signed by two owners → executed → blocked veto executed, blocker re-planned', async () => {
    const a = await f.queue('A: earlier deadline, no quorum');
    const b = await f.queue('B');
    await settle(desk);
    const va = await veto(a);
    // one owner signs A: A holds its nonce; B is served at the next
    await request(desk.url).post(`/api/requests/${a}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, va.typedData) }).expect(201);
    const vb = await veto(b);
    expect(vb.nonce).toBe(va.nonce + 1);
    // a nonce beyond anything planned is refused at once
    const far = await request(desk.url).post('/api/safe/rejections/999999/signatures').send({ signature: `0x${'11'.repeat(64)}1b` }).expect(422);
    expect(far.body.error.code).toBe('NONCE_OUT_OF_RANGE');

    // nothing blocks yet: no rejection offered
    const early = await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, (await request(desk.url).get(`/api/safe/rejections/${va.nonce}`)).body.typedData) }).expect(409);
    expect(early.body.error.code).toBe('REJECTION_NOT_NEEDED');

    for (const o of [f.owners[0]!, f.owners[1]!]) await request(desk.url).post(`/api/requests/${b}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, vb.typedData) }).expect(201);
    await desk.vetoes.idle();
    const blocked = await veto(b);
    expect(blocked).toMatchObject({ status: 'ready', blockedByNonce: va.nonce });
    expect(blocked.statusReason).toContain(`/api/safe/rejections/${va.nonce}`);

    const plan = (await request(desk.url).get('/api/safe/plan').expect(200)).body as SafePlanView;
    expect(plan.safeNonce).toBe(va.nonce);
    expect(plan.blocked).toEqual([expect.objectContaining({ nonce: va.nonce, blockingRequestId: a.toString(), waiting: [b.toString()], rejection: `/api/safe/rejections/${va.nonce}` })]);

    const offer = (await request(desk.url).get(`/api/safe/rejections/${va.nonce}`).expect(200)).body as RejectionView;
    expect(offer).toMatchObject({ safe: f.safe, nonce: va.nonce, status: 'collecting', signatures: [], blocking: { requestId: a.toString() }, unblocks: [b.toString()] });
    expect(offer.typedData.message).toMatchObject({ to: f.safe, value: '0', data: '0x', operation: 0, nonce: String(va.nonce) });

    // refusals store nothing
    const stranger = await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signRejection(f.stranger.privateKey, offer) });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('SIGNER_NOT_OWNER');
    const wrongNonce = await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signRejection(f.owners[0]!.privateKey, { ...offer, typedData: { ...offer.typedData, message: { ...offer.typedData.message, nonce: String(va.nonce + 1) } } }) });
    expect(wrongNonce.body.error.code).toBe('SIGNATURE_WRONG_NONCE');
    expect(((await request(desk.url).get(`/api/safe/rejections/${va.nonce}`)).body as RejectionView).signatures).toEqual([]);

    const first = await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signRejection(f.owners[2]!.privateKey, offer) }).expect(201);
    expect((first.body as RejectionView).signatures).toHaveLength(1);
    await desk.vetoes.idle();
    const dup = await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signRejection(f.owners[2]!.privateKey, offer) }).expect(409);
    expect(dup.body.error.code).toBe('SIGNATURE_DUPLICATE');
    expect(await f.slasherStatus(b)).toBe(0);

    await request(desk.url).post(`/api/safe/rejections/${va.nonce}/signatures`).send({ signature: await signRejection(f.owners[0]!.privateKey, offer) }).expect(201);
    await desk.vetoes.idle();
    await settle(desk);

    const done = (await request(desk.url).get(`/api/safe/rejections/${va.nonce}`).expect(200)).body as RejectionView;
    expect(done.status).toBe('executed');
    expect(done.executionTxHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    const vbAfter = await veto(b);
    expect(vbAfter.status).toBe('executed');
    expect(((await request(desk.url).get(`/api/requests/${b}`)).body as RequestView).status).toBe('vetoed');
    // A was not vetoed by the rejection: served at a later nonce, its old signature void and its
    // signer asked by name to sign again
    expect(await f.slasherStatus(a)).toBe(0);
    const vaAfter = await veto(a);
    expect(vaAfter.nonce).toBe(vb.nonce + 1);
    expect(vaAfter.status).toBe('collecting');
    expect(vaAfter.superseded[0]).toMatchObject({ nonce: va.nonce });
    expect(vaAfter.signAgain).toEqual({ signers: [f.owners[1]!.address], lostNonce: va.nonce });
    const after = (await request(desk.url).get('/api/safe/plan').expect(200)).body as SafePlanView;
    expect(after.safeNonce).toBe(vb.nonce + 1);
    expect(after.blocked).toEqual([]);
    // a used nonce is offered no rejection; the executed one is still shown as such
    const used = await request(desk.url).get(`/api/safe/rejections/${vb.nonce}`).expect(409);
    expect(used.body.error).toMatchObject({ code: 'REJECTION_NOT_NEEDED', message: expect.stringContaining('already used') });
    expect(((await request(desk.url).get(`/api/safe/rejections/${va.nonce}`).expect(200)).body as RejectionView).status).toBe('executed');
  });
});
