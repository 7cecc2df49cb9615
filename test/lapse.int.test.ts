/**
 * "lapsed" follows the chain: the real slasher never expires a request. An operator whose stake
 * escaped (deregistered, past DEALLOCATION_DELAY) lapses the request (stake_escaped); when it
 * registers again it is slashable again, the request is `fulfillable` again and alerted
 * (request_slashable_again), and the desk does not fulfil it unless FULFIL_AFTER_LAPSE=true.
 */
import request from 'supertest';
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

describe.each(DB_KINDS)('a lapsed request that becomes slashable again, on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: DELAY });
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
    await chain?.stop();
  });

  const cycle = async (desk: Desk) => {
    await desk.ingestor.sync();
    await desk.scheduler.evaluate();
    await desk.scheduler.idle();
  };
  const view = async (desk: Desk, id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const status = (id: bigint) => chain.slasherStatus(id);

  it('stake escapes → lapsed (stake_escaped); registered again → fulfillable, alerted, not fulfilled; FULFIL_AFTER_LAPSE=true fulfils it', async () => {
    const desk = await startTestDesk(chain, db, { scheduler: { slasherPrivateKey: keeperKey } });
    const operator = chain.operators[kind === 'sqlite' ? 0 : 1]!;
    const target = { allocationManager: chain.testbed.allocationManager, operator, operatorSet: { avs: AVS, id: 1 } };
    try {
      const q = await queueRequest(chain.keeper, chain.publicClient, { slasher: chain.testbed.slasher, request: { operator, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: 'escapes, then comes back' } });
      // the operator leaves at once: slashable only through deregisterBlock + DEALLOCATION_DELAY, before the window ends
      await deregisterOperator(chain.keeper, chain.publicClient, target);
      await cycle(desk);
      expect(await view(desk, q.requestId)).toMatchObject({ status: 'in_veto_window', atRisk: true });
      await chain.mine(WINDOW + 1);
      await cycle(desk);
      const lapsed = await view(desk, q.requestId);
      expect(lapsed.status).toBe('lapsed');
      await cycle(desk);
      expect((await view(desk, q.requestId)).lapsed).toEqual({ block: expect.any(Number), slashableAgainAtBlock: null });
      await desk.alerting.evaluate(Date.now());
      const escaped = (await request(desk.url).get(`/api/alerts?requestId=${q.requestId}&kind=stake_escaped`).expect(200)).body.alerts;
      expect(escaped).toHaveLength(1);

      // the operator registers again: the request is slashable again
      await registerOperator(chain.keeper, chain.publicClient, target);
      await chain.mine(1);
      await cycle(desk);
      await cycle(desk);
      const again = await view(desk, q.requestId);
      expect(again.status).toBe('fulfillable');
      expect(again.lapsed).toEqual({ block: lapsed.lapsed?.block ?? expect.any(Number), slashableAgainAtBlock: expect.any(Number) });
      expect(again.nextAction).toMatchObject({ kind: 'fulfil', actor: 'nobody', note: expect.stringContaining('FULFIL_AFTER_LAPSE=false') });
      const alerts = (await request(desk.url).get(`/api/alerts?requestId=${q.requestId}&kind=request_slashable_again`).expect(200)).body.alerts as { severity: string; title: string }[];
      expect(alerts).toEqual([expect.objectContaining({ severity: 'critical', title: expect.stringContaining('slashable again') })]);
      // several passes: never fulfilled
      for (let i = 0; i < 3; i++) {
        await chain.mine(1);
        await cycle(desk);
      }
      expect(await status(q.requestId)).toBe(REQUESTED);
      expect(await desk.database.db.sentTx.count({ where: { requestId: q.requestId.toString() } })).toBe(0);
    } finally {
      await desk.stop();
    }

    // the same database, FULFIL_AFTER_LAPSE=true: the desk fulfils it
    const willing = await startTestDesk(chain, db, { scheduler: { slasherPrivateKey: keeperKey, fulfilAfterLapse: true } });
    try {
      const id = (await willing.database.db.slashingRequest.findFirstOrThrow({ where: { description: 'escapes, then comes back' } })).requestId;
      await cycle(willing);
      await cycle(willing);
      await chain.mine(1);
      await cycle(willing);
      expect(await status(BigInt(id))).toBe(COMPLETED);
    } finally {
      await willing.stop();
    }
  });
});
