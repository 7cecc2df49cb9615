/*
 * What the person paged relies on, against a real anvil and database:
 *  - RPC down: anvil is stopped under a following desk; health names the endpoint and since when,
 *    lists it under problems, the live stream tells the page, and the lag grows with the time
 *    elapsed since the last head read (estimated from the block time);
 *  - the devnet practice route: POST /api/dev/requests queues a real request on the devnet (and
 *    refuses bad bodies, changing nothing), GET /api/dev/operators lists who may be named, and
 *    a desk on any other chain answers 404 NOT_FOUND;
 *  - the on-call metrics move: scheduler passes, sends by purpose and outcome, balances, the
 *    nearest deadlines.
 */
import request from 'supertest';
import { formatEther } from 'viem';
import { vetoableSlasherV3Abi } from '../src/devnet/deploy';
import { startDevnet, createDevClients, type Devnet } from '../src/devnet/devnet';
import type { Desk } from '../src/app/desk';
import type { HealthView, RequestView } from '../src/api/views';
import { createLogger } from '../src/lib/logger';
import { startDesk } from '../src/app/desk';
import { AVS, startChainFixture, type ChainFixture } from './helpers/chain';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { startTestDesk } from './helpers/desk';
import { waitFor } from './helpers/deskProcess';

const health = async (desk: Desk) => (await request(desk.url).get('/api/health')).body as HealthView;

/** The desk's live stream, collected until `until` sees the event it waits for. */
async function nextHealthEvent(desk: Desk, match: (data: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const res = await fetch(`${desk.url}/api/events`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const chunk = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(chunk)?.[1];
        const data = /^data: (.*)$/m.exec(chunk)?.[1];
        if (event === 'health' && data) {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (match(parsed)) return parsed;
        }
      }
    }
    throw new Error('no matching health event');
  } finally {
    controller.abort();
  }
}

describe('RPC down', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  let clock = Date.now() / 1000;
  beforeAll(async () => {
    chain = await startChainFixture('V3');
    db = await createTestDatabase('sqlite');
    // a block every 2 s, as far as timestamps tell
    await chain.rpc('anvil_mine', ['0x28', '0x2']);
    desk = await startTestDesk(chain, db, { avs: AVS, follow: true, pollIntervalMs: 200, now: () => clock });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('says since when which endpoint is unreachable, and the lag grows with the time elapsed', async () => {
    const up = await waitFor('a first good pass', async () => {
      const h = await health(desk);
      return h.rpc?.reachable === true && h.rpc.lastHeadAt !== null && h.indexedBlock === h.headBlock ? h : null;
    });
    expect(up.rpc!.endpoint).toBe(`${chain.anvil.rpcUrl}/`);
    expect(up.lagBlocks).toBe(0);
    expect(up.problems?.some((p) => p.startsWith('RPC unreachable'))).toBeFalsy();

    const stoppedAt = Date.now();
    await chain.anvil.stop();
    const down = await waitFor('the desk to notice', async () => {
      const h = await health(desk);
      return h.rpc?.reachable === false ? h : null;
    }, 60_000, 200);
    expect(down.status).toBe('degraded');
    expect(down.rpc!.endpoint).toBe(`${chain.anvil.rpcUrl}/`);
    expect(Date.parse(down.rpc!.unreachableSince!)).toBeGreaterThanOrEqual(stoppedAt - 1_000);
    expect(down.rpc!.endpoints[0]).toMatchObject({ reachable: false, lastError: expect.any(String) });
    expect(down.problems!.find((p) => p.startsWith('RPC unreachable since'))).toContain(chain.anvil.rpcUrl);
    // the last head stays what it was; the lag counts the blocks made since it was read
    expect(down.headBlock).toBe(up.headBlock);
    expect(down.lagBlocks).toBe(0);
    clock += 60;
    const later = await health(desk);
    expect(later.rpc!.reachable).toBe(false);
    expect(later.lagBlocks).toBe(30); // 60 s at 2 s a block
    clock += 60;
    expect((await health(desk)).lagBlocks).toBe(60);

    // the page hears of it on the live stream (a failing pass publishes health too)
    const event = await nextHealthEvent(desk, (d) => (d.rpc as { reachable?: boolean } | undefined)?.reachable === false);
    expect(event).toMatchObject({ status: 'degraded', lagBlocks: 60, rpc: { reachable: false, endpoint: `${chain.anvil.rpcUrl}/` } });
    expect((event.problems as string[]).some((p) => p.startsWith('RPC unreachable since'))).toBe(true);
    const metrics = (await request(desk.url).get('/metrics')).text;
    expect(metrics).toContain(`vetodesk_rpc_endpoint_up{endpoint="${chain.anvil.rpcUrl}/"} 0`);
  });
});

describe('devnet practice requests and on-call metrics', () => {
  let devnet: Devnet;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    [devnet, db] = await Promise.all([startDevnet({ blockTime: 1, vetoWindowBlocks: 30, deallocationDelay: 20 }), createTestDatabase('sqlite')]);
    desk = await startDesk({
      rpcUrls: [devnet.rpcUrl],
      slasher: devnet.slasher,
      database: db.target,
      port: 0,
      host: '127.0.0.1',
      startBlock: Number(devnet.deployBlock),
      confirmations: 0,
      pollIntervalMs: 300,
      reorgDepth: 64,
      maxLogRange: 10_000,
      logger: createLogger('silent'),
      slotSeconds: 1,
      devRequests: { operators: devnet.operators, queue: (input) => devnet.queue(input) },
      vetoes: { contractNetworks: devnet.contractNetworks as unknown as Record<string, Record<string, string>> },
      scheduler: { slasherPrivateKey: devnet.keeper.privateKey, cronExpression: '* * * * * *' },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await devnet?.stop();
    await db?.drop();
  });

  const nextRequestId = async () => {
    const { publicClient } = createDevClients(devnet.rpcUrl, devnet.keeper.privateKey);
    return publicClient.readContract({ address: devnet.slasher, abi: vetoableSlasherV3Abi, functionName: 'nextRequestId' });
  };

  it('GET /api/dev/operators lists the seeded operators', async () => {
    const res = await request(desk.url).get('/api/dev/operators').expect(200);
    expect(res.body).toEqual({ operators: devnet.operators });
  });

  it('POST /api/dev/requests queues a request on the devnet (defaults: first operator, 10 % of each strategy)', async () => {
    const res = await request(desk.url).post('/api/dev/requests').send({}).expect(201);
    expect(res.body).toEqual({ requestId: expect.stringMatching(/^\d+$/), txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), block: expect.any(Number) });
    const { publicClient } = createDevClients(devnet.rpcUrl, devnet.keeper.privateKey);
    const receipt = await publicClient.getTransactionReceipt({ hash: res.body.txHash });
    expect(Number(receipt.blockNumber)).toBe(res.body.block);
    const v = await waitFor('the desk to list it', async () => {
      const r = await request(desk.url).get(`/api/requests/${res.body.requestId}`);
      return r.status === 200 ? (r.body as RequestView) : null;
    });
    expect(v).toMatchObject({ operator: devnet.operators[0], strategies: devnet.strategies.slice(0, 3), wadsToSlash: ['100000000000000000', '100000000000000000', '100000000000000000'], queuedAtBlock: res.body.block, status: 'in_veto_window' });
    expect(v.description).toMatch(/^Practice request queued on the devnet at /);
  });

  it('names an operator, a percent and a description', async () => {
    const res = await request(desk.url).post('/api/dev/requests').send({ operator: devnet.operators[2]!.toLowerCase(), percent: 25.5, description: 'drill: late attestation' }).expect(201);
    const v = await waitFor('the desk to list it', async () => {
      const r = await request(desk.url).get(`/api/requests/${res.body.requestId}`);
      return r.status === 200 ? (r.body as RequestView) : null;
    });
    expect(v).toMatchObject({ operator: devnet.operators[2], strategies: devnet.strategies.slice(0, 2), wadsToSlash: ['255000000000000000', '255000000000000000'], description: 'drill: late attestation' });
  });

  it.each([
    ['percent 0', { percent: 0 }],
    ['percent 101', { percent: 101 }],
    ['percent as a string', { percent: '10' }],
    ['an operator the devnet does not have', { operator: '0x000000000000000000000000000000000000dEaD' }],
    ['not an address', { operator: 'alice' }],
    ['a description of 501 characters', { description: 'x'.repeat(501) }],
    ['an unknown field', { operators: [] }],
  ])('refuses %s with 400 BAD_REQUEST and queues nothing', async (_name, body) => {
    const before = await nextRequestId();
    const res = await request(desk.url).post('/api/dev/requests').send(body).expect(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(await nextRequestId()).toBe(before);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await request(desk.url).post('/api/dev/requests').set('Content-Type', 'application/json').send('{"percent":').expect(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('the metrics follow: scheduler passes, nearest deadlines, balances, and the fulfil the desk sends', async () => {
    const views = (await request(desk.url).get('/api/requests').expect(200)).body.requests as RequestView[];
    const inWindow = views.filter((v) => v.status === 'in_veto_window' && v.deadlines.blocksUntilWindowEnd !== null);
    expect(inWindow.length).toBeGreaterThan(0);
    const text = async () => (await request(desk.url).get('/metrics').expect(200)).text;
    const value = (t: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"=.]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(t)?.[1]);
    await waitFor('a scheduler pass', async () => value(await text(), 'vetodesk_scheduler_passes_total{outcome="ok"}') > 0);
    let t = await text();
    expect(value(t, 'vetodesk_scheduler_last_pass_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    const nearest = value(t, 'vetodesk_nearest_window_end_blocks');
    expect(nearest).toBeGreaterThanOrEqual(0);
    expect(nearest).toBeLessThanOrEqual(Math.min(...inWindow.map((v) => v.deadlines.blocksUntilWindowEnd!)));
    expect(value(t, 'vetodesk_nearest_window_end_seconds')).toBeCloseTo(nearest * 1, 5);
    // the seeded request whose stake escapes first (the API's atRisk)
    expect(value(t, 'vetodesk_requests_stake_escapes_first')).toBe(1);
    const { publicClient } = createDevClients(devnet.rpcUrl, devnet.keeper.privateKey);
    const balance = Number(formatEther(await publicClient.getBalance({ address: devnet.keeper.address })));
    await waitFor('the balances', async () => value(await text(), `vetodesk_account_balance_eth{role="slasher",account="${devnet.keeper.address}"}`) > 0);
    expect(value(await text(), `vetodesk_account_balance_eth{role="slasher",account="${devnet.keeper.address}"}`)).toBeCloseTo(balance, 0);

    // the seeded open requests' windows pass: the desk sends their fulfils and they are mined
    await publicClient.request({ method: 'anvil_mine', params: ['0x28'] } as never);
    await waitFor('a fulfil sent and mined', async () => {
      t = await text();
      return value(t, 'vetodesk_sends_total{purpose="fulfil",outcome="sent"}') > 0 && value(t, 'vetodesk_sends_total{purpose="fulfil",outcome="mined"}') > 0;
    }, 90_000, 500);
  });
});

describe('practice routes off the devnet', () => {
  let chain: ChainFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    chain = await startChainFixture('V3');
    db = await createTestDatabase('sqlite');
    desk = await startTestDesk(chain, db, { avs: AVS });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await chain?.stop();
  });

  it('answer 404 NOT_FOUND, like the dev signer', async () => {
    for (const res of [await request(desk.url).get('/api/dev/operators'), await request(desk.url).post('/api/dev/requests').send({}), await request(desk.url).get('/api/dev/accounts')]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });
});
