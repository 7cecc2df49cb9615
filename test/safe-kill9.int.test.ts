/**
 * Exactly once under a real kill -9: the desk process records and broadcasts the veto's
 * execTransaction while anvil does not mine (automine off), is killed with SIGKILL while the
 * transaction is pending, restarts, and only then the chain mines. Exactly one execTransaction
 * from the executor is ever sent for that Safe nonce, and the request ends `vetoed`.
 */
import { getAddress, type Hex } from 'viem';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';
import { openDatabase, type Database } from '../src/store/database';
import type { RequestView } from '../src/api/views';
import { startDesk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';

describe.each(DB_KINDS)('veto exactly once across kill -9 on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: DeskProcess | undefined;
  let reader: Database | undefined;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await desk?.stop();
    await reader?.close();
    await db?.drop();
    await f?.stop();
  });

  const automine = (on: boolean) => f.publicClient.request({ method: 'evm_setAutomine', params: [on] } as never);

  it('kill -9 between "recorded/broadcast" and "mined" → one send, request vetoed', async () => {
    const id = await f.queue();
    const env = {
      RPC_URL: f.anvil.rpcUrl,
      SLASHER_ADDRESS: f.testbed.slasher,
      EXECUTOR_PRIVATE_KEY: f.executor.privateKey,
      DATABASE_URL: db.url,
      POLL_INTERVAL_MS: '200',
      CONFIRMATIONS: '0',
    };
    desk = await spawnDesk(env);
    const base = desk.url;
    const veto = await waitFor('veto planned', async () => (await getJson<RequestView>(`${base}/api/requests/${id}`)).body.veto);
    const startBlock = await f.publicClient.getBlockNumber();
    const sentBefore = await f.publicClient.getTransactionCount({ address: f.executor.address, blockTag: 'latest' });

    await automine(false);
    for (const owner of [f.owners[0]!, f.owners[1]!]) {
      const res = await fetch(`${base}/api/requests/${id}/veto/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signature: await signTypedVeto(owner.privateKey, veto.typedData) }),
      });
      expect(res.status).toBe(201);
    }

    // the action row is written before broadcast; wait until it is also in anvil's mempool
    reader = await openDatabase(db.target);
    const action = await waitFor('action recorded and broadcast', async () => {
      const rows = await reader!.db.sentTx.findMany({ where: { purpose: 'safe_veto' } });
      if (rows.length !== 1) return undefined;
      const inPool = await f.publicClient.getTransaction({ hash: rows[0]!.txHash as Hex }).catch(() => null);
      return inPool ? rows[0]! : undefined;
    }, 30_000);
    expect(action.status).toBe('recorded');
    expect(await f.publicClient.getBlockNumber()).toBe(startBlock); // nothing mined yet

    await desk.kill9();
    desk = await spawnDesk(env);
    const base2 = desk.url;
    await waitFor('restarted desk serving', async () => (await getJson<{ status: string }>(`${base2}/api/health`)).status === 200, 30_000);
    // give the restarted desk a few reconcile passes while the transaction is still pending
    await new Promise((r) => setTimeout(r, 1_500));

    await automine(true);
    await f.mine(1);
    const vetoed = await waitFor('vetoed', async () => {
      const v = (await getJson<RequestView>(`${base2}/api/requests/${id}`)).body;
      return v.status === 'vetoed' && v.veto?.status === 'executed' ? v : undefined;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await f.mine(2); // anything the restarted desk might have sent late would land now

    expect(await f.slasherStatus(id)).toBe(1);
    expect(vetoed.veto!.executionTxHash).toBe(action.txHash);
    const sentAfter = await f.publicClient.getTransactionCount({ address: f.executor.address, blockTag: 'latest' });
    expect(sentAfter - sentBefore).toBe(1);
    // and the blocks agree: one transaction from the executor to the Safe
    const head = await f.publicClient.getBlockNumber();
    let fromExecutor = 0;
    for (let b = startBlock + 1n; b <= head; b++) {
      const block = await f.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) if (getAddress(tx.from) === f.executor.address && tx.to && getAddress(tx.to) === f.safe) fromExecutor++;
    }
    expect(fromExecutor).toBe(1);
    const rows = await reader.db.sentTx.findMany({ where: { purpose: 'safe_veto' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('mined');
  });
});

describe.each(DB_KINDS)('veto exactly once while its transaction stays pending on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
    await f?.stop();
  });

  it('a pending execTransaction is settled by later passes, never sent again', async () => {
    const id = await f.queue();
    const desk = await startDesk({
      rpcUrls: [f.anvil.rpcUrl],
      slasher: f.testbed.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      confirmations: 0,
      pollIntervalMs: 60_000,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      follow: false,
      vetoes: { executorPrivateKey: f.executor.privateKey },
    });
    try {
      await desk.ingestor.sync();
      await desk.vetoes.reconcile();
      const veto = (await desk.vetoes.vetoViews([id.toString()])).get(id.toString())!;
      const sentBefore = await f.publicClient.getTransactionCount({ address: f.executor.address, blockTag: 'latest' });
      await f.publicClient.request({ method: 'evm_setAutomine', params: [false] } as never);
      for (const owner of [f.owners[0]!, f.owners[2]!]) {
        await desk.vetoes.submitSignature(id.toString(), { signature: await signTypedVeto(owner.privateKey, veto.typedData), source: 'http' });
      }
      await desk.vetoes.idle();
      // several whole cycles (senders settle, the desk reconciles) while the transaction stays pending
      for (let i = 0; i < 3; i++) {
        await desk.scheduler.evaluate();
        await desk.scheduler.idle();
      }
      expect(await f.publicClient.getTransactionCount({ address: f.executor.address, blockTag: 'pending' })).toBe(sentBefore + 1);
      await f.publicClient.request({ method: 'evm_setAutomine', params: [true] } as never);
      await f.mine(1);
      await desk.ingestor.sync();
      await desk.scheduler.evaluate();
      await desk.scheduler.idle();
      await desk.ingestor.sync();
      const view = (await desk.vetoes.vetoViews([id.toString()])).get(id.toString())!;
      expect(view.status).toBe('executed');
      expect(await f.slasherStatus(id)).toBe(1);
      expect(await f.publicClient.getTransactionCount({ address: f.executor.address, blockTag: 'latest' })).toBe(sentBefore + 1);
      expect(await desk.database.db.sentTx.count({ where: { purpose: 'safe_veto' } })).toBe(1);
    } finally {
      await desk.stop();
    }
  });
});
