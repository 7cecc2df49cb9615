/**
 * kill -9 of the desk process, mid-backfill and after catching up, then restart: the request list
 * is exactly what a clean index of the same chain gives — nothing lost, nothing duplicated.
 * Runs the real entry point (`src/main.ts`) configured only through the environment.
 */
import type { Address } from 'viem';
import { cancelRequest, queueRequest } from '../src/devnet/deploy';
import type { HealthView, RequestView } from '../src/api/views';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor } from './helpers/deskProcess';

const stable = (v: RequestView) => ({
  requestId: v.requestId,
  operator: v.operator,
  description: v.description,
  queuedAtBlock: v.queuedAtBlock,
  queuedTxHash: v.queuedTxHash,
  status: v.status,
  strategies: v.strategies,
  wadsToSlash: v.wadsToSlash,
  vetoWindowEnd: v.vetoWindowEnd.block,
  lastUsefulBlock: v.lastUsefulBlock,
  cancelled: v.cancelled,
});

describe.each(DB_KINDS)('kill -9 and restart on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 1000, deallocationDelay: 10 });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
    await chain?.stop();
  });

  async function queue(n: number, tag: string) {
    for (let i = 0; i < n; i++) {
      await queueRequest(chain.keeper, chain.publicClient, {
        slasher: chain.testbed.slasher,
        request: {
          operator: chain.operators[i % chain.operators.length] as Address,
          operatorSetId: 1,
          strategies: chain.testbed.strategies.slice(0, 2),
          wadsToSlash: [WAD / 20n, WAD / 20n],
          description: `${tag} ${i}`,
        },
      });
      await chain.mine(3);
    }
  }

  it('loses and duplicates nothing', async () => {
    await queue(40, 'before');
    const env = {
      RPC_URL: chain.anvil.rpcUrl,
      SLASHER_ADDRESS: chain.testbed.slasher,
      DATABASE_URL: db.url,
      START_BLOCK: String(chain.testbed.deployBlock),
      // tiny ranges: the backfill takes many transactions, so the kill lands in the middle of it
      MAX_LOG_RANGE: '2',
      REORG_DEPTH: '8',
      POLL_INTERVAL_MS: '200',
    };
    const head = Number(await chain.publicClient.getBlockNumber());
    const first = await spawnDesk(env);
    await waitFor('backfill under way', async () => {
      const h = await getJson<HealthView>(`${first.url}/api/health`).catch(() => null);
      return h && h.body.indexedBlock !== null && h.body.indexedBlock > Number(chain.testbed.deployBlock) + 10;
    });
    await first.kill9();
    const partial = await getJson(`${first.url}/api/health`).catch(() => null);
    expect(partial).toBeNull(); // really gone

    // the chain moves on while the desk is down
    await queue(5, 'while down');
    await cancelRequest(chain.committee, chain.publicClient, { slasher: chain.testbed.slasher, requestId: 3n });

    const second = await spawnDesk(env);
    const target = Number(await chain.publicClient.getBlockNumber());
    expect(target).toBeGreaterThan(head);
    // caught up, and the strategies a backfill leaves to be read in the background read: what
    // is compared below is then the settled state, not a moment of the background work
    const caughtUp = async (url: string) =>
      waitFor('caught up', async () => {
        const h = await getJson<HealthView>(`${url}/api/health`);
        if (h.body.indexedBlock === null || h.body.indexedBlock < target) return false;
        const requests = (await getJson<{ requests: RequestView[] }>(`${url}/api/requests?limit=1000`)).body.requests;
        return requests.length === 45 && requests.every((v) => v.strategies !== null) && requests;
      });
    const listed = await caughtUp(second.url);
    await second.kill9();

    expect(listed).toHaveLength(45);
    expect(new Set(listed.map((v) => v.requestId)).size).toBe(45);
    // the list pages open requests first, then by deadline: compare the ids as a set of numbers
    expect(listed.map((v) => Number(v.requestId)).sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(listed.find((v) => v.requestId === '3')!.status).toBe('vetoed');
    expect(listed.filter((v) => v.description.startsWith('while down'))).toHaveLength(5);

    // a restart after catching up changes nothing
    const third = await spawnDesk(env);
    const again = await caughtUp(third.url);
    await third.stop();
    expect(again.map(stable)).toEqual(listed.map(stable));
    expect(third.output()).not.toMatch(/"level":(50|60)/);
  });
});
