/**
 * The acceptance path, driven only through env and HTTP like an outside harness: the real desk
 * process pointed at a chain with its own 2-of-3 Safe and slasher (RPC_URL, SLASHER_ADDRESS,
 * EXECUTOR_PRIVATE_KEY, DATABASE_URL); two owners' EIP-712 signatures posted to the API get the
 * request `vetoed` on chain within 2 blocks of the second signature.
 */
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';
import type { RequestView } from '../src/api/views';

describe.each(DB_KINDS)('outside harness on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: DeskProcess | undefined;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  it('two EIP-712 signatures over HTTP → vetoed on chain within 2 blocks', async () => {
    const id = await f.queue();
    desk = await spawnDesk({
      RPC_URL: f.anvil.rpcUrl,
      SLASHER_ADDRESS: f.testbed.slasher,
      EXECUTOR_PRIVATE_KEY: f.executor.privateKey,
      DATABASE_URL: db.url,
      POLL_INTERVAL_MS: '200',
      CONFIRMATIONS: '0',
    });
    const base = desk.url;
    const veto = await waitFor('veto planned', async () => (await getJson<RequestView>(`${base}/api/requests/${id}`)).body.veto);
    const post = async (key: `0x${string}`) => {
      const res = await fetch(`${base}/api/requests/${id}/veto/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature: await signTypedVeto(key, veto.typedData) }) });
      expect(res.status).toBe(201);
    };
    await post(f.owners[0]!.privateKey);
    const before = await f.publicClient.getBlockNumber();
    await post(f.owners[2]!.privateKey);
    const vetoed = await waitFor('vetoed', async () => {
      const v = (await getJson<RequestView>(`${base}/api/requests/${id}`)).body;
      return v.status === 'vetoed' && v.veto?.status === 'executed' ? v : undefined;
    }, 30_000);
    expect(await f.slasherStatus(id)).toBe(1);
    expect(vetoed.cancelled!.block - Number(before)).toBeLessThanOrEqual(2);
    const health = (await getJson<{ vetoExecution: { sends: boolean; executor: string } }>(`${base}/api/health`)).body;
    expect(health.vetoExecution).toMatchObject({ sends: true, executor: f.executor.address });
  });
});
