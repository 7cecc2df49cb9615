/**
 * A veto with quorum whose execution reverts on chain although its simulation passed (the slasher
 * refused the call when it ran: here its code is swapped for a bare `revert` for the block that
 * holds the execution, as a pause or an upgrade between simulation and inclusion would). The desk
 * sends it again while a new simulation passes, and gives up after three reverts of its own:
 * `failed` with the revert as its reason and a critical alert, with no fourth transaction sent.
 * Real anvil and Safe; the execution is held out of the pool until the swap.
 */
import request from 'supertest';
import type { Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signVetoQuorum, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const REQUESTED = 0;
const CANCELLED = 1;
/** PUSH1 0 PUSH1 0 REVERT */
const REVERTING_CODE = '0x60006000fd';

describe('a veto whose execution reverts on chain', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;

  beforeAll(async () => {
    f = await startSafeFixture({ window: 200 });
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await f?.rpc('evm_setAutomine', [true]).catch(() => undefined);
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  const view = async (id: bigint) => (await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
  const pending = async () => ((await f.rpc('eth_getBlockByNumber', ['pending', false])) as { transactions: Hex[] }).transactions;
  const fromExecutor = async (hashes: Hex[]) => (await Promise.all(hashes.map((hash) => f.publicClient.getTransaction({ hash })))).filter((t) => t.from.toLowerCase() === f.executor.address.toLowerCase());

  /** the slasher refuses every call while `during` runs */
  async function slasherRefusing<T>(during: () => Promise<T>): Promise<T> {
    const code = (await f.rpc('eth_getCode', [f.testbed.slasher, 'latest'])) as Hex;
    await f.rpc('anvil_setCode', [f.testbed.slasher, REVERTING_CODE]);
    try {
      return await during();
    } finally {
      await f.rpc('anvil_setCode', [f.testbed.slasher, code]);
    }
  }

  /** the desk's pending execution goes into a block where the slasher refuses every call */
  async function revertInBlock(): Promise<Hex> {
    const [tx] = await fromExecutor(await pending());
    expect(tx).toBeDefined();
    const raw = (await f.rpc('eth_getRawTransactionByHash', [tx!.hash])) as Hex;
    await f.rpc('anvil_dropTransaction', [tx!.hash]);
    await slasherRefusing(async () => {
      await f.rpc('eth_sendRawTransaction', [raw]);
      await f.rpc('evm_mine');
    });
    expect((await f.publicClient.getTransactionReceipt({ hash: tx!.hash })).status).toBe('reverted');
    return tx!.hash;
  }
  const signQuorum = (id: bigint) => signVetoQuorum(desk!, f, id);

  it('is sent again while a new simulation passes, and fails after its third revert with a critical alert', async () => {
    desk = await openVetoDesk(f, db);
    const id = await f.queue('its execution reverts on chain');
    await settle(desk);
    await f.rpc('evm_setAutomine', [false]);
    const v = await signQuorum(id);
    await settle(desk);

    const reverted: Hex[] = [];
    for (let n = 1; n <= 3; n++) {
      reverted.push(await revertInBlock());
      await settle(desk);
      await settle(desk);
      const after = (await view(id)).veto!;
      if (n < 3) {
        // still planned at its nonce, and on its way again in a new transaction
        expect(after.status).not.toBe('failed');
        expect(after.nonce).toBe(v.nonce);
        const next = await fromExecutor(await pending());
        expect(next).toHaveLength(1);
        expect(reverted).not.toContain(next[0]!.hash);
      } else {
        expect(after).toMatchObject({ status: 'failed', executionTxHash: reverted[2] });
        expect(after.statusReason).toContain(`reverted 3 times`);
        expect(after.statusReason).toContain(reverted[2]);
        // nothing more is sent for it
        expect(await fromExecutor(await pending())).toHaveLength(0);
      }
    }
    await f.mine(3);
    await settle(desk);
    expect(await fromExecutor(await pending())).toHaveLength(0);
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
    const alerts = (await request(desk.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts as { severity: string; title: string }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical' });
    expect(alerts[0]!.title).toContain(`request ${id}`);
    expect(alerts[0]!.title).toContain('reverted 3 times');
  });

  it('a simulation that reverts at one block is tried again at the next, and the veto lands', async () => {
    await f.rpc('evm_setAutomine', [true]);
    const id = await f.queue('its first simulation reverts');
    await settle(desk!);
    await slasherRefusing(async () => {
      await signQuorum(id);
      await settle(desk!);
      const held = (await view(id)).veto!;
      expect(held.status).toBe('ready');
      expect(held.statusReason).toContain('would revert (simulated at block');
      expect(held.statusReason).toContain('1 of 3');
    });
    await f.mine(1);
    await settle(desk!);
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
    expect((await view(id)).veto).toMatchObject({ status: 'executed' });
    expect((await request(desk!.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts).toEqual([]);
  });

  it('one that reverts at three blocks fails, with a critical alert while its window still runs', async () => {
    const id = await f.queue('every simulation reverts');
    await settle(desk!);
    await slasherRefusing(async () => {
      await signQuorum(id);
      for (let i = 0; i < 3; i++) {
        await f.mine(1);
        await settle(desk!);
      }
    });
    await settle(desk!);
    const v = (await view(id)).veto!;
    expect(v.status).toBe('failed');
    expect(v.statusReason).toMatch(/^would revert: .*\(simulated at 3 blocks up to \d+\)$/);
    expect((await view(id)).status).toBe('in_veto_window');
    const alerts = (await request(desk!.url).get(`/api/alerts?kind=action_failed&requestId=${id}`).expect(200)).body.alerts as { severity: string }[];
    expect(alerts).toMatchObject([{ severity: 'critical' }]);
    expect(await f.slasherStatus(id)).toBe(REQUESTED);
  });
});
