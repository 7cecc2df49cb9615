/**
 * A veto or fulfil removed by a reorg lands again (anvil: evm_snapshot / evm_revert, then a longer
 * branch). The desk notices within one pass, rebroadcasts the same signed bytes (same hash: never
 * a second action), and the request view, timeline and alerts follow the chain: executed →
 * reorged out → executed again; `request_vetoed` is alerted once. Also across a kill -9 between
 * the reorg and the rebroadcast, with the desk as a real process.
 */
import request from 'supertest';
import { getAddress, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import type { TimelineView } from '../src/api/timeline';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { WINDOW, openVetoDesk, settle, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const CANCELLED = 1;
const COMPLETED = 2;

/** Transactions from `from` to `to` in the canonical chain between two blocks (inclusive). */
async function txsBetween(f: SafeFixture, from: bigint, to: `0x${string}`, sender: `0x${string}`): Promise<Hex[]> {
  const head = await f.publicClient.getBlockNumber({ cacheTime: 0 });
  const out: Hex[] = [];
  for (let b = from; b <= head; b++) {
    const block = await f.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
    for (const tx of block.transactions) if (tx.to && getAddress(tx.to) === getAddress(to) && getAddress(tx.from) === getAddress(sender)) out.push(tx.hash);
  }
  return out;
}

const snapshot = (f: SafeFixture) => f.publicClient.request({ method: 'evm_snapshot' } as never) as Promise<string>;
const revert = (f: SafeFixture, id: string) => f.publicClient.request({ method: 'evm_revert', params: [id] } as never);

describe.each(DB_KINDS)('a veto or fulfil removed by a reorg lands again, on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    f = await startSafeFixture({ slashable: true });
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db, { executorPrivateKey: f.executor.privateKey }, { scheduler: { slasherPrivateKey: f.keeperAccount.privateKey } });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;

  it.each(kind === 'sqlite' ? [1, 3, 10] : [3])('an executed veto removed by a reorg of depth %i is sent again (same bytes) and lands before its window ends', async (depth) => {
    const id = await f.queue(`reorged veto, depth ${depth}`);
    await settle(desk);
    const served = (await view(id)).veto!;
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, served.typedData), safeTxHash: served.safeTxHash }).expect(201);
    const snap = await snapshot(f);
    const before = await f.publicClient.getBlockNumber({ cacheTime: 0 });
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, served.typedData), safeTxHash: served.safeTxHash }).expect(201);
    await desk.vetoes.idle();
    if (depth > 1) await f.mine(depth - 1);
    await settle(desk);
    const executed = await view(id);
    expect(executed).toMatchObject({ status: 'vetoed', veto: { status: 'executed' } });
    const firstTx = executed.veto!.executionTxHash!;
    const firstBlock = executed.cancelled!.block;
    expect(firstBlock).toBe(Number(before) + 1);

    // the reorg: the blocks from the veto's on are replaced by a longer branch without it
    await revert(f, snap);
    await f.mine(depth + 1);
    await settle(desk); // noticed: back in its window, the same transaction sent again
    await settle(desk); // settled: executed again
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
    const again = await view(id);
    expect(again).toMatchObject({ status: 'vetoed', veto: { status: 'executed', executionTxHash: firstTx } });
    expect(again.cancelled!.block).toBeLessThan(again.vetoWindowEnd.block!);
    expect(again.cancelled!.block).toBeGreaterThan(firstBlock);
    // exactly one veto transaction in the canonical chain, the same hash as before the reorg
    expect(await txsBetween(f, f.queuedAt.get(id)!, f.safe, f.executor.address)).toEqual([firstTx]);
    // one signed transaction ever (its rows: the one attempt, reorged once)
    const rows = await desk.database.db.sentTx.findMany({ where: { purpose: 'safe_veto', requestId: id.toString() } });
    expect(rows.map((r) => [r.txHash, r.status, r.reorgs])).toEqual([[firstTx, 'mined', 1]]);

    // the history follows the chain: executed → reorged out → executed again, with blocks
    const actions = again.actions!.map((a) => [a.kind, a.blockNumber]);
    expect(actions).toEqual(expect.arrayContaining([['veto_executed', firstBlock], ['tx_reorged_out', firstBlock], ['veto_reorged_out', firstBlock], ['veto_executed', again.cancelled!.block]]));
    const timeline = (await request(desk.url).get(`/api/requests/${id}/timeline`).expect(200)).body as TimelineView;
    expect(timeline.entries.filter((e) => e.kind === 'action').map((e) => e.title)).toEqual(expect.arrayContaining(['Desk: veto executed', 'Desk: veto reorged out']));
    // request_vetoed once; veto_executed once per inclusion; the reorg itself alerted (the planner
    // runs after a pass on its own turn: run it, as the desk does)
    await desk.alerting.evaluate(Date.now());
    const alerts = (await request(desk.url).get(`/api/alerts?requestId=${id}&limit=100`).expect(200)).body.alerts as { kind: string; data?: unknown }[];
    expect(alerts.filter((a) => a.kind === 'request_vetoed')).toHaveLength(1);
    expect(alerts.filter((a) => a.kind === 'veto_executed')).toHaveLength(2);
    expect(alerts.filter((a) => a.kind === 'tx_reorged')).toHaveLength(1);
  });

  it('a vetoed request a reorg put back in its window shows as in its window until the veto lands again', async () => {
    const id = await f.queue('shown in window while reorged out');
    await settle(desk);
    const served = (await view(id)).veto!;
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, served.typedData), safeTxHash: served.safeTxHash }).expect(201);
    const snap = await snapshot(f);
    await request(desk.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[2]!.privateKey, served.typedData), safeTxHash: served.safeTxHash }).expect(201);
    await desk.vetoes.idle();
    await f.mine(2);
    await settle(desk);
    expect((await view(id)).status).toBe('vetoed');
    await revert(f, snap);
    // the longer branch, but the desk only indexes it (no cycle: nothing re-sent yet)
    await f.publicClient.request({ method: 'evm_setAutomine', params: [false] } as never);
    try {
      await f.mine(4);
      await desk.ingestor.sync();
      const back = await view(id);
      expect(back.status).toBe('in_veto_window');
      expect(back.cancelled).toBeUndefined();
      // the cycle notices and rebroadcasts: in the mempool, not mined yet
      await desk.scheduler.evaluate();
      await desk.scheduler.idle();
      const pending = await view(id);
      expect(pending.status).toBe('in_veto_window');
      expect(pending.veto!.status).toBe('ready');
      expect(pending.veto!.statusReason).toContain('removed by a reorg');
      expect(pending.nextAction?.kind).toBe('execute_veto');
    } finally {
      await f.publicClient.request({ method: 'evm_setAutomine', params: [true] } as never);
    }
    await f.mine(1);
    await settle(desk);
    await settle(desk);
    expect((await view(id)).status).toBe('vetoed');
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
  });

  it('a key fulfil removed by a reorg lands again at or after the window end and before L', async () => {
    const id = await f.queue('reorged fulfil');
    await settle(desk);
    // the window passes unsigned: the desk sends the fulfil when the next block is the window's end
    const end = f.queuedAt.get(id)! + BigInt(WINDOW);
    const head = await f.publicClient.getBlockNumber({ cacheTime: 0 });
    await f.mine(Number(end - head - 2n));
    const snap = await snapshot(f);
    await f.mine(1);
    await settle(desk);
    await settle(desk);
    const first = await view(id);
    expect(first.status).toBe('fulfilled');
    const fulfilTx = first.fulfilled!.txHash;
    expect(first.fulfilled!.block).toBe(Number(end));
    await f.mine(2);
    await settle(desk);

    await revert(f, snap);
    await f.mine(5);
    await settle(desk);
    await settle(desk);
    expect(await f.slasherStatus(id)).toBe(COMPLETED);
    const again = await view(id);
    expect(again.status).toBe('fulfilled');
    expect(again.fulfilled!.txHash).toBe(fulfilTx);
    expect(again.fulfilled!.block).toBeGreaterThanOrEqual(Number(end));
    if (again.lastUsefulBlock !== null) expect(again.fulfilled!.block).toBeLessThanOrEqual(again.lastUsefulBlock);
    const fulfils = await txsBetween(f, f.queuedAt.get(id)!, f.testbed.slasher, f.keeperAccount.address);
    expect(fulfils.filter((h) => h === fulfilTx)).toHaveLength(1);
    const rows = await desk.database.db.sentTx.findMany({ where: { purpose: 'fulfil', requestId: id.toString() } });
    expect(rows.map((r) => [r.txHash, r.status, r.reorgs])).toEqual([[fulfilTx, 'mined', 1]]);
    expect(again.actions!.filter((a) => a.kind === 'fulfil_landed').map((a) => a.blockNumber)).toEqual([Number(end), again.fulfilled!.block]);
    await desk.alerting.evaluate(Date.now());
    const alerts = (await request(desk.url).get(`/api/alerts?requestId=${id}&limit=100`).expect(200)).body.alerts as { kind: string }[];
    expect(alerts.filter((a) => a.kind === 'request_fulfilled')).toHaveLength(1);
    expect(alerts.filter((a) => a.kind === 'fulfil_landed')).toHaveLength(2);
  });
});

describe('a kill -9 between the reorg and the rebroadcast changes nothing', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: DeskProcess | undefined;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  it('the restarted desk notices the reorg, sends the same bytes once, and the veto lands in its window', async () => {
    const env = { RPC_URL: f.anvil.rpcUrl, SLASHER_ADDRESS: f.testbed.slasher, EXECUTOR_PRIVATE_KEY: f.executor.privateKey, DATABASE_URL: db.url, POLL_INTERVAL_MS: '200', CONFIRMATIONS: '0', LEASE_TTL_MS: '2000' };
    const id = await f.queue('kill -9 after the reorg');
    desk = await spawnDesk(env);
    const base = desk.url;
    const served = await waitFor('veto served', async () => (await getJson<RequestView>(`${base}/api/requests/${id}`)).body.veto, 30_000);
    const post = async (key: Hex) => {
      const res = await fetch(`${base}/api/requests/${id}/veto/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature: await signTypedVeto(key, served.typedData), safeTxHash: served.safeTxHash }) });
      expect(res.status).toBe(201);
    };
    await post(f.owners[0]!.privateKey);
    const snap = await snapshot(f);
    await post(f.owners[1]!.privateKey);
    const executed = await waitFor('executed and seen', async () => {
      const v = (await getJson<RequestView>(`${base}/api/requests/${id}`)).body;
      return v.status === 'vetoed' && v.veto?.status === 'executed' ? v : undefined;
    }, 30_000);
    const firstTx = executed.veto!.executionTxHash!;
    await f.mine(2);
    await new Promise((r) => setTimeout(r, 1_000)); // the desk indexes those blocks
    await desk.kill9();
    desk = undefined;

    // the reorg happens while the desk is down
    await revert(f, snap);
    await f.mine(4);
    desk = await spawnDesk(env);
    const base2 = desk.url;
    const again = await waitFor('vetoed again after the restart', async () => {
      const v = (await getJson<RequestView>(`${base2}/api/requests/${id}`)).body;
      return v.status === 'vetoed' && v.veto?.status === 'executed' && v.cancelled && v.cancelled.block > executed.cancelled!.block ? v : undefined;
    }, 60_000, 300);
    expect(again.veto!.executionTxHash).toBe(firstTx);
    expect(again.cancelled!.block).toBeLessThan(again.vetoWindowEnd.block!);
    await f.mine(2);
    expect(await txsBetween(f, f.queuedAt.get(id)!, f.safe, f.executor.address)).toEqual([firstTx]);
  });
});
