/**
 * Per-client rate limits: a token bucket per client address and class of route, holding a
 * minute's worth of requests and refilling continuously. Reads (GET/HEAD/OPTIONS) are generous,
 * writes (everything else: signatures, sign-in, notes, batches) strict, because every write
 * route is open to anonymous callers and some cost real work (signature recovery, RPC reads).
 * Over the limit the desk answers 429 `RATE_LIMITED` with `Retry-After` before parsing the body.
 *
 * The client address is `req.ip`: the TCP peer, or the X-Forwarded-For hop TRUST_PROXY allows.
 * IPv6 clients are counted per /64, the block one subscriber gets.
 */
import { isIPv6 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { DeskError } from '../errors';

export interface RateLimitOptions {
  /** GET/HEAD/OPTIONS per client address and minute; 0 = unlimited */
  readsPerMinute: number;
  /** other methods per client address and minute; 0 = unlimited */
  writesPerMinute: number;
  /**
   * addresses remembered at once. The least recently seen is forgotten for a new one only once
   * its bucket has refilled (forgetting it then loses nothing); until then new addresses share
   * one bucket, so rotating through more addresses than this never buys fresh buckets
   */
  maxClients?: number;
  /** injectable for tests */
  nowMs?: () => number;
}

export const DEFAULT_MAX_CLIENTS = 10_000;
/** the bucket new addresses share while every remembered one still counts */
const NEWCOMERS = '(new addresses)';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Bucket {
  tokens: number;
  atMs: number;
}

/** The unit a limit counts: an IPv4 address, or the /64 of an IPv6 one. */
export function clientKey(ip: string | undefined): string {
  if (ip === undefined || ip === '') return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!isIPv6(ip)) return ip;
  // expand `::` so the first four groups are the /64
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * A limiter for one class of requests. `take(key)` spends a token and says, when none is left,
 * how many seconds until one is.
 */
export function createTokenBuckets(perMinute: number, o: { maxClients?: number; nowMs?: () => number } = {}) {
  const capacity = perMinute;
  const perMs = perMinute / 60_000;
  const maxClients = o.maxClients ?? DEFAULT_MAX_CLIENTS;
  const nowMs = o.nowMs ?? Date.now;
  const buckets = new Map<string, Bucket>();
  const refilled = (b: Bucket, now: number) => b.tokens + (now - b.atMs) * perMs >= capacity;
  return {
    take(client: string): { ok: true } | { ok: false; retryAfterSec: number } {
      const now = nowMs();
      let key = client;
      if (!buckets.has(key) && buckets.size >= maxClients) {
        // Map order is least recently seen first
        const [oldestKey, oldest] = buckets.entries().next().value as [string, Bucket];
        if (refilled(oldest, now)) buckets.delete(oldestKey);
        else key = NEWCOMERS;
      }
      const b = buckets.get(key);
      const tokens = b ? Math.min(capacity, b.tokens + (now - b.atMs) * perMs) : capacity;
      // re-inserted on every touch: Map order is then least recently seen first
      buckets.delete(key);
      if (tokens < 1) {
        buckets.set(key, { tokens, atMs: now });
        return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, atMs: now });
      return { ok: true };
    },
    size: () => buckets.size,
  };
}

export function rateLimit(o: RateLimitOptions): RequestHandler {
  const common = { maxClients: o.maxClients, nowMs: o.nowMs };
  const reads = o.readsPerMinute > 0 ? createTokenBuckets(o.readsPerMinute, common) : null;
  const writes = o.writesPerMinute > 0 ? createTokenBuckets(o.writesPerMinute, common) : null;
  return (req: Request, res, next) => {
    const read = READ_METHODS.has(req.method);
    const buckets = read ? reads : writes;
    if (!buckets) return next();
    const taken = buckets.take(clientKey(req.ip));
    if (taken.ok) return next();
    res.set('Retry-After', String(taken.retryAfterSec));
    const limit = read ? o.readsPerMinute : o.writesPerMinute;
    next(new DeskError('RATE_LIMITED', `too many ${read ? 'read' : 'write'} requests from your address (at most ${limit} a minute): retry in ${taken.retryAfterSec} s`, { retryable: true }));
  };
}
