/**
 * MultiSend batch veto: one Safe transaction (DELEGATECALL into MultiSendCallOnly) vetoes two
 * requests; two owners sign it over HTTP; one execTransaction from the executor cancels both.
 */
import request from 'supertest';
import { privateKeyToAccount } from 'viem/accounts';
import type { Desk } from '../src/app/desk';
import type { RequestView, VetoView } from '../src/api/views';
import type { BatchView, SafePlanView } from '../src/requests/views';
import { typedDataFromJson } from '../src/safe/safeTx';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startSafeFixture, type SafeFixture, openVetoDesk, settle } from './helpers/safeFixture';

const CANCELLED = 1;


describe.each(DB_KINDS)('MultiSend batch veto on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db, { executorPrivateKey: f.executor.privateKey, contractNetworks: f.contractNetworks as unknown as Record<string, Record<string, string>> });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const veto = async (id: bigint) => ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto as VetoView;
  const sign = (key: `0x${string}`, b: BatchView) => privateKeyToAccount(key).signTypedData(typedDataFromJson(b.typedData));

  it('two requests vetoed by one Safe transaction signed by two owners', async () => {
    const a = await f.queue('A');
    const b = await f.queue('B');
    await settle(desk);
    const va = await veto(a);
    expect((await request(desk.url).post('/api/safe/batches').send({ requestIds: [a.toString()] }).expect(400)).body.error.code).toBe('BAD_REQUEST');
    const batch = (await request(desk.url).post('/api/safe/batches').send({ requestIds: [b.toString(), a.toString()] }).expect(201)).body as BatchView;
    expect(batch).toMatchObject({ safe: f.safe, nonce: va.nonce, requestIds: [a.toString(), b.toString()], to: f.contracts.multiSendCallOnlyAddress, operation: 1, status: 'collecting' });
    expect(batch.typedData.message).toMatchObject({ operation: 1, to: f.contracts.multiSendCallOnlyAddress });
    // the Safe contract hashes it the same way
    const onchain = await f.publicClient.readContract({
      address: f.safe,
      abi: [{ type: 'function', name: 'getTransactionHash', stateMutability: 'view', inputs: ['address', 'uint256', 'bytes', 'uint8', 'uint256', 'uint256', 'uint256', 'address', 'address', 'uint256'].map((type, i) => ({ name: `a${i}`, type })), outputs: [{ name: '', type: 'bytes32' }] }] as const,
      functionName: 'getTransactionHash',
      args: [batch.to, 0n, batch.typedData.message.data as `0x${string}`, 1, 0n, 0n, 0n, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', BigInt(batch.nonce)],
    });
    expect(onchain).toBe(batch.safeTxHash);
    const plan = (await request(desk.url).get('/api/safe/plan').expect(200)).body as SafePlanView;
    expect(plan.entries).toContainEqual(expect.objectContaining({ kind: 'batch', nonce: va.nonce, requestIds: [a.toString(), b.toString()] }));

    const stranger = await request(desk.url).post(`/api/safe/batches/${batch.nonce}/signatures`).send({ signature: await sign(f.stranger.privateKey, batch) });
    expect(stranger.body.error.code).toBe('SIGNER_NOT_OWNER');
    const sentBefore = await f.publicClient.getTransactionCount({ address: f.executor.address });
    await request(desk.url).post(`/api/safe/batches/${batch.nonce}/signatures`).send({ signature: await sign(f.owners[0]!.privateKey, batch) }).expect(201);
    await desk.vetoes.idle();
    expect(await f.slasherStatus(a)).toBe(0);
    await request(desk.url).post(`/api/safe/batches/${batch.nonce}/signatures`).send({ signature: await sign(f.owners[2]!.privateKey, batch) }).expect(201);
    await desk.vetoes.idle();
    await settle(desk);
    await settle(desk);

    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    expect(await f.publicClient.getTransactionCount({ address: f.executor.address })).toBe(sentBefore + 1);
    const done = (await request(desk.url).get(`/api/safe/batches/${batch.nonce}`).expect(200)).body as BatchView;
    expect(done.status).toBe('executed');
    for (const id of [a, b]) {
      const v = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
      expect(v.status).toBe('vetoed');
      expect(v.veto!.status).toBe('executed');
    }
    const after = (await request(desk.url).get('/api/safe/plan').expect(200)).body as SafePlanView;
    expect(after.safeNonce).toBe(va.nonce + 1);
    expect(after.entries).toEqual([]);
  });

  it('several batches at a nonce: an owner is served one only by its requests or by owners\' signatures, never the newest anonymous one', async () => {
    const [a, b, c] = [await f.queue('A'), await f.queue('B'), await f.queue('C: to be let pass')];
    await settle(desk);
    const mine = (await request(desk.url).post('/api/safe/batches').send({ requestIds: [a.toString(), b.toString()] }).expect(201)).body as BatchView;
    // anyone may propose one: this one also cancels C
    const theirs = (await request(desk.url).post('/api/safe/batches').send({ requestIds: [a.toString(), b.toString(), c.toString()] }).expect(201)).body as BatchView;
    expect(theirs.nonce).toBe(mine.nonce);
    const ambiguous = await request(desk.url).get(`/api/safe/batches/${mine.nonce}`).expect(409);
    expect(ambiguous.body.error.code).toBe('BATCH_AMBIGUOUS');
    const unnamed = await request(desk.url).post(`/api/safe/batches/${mine.nonce}/signatures`).send({ signature: await sign(f.owners[0]!.privateKey, mine) }).expect(409);
    expect(unnamed.body.error.code).toBe('BATCH_AMBIGUOUS');
    const named = (await request(desk.url).get(`/api/safe/batches/${mine.nonce}?requestIds=${a},${b}`).expect(200)).body as BatchView;
    expect(named.safeTxHash).toBe(mine.safeTxHash);
    await request(desk.url).post(`/api/safe/batches/${mine.nonce}/signatures`).send({ signature: await sign(f.owners[0]!.privateKey, mine), requestIds: [a.toString(), b.toString()] }).expect(201);
    // one signed by an owner: that one is served without naming it
    expect(((await request(desk.url).get(`/api/safe/batches/${mine.nonce}`).expect(200)).body as BatchView).safeTxHash).toBe(mine.safeTxHash);
  });

  it("an owner's batch pushed out by anonymous proposals comes back with the owner's signature", async () => {
    const ids: bigint[] = [];
    for (const name of ['D', 'E', 'F', 'G', 'H']) ids.push(await f.queue(name));
    await settle(desk);
    const body = (set: bigint[]) => ({ requestIds: set.map(String) });
    const mine = (await request(desk.url).post('/api/safe/batches').send(body(ids.slice(0, 2))).expect(201)).body as BatchView;
    // anyone may propose: twenty other sets of the same requests push the unsigned one out
    const others: bigint[][] = [];
    for (let m = 1; m < 1 << ids.length && others.length < 20; m++) {
      const set = ids.filter((_, i) => m & (1 << i));
      if (set.length >= 2 && m !== 0b11) others.push(set);
    }
    for (const set of others) await request(desk.url).post('/api/safe/batches').send(body(set)).expect(201);
    const gone = await request(desk.url).get(`/api/safe/batches/${mine.nonce}?requestIds=${ids[0]},${ids[1]}`).expect(409);
    expect(gone.body.error.code).toBe('BATCH_NOT_AVAILABLE');
    // the owner signed what was served: the signature brings the same transaction back
    const signed = (await request(desk.url).post(`/api/safe/batches/${mine.nonce}/signatures`).send({ signature: await sign(f.owners[0]!.privateKey, mine), ...body(ids.slice(0, 2)) }).expect(201)).body as BatchView;
    expect(signed).toMatchObject({ nonce: mine.nonce, safeTxHash: mine.safeTxHash });
    expect(signed.signatures.map((x) => x.signer)).toEqual([f.owners[0]!.address]);
    // the unsigned ones are at their bound: each new set pushes the oldest unsigned one out, never the signed one (the oldest of all)
    const rest: bigint[][] = [];
    for (let m = 1; m < 1 << ids.length; m++) {
      const set = ids.filter((_, i) => m & (1 << i));
      if (set.length >= 2 && m !== 0b11 && !others.some((o) => o.join() === set.join())) rest.push(set);
    }
    expect(rest.length).toBeGreaterThan(0);
    for (const set of rest) await request(desk.url).post('/api/safe/batches').send(body(set)).expect(201);
    const kept = (await request(desk.url).get(`/api/safe/batches/${mine.nonce}?requestIds=${ids[0]},${ids[1]}`).expect(200)).body as BatchView;
    expect(kept).toMatchObject({ safeTxHash: mine.safeTxHash, signatures: [expect.objectContaining({ signer: f.owners[0]!.address })] });
    await request(desk.url).get(`/api/safe/batches/${mine.nonce}?requestIds=${others[0]!.join(',')}`).expect(409);
  });
});
