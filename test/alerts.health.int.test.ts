/**
 * Desk-health alerts: the RPC goes down (a loopback TCP proxy in front of anvil is cut), the desk
 * triggers `desk_ingest_error` on every channel (PagerDuty trigger), and resolves it with the same
 * dedup key once the RPC is back.
 */
import net from 'node:net';
import type { Desk } from '../src/app/desk';
import { queueRequest } from '../src/devnet/deploy';
import { WAD, startChainFixture, type ChainFixture } from './helpers/chain';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { getJson, waitFor } from './helpers/deskProcess';
import { startHttpReceiver, type HttpReceiver } from './helpers/receivers';

/** A TCP proxy to `target` that can be cut (existing sockets destroyed, port closed) and restored. */
async function startProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const make = () =>
    net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
  let server = make();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async cut() {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
    async restore() {
      server = make();
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    },
    close: () => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r())),
  };
}

describe.each(DB_KINDS)('desk-health alerts on %s', (kind) => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let hook: HttpReceiver;
  let pd: HttpReceiver;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    chain = await startChainFixture('V3', { vetoWindowBlocks: 100 });
    db = await createTestDatabase(kind);
    hook = await startHttpReceiver();
    pd = await startHttpReceiver({ status: 202, body: '{"status":"success"}' });
    proxy = await startProxy(new URL(chain.anvil.rpcUrl));
    desk = await startTestDesk(chain, db, {
      rpcUrls: [proxy.url],
      follow: true,
      pollIntervalMs: 100,
      alerts: {
        channels: [
          { name: 'webhook', type: 'webhook', url: hook.url, minSeverity: 'info' },
          { name: 'pd', type: 'pagerduty', routingKey: 'RK', eventsUrl: `${pd.url}/v2/enqueue`, minSeverity: 'info' },
        ],
        reminderLeadTimesSec: [],
        retry: { baseMs: 100, maxMs: 400, maxAttempts: 100 },
        dispatchIntervalMs: 100,
        planIntervalMs: 200,
      },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
    await hook?.close();
    await pd?.close();
    await db?.drop();
    await chain?.stop();
  });

  it('triggers on RPC down and resolves when it is back, once each', async () => {
    await proxy.cut();
    const trigger = await waitFor('ingest error alert', async () => hook.received.find((r) => r.json?.kind === 'desk_ingest_error'), 60_000);
    expect(trigger.json).toMatchObject({ severity: 'critical', action: 'trigger' });
    expect('requestId' in trigger.json).toBe(false);
    await waitFor('PagerDuty trigger', async () => pd.received.some((r) => r.json?.event_action === 'trigger' && r.json?.payload?.class === 'desk_ingest_error'), 10_000);

    await proxy.restore();
    // the desk sees the chain again, including what happened meanwhile
    await queueRequest(chain.keeper, chain.publicClient, {
      slasher: chain.testbed.slasher,
      request: { operator: chain.operators[0]!, operatorSetId: 1, strategies: chain.testbed.strategies.slice(0, 1), wadsToSlash: [WAD], description: 'after the outage' },
    });
    const resolve = await waitFor('resolve', async () => hook.received.find((r) => r.json?.kind === 'desk_ingest_error' && r.json?.action === 'resolve'), 60_000);
    expect(resolve.json.incidentKey).toBe(trigger.json.incidentKey);
    await waitFor('PagerDuty resolve', async () => pd.received.some((r) => r.json?.event_action === 'resolve' && r.json?.dedup_key === trigger.json.incidentKey), 10_000);
    await waitFor('request alert after the outage', async () => hook.received.some((r) => r.json?.kind === 'request_queued'), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.received.filter((r) => r.json?.kind === 'desk_ingest_error').map((r) => r.json.action)).toEqual(['trigger', 'resolve']);
    const listed = await getJson<{ alerts: { kind: string; action: string }[] }>(`${desk.url}/api/alerts?kind=desk_ingest_error`);
    expect(listed.body.alerts.map((a) => a.action).sort()).toEqual(['resolve', 'trigger']);
  });
});
