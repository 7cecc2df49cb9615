/**
 * A provider that caps eth_getLogs at a block range and says so in Alchemy's words: the desk's
 * backfill reads the cap from the first refusal (not by halving its way down), lists every
 * request, and remembers the cap for its later walks. Through the proxy the provider bench uses.
 */
import type { Desk } from '../src/app/desk';
import { queueRequest } from '../src/devnet/deploy';
import { startRpcProxy, type RpcProxy } from '../bench/rpcProxy';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';

const CAP = 8;
const REORG_DEPTH = 4;

describe('a provider capping eth_getLogs at a block range', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let proxy: RpcProxy;
  let desk: Desk | undefined;

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 10_000 });
    db = await createTestDatabase('sqlite');
    proxy = await startRpcProxy(chain.anvil.rpcUrl, { maxLogRange: CAP });
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
    await db?.drop();
    await chain?.stop();
  });

  const queue = (i: number) =>
    queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[i % chain.operators.length]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: `capped ${i}` },
    });
  const listed = async () => (await desk!.database.db.slashingRequest.count()) as number;
  /** passes until the desk has read the head: a call may join a pass already under way (the one the strategies' read starts), begun before the last blocks */
  const catchUp = async () => {
    const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    for (let i = 0; i < 5 && ((await desk!.ingestor.sync()).indexedBlock ?? -1) < head; i++);
    expect(desk!.ingestor.status().indexedBlock ?? -1).toBeGreaterThanOrEqual(head);
  };

  it('backfills in ranges within the stated cap after one refusal, and walks later with it', async () => {
    for (let i = 0; i < 4; i++) {
      await queue(i);
      await chain.mine(3 * CAP); // spread the requests over many capped ranges
    }
    await chain.mine(2 * REORG_DEPTH);
    // the desk asks for up to 10,000 blocks at first: the proxy refuses every range over the cap
    desk = await startTestDesk(chain, db, { rpcUrls: [proxy.url], reorgDepth: REORG_DEPTH, maxLogRange: 10_000 });
    proxy.reset();
    await catchUp();
    expect(await listed()).toBe(4);
    // one refusal: the walk took the cap it named, where halving from 2,000 would have been refused 8 times
    expect(proxy.refusals().logRange).toBe(1);
    const head = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    const from = Number(chain.testbed.deployBlock);
    expect(proxy.counts().eth_getLogs).toBeGreaterThanOrEqual(Math.ceil((head - REORG_DEPTH - from) / CAP));

    // more requests deeper than the reorg window: a second backfill, with the cap remembered
    for (let i = 4; i < 6; i++) {
      await queue(i);
      await chain.mine(3 * CAP);
    }
    await chain.mine(2 * REORG_DEPTH);
    await catchUp();
    expect(await listed()).toBe(6);
    expect(proxy.refusals().logRange).toBe(1);
  });
});
