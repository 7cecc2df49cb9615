/**
 * Governance fulfils when the slasher role is a Safe, against a real anvil, real Safe
 * 1.4.1 contracts (a 2-of-3 committee and a 2-of-3 governance Safe) and SQLite/PostgreSQL: the
 * desk plans a fulfil per queued request, owners sign during the window (HTTP, CLI, Safe{Wallet}
 * through the Transaction Service stand-in), the fulfil is held until the window ends and lands
 * in the window-end block; a vetoed request's fulfil is abandoned and never executes; a committee
 * owner's signature is refused; V4's burn-or-redistribute when configured; an EOA role has no
 * Safe path.
 */
import SafeApiKit from '@safe-global/api-kit';
import request from 'supertest';
import { getAddress, parseEventLogs, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import { run } from '../src/cli/sign';
import { fulfilCallData, safeAbi, type FulfilFunction } from '../src/safe/safeTx';
import { strategyManagerStandInAbi } from '../src/devnet/deploy';
import type { RequestView, VetoView } from '../src/api/views';
import { DB_KINDS, createTestDatabase, type DbKind, type TestDatabase } from './helpers/databases';
import { WINDOW, openVetoDesk, signEthSignVeto, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';
import { startTxServiceStandIn, type TxServiceStandIn } from './helpers/txService';
import { waitFor } from './helpers/deskProcess';
import { createDevClients } from '../src/devnet/devnet';

const REQUESTED = 0;
const CANCELLED = 1;
const COMPLETED = 2; // V3/V4 SlashingStatus: Requested, Cancelled, Completed

interface Ctx {
  f: SafeFixture;
  db: TestDatabase;
  desk: Desk;
  /** the Transaction Service stand-in, with `txService` */
  service?: TxServiceStandIn;
}

/** A fixture, a database and a desk for the describe block around it (filled in beforeAll). */
function useDesk(kind: DbKind, fixture: Parameters<typeof startSafeFixture>[0], o: { txService?: boolean; fulfilFunction?: FulfilFunction; noExecutor?: boolean } = {}): Ctx {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    ctx.f = await startSafeFixture(fixture);
    ctx.service = o.txService ? await startTxServiceStandIn({ publicClient: ctx.f.publicClient, chainId: 31337 }) : undefined;
    ctx.db = await createTestDatabase(kind);
    const txService = ctx.service ? { txService: { url: ctx.service.url, intervalMs: 3_600_000, attempts: 3, baseDelayMs: 20 } } : {};
    ctx.desk = await openVetoDesk(ctx.f, ctx.db, { ...(o.noExecutor ? {} : { executorPrivateKey: ctx.f.executor.privateKey }), ...txService }, o.fulfilFunction ? { scheduler: { fulfilFunction: o.fulfilFunction } } : {});
  });
  afterAll(async () => {
    await ctx.desk?.stop();
    await ctx.service?.stop();
    await ctx.db?.drop();
    await ctx.f?.stop();
  });
  return ctx;
}

/** One ingest pass, then both Safe desks' passes and whatever execution they started. */
async function settle(desk: Desk): Promise<void> {
  await desk.ingestor.sync();
  await Promise.all([desk.vetoes.reconcile(), desk.fulfils.reconcile()]);
  await Promise.all([desk.vetoes.idle(), desk.fulfils.idle()]);
}

async function requestView(desk: Desk, id: bigint): Promise<RequestView> {
  return (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
}

async function fulfil(desk: Desk, id: bigint): Promise<VetoView> {
  return (await request(desk.url).get(`/api/requests/${id}/fulfil`).expect(200)).body as VetoView;
}

const postFulfil = (desk: Desk, id: bigint, body: object) => request(desk.url).post(`/api/requests/${id}/fulfil/signatures`).send(body);

/** Mines until the chain head is `block` (the desk indexes up to the head: confirmations 0). */
async function mineTo(f: SafeFixture, block: bigint): Promise<void> {
  const head = await f.publicClient.getBlockNumber();
  if (block > head) await f.mine(Number(block - head));
  expect(await f.publicClient.getBlockNumber()).toBe(block);
}

describe.each(DB_KINDS)('governance fulfil through the slasher role Safe on %s', (kind) => {
  const ctx = useDesk(kind, { governance: true }, { txService: true });

  it('collects signatures during the window (HTTP, CLI), holds the fulfil, and lands it in the window-end block', async () => {
    const { f, desk } = ctx;
    const gov = f.governance!;
    const id = await f.queue('to be fulfilled');
    const windowEnd = f.queuedAt.get(id)! + BigInt(WINDOW);
    await settle(desk);

    const v = await fulfil(desk, id);
    const nonce = await f.publicClient.readContract({ address: gov.safe, abi: safeAbi, functionName: 'nonce' });
    const data = fulfilCallData('fulfillSlashingRequest', id);
    const onchain = await f.publicClient.readContract({
      address: gov.safe,
      abi: safeAbi,
      functionName: 'getTransactionHash',
      args: [f.testbed.slasher, 0n, data, 0, 0n, 0n, 0n, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', nonce],
    });
    expect(v).toMatchObject({ safe: getAddress(gov.safe), nonce: Number(nonce), safeTxHash: onchain, threshold: 2, signatures: [], status: 'collecting', executionTxHash: null });
    expect(v.typedData.message).toMatchObject({ to: getAddress(f.testbed.slasher), data, value: '0', operation: 0 });
    const view = await requestView(desk, id);
    expect(view.fulfil).toEqual(v);
    expect(view.veto?.safe).toBe(getAddress(f.safe)); // the committee's veto is planned alongside
    // nobody signed it yet: it is only served, nothing is planned
    expect(await desk.fulfils.fulfilState(id.toString())).toEqual({ status: 'none', signatures: 0, threshold: 2, safe: getAddress(gov.safe), executor: true });

    // refused, nothing stored: a committee owner (not a governance owner), a governance owner over the committee's domain
    const stored = await desk.database.db.vetoSignature.count();
    const byCommittee = await postFulfil(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(403);
    expect(byCommittee.body.error.code).toBe('SIGNER_NOT_OWNER');
    expect(byCommittee.body.error.message).toContain(`owner of Safe ${getAddress(f.safe)}`);
    const wrongSafe = await postFulfil(desk, id, { signature: await signTypedVeto(gov.owners[0]!.privateKey, { ...v.typedData, domain: { ...v.typedData.domain, verifyingContract: getAddress(f.safe) } }) }).expect(422);
    expect(wrongSafe.body.error.code).toBe('SIGNATURE_WRONG_SAFE');
    const wrongNonce = await postFulfil(desk, id, { signature: await signTypedVeto(gov.owners[0]!.privateKey, { ...v.typedData, message: { ...v.typedData.message, nonce: String(v.nonce + 2) } }) }).expect(422);
    expect(wrongNonce.body.error.code).toBe('SIGNATURE_WRONG_NONCE');
    expect(await desk.database.db.vetoSignature.count()).toBe(stored);

    // one owner over HTTP, one with the CLI
    const first = await postFulfil(desk, id, { signature: await signTypedVeto(gov.owners[0]!.privateKey, v.typedData) }).expect(201);
    expect((first.body as VetoView).signatures.map((s) => [s.signer, s.source])).toEqual([[gov.owners[0]!.address, 'http']]);
    const dup = await postFulfil(desk, id, { signature: await signTypedVeto(gov.owners[0]!.privateKey, v.typedData) }).expect(409);
    expect(dup.body.error.code).toBe('SIGNATURE_DUPLICATE');
    const lines: string[] = [];
    expect(await run(['--yes', '--desk', desk.url, '--request', id.toString(), '--fulfil', '--key-env', 'K'], { env: { K: gov.owners[1]!.privateKey }, out: (s) => void lines.push(s) })).toBe(0);
    expect(lines.join('')).toContain(`signing fulfil of request ${id}`);
    await settle(desk);

    // quorum, but the window runs: held, not sent
    let held = await fulfil(desk, id);
    expect(held).toMatchObject({ status: 'ready', executionTxHash: null, statusReason: expect.stringContaining('veto window has not passed') });
    expect(held.signatures.map((s) => [s.signer, s.source])).toEqual([[gov.owners[0]!.address, 'http'], [gov.owners[1]!.address, 'cli']]);
    // a member's wallet is refused the call for the same reason (it would revert on chain)
    const early = await request(desk.url).get(`/api/requests/${id}/fulfil/execution`).expect(409);
    expect(early.body.error).toMatchObject({ code: 'SAFE_TX_NOT_READY', message: expect.stringContaining('veto window has not passed') });
    await mineTo(f, windowEnd - 2n); // a transaction sent now lands at windowEnd − 1: still inside the window
    await settle(desk);
    held = await fulfil(desk, id);
    expect(held.status).toBe('ready');
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    expect((await requestView(desk, id)).status).toBe('in_veto_window');

    // head = windowEnd − 1: the next block is the first valid one, and the fulfil lands in it
    await f.mine(1);
    await settle(desk);
    const done = await fulfil(desk, id);
    expect(done.status).toBe('executed');
    const receipt = await f.publicClient.getTransactionReceipt({ hash: done.executionTxHash! });
    expect(receipt.blockNumber).toBe(windowEnd);
    expect(getAddress(receipt.from)).toBe(f.executor.address);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
    await settle(desk);
    const after = await requestView(desk, id);
    expect(after.status).toBe('fulfilled');
    expect(after.fulfilled?.txHash).toBe(done.executionTxHash);
    expect((await desk.fulfils.fulfilState(id.toString()))?.status).toBe('executed');

    // a late signature is refused; the milestones reached the alert outbox once each
    const late = await postFulfil(desk, id, { signature: await signTypedVeto(gov.owners[2]!.privateKey, v.typedData) }).expect(409);
    expect(late.body.error.code).toBe('FULFIL_CLOSED');
    const alerts = ((await request(desk.url).get(`/api/alerts?requestId=${id}&limit=100`).expect(200)).body as { alerts: { kind: string; title: string }[] }).alerts;
    expect(alerts.filter((a) => a.kind === 'fulfil_quorum_reached').map((a) => a.title)).toEqual([`Fulfil of request ${id}: quorum reached (2/2)`]);
    expect(alerts.filter((a) => a.kind === 'fulfil_landed')).toHaveLength(1);
    const health = (await request(desk.url).get('/api/health').expect(200)).body;
    expect(health.fulfilExecution).toMatchObject({ safe: getAddress(gov.safe), sends: true, threshold: 2 });
  });

  it('a fulfil that reaches quorum while its request’s stake history is still being read (pending) waits for that read, then lands; the fulfil behind it waits too, with no alert', async () => {
    const { f, desk } = ctx;
    const gov = f.governance!;
    const id = await f.queue('fulfilled once its history is read');
    const next = await f.queue('fulfilled right after');
    await settle(desk);
    await mineTo(f, f.queuedAt.get(next)! + BigInt(WINDOW));
    await settle(desk); // fulfillable, nobody has signed: nothing executes
    expect((await requestView(desk, id)).status).toBe('fulfillable');
    expect((await requestView(desk, next)).status).toBe('fulfillable');
    // what the ingest sets when the request's strategies are read after its set was, or another
    // queueing event takes its id (here as another desk on the database would: counted as a change)
    const db = desk.database.db;
    await db.$transaction([db.ingestCursor.updateMany({ data: { changes: { increment: 1 } } }), db.slashingRequest.updateMany({ where: { requestId: id.toString() }, data: { historyPending: true } })]);
    expect((await requestView(desk, id)).deadlines.slashability).toBe('pending');
    expect((await requestView(desk, next)).deadlines.slashability).toBe('read');
    // quorum now: each signature's answer waits for the governance Safe's pass, which holds it
    const v = await fulfil(desk, id);
    for (const owner of gov.owners.slice(0, 2)) await postFulfil(desk, id, { signature: await signTypedVeto(owner.privateKey, v.typedData) }).expect(201);
    await desk.fulfils.idle();
    expect(await fulfil(desk, id)).toMatchObject({ status: 'ready', executionTxHash: null, statusReason: expect.stringContaining('still being read') });
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    // nor is a member's wallet handed the call meanwhile
    const refused = await request(desk.url).get(`/api/requests/${id}/fulfil/execution`).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'SAFE_TX_NOT_READY', message: expect.stringContaining('still being read') });
    // the next request's fulfil, signed at the nonce after: ready, and behind a hold that ends by
    // itself once the read is done — told in its status, but nobody is paged to act
    const w = await fulfil(desk, next);
    expect(w.nonce).toBe(v.nonce + 1);
    for (const owner of gov.owners.slice(0, 2)) await postFulfil(desk, next, { signature: await signTypedVeto(owner.privateKey, w.typedData) }).expect(201);
    await desk.fulfils.idle();
    await desk.fulfils.reconcile();
    expect(await fulfil(desk, next)).toMatchObject({ status: 'ready', executionTxHash: null, statusReason: expect.stringContaining('still being read') });
    expect(await f.slasherStatus(next)).toBe(REQUESTED);
    const blockedAlerts = async () => (await request(desk.url).get(`/api/alerts?kind=fulfil_blocked&requestId=${next}&limit=100`).expect(200)).body.alerts as { requestId: string }[];
    expect(await blockedAlerts()).toEqual([]);
    // the next ingest pass walks its history (no lapse) and clears the flag: both fulfils go, in nonce order
    await settle(desk);
    expect((await requestView(desk, id)).deadlines.slashability).toBe('read');
    await waitFor('both fulfils executed', async () => ((await f.slasherStatus(id)) === COMPLETED && (await f.slasherStatus(next)) === COMPLETED) || (await settle(desk), false), 30_000, 200);
    expect((await fulfil(desk, id)).status).toBe('executed');
    expect((await fulfil(desk, next)).status).toBe('executed');
    expect(await blockedAlerts()).toEqual([]);
  });

  it('a fulfil blocked behind a read that does not end is alerted once the grace has passed', async () => {
    const { f, desk } = ctx;
    const gov = f.governance!;
    const id = await f.queue('its history read does not end');
    const next = await f.queue('blocked behind it');
    await settle(desk);
    await mineTo(f, f.queuedAt.get(next)! + BigInt(WINDOW));
    await settle(desk);
    const db = desk.database.db;
    // a history read that never ends, in the database itself: every clearing of the request's
    // flag is undone in the same statement, so no pass of the desk ever sees it read
    const keepPending =
      kind === 'sqlite'
        ? [`CREATE TRIGGER "keep_pending" AFTER UPDATE OF "historyPending" ON "SlashingRequest" WHEN NEW."requestId" = '${id}' AND NEW."historyPending" = 0 BEGIN UPDATE "SlashingRequest" SET "historyPending" = 1 WHERE rowid = NEW.rowid; END`]
        : [
            `CREATE FUNCTION "keep_pending"() RETURNS trigger AS $$ BEGIN IF NEW."requestId" = '${id}' THEN NEW."historyPending" := true; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
            `CREATE TRIGGER "keep_pending" BEFORE UPDATE ON "SlashingRequest" FOR EACH ROW EXECUTE FUNCTION "keep_pending"()`,
          ];
    for (const sql of keepPending) await db.$executeRawUnsafe(sql);
    const dropped = { done: false };
    const dropTrigger = async () => {
      if (dropped.done) return;
      dropped.done = true;
      await db.$executeRawUnsafe(`DROP TRIGGER "keep_pending"${kind === 'sqlite' ? '' : ' ON "SlashingRequest"'}`);
      if (kind !== 'sqlite') await db.$executeRawUnsafe(`DROP FUNCTION "keep_pending"()`);
    };
    try {
      await db.$transaction([db.ingestCursor.updateMany({ data: { changes: { increment: 1 } } }), db.slashingRequest.updateMany({ where: { requestId: id.toString() }, data: { historyPending: true } })]);
      await settle(desk);
      expect((await requestView(desk, id)).deadlines.slashability).toBe('pending');
      for (const rid of [id, next]) {
        const v = await fulfil(desk, rid);
        for (const owner of gov.owners.slice(0, 2)) await postFulfil(desk, rid, { signature: await signTypedVeto(owner.privateKey, v.typedData) }).expect(201);
      }
      await desk.fulfils.idle();
      const blockedAlerts = async () => (await request(desk.url).get(`/api/alerts?kind=fulfil_blocked&requestId=${next}&limit=100`).expect(200)).body.alerts as { severity: string; title: string }[];
      const started = Number(await f.publicClient.getBlockNumber());
      let alertedAt: number | null = null;
      while (alertedAt === null && Number(await f.publicClient.getBlockNumber()) < started + 20) {
        expect(await f.slasherStatus(id)).toBe(REQUESTED);
        expect(await f.slasherStatus(next)).toBe(REQUESTED);
        await f.mine(1);
        await settle(desk);
        if ((await blockedAlerts()).length > 0) alertedAt = Number(await f.publicClient.getBlockNumber());
      }
      // withheld for the grace's 10 blocks from the first pass that saw it, then said
      expect(alertedAt).not.toBeNull();
      expect(alertedAt! - started).toBeGreaterThanOrEqual(10);
      expect(alertedAt! - started).toBeLessThanOrEqual(11);
      expect((await blockedAlerts())[0]).toMatchObject({ severity: 'critical', title: expect.stringContaining('BLOCKED') });
      const waiting = await fulfil(desk, next);
      expect(waiting.statusReason).toContain('still being read');
      // the holder is governance's fulfil (the words of the alert are made from this kind)
      expect(waiting.blocked).toMatchObject({ blockingRequestId: id.toString(), holders: [{ kind: 'fulfil', requestIds: [id.toString()] }] });
      // the read ends: both go
      await dropTrigger();
      await settle(desk);
      await waitFor('both fulfils executed', async () => ((await f.slasherStatus(id)) === COMPLETED && (await f.slasherStatus(next)) === COMPLETED) || (await settle(desk), false), 30_000, 200);
    } finally {
      // never left behind for the tests after this one
      await dropTrigger();
    }
  });

  it('a vetoed request’s fulfil is abandoned and never executes; the next fulfil moves into the gap and syncs with Safe{Wallet}', async () => {
    const { f, desk, service } = ctx as Required<Ctx>;
    const gov = f.governance!;
    const a = await f.queue('A: vetoed');
    const b = await f.queue('B');
    await settle(desk);
    const fa = await fulfil(desk, a);
    expect((await fulfil(desk, b)).nonce).toBe(fa.nonce); // unsigned: both served at the Safe's nonce
    // governance has quorum for A's fulfil, but the committee vetoes A inside the window
    for (const o of gov.owners.slice(0, 2)) await postFulfil(desk, a, { signature: await signTypedVeto(o.privateKey, fa.typedData) }).expect(201);
    await desk.fulfils.idle();
    const fb = await fulfil(desk, b);
    expect(fb.nonce).toBe(fa.nonce + 1); // A's signatures hold its nonce
    const veto = (await requestView(desk, a)).veto!;
    for (const o of f.owners.slice(0, 2)) await request(desk.url).post(`/api/requests/${a}/veto/signatures`).send({ signature: await signTypedVeto(o.privateKey, veto.typedData) }).expect(201);
    await desk.vetoes.idle();
    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    await settle(desk);
    await settle(desk); // the gap left by A is re-planned on the pass after A is abandoned
    const abandoned = await fulfil(desk, a);
    expect(abandoned).toMatchObject({ status: 'abandoned', executionTxHash: null, statusReason: expect.stringContaining('vetoed') });
    expect((await desk.fulfils.fulfilState(a.toString()))?.status).toBe('abandoned');
    const closed = await postFulfil(desk, a, { signature: await signTypedVeto(gov.owners[2]!.privateKey, fa.typedData) }).expect(409);
    expect(closed.body.error.code).toBe('FULFIL_CLOSED');
    // A's nonce is free again: B (still unsigned) is served there
    const moved = await fulfil(desk, b);
    expect(moved.nonce).toBe(fa.nonce);
    expect(moved.superseded).toEqual([]);

    // B: one owner over HTTP; the desk proposes it to the Transaction Service; another confirms in Safe{Wallet}
    await postFulfil(desk, b, { signature: await signTypedVeto(gov.owners[2]!.privateKey, moved.typedData) }).expect(201);
    await waitFor('the fulfil proposed to the service', async () => {
      await desk.fulfils.syncTxService();
      return service.transactions.has(moved.safeTxHash.toLowerCase());
    }, 20_000);
    expect(service.transactions.get(moved.safeTxHash.toLowerCase())).toMatchObject({ safe: getAddress(gov.safe), proposer: gov.owners[2]!.address, origin: 'Veto Desk' });
    const wallet = new SafeApiKit({ chainId: 31337n, txServiceUrl: service.url });
    expect((await wallet.getPendingTransactions(gov.safe)).results.map((t) => t.safeTxHash)).toContain(moved.safeTxHash);
    await wallet.confirmTransaction(moved.safeTxHash, await signEthSignVeto(gov.owners[0]!.privateKey, moved.safeTxHash as Hex));
    await desk.fulfils.syncTxService();
    await desk.fulfils.idle();
    expect((await fulfil(desk, b)).signatures.map((s) => [s.signer, s.source])).toEqual([[gov.owners[2]!.address, 'http'], [gov.owners[0]!.address, 'tx-service']]);
    expect(await f.slasherStatus(b)).toBe(REQUESTED); // quorum, window still running

    await mineTo(f, f.queuedAt.get(b)! + BigInt(WINDOW) - 1n);
    await settle(desk);
    expect(await f.slasherStatus(b)).toBe(COMPLETED);
    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    const doneA = await fulfil(desk, a);
    expect(doneA).toMatchObject({ status: 'abandoned', executionTxHash: null });
    expect((await fulfil(desk, b)).status).toBe('executed');
  });
});

describe('governance fulfil with V4 burn-or-redistribute (FULFIL_FUNCTION) on sqlite', () => {
  const ctx = useDesk('sqlite', { variant: 'V4', governance: true }, { fulfilFunction: 'fulfillSlashingRequestAndBurnOrRedistribute' });

  it('the Safe transaction calls fulfillSlashingRequestAndBurnOrRedistribute, and the StrategyManager clears the shares', async () => {
    const { f, desk } = ctx;
    const id = await f.queue('V4');
    await settle(desk);
    const v = await fulfil(desk, id);
    expect(v.typedData.message.data).toBe(fulfilCallData('fulfillSlashingRequestAndBurnOrRedistribute', id));
    for (const o of f.governance!.owners.slice(1)) await postFulfil(desk, id, { signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
    await mineTo(f, f.queuedAt.get(id)! + BigInt(WINDOW) - 1n);
    await settle(desk);
    const done = await fulfil(desk, id);
    expect(done.status).toBe('executed');
    const receipt = await f.publicClient.getTransactionReceipt({ hash: done.executionTxHash! });
    expect(receipt.blockNumber).toBe(f.queuedAt.get(id)! + BigInt(WINDOW));
    const cleared = parseEventLogs({ abi: strategyManagerStandInAbi, logs: receipt.logs, eventName: 'BurnOrRedistributableSharesCleared' });
    expect(cleared).toHaveLength(1);
    expect(await f.publicClient.readContract({ address: f.testbed.strategyManager!, abi: strategyManagerStandInAbi, functionName: 'clearedCount' })).toBe(1n);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
  });
});

describe('governance fulfil executed from a member’s wallet (no EXECUTOR_PRIVATE_KEY), on sqlite', () => {
  const ctx = useDesk('sqlite', { governance: true }, { noExecutor: true });

  it('the execution call is refused while the window runs, handed out once the fulfil may execute, and lands from any wallet', async () => {
    const { f, desk } = ctx;
    const gov = f.governance!;
    const id = await f.queue('fulfilled by a member');
    const windowEnd = f.queuedAt.get(id)! + BigInt(WINDOW);
    await settle(desk);
    const v = await fulfil(desk, id);
    for (const owner of gov.owners.slice(0, 2)) await postFulfil(desk, id, { signature: await signTypedVeto(owner.privateKey, v.typedData) }).expect(201);
    await settle(desk);
    expect(await fulfil(desk, id)).toMatchObject({ status: 'ready', statusReason: expect.stringContaining('EXECUTOR_PRIVATE_KEY is not set') });
    const early = await request(desk.url).get(`/api/requests/${id}/fulfil/execution`).expect(409);
    expect(early.body.error).toMatchObject({ code: 'SAFE_TX_NOT_READY', message: expect.stringContaining('veto window has not passed') });
    // head = windowEnd − 1: the desk reads the request fulfillable (a transaction now lands at windowEnd)
    await mineTo(f, windowEnd - 1n);
    await settle(desk);
    expect((await requestView(desk, id)).status).toBe('fulfillable');
    const call = (await request(desk.url).get(`/api/requests/${id}/fulfil/execution`).expect(200)).body as { to: Hex; data: Hex; safe: string; signers: string[] };
    expect(call).toMatchObject({ safe: getAddress(gov.safe), to: getAddress(gov.safe) });
    expect(await f.slasherStatus(id)).toBe(REQUESTED); // still to be fulfilled: what lands next is the member's
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });
    expect(receipt.status).toBe('success');
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
    await settle(desk);
    expect((await fulfil(desk, id)).status).toBe('executed');
    const after = await request(desk.url).get(`/api/requests/${id}/fulfil/execution`).expect(404);
    expect(after.body.error).toMatchObject({ code: 'FULFIL_NOT_AVAILABLE', message: expect.stringContaining('already executed') });
  });
});

describe('an EOA slasher role has no fulfil Safe path, on sqlite', () => {
  const ctx = useDesk('sqlite', {});

  it('answers FULFIL_NOT_AVAILABLE, tells health why, and reports no fulfil state to the scheduler', async () => {
    const { f, desk } = ctx;
    const id = await f.queue();
    await settle(desk);
    expect((await requestView(desk, id)).fulfil).toBeUndefined();
    const res = await request(desk.url).get(`/api/requests/${id}/fulfil`).expect(404);
    expect(res.body.error).toEqual({ code: 'FULFIL_NOT_AVAILABLE', message: expect.stringContaining('not a contract') });
    const post = await postFulfil(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, (await requestView(desk, id)).veto!.typedData) }).expect(404);
    expect(post.body.error.code).toBe('FULFIL_NOT_AVAILABLE');
    await request(desk.url).get('/api/requests/999/fulfil').expect(404);
    expect(await desk.fulfils.fulfilState(id.toString())).toBeNull();
    const health = (await request(desk.url).get('/api/health').expect(200)).body;
    expect(health.fulfilExecution.note).toContain('not a contract');
    expect(await desk.database.db.vetoProposal.count({ where: { safe: f.keeperAccount.address } })).toBe(0);
  });
});
