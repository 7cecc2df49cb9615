/**
 * Safe{Wallet} through the Safe Transaction Service (a faithful local stand-in, driven by api-kit):
 * one owner signs with the CLI, the desk proposes the veto to the service, another owner confirms
 * in "Safe{Wallet}" (api-kit against the service) → the desk pulls it and executes. The service
 * throttles: the desk backs off and retries; a service that never answers delays nothing.
 */
import SafeApiKit from '@safe-global/api-kit';
import request from 'supertest';
import { startDesk, type Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import { run } from '../src/cli/sign';
import type { RequestView, VetoView } from '../src/api/views';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { signEthSignVeto, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';
import { startTxServiceStandIn, type TxServiceStandIn } from './helpers/txService';
import { waitFor } from './helpers/deskProcess';

const CANCELLED = 1;

describe.each(DB_KINDS)('Safe Transaction Service sync on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  let service: TxServiceStandIn;
  beforeAll(async () => {
    f = await startSafeFixture();
    service = await startTxServiceStandIn({ publicClient: f.publicClient, chainId: 31337 });
    db = await createTestDatabase(kind);
    desk = await startDesk({
      rpcUrls: [f.anvil.rpcUrl], slasher: f.testbed.slasher, database: db.target, port: 0, host: '127.0.0.1', confirmations: 0,
      pollIntervalMs: 60_000, reorgDepth: 64, maxLogRange: 10_000, logger: createLogger('silent'), follow: false,
      vetoes: { executorPrivateKey: f.executor.privateKey, txService: { url: service.url, intervalMs: 3_600_000, attempts: 4, baseDelayMs: 20 } },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await service?.stop();
    await db?.drop();
    await f?.stop();
  });

  const veto = async (id: bigint) => ((await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto!;

  it('one owner signs via the CLI, one via Safe{Wallet} through the service → executed', async () => {
    const id = await f.queue();
    await desk.ingestor.sync();
    await desk.vetoes.reconcile();
    const v = await veto(id);
    await desk.vetoes.syncTxService();
    expect(service.transactions.size).toBe(0); // nothing to propose before a first signature

    // rate limited: the desk backs off and retries. Set before the signature arrives, because
    // an accepted signature may itself start a sync in the background
    service.throttleNext(2);
    expect(await run(['--yes', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K'], { env: { K: f.owners[0]!.privateKey }, out: () => undefined })).toBe(0);
    await waitFor('the veto proposed to the service', async () => {
      await desk.vetoes.syncTxService();
      return service.transactions.has(v.safeTxHash.toLowerCase());
    }, 20_000);
    const proposed = service.transactions.get(v.safeTxHash.toLowerCase());
    expect(proposed).toMatchObject({ proposer: f.owners[0]!.address, origin: 'Veto Desk', confirmations: [{ owner: f.owners[0]!.address, signatureType: 'EOA' }] });
    expect(service.log.filter((l) => l.startsWith('POST /api/v2/safes/') && l.endsWith(' 201'))).toHaveLength(1);
    expect(service.log.filter((l) => l.endsWith(' 429'))).toHaveLength(2);

    // the second owner confirms in Safe{Wallet} (eth_sign), which talks to the service
    const wallet = new SafeApiKit({ chainId: 31337n, txServiceUrl: service.url });
    const pending = await wallet.getPendingTransactions(f.safe);
    expect(pending.results.map((t) => t.safeTxHash)).toContain(v.safeTxHash);
    await wallet.confirmTransaction(v.safeTxHash, await signEthSignVeto(f.owners[1]!.privateKey, v.safeTxHash));

    await waitFor('the veto executed', async () => {
      await desk.vetoes.syncTxService();
      await desk.vetoes.idle();
      return (await f.slasherStatus(id)) === CANCELLED;
    }, 20_000);
    const after: VetoView = await veto(id);
    expect(after.status).toBe('executed');
    expect(after.signatures.map((s) => [s.signer, s.source])).toEqual([
      [f.owners[0]!.address, 'cli'],
      [f.owners[1]!.address, 'tx-service'],
    ]);
  });

  it('a service that keeps refusing delays nothing: HTTP signatures still execute, health tells', async () => {
    const id = await f.queue();
    await desk.ingestor.sync();
    await desk.vetoes.reconcile();
    const v = await veto(id);
    service.throttleNext(1_000);
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, v.typedData) }).expect(201);
    await desk.vetoes.syncTxService();
    const health = (await request(desk.url).get('/api/health').expect(200)).body;
    expect(health.vetoExecution.txService).toEqual({ url: service.url, lastError: expect.stringContaining('transaction service') });
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[2]!.privateKey, v.typedData) }).expect(201);
    // execution starts from the accepted signature; under load it may not have begun yet
    await waitFor('the veto executed', async () => {
      await desk.vetoes.idle();
      return (await f.slasherStatus(id)) === CANCELLED;
    }, 20_000);
    expect(service.transactions.has(v.safeTxHash.toLowerCase())).toBe(false);
    // the on-call person hears of it: tx_service_unreachable (warning), resolved once it answers
    await desk.alerting.evaluate(Date.now());
    const down = await desk.database.db.alert.findMany({ where: { kind: 'tx_service_unreachable' } });
    expect(down.map((a) => [a.severity, a.action, a.requestId])).toEqual([['warning', 'trigger', null]]);
    expect(down[0]!.text).toMatch(/no deadline depends on the service/);
    service.throttleNext(0);
    // (a sync started by a signature may still be failing: wait for one that answers)
    await waitFor('the service to answer again', async () => {
      await desk.vetoes.syncTxService();
      return (await request(desk.url).get('/api/health').expect(200)).body.vetoExecution.txService.lastError === null;
    }, 20_000);
    await desk.alerting.evaluate(Date.now());
    expect((await desk.database.db.alert.findMany({ where: { kind: 'tx_service_unreachable' }, orderBy: { createdAt: 'asc' } })).map((a) => a.action)).toEqual(['trigger', 'resolve']);
  });
});
