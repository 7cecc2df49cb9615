/**
 * Two desk processes (the real `src/main.ts`, configured through the environment) on one
 * database: only the lease holder sends; kill -9 of the actor → the standby takes over once the
 * lease lapses (SQLite) or at once (PostgreSQL: the advisory lock dies with the connection), and
 * no fulfil is sent twice.
 */
import type { Address, Hex } from 'viem';
import { queueRequest } from '../src/devnet/deploy';
import { anvilDevAccounts } from '../src/devnet/anvil';
import type { RequestView } from '../src/api/views';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';

const WINDOW = 6;
const keeperKey = anvilDevAccounts(1)[0]!.privateKey;

type Health = { scheduler?: { lease: { holder: boolean } } };

describe.each(DB_KINDS)('one actor across processes on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  const desks: DeskProcess[] = [];
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: 50 });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    for (const d of desks) await d.stop().catch(() => undefined);
    await db?.drop();
    await chain?.stop();
  });

  it('kill -9 of the acting desk: the standby takes over, nothing is sent twice', async () => {
    const env = {
      RPC_URL: chain.anvil.rpcUrl,
      SLASHER_ADDRESS: chain.testbed.slasher,
      DATABASE_URL: db.target.url,
      CONFIRMATIONS: '0',
      POLL_INTERVAL_MS: '200',
      SLASHER_PRIVATE_KEY: keeperKey,
      // short, so the standby's takeover after the kill is quick; with room for a late renewal while
      // the second desk starts on a loaded machine (the holder stops acting a third of it early)
      LEASE_TTL_MS: '4000',
    };
    desks.push(await spawnDesk(env));
    await waitFor('the first desk to lead', async () => ((await getJson<Health>(`${desks[0]!.url}/api/health`)).body.scheduler?.lease.holder ? true : null), 60_000, 200);
    desks.push(await spawnDesk(env));
    const [actor, standby] = desks as [DeskProcess, DeskProcess];
    await waitFor('the standby to serve', async () => (await getJson<Health>(`${standby.url}/api/health`)).status === 200, 60_000, 200);
    expect((await getJson<Health>(`${standby.url}/api/health`)).body.scheduler?.lease.holder).toBe(false);

    const queue = (operator: Address, d: string) =>
      queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: d } });
    const q1 = await queue(chain.operators[0]!, 'before the crash');
    await chain.mine(WINDOW);
    const fulfilled = async (url: string, id: bigint) => {
      const r = await getJson<RequestView>(`${url}/api/requests/${id}`);
      return r.status === 200 && r.body.status === 'fulfilled' ? r.body : null;
    };
    // automine: the actor's fulfil is mined at once; keep mining so both desks see it
    const v1 = await waitFor('the actor to fulfil', async () => (await chain.mine(1), fulfilled(actor.url, q1.requestId)), 60_000, 300);

    await actor.kill9();
    const q2 = await queue(chain.operators[1]!, 'after the crash');
    await chain.mine(WINDOW);
    await waitFor('the standby to take over', async () => ((await getJson<Health>(`${standby.url}/api/health`)).body.scheduler?.lease.holder ? true : null), 30_000, 200);
    const v2 = await waitFor('the standby to fulfil', async () => (await chain.mine(1), fulfilled(standby.url, q2.requestId)), 60_000, 300);

    // exactly one fulfil transaction per request on chain, both from the slasher key
    const head = await chain.publicClient.getBlockNumber();
    const fulfils: Hex[] = [];
    for (let b = q1.blockNumber; b <= head; b++) {
      const block = await chain.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) if (tx.to?.toLowerCase() === chain.testbed.slasher.toLowerCase() && tx.input.startsWith('0x0b6d4a20')) fulfils.push(tx.hash);
    }
    expect(fulfils.sort()).toEqual([v1.fulfilled!.txHash, v2.fulfilled!.txHash].sort());
    // the standby never re-sent the crashed actor's fulfil (read from the standby: the actor may
    // have been killed before its view of the log caught up)
    expect((await getJson<RequestView>(`${standby.url}/api/requests/${q1.requestId}`)).body.actions!.filter((a) => a.kind === 'fulfil_sent')).toHaveLength(1);
  });
});
