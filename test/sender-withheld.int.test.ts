/**
 * Only the desk holding the actor lease sends, and its lease is asked once more right before a
 * send is recorded: the simulations before it can outlast the lease's margin (a slow node), and a
 * desk that lost it meanwhile must record and broadcast nothing.
 */
import { encodeFunctionData, parseAbi } from 'viem';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { createLogger } from '../src/lib/logger';
import { createSenders } from '../src/sender/sender';
import { openDatabase, type Database } from '../src/store/database';
import { createSentTxStore } from '../src/store/sentTxStore';
import { startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';

describe('a send asked of a desk that lost the lease while simulating', () => {
  let chain: ChainFixture;
  let tdb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    chain = await startChainFixture('V3');
    tdb = await createTestDatabase('sqlite');
    database = await openDatabase(tdb.target);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
    await chain?.stop();
  });

  it('records and broadcasts nothing once the lease is lost during the simulation, and sends once it is held again', async () => {
    let gate: string | null = null;
    let loseWhileSimulating = false;
    const store = createSentTxStore(database);
    const key = anvilDevAccounts(8)[7]!.privateKey;
    // the lease is lost while the call is simulated: after the pass's own look, before the record
    const client = {
      ...chain.publicClient,
      estimateGas: async (args: Parameters<typeof chain.publicClient.estimateGas>[0]) => {
        const gas = await chain.publicClient.estimateGas(args);
        if (loseWhileSimulating) gate = 'standby: another desk holds the actor lease';
        return gas;
      },
    } as typeof chain.publicClient;
    const sender = createSenders({ client, store, chainId: await chain.publicClient.getChainId(), logger: createLogger('silent'), withheld: () => gate }).for(key);
    // a call that simulates fine (nobody's request, a view function of the slasher)
    const intent = { purpose: 'fulfil' as const, slasher: chain.testbed.slasher, requestId: '0', requestTxHash: '0x', to: chain.testbed.slasher, data: encodeFunctionData({ abi: parseAbi(['function vetoWindowBlocks() view returns (uint32)']), functionName: 'vetoWindowBlocks' }), deadlineBlock: null };
    const nonceBefore = await chain.publicClient.getTransactionCount({ address: sender.address });
    loseWhileSimulating = true;
    expect(await sender.send(intent)).toEqual({ kind: 'withheld', reason: 'standby: another desk holds the actor lease' });
    loseWhileSimulating = false;
    expect(await database.db.sentTx.count()).toBe(0);
    expect(await chain.publicClient.getTransactionCount({ address: sender.address, blockTag: 'pending' })).toBe(nonceBefore);
    gate = null;
    expect((await sender.send(intent)).kind).toBe('sent');
    expect(await database.db.sentTx.count()).toBe(1);
  });
});
