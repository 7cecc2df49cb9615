/**
 * kill -9 of the real desk process (configured from the environment alone: ALERT_WEBHOOK_URL /
 * ALERT_WEBHOOK_SECRET), then a restart: alerts already delivered are not sent again, and what
 * happened while the desk was down is alerted once.
 */
import crypto from 'node:crypto';
import { cancelRequest, queueRequest } from '../src/devnet/deploy';
import { AVS, WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { getJson, spawnDesk, waitFor, type DeskProcess } from './helpers/deskProcess';
import { startHttpReceiver, type HttpReceiver } from './helpers/receivers';

interface AlertItem {
  kind: string;
  requestId?: string;
  deliveries: { channel: string; state: string }[];
}

describe.each(DB_KINDS)('alerts across kill -9 on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let hook: HttpReceiver;
  let desk: DeskProcess | undefined;

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 1000, deallocationDelay: 10 });
    db = await createTestDatabase(kind);
    hook = await startHttpReceiver();
  });
  afterAll(async () => {
    await desk?.stop();
    await hook?.close();
    await db?.drop();
    await chain?.stop();
  });

  const queue = (i: number) =>
    queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[i % 4]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD / 10n], description: `r${i}` },
    });
  // the requests' alerts (a desk's own health incidents, e.g. a failed pass, are not this test's)
  const keys = () => hook.received.filter((r) => r.json?.requestId !== undefined).map((r) => `${r.json.kind}:${r.json.requestId}`);

  it('sends no duplicates after a restart', async () => {
    const env = {
      RPC_URL: chain.anvil.rpcUrl,
      SLASHER_ADDRESS: chain.testbed.slasher,
      AVS_ADDRESS: AVS,
      DATABASE_URL: db.url,
      START_BLOCK: String(chain.testbed.deployBlock),
      CONFIRMATIONS: '0',
      POLL_INTERVAL_MS: '200',
      ALERT_WEBHOOK_URL: `${hook.url}/alerts`,
      ALERT_WEBHOOK_SECRET: 'restart-secret',
    };
    for (let i = 0; i < 3; i++) await queue(i);
    desk = await spawnDesk(env);
    await waitFor('three queued alerts', async () => hook.received.filter((r) => r.json?.kind === 'request_queued').length === 3, 60_000);
    const url = desk.url;
    await waitFor('deliveries recorded', async () => {
      const a = (await getJson<{ alerts: AlertItem[] }>(`${url}/api/alerts`)).body.alerts;
      return a.length === 3 && a.every((x) => x.deliveries.every((d) => d.state === 'delivered'));
    });
    await desk.kill9();

    // while the desk is down: a veto and a new request
    await cancelRequest(chain.committee, chain.publicClient, { slasher: chain.testbed.slasher, requestId: 1n });
    await queue(3);

    desk = await spawnDesk(env);
    await waitFor('veto and new request alerted', async () => keys().includes('request_vetoed:1') && keys().includes('request_queued:3'), 60_000);
    // outside view of latency: a new request's alert reaches the webhook soon after its block (the
    // figure is the bench's; the bound here is loose for a loaded machine: it is not left for a
    // later trigger or a restart)
    await queue(4);
    const mined = Date.now();
    const hit = await waitFor('new request alert', async () => hook.received.find((r) => r.json?.kind === 'request_queued' && r.json?.requestId === '4'), 10_000, 10);
    expect(hit.at - mined).toBeLessThan(3000);
    // a few more planner passes and dispatcher ticks
    await new Promise((r) => setTimeout(r, 2_000));
    expect(keys().sort()).toEqual(['request_queued:0', 'request_queued:1', 'request_queued:2', 'request_queued:3', 'request_queued:4', 'request_vetoed:1']);
    for (const r of hook.received) {
      expect(r.path).toBe('/alerts');
      expect(r.headers['x-veto-desk-signature']).toBe(`sha256=${crypto.createHmac('sha256', 'restart-secret').update(r.raw).digest('hex')}`);
    }
  });
});
