/**
 * Two desk processes (the real `src/main.ts`) on one PostgreSQL database, sharing the actor lease
 * (default LEASE_TTL_MS), on a chain that mines a block a second. The holder is killed with
 * SIGKILL, and later (a fresh standby beside the new holder) frozen with SIGSTOP: each time the
 * standby executes a veto whose signatures arrive after the fault within 15 s of the fault, and
 * the chain shows exactly one execTransaction per veto — never two senders, also after the frozen
 * holder wakes up.
 */
import { getAddress, type Hex } from 'viem';
import type { RequestView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const ACT_WITHIN_MS = 15_000;

type Health = { status: string; scheduler?: { lease: { holder: boolean } } };

describe('high availability on PostgreSQL: the standby takes over a killed or frozen holder', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  const desks: DeskProcess[] = [];
  beforeAll(async () => {
    // a block a second, as a live chain: the desks act on their own passes, the test never mines
    f = await startSafeFixture({ window: 120 });
    await f.publicClient.request({ method: 'evm_setIntervalMining', params: [1] } as never);
    db = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    for (const d of desks) {
      d.child.kill('SIGCONT');
      await d.stop().catch(() => undefined);
    }
    await db?.drop();
    await f?.stop();
  });

  const env = () => ({ RPC_URL: f.anvil.rpcUrl, SLASHER_ADDRESS: f.testbed.slasher, EXECUTOR_PRIVATE_KEY: f.executor.privateKey, DATABASE_URL: db.url, POLL_INTERVAL_MS: '200', CONFIRMATIONS: '0' });
  const holder = async (d: DeskProcess) => (await getJson<Health>(`${d.url}/api/health`)).body.scheduler?.lease.holder === true;
  async function start(): Promise<DeskProcess> {
    const d = await spawnDesk(env());
    desks.push(d);
    await waitFor('desk serving', async () => (await getJson<Health>(`${d.url}/api/health`)).status === 200, 60_000, 200);
    return d;
  }
  /** queue a request, wait until `via` serves its veto, sign it with two owners after `fault()` */
  async function vetoThrough(via: DeskProcess, fault: () => Promise<void>): Promise<{ id: bigint; ms: number }> {
    const id = await f.queue();
    const veto = await waitFor('veto served', async () => (await getJson<RequestView>(`${via.url}/api/requests/${id}`)).body.veto, 30_000, 100);
    const t0 = Date.now();
    await fault();
    for (const owner of [f.owners[0]!, f.owners[1]!]) {
      const r = await fetch(`${via.url}/api/requests/${id}/veto/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature: await signTypedVeto(owner.privateKey, veto.typedData) }) });
      expect(r.status).toBe(201);
    }
    await waitFor('vetoed on chain', async () => (await f.slasherStatus(id)) === 1, ACT_WITHIN_MS * 3, 100);
    return { id, ms: Date.now() - t0 };
  }

  it('SIGKILL, then SIGSTOP of the holder: the standby vetoes within 15 s, one execTransaction per veto', async () => {
    const first = f.publicClient.getBlockNumber();
    const a = await start();
    await waitFor('A to lead', () => holder(a), 30_000, 200);
    const b = await start();
    expect(await holder(b)).toBe(false);

    const killed = await vetoThrough(b, () => a.kill9());
    expect(await holder(b)).toBe(true);

    const c = await start();
    expect(await holder(c)).toBe(false);
    const frozen = await vetoThrough(c, async () => void b.child.kill('SIGSTOP'));
    expect(await holder(c)).toBe(true);

    // the frozen holder wakes: it finds its lease gone and stays a standby; nothing is sent twice
    b.child.kill('SIGCONT');
    await waitFor('B answering again', async () => (await getJson<Health>(`${b.url}/api/health`)).status === 200, 30_000, 200);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await holder(b)).toBe(false);
    expect(await holder(c)).toBe(true);

    const head = await f.publicClient.getBlockNumber();
    const execs: Hex[] = [];
    for (let n = await first; n <= head; n++) {
      const block = await f.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) if (getAddress(tx.from) === f.executor.address) execs.push(tx.hash);
    }
    expect(execs).toHaveLength(2);
    for (const tx of execs) expect(getAddress((await f.publicClient.getTransaction({ hash: tx })).to!)).toBe(f.safe);
    process.stdout.write(`HA on PostgreSQL: SIGKILL → veto on chain in ${killed.ms} ms, SIGSTOP → veto on chain in ${frozen.ms} ms; ${execs.length} execTransaction for 2 vetoes\n`);
    expect(killed.ms).toBeLessThan(ACT_WITHIN_MS);
    expect(frozen.ms).toBeLessThan(ACT_WITHIN_MS);
  });
});
