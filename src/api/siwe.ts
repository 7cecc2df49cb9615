/**
 * Sign-In with Ethereum (EIP-4361) for committee members. `POST /api/siwe/nonce` starts a sign-in
 * (a pending cookie bound to a fresh nonce), `POST /api/siwe/verify` checks the signed message —
 * domain and URI = the desk's own origin (PUBLIC_URL, or the loopback addresses of its port when
 * unset; never the request's Host header, which whoever sends the request chooses), chain id =
 * the desk's chain, the nonce (single use), time bounds, and the signature — and sets the session
 * cookie (HttpOnly, SameSite=Strict, Secure behind https).
 * Signing in proves an address; being a committee owner is checked on chain when it matters.
 *
 * Pending sign-ins are rows anyone can create: they are capped (`MAX_PENDING_SIGN_INS`) and
 * expired rows are purged at most once a minute, so the table stays small and a nonce costs one
 * small count and one insert.
 */
import crypto from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { getAddress, verifyMessage, type Address } from 'viem';
import { generateSiweNonce, parseSiweMessage, validateSiweMessage } from 'viem/siwe';
import { DeskError } from '../errors';
import { siweVerifyInputSchema } from './schemas/inputs';
import type { SiweNonceView, SiweSessionView } from './views';

/** What the routes need of the session table (src/store/siweStore.ts), keyed by token hash. */
export interface SiweSessions {
  createPending(p: { token: string; nonce: string; expiresAt: Date }): Promise<void>;
  find(token: string): Promise<{ nonce: string; address: string | null; expiresAt: Date } | null>;
  verify(p: { token: string; nonce: string; newToken: string; address: string; expiresAt: Date }): Promise<boolean>;
  remove(token: string): Promise<void>;
  purgeExpired(now: Date): Promise<number>;
  /** pending (not yet verified) sign-ins that have not expired */
  countPending(now: Date): Promise<number>;
  /** drops the `n` oldest pending sign-ins that have not expired */
  dropOldestPending(now: Date, n: number): Promise<void>;
}

export interface SiweApi {
  sessions: SiweSessions;
  chainId: number;
  /** the committee Safe's owners, read on chain now */
  committeeOwners(): Promise<Address[]>;
  /**
   * The origins (`https://desk.example.org`) people open the desk at: a signed message must name
   * one's host as its domain and the same origin as its URI. Read per request: the port may only
   * be known once the server listens.
   */
  origins(): readonly string[];
  /** set the Secure flag on cookies (PUBLIC_URL is https) */
  secureCookies?: boolean;
  /** milliseconds; injectable for tests */
  nowMs?: () => number;
  /** default MAX_PENDING_SIGN_INS */
  maxPendingSignIns?: number;
}

/**
 * Sign-ins started and not finished within PENDING_TTL_MS, across all clients. Anyone may start
 * one: at the cap the oldest goes (its browser starts again), so starting sign-ins never shuts
 * out an owner — flooding it would take this many new ones within the owner's few seconds.
 */
export const MAX_PENDING_SIGN_INS = 1_000;
const PURGE_EVERY_MS = 60_000;

/** The origins of a desk without PUBLIC_URL: its port on this machine's loopback names. */
export function loopbackOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
}

export const SESSION_COOKIE = 'vd_session';
const PENDING_COOKIE = 'vd_siwe';
const PENDING_TTL_MS = 10 * 60_000;
const SESSION_TTL_MS = 12 * 3600_000;
/** how far in the future `issuedAt` may be (clock skew between the browser and the desk) */
const CLOCK_SKEW_MS = 5 * 60_000;


/** Only the hash of a token is stored: the table alone does not let anyone in. */
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined; // not one the desk set: no session, not a 500
    }
  }
  return undefined;
}

function setCookie(req: Request, res: Response, api: SiweApi, name: string, value: string, maxAgeMs: number): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'strict', path: '/api', secure: api.secureCookies === true || req.secure, maxAge: maxAgeMs });
}

/**
 * The signed-in address of this request's session, or null.
 */
export async function sessionAddress(req: Request, api: SiweApi): Promise<Address | null> {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return null;
  const s = await api.sessions.find(hashToken(token));
  const now = api.nowMs?.() ?? Date.now();
  if (!s || s.address === null || s.expiresAt.getTime() <= now) return null;
  return getAddress(s.address);
}

/**
 * The signed-in address, which must be a current owner of the committee Safe (read on chain now).
 *
 * @throws DeskError `NOT_SIGNED_IN` (401) or `NOT_AN_OWNER` (403)
 */
export async function requireCurrentOwner(req: Request, api: SiweApi, doing: string): Promise<Address> {
  const address = await sessionAddress(req, api);
  if (!address) throw new DeskError('NOT_SIGNED_IN', `sign in with Ethereum (as a committee owner) to ${doing}`);
  const owners = await api.committeeOwners();
  if (!owners.some((o) => getAddress(o) === address)) {
    throw new DeskError('NOT_AN_OWNER', `${address} is not a current owner of the committee Safe, so it cannot ${doing} (owners: ${owners.join(', ')})`);
  }
  return address;
}

/** Every reason a signed message is refused, in words; null when it is acceptable. */
function messageProblem(message: string, o: { origins: readonly string[]; chainId: number; nonce: string; nowMs: number }): { code: 'SIWE_MESSAGE_INVALID' | 'SIWE_NONCE_INVALID'; text: string } | null {
  const m = parseSiweMessage(message);
  const missing = (['address', 'domain', 'uri', 'version', 'chainId', 'nonce', 'issuedAt'] as const).filter((k) => m[k] === undefined);
  if (missing.length) return { code: 'SIWE_MESSAGE_INVALID', text: `not an EIP-4361 message: missing ${missing.join(', ')}` };
  const origin = o.origins.find((x) => new URL(x).host === m.domain);
  const desk = o.origins.join(' or ');
  if (origin === undefined) return { code: 'SIWE_MESSAGE_INVALID', text: `the message is for ${m.domain}, not this desk (${desk})` };
  let uriOrigin: string | null = null;
  try {
    uriOrigin = new URL(m.uri!).origin;
  } catch {
    /* reported below */
  }
  if (uriOrigin !== origin) return { code: 'SIWE_MESSAGE_INVALID', text: `the message URI ${m.uri} is not on this desk (${origin})` };
  if (m.chainId !== o.chainId) return { code: 'SIWE_MESSAGE_INVALID', text: `the message is for chain ${m.chainId}; this desk runs on chain ${o.chainId}` };
  if (m.nonce !== o.nonce) return { code: 'SIWE_NONCE_INVALID', text: 'the message nonce is not the one this desk handed out for this sign-in' };
  if (m.expirationTime && m.expirationTime.getTime() <= o.nowMs) return { code: 'SIWE_MESSAGE_INVALID', text: `the message expired at ${m.expirationTime.toISOString()}` };
  if (m.notBefore && m.notBefore.getTime() > o.nowMs) return { code: 'SIWE_MESSAGE_INVALID', text: `the message is not valid before ${m.notBefore.toISOString()}` };
  if (m.issuedAt!.getTime() > o.nowMs + CLOCK_SKEW_MS) return { code: 'SIWE_MESSAGE_INVALID', text: `the message claims to be issued in the future (${m.issuedAt!.toISOString()})` };
  // viem's own check of the same fields, as a last guard
  if (!validateSiweMessage({ message: m, domain: m.domain, nonce: o.nonce, time: new Date(o.nowMs) })) return { code: 'SIWE_MESSAGE_INVALID', text: 'the message does not validate' };
  return null;
}

export function registerSiweRoutes(app: Express, api: SiweApi | undefined): void {
  const need = (): SiweApi => {
    if (!api) throw new DeskError('NOT_FOUND', 'sign-in is not available on this desk');
    return api;
  };
  const nowOf = (a: SiweApi) => a.nowMs?.() ?? Date.now();
  let lastPurgeMs = Number.NEGATIVE_INFINITY;

  app.post('/api/siwe/nonce', async (req, res) => {
    const a = need();
    const now = nowOf(a);
    if (now - lastPurgeMs >= PURGE_EVERY_MS) {
      lastPurgeMs = now;
      await a.sessions.purgeExpired(new Date(now));
    }
    const cap = a.maxPendingSignIns ?? MAX_PENDING_SIGN_INS;
    const pending = await a.sessions.countPending(new Date(now));
    if (pending >= cap) await a.sessions.dropOldestPending(new Date(now), pending - cap + 1);
    const token = crypto.randomBytes(32).toString('base64url');
    const nonce = generateSiweNonce();
    await a.sessions.createPending({ token: hashToken(token), nonce, expiresAt: new Date(now + PENDING_TTL_MS) });
    setCookie(req, res, a, PENDING_COOKIE, token, PENDING_TTL_MS);
    const started: SiweNonceView = { nonce, chainId: a.chainId, expiresAt: new Date(now + PENDING_TTL_MS).toISOString() };
    res.status(201).json(started);
  });

  app.post('/api/siwe/verify', async (req, res) => {
    const a = need();
    const now = nowOf(a);
    const body = siweVerifyInputSchema.safeParse(req.body);
    if (!body.success) throw new DeskError('SIWE_MESSAGE_INVALID', 'body must be JSON { "message": "<EIP-4361 text>", "signature": "0x…" }');
    const pendingToken = readCookie(req, PENDING_COOKIE);
    const pending = pendingToken ? await a.sessions.find(hashToken(pendingToken)) : null;
    if (!pendingToken || !pending || pending.address !== null || pending.expiresAt.getTime() <= now) {
      throw new DeskError('SIWE_NONCE_INVALID', 'no sign-in in progress for this browser, or it expired: ask for a new nonce (POST /api/siwe/nonce) and sign again');
    }
    const problem = messageProblem(body.data.message, { origins: a.origins(), chainId: a.chainId, nonce: pending.nonce, nowMs: now });
    if (problem) throw new DeskError(problem.code, problem.text);
    const address = getAddress(parseSiweMessage(body.data.message).address!);
    const valid = await verifyMessage({ address, message: body.data.message, signature: body.data.signature as `0x${string}` }).catch(() => false);
    if (!valid) throw new DeskError('SIWE_SIGNATURE_INVALID', `the signature is not ${address}'s over this message (only EOA signatures are accepted)`);
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + SESSION_TTL_MS);
    if (!(await a.sessions.verify({ token: hashToken(pendingToken), nonce: pending.nonce, newToken: hashToken(token), address, expiresAt }))) {
      throw new DeskError('SIWE_NONCE_INVALID', 'this nonce was already used: ask for a new one and sign again');
    }
    res.clearCookie(PENDING_COOKIE, { path: '/api' });
    setCookie(req, res, a, SESSION_COOKIE, token, SESSION_TTL_MS);
    res.json(await me(a, address, expiresAt));
  });

  app.get('/api/siwe/me', async (req, res) => {
    const a = need();
    const token = readCookie(req, SESSION_COOKIE);
    const s = token ? await a.sessions.find(hashToken(token)) : null;
    const signedIn = s && s.address !== null && s.expiresAt.getTime() > nowOf(a);
    const nobody: SiweSessionView = { address: null, owner: null, expiresAt: null };
    res.json(signedIn ? await me(a, getAddress(s.address!), s.expiresAt) : nobody);
  });

  app.post('/api/siwe/logout', async (req, res) => {
    const a = need();
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await a.sessions.remove(hashToken(token));
    res.clearCookie(SESSION_COOKIE, { path: '/api' });
    res.status(204).end();
  });
}

/** `owner` is null when the Safe cannot be read right now. */
async function me(a: SiweApi, address: Address, expiresAt: Date): Promise<SiweSessionView> {
  const owners = await a.committeeOwners().catch(() => null);
  return { address, owner: owners ? owners.some((o) => getAddress(o) === address) : null, expiresAt: expiresAt.toISOString() };
}
