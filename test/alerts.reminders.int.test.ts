/**
 * Veto-window reminders at their lead times as the chain moves forward (anvil_mine with a block
 * interval), re-computed from blocks × observed block time when the chain speeds up.
 */
import type { Desk } from '../src/app/desk';
import { queueRequest } from '../src/devnet/deploy';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { getJson, waitFor } from './helpers/deskProcess';
import { startHttpReceiver, type HttpReceiver } from './helpers/receivers';

const WINDOW = 1000;

describe.each(DB_KINDS)('veto reminders on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let hook: HttpReceiver;

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: WINDOW, deallocationDelay: 10 });
    db = await createTestDatabase(kind);
    hook = await startHttpReceiver();
    desk = await startTestDesk(chain, db, {
      follow: true,
      pollIntervalMs: 100,
      reorgDepth: 64,
      alerts: {
        channels: [{ name: 'webhook', type: 'webhook', url: hook.url, minSeverity: 'info' }],
        reminderLeadTimesSec: [48 * 3600, 7200, 1800],
        retry: { baseMs: 100, maxMs: 400, maxAttempts: 100 },
        dispatchIntervalMs: 100,
      },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await hook?.close();
    await db?.drop();
    await chain?.stop();
  });

  /** mines `n` blocks `interval` seconds apart and waits until the desk has indexed them */
  async function mine(n: number, interval: number) {
    for (let left = n; left > 0; left -= 200) {
      const k = Math.min(200, left);
      await chain.rpc('anvil_mine', [`0x${k.toString(16)}`, `0x${interval.toString(16)}`]);
    }
    const head = Number(await chain.publicClient.getBlockNumber());
    await waitFor('desk at head', async () => (await desk.health()).indexedBlock === head, 60_000);
    await desk.alerting.evaluate();
  }
  const reminders = () => hook.received.filter((r) => r.json?.kind === 'veto_reminder');

  it('fires each lead time once, from blocks × observed block time', async () => {
    const q = await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[0]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD], description: 'long window' },
    });
    const windowEnd = Number(q.blockNumber) + WINDOW;
    await waitFor('queued alert', async () => hook.received.some((r) => r.json?.kind === 'request_queued'), 20_000);
    // 60 s blocks: 1000 blocks ≈ 16.7 h, so 48 h is longer than the whole window (no reminder)
    await mine(WINDOW - 150, 60); // ≈ 150 blocks × 60 s ≈ 2.5 h left
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders()).toHaveLength(0);

    await mine(35, 60); // ≈ 115 blocks ≈ 1.9 h left: the 2 h reminder
    await waitFor('2h reminder', async () => reminders().length === 1, 10_000);
    const r2h = reminders()[0]!.json;
    expect(r2h).toMatchObject({ severity: 'critical', requestId: q.requestId.toString(), data: { leadSeconds: 7200 } });
    expect(r2h.data.secondsLeft).toBeLessThanOrEqual(7200);
    expect(r2h.data.secondsLeft).toBeGreaterThan(1800);
    expect(r2h.text).toContain(`Veto window ends: block ${windowEnd}`);
    expect(r2h.text).toMatch(/^Veto signatures: /);

    // the chain speeds up to 10 s blocks: the remaining ≈ 75 blocks are now ≈ 12 min, past the 30 min lead
    await mine(40, 10);
    await waitFor('30m reminder', async () => reminders().length === 2, 10_000);
    const r30m = reminders()[1]!.json;
    expect(r30m.data.leadSeconds).toBe(1800);
    expect(r30m.data.secondsLeft).toBeLessThanOrEqual(1800);
    expect(r30m.data.blocksLeft).toBeGreaterThan(50);

    await mine(10, 10);
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders().map((r) => r.json.data.leadSeconds)).toEqual([7200, 1800]);
    const listed = await getJson<{ alerts: { kind: string }[] }>(`${desk.url}/api/alerts?kind=veto_reminder`);
    expect(listed.body.alerts).toHaveLength(2);
  });
});
