import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { createLogger } from '../lib/logger';
import { createMetrics } from '../lib/metrics';
import { createApp, type HttpSecurityOptions, type WebServices } from './app';
import { createDeskEvents } from './events';
import { clientKey, createTokenBuckets } from './rateLimit';
import { CONTENT_SECURITY_POLICY } from './securityHeaders';
import { listen } from './server';
import { loopbackOrigins, type SiweApi, type SiweSessions } from './siwe';
import type { HealthView, RequestReadModel } from './views';

const HEALTHY: HealthView = { status: 'ok', chainId: 31337, headBlock: 1, indexedBlock: 1, lagBlocks: 0 };
const readModel: RequestReadModel = { listRequests: async () => [], pageRequests: async () => ({ requests: [], nextCursor: null }), getRequest: async () => null } as unknown as RequestReadModel;

function appWith(security: HttpSecurityOptions, web?: WebServices, extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({ readModel, health: async () => HEALTHY, metrics: createMetrics(), logger: createLogger('silent'), security, web, ...extra });
}

describe('rate limits', () => {
  it('spends a minute of writes, then answers 429 RATE_LIMITED with Retry-After, then refills', async () => {
    let now = 1_000_000;
    const app = appWith({ rateLimit: { readsPerMinute: 600, writesPerMinute: 3, nowMs: () => now } });
    for (let i = 0; i < 3; i++) expect((await request(app).post('/api/siwe/nonce')).status).toBe(404);
    const limited = await request(app).post('/api/siwe/nonce').send({ big: 'x'.repeat(1000) });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'RATE_LIMITED', message: 'too many write requests from your address (at most 3 a minute): retry in 20 s' } });
    expect(limited.headers['retry-after']).toBe('20');
    // reads have their own bucket
    expect((await request(app).get('/api/health')).status).toBe(200);
    now += 20_000;
    expect((await request(app).post('/api/siwe/nonce')).status).toBe(404);
    expect((await request(app).post('/api/siwe/nonce')).status).toBe(429);
  });

  it('counts the X-Forwarded-For client only behind a trusted proxy', async () => {
    const now = () => 0;
    const direct = appWith({ rateLimit: { readsPerMinute: 2, writesPerMinute: 2, nowMs: now } });
    const statuses = async (app: ReturnType<typeof appWith>) => {
      const out: number[] = [];
      for (let i = 0; i < 4; i++) out.push((await request(app).get('/api/health').set('X-Forwarded-For', `203.0.113.${i}`)).status);
      return out;
    };
    // no TRUST_PROXY: a forged header does not buy a fresh bucket
    expect(await statuses(direct)).toEqual([200, 200, 429, 429]);
    const proxied = appWith({ trustProxy: 1, rateLimit: { readsPerMinute: 2, writesPerMinute: 2, nowMs: now } });
    expect(await statuses(proxied)).toEqual([200, 200, 200, 200]);
  });

  it('0 turns a class off', async () => {
    const app = appWith({ rateLimit: { readsPerMinute: 0, writesPerMinute: 1, nowMs: () => 0 } });
    for (let i = 0; i < 20; i++) expect((await request(app).get('/api/health')).status).toBe(200);
  });

  it('remembers a bounded number of clients; rotating through more addresses buys no fresh bucket', () => {
    let now = 0;
    const buckets = createTokenBuckets(1, { maxClients: 100, nowMs: () => now });
    const ip = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    const taken = Array.from({ length: 10_000 }, (_, i) => buckets.take(ip(i)).ok);
    // the first 100 each have their own; every later one shares the newcomers' single bucket
    expect(taken.filter(Boolean)).toHaveLength(101);
    expect(buckets.size()).toBeLessThanOrEqual(101);
    expect(buckets.take(ip(5)).ok).toBe(false); // remembered: still limited
    expect(buckets.take(ip(9_999)).ok).toBe(false);
    // a minute on, the remembered buckets have refilled: the least recently seen is forgotten for a new address
    now += 60_000;
    expect(buckets.take('10.9.9.9').ok).toBe(true);
    expect(buckets.size()).toBeLessThanOrEqual(101);
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0001:0002::ffff', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('client %j counts as %j', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});

describe('security headers', () => {
  it('sends CSP, frame-ancestors none, nosniff and no-referrer on every answer; no HSTS over plain http', async () => {
    const app = appWith({});
    for (const path of ['/api/health', '/api/nowhere', '/metrics']) {
      const res = await request(app).get(path);
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS when the desk is served over TLS (PUBLIC_URL https)', async () => {
    const res = await request(appWith({ https: true })).get('/api/health');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});

/** In-memory sign-in table, counting purges. */
function memorySessions() {
  const rows = new Map<string, { nonce: string; address: string | null; expiresAt: Date }>();
  let purges = 0;
  const sessions: SiweSessions = {
    async createPending(p) {
      rows.set(p.token, { nonce: p.nonce, address: null, expiresAt: p.expiresAt });
    },
    async find(token) {
      return rows.get(token) ?? null;
    },
    async verify(p) {
      const r = rows.get(p.token);
      if (!r || r.nonce !== p.nonce || r.address !== null) return false;
      rows.delete(p.token);
      rows.set(p.newToken, { nonce: p.nonce, address: p.address, expiresAt: p.expiresAt });
      return true;
    },
    async remove(token) {
      rows.delete(token);
    },
    async purgeExpired(now) {
      purges++;
      let n = 0;
      for (const [k, r] of rows) if (r.expiresAt < now) n += Number(rows.delete(k));
      return n;
    },
    async countPending(now) {
      return [...rows.values()].filter((r) => r.address === null && r.expiresAt > now).length;
    },
    async dropOldestPending(now, n) {
      const oldest = [...rows].filter(([, r]) => r.address === null && r.expiresAt > now).sort(([, a], [, b]) => a.expiresAt.getTime() - b.expiresAt.getTime());
      for (const [k] of oldest.slice(0, n)) rows.delete(k);
    },
  };
  return { sessions, rows, purges: () => purges };
}

const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');

describe('Sign-In with Ethereum against the configured origin', () => {
  function siweApp(o: Partial<SiweApi> & { origins: () => readonly string[] }) {
    const mem = memorySessions();
    const siwe: SiweApi = { sessions: mem.sessions, chainId: 31337, committeeOwners: async () => [owner.address], ...o };
    return { app: appWith({}, { siwe }), mem };
  }

  /** Starts a sign-in, signs a message for `domain`, verifies it sending `host` as the Host header. */
  async function attempt(app: ReturnType<typeof appWith>, domain: string, host: string, scheme = 'https') {
    const agent = request.agent(app);
    const n = await agent.post('/api/siwe/nonce').set('Host', host);
    expect(n.status).toBe(201);
    const message = createSiweMessage({ domain, address: owner.address, uri: `${scheme}://${domain}`, version: '1', chainId: 31337, nonce: n.body.nonce, issuedAt: new Date() });
    const cookie = n.headers['set-cookie']![0]!.split(';')[0]!;
    return request(app).post('/api/siwe/verify').set('Host', host).set('Cookie', cookie).send({ message, signature: await owner.signMessage({ message }) });
  }

  it('refuses a message signed for evil.example even when the request says Host: evil.example', async () => {
    const { app } = siweApp({ origins: () => ['https://desk.example.org'] });
    const r = await attempt(app, 'evil.example', 'evil.example');
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'SIWE_MESSAGE_INVALID', message: 'the message is for evil.example, not this desk (https://desk.example.org)' });
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('accepts a message for PUBLIC_URL whatever the Host header, with Secure cookies behind https', async () => {
    const { app } = siweApp({ origins: () => ['https://desk.example.org'], secureCookies: true });
    const r = await attempt(app, 'desk.example.org', '10.0.0.5:8080');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ address: owner.address, owner: true });
    expect([r.headers['set-cookie']].flat().join()).toMatch(/vd_session=[^;]+;.*HttpOnly; Secure; SameSite=Strict/);
  });

  it('refuses a URI on another origin than the domain names (scheme included)', async () => {
    const { app } = siweApp({ origins: () => ['https://desk.example.org'] });
    const r = await attempt(app, 'desk.example.org', 'desk.example.org', 'http');
    expect(r.body.error).toEqual({ code: 'SIWE_MESSAGE_INVALID', message: 'the message URI http://desk.example.org is not on this desk (https://desk.example.org)' });
  });

  it('without PUBLIC_URL accepts only the loopback names of its own port', async () => {
    const { app } = siweApp({ origins: () => loopbackOrigins(8080) });
    expect((await attempt(app, '127.0.0.1:8080', '127.0.0.1:8080', 'http')).status).toBe(200);
    expect((await attempt(app, 'localhost:8080', 'localhost:8080', 'http')).status).toBe(200);
    const evil = await attempt(app, 'evil.example', 'evil.example', 'http');
    expect(evil.body.error.message).toBe('the message is for evil.example, not this desk (http://localhost:8080 or http://127.0.0.1:8080 or http://[::1]:8080)');
    expect((await attempt(app, 'localhost:9999', 'localhost:9999', 'http')).status).toBe(400);
  });

  it('caps pending sign-ins by dropping the oldest (never refusing a new one) and purges expired rows at most once a minute', async () => {
    // the real clock to start from: the sign-in below signs a message issued now
    let now = Date.now();
    const { app, mem } = siweApp({ origins: () => ['https://desk.example.org'], maxPendingSignIns: 5, nowMs: () => now });
    const first = await request(app).post('/api/siwe/nonce');
    expect(first.status).toBe(201);
    now += 1;
    for (let i = 0; i < 4; i++) expect((await request(app).post('/api/siwe/nonce')).status).toBe(201);
    now += 1;
    // the cap is full: the next starts anyway, and the oldest goes
    const sixth = await request(app).post('/api/siwe/nonce');
    expect(sixth.status).toBe(201);
    expect(mem.purges()).toBe(1);
    expect(mem.rows.size).toBe(5);
    expect([...mem.rows.values()].map((r) => r.nonce)).not.toContain(first.body.nonce);
    expect([...mem.rows.values()].map((r) => r.nonce)).toContain(sixth.body.nonce);
    // and a verified session is never dropped for it
    const signedIn = await attempt(app, 'desk.example.org', 'desk.example.org');
    expect(signedIn.status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await request(app).post('/api/siwe/nonce')).status).toBe(201);
    expect([...mem.rows.values()].filter((r) => r.address !== null)).toHaveLength(1);
    expect([...mem.rows.values()].filter((r) => r.address === null)).toHaveLength(5);
    for (const [k, r] of mem.rows) if (r.address !== null) mem.rows.delete(k);
    // ten minutes on the pending rows expire: they stop counting at once, and go at the next purge
    now += 10 * 60_000 + 1;
    expect((await request(app).post('/api/siwe/nonce')).status).toBe(201);
    expect(mem.purges()).toBe(2);
    expect(mem.rows.size).toBe(1);
    for (let i = 0; i < 3; i++) await request(app).post('/api/siwe/nonce');
    expect(mem.purges()).toBe(2);
  });
});

describe('live update streams', () => {
  async function openStream(port: number, headers: Record<string, string> = {}): Promise<{ status: number; close: () => void; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/events', headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        if (res.statusCode !== 200) res.on('end', () => resolve({ status: res.statusCode!, close: () => req.destroy(), body }));
        else setTimeout(() => resolve({ status: 200, close: () => req.destroy(), body }), 50);
      });
      req.on('error', reject);
    });
  }

  it('caps streams per client address and in total, and frees a slot when a stream closes', async () => {
    const events = createDeskEvents({ requests: async () => [], health: async () => HEALTHY, logger: createLogger('silent') });
    const app = appWith({ trustProxy: 1, eventStreams: { maxStreams: 3, maxStreamsPerClient: 2 } }, undefined, { events });
    const server = await listen(app, { port: 0, host: '127.0.0.1' });
    const port = (server.address() as net.AddressInfo).port;
    try {
      const a1 = await openStream(port, { 'X-Forwarded-For': '198.51.100.1' });
      const a2 = await openStream(port, { 'X-Forwarded-For': '198.51.100.1' });
      const a3 = await openStream(port, { 'X-Forwarded-For': '198.51.100.1' });
      expect([a1.status, a2.status, a3.status]).toEqual([200, 200, 429]);
      expect(JSON.parse(a3.body).error.code).toBe('RATE_LIMITED');
      const b1 = await openStream(port, { 'X-Forwarded-For': '198.51.100.2' });
      const b2 = await openStream(port, { 'X-Forwarded-For': '198.51.100.3' });
      expect([b1.status, b2.status]).toEqual([200, 503]);
      expect(JSON.parse(b2.body).error.code).toBe('SERVICE_BUSY');
      expect(events.listeners()).toBe(3);
      a1.close();
      await new Promise((r) => setTimeout(r, 100));
      expect(events.listeners()).toBe(2);
      const c = await openStream(port, { 'X-Forwarded-For': '198.51.100.4' });
      expect(c.status).toBe(200);
      for (const s of [a2, b1, c]) s.close();
    } finally {
      events.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('server timeouts', () => {
  /** Opens a socket that sends a header line every 500 ms and never ends the headers; resolves with how long the server kept it. */
  function slowHeaders(port: number): Promise<number> {
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'));
      const drip = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), 500);
      socket.on('data', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        resolve(Date.now() - started);
      });
      socket.on('error', () => undefined);
    });
  }

  const portOf = (server: http.Server) => (server.address() as net.AddressInfo).port;
  const closeServer = async (server: http.Server) => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  /** Connects and resolves with how long the server kept the socket (capped at `maxMs`). */
  const heldFor = (port: number, maxMs: number, onConnect: (s: net.Socket) => void = () => undefined) =>
    new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => onConnect(socket));
      const give = setTimeout(() => socket.destroy(), maxMs);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(give);
        resolve(Date.now() - started);
      });
    });

  it('drops a connection that never sends a byte after the header deadline', async () => {
    const server = await listen(appWith({}), { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 1_000 } });
    try {
      const ms = await heldFor(portOf(server), 10_000);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(3_000);
    } finally {
      await closeServer(server);
    }
  });

  it('caps connections per peer address', async () => {
    const server = await listen(appWith({}), { port: 0, host: '127.0.0.1', limits: { maxConnectionsPerAddress: 3 } });
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = net.connect(portOf(server), '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      const fourth = await heldFor(portOf(server), 5_000);
      expect(fourth).toBeLessThan(1_000);
      // the three keep working
      const answer = await new Promise<string>((resolve) => {
        sockets[0]!.on('data', (d) => resolve(String(d)));
        sockets[0]!.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    }
  });

  it('keeps an event stream open past the header deadline (the deadline ends with the request)', async () => {
    const events = createDeskEvents({ requests: async () => [], health: async () => HEALTHY, logger: createLogger('silent') });
    const server = await listen(appWith({}, undefined, { events }), { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 1_000 } });
    try {
      const ms = await heldFor(portOf(server), 3_000, (s) => s.write('GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n'));
      expect(ms).toBeGreaterThanOrEqual(2_900);
    } finally {
      events.close();
      await closeServer(server);
    }
  });

  /** Sends `raw` on a fresh socket; resolves with everything the server wrote before closing. */
  const rawAnswer = (port: number, raw: string) =>
    new Promise<string>((resolve) => {
      let got = '';
      const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
      socket.on('data', (d) => (got += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(got));
    });

  it('answers what Node refuses before a route (oversized headers, not HTTP) in the API error shape', async () => {
    const server = await listen(appWith({}), { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_000, connectionsCheckingIntervalMs: 200 } });
    try {
      const big = await rawAnswer(portOf(server), `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'REQUEST_HEADERS_TOO_LARGE', message: 'the request headers are larger than 16 kB' } });
      const junk = await rawAnswer(portOf(server), 'NOT HTTP AT ALL\r\n\r\n');
      expect(junk).toMatch(/^HTTP\/1\.1 400 /);
      expect(junk).toContain('"code":"BAD_REQUEST"');
    } finally {
      await closeServer(server);
    }
  });

  it('answers a request whose headers do not arrive in time 408 REQUEST_TIMEOUT in the API error shape', async () => {
    const server = await listen(appWith({}), { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 1_000, connectionsCheckingIntervalMs: 200 } });
    try {
      const got = await new Promise<string>((resolve) => {
        let text = '';
        const socket = net.connect(portOf(server), '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'));
        // a header line now and then keeps the connection busy, never completing the headers
        const drip = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), 300);
        socket.on('data', (d) => (text += d.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(text);
        });
      });
      expect(got).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(got.slice(got.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' } });
    } finally {
      await closeServer(server);
    }
  });

  it('drops a client that sends its headers slowly within seconds (here a 2 s limit)', async () => {
    const server = await listen(appWith({}), { port: 0, host: '127.0.0.1', limits: { headersTimeoutMs: 2_000 } });
    try {
      const heldMs = await slowHeaders((server.address() as net.AddressInfo).port);
      expect(heldMs).toBeGreaterThanOrEqual(1_900);
      expect(heldMs).toBeLessThan(4_000);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('writes from another site’s page', () => {
  const OPERATOR = '0x00000000000000000000000000000000000000a1';
  function practiceDesk(security: HttpSecurityOptions = {}) {
    const queued: unknown[] = [];
    const web = { devRequests: { operators: [OPERATOR], queue: async (input: unknown) => (queued.push(input), { requestId: 7n, txHash: `0x${'ab'.repeat(32)}`, block: 9n }) } } as unknown as WebServices;
    return { app: appWith(security, web), queued };
  }

  it('refuses a write whose Origin is another site (403 CROSS_ORIGIN), whatever its body, and does nothing', async () => {
    const { app, queued } = practiceDesk();
    for (const [type, body] of [
      ['text/plain', 'not json at all'],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['application/json', '{}'],
    ] as const) {
      const res = await request(app).post('/api/dev/requests').set('Host', '127.0.0.1:8080').set('Origin', 'http://evil.example').set('Content-Type', type).send(body).expect(403);
      expect(res.body.error.code).toBe('CROSS_ORIGIN');
    }
    // a bodiless POST (what a page's no-cors fetch sends) and an opaque origin too
    expect((await request(app).post('/api/dev/requests').set('Origin', 'http://evil.example').expect(403)).body.error.code).toBe('CROSS_ORIGIN');
    expect((await request(app).post('/api/dev/requests').set('Origin', 'null').expect(403)).body.error.code).toBe('CROSS_ORIGIN');
    expect(queued).toEqual([]);
  });

  it('refuses a page whose DNS name matches the Host header (a rebound name), unless it is PUBLIC_URL', async () => {
    const { app, queued } = practiceDesk();
    for (const host of ['evil.example:8080', 'desk.lan:8080']) {
      const res = await request(app).post('/api/dev/requests').set('Host', host).set('Origin', `http://${host}`).send({}).expect(403);
      expect(res.body.error).toMatchObject({ code: 'CROSS_ORIGIN', message: expect.stringContaining('set PUBLIC_URL') });
    }
    const named = practiceDesk({ publicUrl: 'http://desk.lan:8080' });
    await request(named.app).post('/api/dev/requests').set('Host', 'desk.lan:8080').set('Origin', 'http://desk.lan:8080').send({}).expect(201);
    expect(queued).toEqual([]);
    expect(named.queued).toHaveLength(1);
  });

  it('refuses a body that is not JSON (415 UNSUPPORTED_MEDIA_TYPE) instead of treating it as none', async () => {
    const { app, queued } = practiceDesk();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await request(app).post('/api/dev/requests').set('Content-Type', type).send('x=1').expect(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const latin1 = await request(app).post('/api/dev/requests').set('Content-Type', 'application/json; charset=latin1').send('{}').expect(415);
    expect(latin1.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(queued).toEqual([]);
  });

  it('takes writes from its own page (Origin of this host or PUBLIC_URL) and from callers that send no Origin', async () => {
    const { app, queued } = practiceDesk();
    await request(app).post('/api/dev/requests').set('Host', '127.0.0.1:8080').set('Origin', 'http://127.0.0.1:8080').send({}).expect(201);
    // a page at an address no DNS answer decides: loopback names (the web dev server's too), a LAN address
    for (const host of ['localhost:5173', '[::1]:8080', '192.168.1.5:8080']) await request(app).post('/api/dev/requests').set('Host', host).set('Origin', `http://${host}`).send({}).expect(201);
    await request(app).post('/api/dev/requests').send({}).expect(201);
    // a bodiless call from a script is still an empty body
    await request(app).post('/api/dev/requests').expect(201);
    const behindProxy = practiceDesk({ publicUrl: 'https://desk.example.org' });
    await request(behindProxy.app).post('/api/dev/requests').set('Host', '10.0.0.5:8080').set('Origin', 'https://desk.example.org').send({}).expect(201);
    expect((await request(behindProxy.app).post('/api/dev/requests').set('Host', '10.0.0.5:8080').set('Origin', 'https://desk.example.org.evil.example').send({}).expect(403)).body.error.code).toBe('CROSS_ORIGIN');
    expect(queued).toHaveLength(6);
    expect(behindProxy.queued).toHaveLength(1);
  });

  it('reads are not affected: a GET from any page is answered (it changes nothing; no CORS header lets that page read it)', async () => {
    const { app } = practiceDesk();
    const res = await request(app).get('/api/dev/operators').set('Origin', 'http://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('error answers for what the parsers refuse', () => {
  it('a body whose encoding does not match, a JSON null, an unknown /api path: coded, in words of the desk', async () => {
    const app = appWith({});
    const gz = await request(app).post('/api/safe/batches').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('not gzip').expect(400);
    expect(gz.body.error).toEqual({ code: 'BAD_REQUEST', message: 'request body could not be decompressed as its Content-Encoding says' });
    const nul = await request(app).post('/api/safe/batches').set('Content-Type', 'application/json').send('null').expect(400);
    expect(nul.body.error.message).toContain('not a JSON object');
    expect((await request(app).get('/api').expect(404)).body.error.message).toBe('no route for GET /api');
    expect((await request(app).get('/api/nope?x=1').expect(404)).body.error.message).toBe('no route for GET /api/nope');
  });
});

describe('query strings read one way', () => {
  it('refuses bracketed names and a limit not in digits instead of answering as if they were absent', async () => {
    const app = appWith({});
    for (const q of ['status[]=bogus', 'status[x]=vetoed', 'sort[]=bogus', 'limit[]=1', 'limit=1e2', 'limit=0x10', 'limit=%2010']) {
      const res = await request(app).get(`/api/requests?${q}`).expect(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await request(app).get('/api/alerts?limit[]=abc').expect(400)).body.error.message).toContain('no brackets');
    await request(app).get('/api/requests?limit=10&status=vetoed,fulfilled').expect(200);
  });
});
