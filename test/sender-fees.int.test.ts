/**
 * One sender for everything the desk sends, re-pricing only what is actually underpriced: a veto
 * sent at a fee the base fee then outgrew is replaced at the same account nonce with higher fees
 * and mined; MAX_FEE_PER_GAS_GWEI bounds the replacement and its reach is alerted.
 */
import request from 'supertest';
import { numberToHex, parseTransaction, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const CANCELLED = 1;

describe('fees follow the market, up to the cap', () => {
  let f: SafeFixture;
  beforeAll(async () => {
    f = await startSafeFixture();
  });
  afterAll(async () => {
    await f?.stop();
  });

  const automine = (on: boolean) => f.publicClient.request({ method: 'evm_setAutomine', params: [on] } as never);
  const nextBaseFee = (wei: bigint) => f.publicClient.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: [numberToHex(wei)] } as never);

  /** Queues a request, two owners sign its veto with automine off: the execution waits in the mempool. */
  async function pendingVeto(desk: Desk): Promise<{ id: bigint; row: { txHash: string; rawTx: string; account: string; txNonce: number } }> {
    const id = await f.queue();
    await settle(desk);
    const v = ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto!;
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData), safeTxHash: v.safeTxHash }).expect(201);
    await automine(false);
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, v.typedData), safeTxHash: v.safeTxHash }).expect(201);
    await desk.vetoes.idle();
    const row = await desk.database.db.sentTx.findFirstOrThrow({ where: { purpose: 'safe_veto', requestId: id.toString() } });
    expect(row.status).toBe('recorded');
    return { id, row };
  }

  it('a veto whose fee the base fee outgrew is replaced at the same nonce and mined', async () => {
    const db: TestDatabase = await createTestDatabase('sqlite');
    const desk = await openVetoDesk(f, db);
    try {
      const { id, row } = await pendingVeto(desk);
      const sent = parseTransaction(row.rawTx as Hex);
      // the base fee jumps above what the transaction pays: the next block leaves it out
      await nextBaseFee(sent.maxFeePerGas! * 4n);
      await f.mine(1);
      expect(await f.slasherStatus(id)).toBe(0);
      await settle(desk); // underpriced: replaced with higher fees
      const attempts = await desk.database.db.sentTx.findMany({ where: { account: row.account, txNonce: row.txNonce }, orderBy: { id: 'asc' } });
      expect(attempts).toHaveLength(2);
      const bumped = parseTransaction(attempts[1]!.rawTx as Hex);
      expect(bumped.maxFeePerGas!).toBeGreaterThan(sent.maxFeePerGas! * 4n);
      expect(bumped.maxPriorityFeePerGas!).toBeGreaterThanOrEqual((sent.maxPriorityFeePerGas! * 1125n) / 1000n);
      await f.mine(1);
      await automine(true);
      await settle(desk);
      expect(await f.slasherStatus(id)).toBe(CANCELLED);
      const after = await desk.database.db.sentTx.findMany({ where: { account: row.account, txNonce: row.txNonce }, orderBy: { id: 'asc' } });
      expect(after.map((a) => a.status)).toEqual(['replaced', 'mined']);
      const v = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
      expect(v.veto).toMatchObject({ status: 'executed', executionTxHash: attempts[1]!.txHash });
      expect(v.actions!.map((a) => a.kind)).toContain('safe_veto_bumped');
    } finally {
      await automine(true);
      await desk.stop();
      await db.drop();
    }
  });

  it('a well-priced veto is never re-priced while it waits', async () => {
    const db: TestDatabase = await createTestDatabase('sqlite');
    const desk = await openVetoDesk(f, db);
    try {
      const { id, row } = await pendingVeto(desk);
      for (let i = 0; i < 3; i++) await settle(desk); // no block mined: nothing to re-price
      expect(await desk.database.db.sentTx.count({ where: { account: row.account, txNonce: row.txNonce } })).toBe(1);
      await f.mine(1);
      await automine(true);
      await settle(desk);
      expect(await f.slasherStatus(id)).toBe(CANCELLED);
    } finally {
      await automine(true);
      await desk.stop();
      await db.drop();
    }
  });

  it('MAX_FEE_PER_GAS_GWEI bounds the replacement, and reaching it is alerted (fee_cap_reached)', async () => {
    const db: TestDatabase = await createTestDatabase('postgresql');
    // a cap just above what the first attempt pays: the market then asks far more
    const base = (await f.publicClient.getBlock()).baseFeePerGas!;
    const cap = base * 3n + 2_000_000_000n;
    const desk = await openVetoDesk(f, db, { executorPrivateKey: f.executor.privateKey }, { scheduler: { maxFeePerGasWei: cap } });
    try {
      const { id, row } = await pendingVeto(desk);
      const sent = parseTransaction(row.rawTx as Hex);
      expect(sent.maxFeePerGas!).toBeLessThanOrEqual(cap);
      await nextBaseFee(cap * 3n);
      await f.mine(1);
      await settle(desk);
      const attempts = await desk.database.db.sentTx.findMany({ where: { account: row.account, txNonce: row.txNonce }, orderBy: { id: 'asc' } });
      for (const a of attempts) expect(parseTransaction(a.rawTx as Hex).maxFeePerGas!).toBeLessThanOrEqual(cap);
      const alerts = (await request(desk.url).get(`/api/alerts?kind=fee_cap_reached&requestId=${id}`).expect(200)).body.alerts as { severity: string; title: string }[];
      expect(alerts).toEqual([expect.objectContaining({ severity: 'critical', title: expect.stringContaining('MAX_FEE_PER_GAS_GWEI') })]);
      // the market comes back: mined without ever paying more than the cap
      await automine(true);
      await f.mine(12);
      await settle(desk);
      await settle(desk);
      expect(await f.slasherStatus(id)).toBe(CANCELLED);
    } finally {
      await automine(true);
      await desk.stop();
      await db.drop();
    }
  });
});
