/*
 * The web UI's API on a real 2-of-3 Safe on anvil, on SQLite and PostgreSQL: Sign-In with
 * Ethereum (nonce single use, domain, chain, expiry, signature), notes only by a current owner
 * (read on chain at write time), live events over SSE (and a clean close), token symbols, the
 * execTransaction call a member sends from a wallet, the timeline, and no dev signer off-devnet.
 */
import { encodeFunctionData, getAddress, parseAbi, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import type { Desk } from '../src/app/desk';
import { execSafeTransaction } from '../src/devnet/safe';
import type { RequestView } from '../src/api/views';
import type { TimelineView } from '../src/api/timeline';
import { createDevClients } from '../src/devnet/devnet';
import { createContract } from './helpers/contract';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signTypedVeto, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const contract = createContract();

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  cookies: Record<string, string>;
  setCookie: string[];
}

/** A tiny cookie-keeping client, as a browser on the desk's origin would be. */
function browserLike(base: string) {
  const jar = new Map<string, string>();
  async function call<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(k!);
      else jar.set(k!, v!);
    }
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : null) as T;
    // every answer the page gets is one the OpenAPI document describes
    expect([method, path, contract.problems(method, path, res.status, parsed)]).toEqual([method, path, []]);
    return { status: res.status, body: parsed, cookies: Object.fromEntries(jar), setCookie };
  }
  return { jar, get: <T = Record<string, unknown>>(p: string) => call<T>('GET', p), post: <T = Record<string, unknown>>(p: string, b: unknown = {}) => call<T>('POST', p, b) };
}

function siweMessage(o: { address: Hex; host: string; nonce: string; chainId?: number; expirationTime?: Date; issuedAt?: Date }): string {
  return createSiweMessage({ domain: o.host, address: o.address, statement: 'Sign in to Veto Desk.', uri: `http://${o.host}`, version: '1', chainId: o.chainId ?? 31337, nonce: o.nonce, issuedAt: o.issuedAt ?? new Date(), ...(o.expirationTime ? { expirationTime: o.expirationTime } : {}) });
}

async function signIn(desk: Desk, key: Hex) {
  const b = browserLike(desk.url);
  const { body } = await b.post<{ nonce: string }>('/api/siwe/nonce');
  const account = privateKeyToAccount(key);
  const message = siweMessage({ address: account.address, host: new URL(desk.url).host, nonce: body.nonce });
  const r = await b.post('/api/siwe/verify', { message, signature: await account.signMessage({ message }) });
  expect(r.status).toBe(200);
  return b;
}

/** `p`, or null after `ms` (the timer is cleared either way). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads SSE events from an open stream until `want` has been seen. */
function eventReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: { event: string; data: unknown }[] = [];
  // one read in flight at a time; a read that outlives a wait is picked up by the next one
  let pending: ReturnType<typeof reader.read> | null = null;
  const read = (ms: number) => within((pending ??= reader.read()), ms).then((r) => (r === null ? null : ((pending = null), r)));
  return {
    seen,
    async until(want: (e: { event: string; data: unknown }) => boolean, timeoutMs = 10_000): Promise<{ event: string; data: unknown }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = seen.find(want);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no such event; saw ${JSON.stringify(seen.map((e) => e.event))}`);
        const chunk = await read(500);
        if (chunk === null) continue;
        if (chunk.done) throw new Error('the stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) seen.push({ event, data: JSON.parse(data) });
        }
      }
    },
    async ended(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const chunk = await read(Math.max(1, deadline - Date.now())).catch(() => ({ done: true as const }));
        if (chunk === null) return false;
        if (chunk.done) return true;
      }
      return false;
    },
  };
}

describe.each(DB_KINDS)('web API on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  let host: string;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    // no executor key: members execute from their wallets
    desk = await openVetoDesk(f, db, {});
    host = new URL(desk.url).host;
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  it('offers no dev signer off the embedded devnet', async () => {
    const r = await browserLike(desk.url).get<{ error: { code: string } }>('/api/dev/accounts');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });

  it('signs a member in with EIP-4361: domain, chain, expiry, signature and a single-use nonce are checked', async () => {
    const b = browserLike(desk.url);
    const owner = privateKeyToAccount(f.owners[0]!.privateKey);
    // no sign-in started
    let r = await b.post<{ error: { code: string } }>('/api/siwe/verify', { message: 'x', signature: '0x00' });
    expect([r.status, r.body.error.code]).toEqual([401, 'SIWE_NONCE_INVALID']);

    const n = await b.post<{ nonce: string; chainId: number }>('/api/siwe/nonce');
    expect(n.status).toBe(201);
    expect(n.body.chainId).toBe(31337);
    expect(n.setCookie.join()).toMatch(/vd_siwe=.*HttpOnly.*SameSite=Strict/i);
    const nonce = n.body.nonce;
    const sign = (m: string) => owner.signMessage({ message: m });
    const refused = async (message: string, signature: Promise<Hex>, code: string, text: RegExp) => {
      const x = await b.post<{ error: { code: string; message: string } }>('/api/siwe/verify', { message, signature: await signature });
      expect(x.body.error).toMatchObject({ code });
      expect(x.body.error.message).toMatch(text);
    };
    const other = siweMessage({ address: owner.address, host: 'evil.example:443', nonce });
    await refused(other, sign(other), 'SIWE_MESSAGE_INVALID', /is for evil\.example:443, not this desk/);
    const chain1 = siweMessage({ address: owner.address, host, nonce, chainId: 1 });
    await refused(chain1, sign(chain1), 'SIWE_MESSAGE_INVALID', /chain 1; this desk runs on chain 31337/);
    const expired = siweMessage({ address: owner.address, host, nonce, issuedAt: new Date(Date.now() - 120_000), expirationTime: new Date(Date.now() - 60_000) });
    await refused(expired, sign(expired), 'SIWE_MESSAGE_INVALID', /expired/);
    const wrongNonce = siweMessage({ address: owner.address, host, nonce: 'abcdefgh12345678' });
    await refused(wrongNonce, sign(wrongNonce), 'SIWE_NONCE_INVALID', /nonce/);
    const good = siweMessage({ address: owner.address, host, nonce });
    await refused(good, privateKeyToAccount(f.stranger.privateKey).signMessage({ message: good }), 'SIWE_SIGNATURE_INVALID', /not 0x70997970/);

    r = await b.post('/api/siwe/verify', { message: good, signature: await sign(good) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ address: owner.address, owner: true });
    expect(r.setCookie.join()).toMatch(/vd_session=.*HttpOnly.*SameSite=Strict/i);
    // the same message again: the nonce is spent
    const replay = await b.post<{ error: { code: string } }>('/api/siwe/verify', { message: good, signature: await sign(good) });
    expect(replay.body.error.code).toBe('SIWE_NONCE_INVALID');

    expect((await b.get('/api/siwe/me')).body).toMatchObject({ address: owner.address, owner: true });
    // the stored token is a hash: the cookie value is not in the table
    const rows = (await desk.database.db.siweSession.findMany()).map((s) => s.token);
    expect(rows).not.toContain(b.jar.get('vd_session'));
    expect((await b.post('/api/siwe/logout')).status).toBe(204);
    expect((await b.get('/api/siwe/me')).body).toEqual({ address: null, owner: null, expiresAt: null });
    // a cookie the desk never set, not even URI-encoded: no session, not a 500
    const garbled = await fetch(`${desk.url}/api/siwe/me`, { headers: { cookie: 'vd_session=%zz' } });
    expect(garbled.status).toBe(200);
    expect(await garbled.json()).toEqual({ address: null, owner: null, expiresAt: null });
  });

  it('stores notes of current owners only, validated, and streams a `notes` event', async () => {
    const id = await f.queue('note target');
    await settle(desk);
    const anonymous = browserLike(desk.url);
    let r = await anonymous.post<{ error: { code: string } }>(`/api/requests/${id}/notes`, { body: 'hello' });
    expect([r.status, r.body.error.code]).toEqual([401, 'NOT_SIGNED_IN']);

    const stream = eventReader(await fetch(`${desk.url}/api/events`));
    const owner = await signIn(desk, f.owners[0]!.privateKey);
    for (const bad of [{ body: '' }, { body: 'x', links: ['ftp://example.org/x'] }, { body: 'x', links: Array.from({ length: 11 }, (_, i) => `https://e.org/${i}`) }, { body: 'x'.repeat(4001) }, { body: 'x', extra: 1 }]) {
      r = await owner.post(`/api/requests/${id}/notes`, bad);
      expect([r.status, r.body.error.code]).toEqual([400, 'NOTE_INVALID']);
    }
    r = await owner.post(`/api/requests/999999/notes`, { body: 'nothing here' });
    expect(r.body.error.code).toBe('REQUEST_NOT_FOUND');
    r = await owner.post(`/api/requests/${id}/notes`, { body: '  Evidence holds.  ', links: ['https://example.org/evidence'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ requestId: id.toString(), author: f.owners[0]!.address, body: 'Evidence holds.', links: ['https://example.org/evidence'] });
    await stream.until((e) => e.event === 'notes' && (e.data as { requestId: string }).requestId === id.toString());

    const stranger = await signIn(desk, f.stranger.privateKey);
    expect((await stranger.get('/api/siwe/me')).body).toMatchObject({ address: f.stranger.address, owner: false });
    r = await stranger.post(`/api/requests/${id}/notes`, { body: 'let me in' });
    expect([r.status, r.body.error.code]).toEqual([403, 'NOT_AN_OWNER']);

    const list = await anonymous.get<{ notes: { author: string; body: string }[] }>(`/api/requests/${id}/notes`);
    expect(list.body.notes.map((n) => [n.author, n.body])).toEqual([[f.owners[0]!.address, 'Evidence holds.']]);
  });

  it('streams health and request changes, and serves token symbols', async () => {
    const stream = eventReader(await fetch(`${desk.url}/api/events`));
    const id = await f.queue('streamed');
    await settle(desk);
    await stream.until((e) => e.event === 'health' && typeof (e.data as { headBlock: number }).headBlock === 'number');
    await stream.until((e) => e.event === 'requests' && ((e.data as { requestIds: string[] }).requestIds ?? []).includes(id.toString()));

    const eoa = f.stranger.address;
    const t = await browserLike(desk.url).get<{ strategies: { strategy: string; token: string | null; symbol: string | null }[] }>(`/api/strategies?address=${f.testbed.strategies.join(',')},${eoa}`);
    // the stored requests name only the first strategy (WETH): the others are real strategies
    // (stETH, …, USDC) but are answered unknown without reading the chain (anyone may ask)
    expect(t.body.strategies.map((s) => s.symbol)).toEqual(['WETH', null, null, null, null]);
    expect(t.body.strategies[1]).toEqual({ strategy: getAddress(f.testbed.strategies[1]!), token: null, symbol: null });
    expect(t.body.strategies[4]).toEqual({ strategy: eoa, token: null, symbol: null });
    expect((await browserLike(desk.url).get('/api/strategies?address=0x12')).status).toBe(400);
  });

  it('hands a member the execTransaction call once the threshold is met; executing it vetoes the request', async () => {
    // vetoes take Safe nonces in deadline order: sign every open veto so the lowest goes first
    await settle(desk);
    const b = browserLike(desk.url);
    const open = (await b.get<{ requests: RequestView[] }>('/api/requests?status=in_veto_window')).body.requests.filter((v) => v.veto);
    const first = open.sort((x, y) => x.veto!.nonce - y.veto!.nonce)[0]!;
    const id = first.requestId;
    let r = await b.get<{ error: { code: string; message: string } }>(`/api/requests/${id}/veto/execution`);
    expect([r.status, r.body.error.code]).toEqual([409, 'SAFE_TX_NOT_READY']);
    expect(r.body.error.message).toMatch(/has no owner signature yet/);

    const stream = eventReader(await fetch(`${desk.url}/api/events`));
    for (const o of f.owners.slice(0, 2)) {
      const post = await b.post(`/api/requests/${id}/veto/signatures`, { signature: await signTypedVeto(o.privateKey, first.veto!.typedData) });
      expect(post.status).toBe(201);
    }
    // an accepted signature is pushed at once, before any ingest pass
    await stream.until((e) => e.event === 'requests' && (e.data as { reason: string }).reason === 'signature');
    await settle(desk);
    const call = await b.get<{ to: Hex; data: Hex; signers: string[]; safe: string; threshold: number }>(`/api/requests/${id}/veto/execution`);
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ safe: getAddress(f.safe), to: getAddress(f.safe), threshold: 2, value: '0' });
    expect(call.body.signers).toEqual([...f.owners.slice(0, 2).map((o) => o.address)].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)));

    // anyone may submit it: here the stranger's wallet
    const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
    const hash = await wallet.sendTransaction({ to: call.body.to, data: call.body.data });
    await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.slasherStatus(BigInt(id))).toBe(1); // Cancelled
    await settle(desk);
    const view = (await b.get<RequestView>(`/api/requests/${id}`)).body;
    expect(view.status).toBe('vetoed');
    expect(view.veto?.status).toBe('executed');
    r = await b.get(`/api/requests/${id}/veto/execution`);
    expect([r.status, r.body.error.code]).toEqual([409, 'VETO_NOT_AVAILABLE']);
    r = await b.get(`/api/requests/${id}/fulfil/execution`);
    expect([r.status, r.body.error.code]).toEqual([404, 'FULFIL_NOT_AVAILABLE']);

    const timeline = (await b.get<TimelineView>(`/api/requests/${id}/timeline`)).body;
    const kinds = timeline.entries.filter((e) => e.kind !== 'alert' && e.kind !== 'action').map((e) => e.kind);
    expect(kinds).toEqual(['queued', 'proposal', 'signature', 'signature', 'executed', 'cancelled']);
    expect(timeline.entries.filter((e) => e.kind === 'signature').map((e) => [e.actor, e.source])).toEqual(f.owners.slice(0, 2).map((o) => [o.address, 'http']));
    // a mined block: the chain's own time, not an estimate
    const cancelBlock = await f.publicClient.getBlock({ blockNumber: BigInt(view.cancelled!.block) });
    expect(timeline.entries.find((e) => e.kind === 'cancelled')).toMatchObject({ txHash: hash, estimated: false, block: view.cancelled!.block, at: new Date(Number(cancelBlock.timestamp) * 1000).toISOString() });
  });

  it('checks ownership on chain when a note is written: an owner removed since sign-in is refused', async () => {
    const id = await f.queue('after removal');
    await settle(desk);
    const third = await signIn(desk, f.owners[2]!.privateKey);
    expect((await third.post(`/api/requests/${id}/notes`, { body: 'still here' })).status).toBe(201);
    await execSafeTransaction(f.keeper, f.publicClient, {
      safe: f.safe,
      to: f.safe,
      data: encodeFunctionData({ abi: parseAbi(['function removeOwner(address prevOwner, address owner, uint256 _threshold)']), functionName: 'removeOwner', args: [f.owners[1]!.address, f.owners[2]!.address, 2n] }),
      ownerPrivateKeys: [f.owners[0]!.privateKey, f.owners[1]!.privateKey],
    });
    const r = await third.post<{ error: { code: string; message: string } }>(`/api/requests/${id}/notes`, { body: 'removed, yet writing' });
    expect([r.status, r.body.error.code]).toEqual([403, 'NOT_AN_OWNER']);
    expect((await third.get('/api/siwe/me')).body).toMatchObject({ address: f.owners[2]!.address, owner: false });
  });

  it('answers every read route in the shapes of the OpenAPI document', async () => {
    const b = browserLike(desk.url);
    const requests = (await b.get<{ requests: RequestView[] }>('/api/requests')).body.requests;
    expect(requests.length).toBeGreaterThan(0);
    const plan = await b.get<{ safeNonce: number }>('/api/safe/plan');
    expect(plan.status).toBe(200);
    const reads = ['/api/health', '/api/alerts?limit=5', '/api/siwe/me', '/api/dev/operators', '/api/requests/999999', `/api/safe/rejections/${plan.body.safeNonce}`, `/api/safe/batches/${plan.body.safeNonce}`, '/api/openapi.json'];
    for (const v of requests) reads.push(...['', '/veto', '/fulfil', '/timeline', '/notes', '/veto/execution', '/fulfil/execution'].map((s) => `/api/requests/${v.requestId}${s}`));
    // browserLike holds each answer to the document
    for (const path of reads) await b.get(path);
  });

  it('ends open event streams when the desk stops', async () => {
    const stream = eventReader(await fetch(`${desk.url}/api/events`));
    const stopped = desk.stop();
    await expect(stream.ended(5_000)).resolves.toBe(true);
    await stopped;
  });
});
