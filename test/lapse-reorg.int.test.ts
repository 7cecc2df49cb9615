/**
 * A lapse and a reorg: the desk records a lapse while blocks are the chain, then a reorg removes
 * them. Where the escape was on the abandoned branch only, the lapse goes and the request is
 * fulfilled as any other (before, the lapse stayed: the request was held, alerted as slashable
 * again, and never fulfilled). Where the escape is below the common ancestor and the operator is
 * back on the new branch, the lapse is recorded again from the sets' history, at the block the
 * stake escaped past the window, and the request is held. Real anvil and contracts, both databases.
 */
import request from 'supertest';
import type { Address } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { deregisterOperator, queueRequest, registerOperator } from '../src/devnet/deploy';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';

const WINDOW = 10;
const DELAY = 3;
const REQUESTED = 0;
const COMPLETED = 2;
const keeperKey = anvilDevAccounts(1)[0]!.privateKey;

describe.each(DB_KINDS)('a lapse recorded on blocks a reorg removes, on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
    desk = await startTestDesk(chain, db, { reorgDepth: 64, scheduler: { slasherPrivateKey: keeperKey } });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  const cycle = async () => {
    await desk.ingestor.sync();
    await desk.ingestor.enriched();
    await desk.scheduler.evaluate();
    await desk.scheduler.idle();
  };
  /** a few blocks, each followed by a pass and a scheduler cycle */
  const follow = async (blocks: number) => {
    for (let i = 0; i < blocks; i++) {
      await chain.mine(1);
      await cycle();
    }
  };
  const view = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const lapses = (id: bigint) => desk.database.db.requestLapse.findMany({ where: { requestId: id.toString() } });
  const target = (operator: Address) => ({ allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } });
  const queue = (operator: Address, description: string) =>
    queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description } });
  const fulfils = (id: bigint) => desk.database.db.sentTx.count({ where: { requestId: id.toString(), purpose: 'fulfil' } });

  it('an escape on the abandoned branch only: the lapse goes and the request is fulfilled', async () => {
    const operator = chain.operators[0]!;
    const q = await queue(operator, 'escapes on a branch a reorg removes');
    await cycle();
    const snapshot = await chain.rpc<string>('evm_snapshot');
    // the operator leaves: its stake is out of reach DELAY + 1 blocks later, inside the window
    await deregisterOperator(chain.keeper, chain.publicClient, target(operator));
    await chain.mine(WINDOW + 1);
    await cycle();
    expect((await view(q.requestId)).status).toBe('lapsed');
    expect(await lapses(q.requestId)).toHaveLength(1);

    // the reorg: on the chain that stays the operator never left
    await chain.rpc('evm_revert', [snapshot]);
    await chain.mine(WINDOW + 4);
    await follow(3);
    expect(desk.ingestor.status().reorgs).toBeGreaterThan(0);
    expect(await lapses(q.requestId)).toEqual([]);
    const v = await view(q.requestId);
    expect(v.lapsed).toBeUndefined();
    expect(v.status).toBe('fulfilled');
    expect(await chain.slasherStatus(q.requestId)).toBe(COMPLETED);
    await desk.alerting.evaluate(Date.now());
    const again = (await request(desk.url).get(`/api/alerts?requestId=${q.requestId}&kind=request_slashable_again`).expect(200)).body.alerts as unknown[];
    expect(again).toEqual([]);
  });

  it('an escape below the common ancestor, the operator back on the new branch: recorded again at its block, held', async () => {
    const operator = chain.operators[1]!;
    const q = await queue(operator, 'escapes for good, back after a reorg');
    await cycle();
    await deregisterOperator(chain.keeper, chain.publicClient, target(operator));
    // out of reach past the window's end on the chain that stays: a lapse from the window's end
    // (the first block it could have been fulfilled)
    const escapedAt = Number(q.blockNumber) + WINDOW;
    await chain.mine(WINDOW + 1);
    const snapshot = await chain.rpc<string>('evm_snapshot');
    const ancestor = Number(await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
    await chain.mine(2);
    // seen lapsed first above what becomes the common ancestor
    await cycle();
    expect((await view(q.requestId)).status).toBe('lapsed');
    expect((await lapses(q.requestId)).map((l) => l.lapsedAtBlock > ancestor)).toEqual([true]);

    // the reorg: the escape stays, and on the new branch the operator comes back
    await chain.rpc('evm_revert', [snapshot]);
    await registerOperator(chain.keeper, chain.publicClient, target(operator));
    await chain.mine(WINDOW + 2);
    await follow(3);
    expect(desk.ingestor.status().reorgs).toBeGreaterThan(1);
    const v = await view(q.requestId);
    expect(v.status).toBe('fulfillable');
    expect(v.lapsed).toEqual({ block: escapedAt, slashableAgainAtBlock: expect.any(Number) });
    expect(v.nextAction).toMatchObject({ kind: 'fulfil', actor: 'nobody', note: expect.stringContaining('FULFIL_AFTER_LAPSE=false') });
    expect(await chain.slasherStatus(q.requestId)).toBe(REQUESTED);
    expect(await fulfils(q.requestId)).toBe(0);
    await desk.alerting.evaluate(Date.now());
    const again = (await request(desk.url).get(`/api/alerts?requestId=${q.requestId}&kind=request_slashable_again`).expect(200)).body.alerts as { severity: string }[];
    expect(again).toEqual([expect.objectContaining({ severity: 'critical' })]);
  });
});
