/*
 * The desk's public port under attack, on a real 2-of-3 Safe on anvil, on SQLite and PostgreSQL:
 * a sign-in message made for a phishing origin (even sent with that Host header), a desk behind
 * TLS (PUBLIC_URL https), the pending sign-in cap in the real table, a flood of signatures
 * against the write rate limit, a signature whose r is off the curve, and the strategy cache bound.
 */
import http from 'node:http';
import net from 'node:net';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { createTokenSymbolReader } from '../src/chain/tokenSymbols';
import type { Desk } from '../src/app/desk';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string; message: string }; nonce?: string } & Record<string, unknown>;
}

/** A request with any Host header (fetch will not send one of our choosing). */
function call(base: string, method: string, path: string, o: { host?: string; cookie?: string; body?: unknown } = {}): Promise<Answer> {
  const url = new URL(base);
  const data = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, agent: false, headers: { ...(o.host ? { Host: o.host } : {}), ...(o.cookie ? { Cookie: o.cookie } : {}), ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const cookieOf = (a: Answer) => [a.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');

describe.each(DB_KINDS)('the public port on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  let tlsDesk: Desk;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db, {});
    // the same committee behind a TLS proxy: sign-in messages must name the public origin
    tlsDesk = await openVetoDesk(f, db, {}, { publicUrl: 'https://desk.example.org', http: { trustProxy: ['loopback'], rateLimit: false } });
  });
  afterAll(async () => {
    await tlsDesk?.stop();
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  async function signIn(target: Desk, domain: string, o: { host?: string; scheme?: string } = {}) {
    const owner = privateKeyToAccount(f.owners[0]!.privateKey);
    const n = await call(target.url, 'POST', '/api/siwe/nonce', { host: o.host });
    expect(n.status).toBe(201);
    const message = createSiweMessage({ domain, address: owner.address, uri: `${o.scheme ?? 'https'}://${domain}`, version: '1', chainId: 31337, nonce: n.body.nonce!, issuedAt: new Date() });
    return call(target.url, 'POST', '/api/siwe/verify', { host: o.host, cookie: cookieOf(n), body: { message, signature: await owner.signMessage({ message }) } });
  }

  it('refuses an owner\'s sign-in signed for evil.example, even sent with Host: evil.example', async () => {
    for (const target of [desk, tlsDesk]) {
      const r = await signIn(target, 'evil.example', { host: 'evil.example' });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'SIWE_MESSAGE_INVALID', message: expect.stringMatching(/^the message is for evil\.example, not this desk/) });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect(await desk.database.db.siweSession.count({ where: { address: { not: null } } })).toBe(0);
  });

  it('behind TLS: accepts the PUBLIC_URL origin whatever the Host, Secure cookie, HSTS', async () => {
    const r = await signIn(tlsDesk, 'desk.example.org', { host: '127.0.0.1' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ address: f.owners[0]!.address, owner: true });
    expect([r.headers['set-cookie']].flat().join()).toMatch(/vd_session=[^;]+;.*HttpOnly; Secure; SameSite=Strict/);
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
    // the plain-http desk on loopback sends no HSTS and no Secure flag
    const local = await signIn(desk, new URL(desk.url).host, { scheme: 'http' });
    expect(local.status).toBe(200);
    expect([local.headers['set-cookie']].flat().join()).not.toMatch(/Secure/);
    expect(local.headers['strict-transport-security']).toBeUndefined();
    expect(local.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('caps pending sign-ins in the real table by dropping the oldest; expired rows do not count', async () => {
    const db0 = tlsDesk.database.db;
    // a first sign-in start runs this minute's purge, if it is due; then the table is set up
    expect((await call(tlsDesk.url, 'POST', '/api/siwe/nonce')).status).toBe(201);
    const now = Date.now();
    await db0.siweSession.deleteMany({});
    const rows = (n: number, expiresAt: Date, tag: string) => Array.from({ length: n }, (_, i) => ({ token: `${tag}-${i}`, nonce: `${tag}n${String(i).padStart(8, '0')}`, address: null, expiresAt }));
    await db0.siweSession.createMany({ data: rows(5_000, new Date(now - 1_000), 'expired') });
    await db0.siweSession.createMany({ data: rows(998, new Date(now + 600_000), 'pending') });
    const started = performance.now();
    const ok = await call(tlsDesk.url, 'POST', '/api/siwe/nonce');
    const ms = performance.now() - started;
    expect(ok.status).toBe(201);
    expect(ms).toBeLessThan(500);
    const again = performance.now();
    expect((await call(tlsDesk.url, 'POST', '/api/siwe/nonce')).status).toBe(201);
    const againMs = performance.now() - again;
    // the cap is full: a new sign-in starts anyway, the oldest pending one goes
    const full = await call(tlsDesk.url, 'POST', '/api/siwe/nonce');
    expect(full.status).toBe(201);
    expect(await db0.siweSession.count({ where: { address: null, expiresAt: { gt: new Date() } } })).toBe(1_000);
    expect(await db0.siweSession.count({ where: { token: { startsWith: 'pending-' } } })).toBe(997);
    // no delete per call: this desk purged less than a minute ago (the sign-ins above), so the
    // expired rows wait for the next minute's purge (the unit test drives the clock through it)
    expect(await db0.siweSession.count()).toBe(6_000);
    await db0.siweSession.deleteMany({});
    process.stdout.write(`[security ${kind}] nonce with 998 pending + 5000 expired rows in the table: ${ms.toFixed(1)} ms, the next ${againMs.toFixed(1)} ms\n`);
  });

  it('answers a signature with r off the curve 400 SIGNATURE_MALFORMED, and a flood of writes 429 before any work', async () => {
    // a desk of its own: its write budget (10 a minute) is spent only here
    const flood = await openVetoDesk(f, db, {}, { http: { rateLimit: { readsPerMinute: 600, writesPerMinute: 10 } } });
    try {
      const id = await f.queue('flood target');
      await settle(flood);
      const offCurve = `0x${'11'.repeat(64)}1b`;
      const first = await call(flood.url, 'POST', `/api/requests/${id}/veto/signatures`, { body: { signature: offCurve } });
      expect(first.status).toBe(400);
      expect(first.body.error!.code).toBe('SIGNATURE_MALFORMED');
      const statuses: number[] = [];
      const limitedMs: number[] = [];
      for (let i = 0; i < 30; i++) {
        const started = performance.now();
        const r = await call(flood.url, 'POST', `/api/requests/${id}/veto/signatures`, { body: { signature: `0x${(i + 1).toString(16).padStart(64, '0')}${'22'.repeat(32)}1b` } });
        statuses.push(r.status);
        if (r.status === 429) {
          limitedMs.push(performance.now() - started);
          expect(r.body.error!.code).toBe('RATE_LIMITED');
          expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        }
      }
      // 10 a minute: the answer above and 9 of these were served (one more if a token refilled meanwhile)
      expect(statuses.slice(0, 9).every((s) => s >= 400 && s < 500 && s !== 429)).toBe(true);
      expect(limitedMs.length).toBeGreaterThanOrEqual(20);
      limitedMs.sort((a, b) => a - b);
      const median = limitedMs[Math.floor(limitedMs.length / 2)]!;
      process.stdout.write(`[security ${kind}] served ${30 - limitedMs.length} of 30, refused in median ${median.toFixed(1)} ms, max ${limitedMs[limitedMs.length - 1]!.toFixed(1)} ms\n`);
      expect(median).toBeLessThan(50);
      // reads are counted apart: the desk still answers
      expect((await call(flood.url, 'GET', '/api/health')).status).toBe(200);
    } finally {
      await flood.stop();
    }
  });

  (kind === 'sqlite' ? it : it.skip)('drops slow-header and silent connections within seconds at the default limits', async () => {
    const port = Number(new URL(desk.url).port);
    const held = (drip: boolean) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        const socket = net.connect(port, '127.0.0.1', () => drip && socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'));
        const timer = drip ? setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), 1_000) : undefined;
        const give = setTimeout(() => socket.destroy(), 30_000);
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(timer);
          clearTimeout(give);
          resolve(Date.now() - started);
        });
      });
    const [slow, silent] = await Promise.all([held(true), held(false)]);
    process.stdout.write(`[security ${kind}] slow headers dropped after ${slow} ms, a silent connection after ${silent} ms (headersTimeout 10 s, checked every 1 s)\n`);
    for (const ms of [slow, silent]) {
      expect(ms).toBeGreaterThanOrEqual(9_500);
      expect(ms).toBeLessThan(12_500);
    }
  });

  it('keeps the strategy cache bounded whatever addresses are asked for', async () => {
    const reader = createTokenSymbolReader(f.publicClient as never, { maxCached: 16 });
    const addresses = Array.from({ length: 100 }, (_, i) => `0x${(0xdead0000 + i).toString(16).padStart(40, '0')}` as `0x${string}`);
    const answers = await reader.read(addresses);
    expect(answers).toHaveLength(100);
    expect(answers.every((a) => a.token === null && a.symbol === null)).toBe(true);
    expect(reader.cached()).toBeLessThanOrEqual(32);
  });
});
