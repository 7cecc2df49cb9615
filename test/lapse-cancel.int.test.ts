/**
 * A fulfil sent in time that is still in the mempool when the operator's stake escapes (L passed)
 * slashes nothing any more, and landing later it would slash stake allocated after the window:
 * the desk cancels it at its nonce (a 0-value transfer to itself) and the request stays Requested
 * on chain for governance to decide. Real anvil and contracts; the fulfil is held out of the
 * blocks by a base fee above its fee cap until the stake has escaped.
 */
import request from 'supertest';
import { numberToHex, parseTransaction, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { deregisterOperator, queueRequest } from '../src/devnet/deploy';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';

const WINDOW = 10;
const DELAY = 3;
const REQUESTED = 0;
const keeperKey = anvilDevAccounts(1)[0]!.privateKey;

describe('a fulfil in flight when the stake escapes', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await chain?.rpc('evm_setAutomine', [true]).catch(() => undefined);
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const cycle = async (d: Desk) => {
    await d.ingestor.sync();
    await d.scheduler.evaluate();
    await d.scheduler.idle();
  };
  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const head = async () => Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
  const status = (id: bigint) => chain.slasherStatus(id);

  it('is cancelled at its nonce, and the request stays Requested', async () => {
    desk = await startTestDesk(chain, db, { scheduler: { slasherPrivateKey: keeperKey } });
    const operator = chain.operators[0]!;
    const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: 'its fulfil is too late' } });
    const windowEnd = Number(q.blockNumber) + WINDOW;
    // the operator leaves in block windowEnd − 2: slashable through L = windowEnd + 1
    await chain.mine(windowEnd - 3 - (await head()));
    await deregisterOperator(chain.keeper, chain.publicClient, { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } });
    await chain.mine(1);
    expect(await head()).toBe(windowEnd - 1);
    await chain.rpc('evm_setAutomine', [false]);
    await cycle(desk);
    expect((await view(q.requestId)).lastUsefulBlock).toBe(windowEnd + 1);
    const fulfil = await desk.database.db.sentTx.findFirstOrThrow({ where: { purpose: 'fulfil', requestId: q.requestId.toString() } });
    const fee = parseTransaction(fulfil.rawTx as Hex).maxFeePerGas!;
    // held out of the blocks until the stake has escaped
    for (let n = await head(); n <= windowEnd + 2; n++) {
      await chain.rpc('anvil_setNextBlockBaseFeePerGas', [numberToHex(fee * 4n)]);
      await chain.rpc('anvil_mine', ['0x1']);
    }
    await cycle(desk);
    expect((await view(q.requestId)).status).toBe('lapsed');
    const atNonce = () => desk!.database.db.sentTx.findMany({ where: { account: fulfil.account, txNonce: fulfil.txNonce }, orderBy: { id: 'asc' } });
    await cycle(desk);
    expect((await atNonce()).filter((a) => a.purpose === 'cancel')).toHaveLength(1);

    await chain.rpc('evm_setAutomine', [true]);
    await chain.mine(1);
    await cycle(desk);
    const settled = await atNonce();
    expect(settled.map((a) => [a.purpose, a.status])).toEqual([...settled.slice(0, -1).map((a) => [a.purpose, 'replaced']), ['cancel', 'mined']]);
    expect(await status(q.requestId)).toBe(REQUESTED);
    expect((await view(q.requestId)).actions!.map((a) => a.kind)).toContain('fulfil_cancelled');
  });
});
