/**
 * Following the chain on its own: new heads by websocket subscription (RPC_URL ws://) and by
 * polling (http://), with several RPC URLs where the first is down (fallback).
 */
import type { Address } from 'viem';
import { queueRequest } from '../src/devnet/deploy';
import { startDesk, type Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView } from '../src/api/views';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, waitFor } from './helpers/deskProcess';

describe.each([
  ['websocket subscription', (c: ChainFixture) => [c.anvil.wsUrl]],
  ['http polling with a dead first endpoint', (c: ChainFixture) => ['http://127.0.0.1:9', c.anvil.rpcUrl]],
])('follows new blocks by %s', (_name, urls) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V3');
    db = await createTestDatabase('sqlite');
    desk = await startDesk({
      rpcUrls: urls(chain),
      slasher: chain.testbed.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      confirmations: 0,
      pollIntervalMs: 500,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('lists a new request without being told to sync', async () => {
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[0] as Address, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 2), wadsToSlash: [WAD / 4n, WAD / 4n], description: 'followed' },
    });
    const seen = await waitFor('request listed', async () => {
      const { body } = await getJson<{ requests: RequestView[] }>(`${desk.url}/api/requests`);
      return body.requests.find((r) => r.requestId === q.requestId.toString());
    }, 15_000);
    expect(seen).toMatchObject({ description: 'followed', queuedTxHash: q.txHash, status: 'in_veto_window' });
  });
});
