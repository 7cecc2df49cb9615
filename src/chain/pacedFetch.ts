/**
 * The fetch under one http endpoint, keeping to the provider's rate. A hosted provider answers
 * HTTP 429 above its calls per second, counting each element of a JSON-RPC batch; a batch of
 * 64 headers resent whole after each 429 (what the transport's retries do) is refused again and
 * again. Here a 429 sets the pace from what was sent in the last second, each batch is split into
 * pieces that fit it, each piece waits for room, and a refused piece is sent again after the
 * provider's Retry-After; the caller sees one answer in the batch's order. While nothing is
 * refused for a while the pace rises again, and without a 429 (or a configured rate) nothing waits.
 * What sending a transaction asks never waits (it only counts): a backlog of reads slows
 * itself, never a veto. A piece refused again and again keeps the answers already in hand; its
 * calls are answered 429 one by one, for the caller's retries.
 */

export interface PaceOptions {
  /** the provider's calls per second when known (RPC_MAX_CALLS_PER_SECOND); learnt from 429s otherwise */
  maxCallsPerSecond?: number;
  /** the fetch underneath */
  fetchFn?: typeof fetch;
}

/** the slowest pace a refusal sets: a deadline-bound call never waits behind a guess lower than this */
const MIN_PACE = 10;
/** refusals of one piece answered here before its calls are answered 429 one by one (the caller's retries take them) */
const MAX_REFUSALS = 3;
/**
 * What sending a transaction asks, and the head: never kept waiting behind a backlog of reads
 * (a veto before its deadline), only counted in the pace. Each is one call per send or per pass.
 */
const URGENT = new Set(['eth_sendRawTransaction', 'eth_getTransactionCount', 'eth_estimateGas', 'eth_feeHistory', 'eth_maxPriorityFeePerGas', 'eth_gasPrice', 'eth_getTransactionReceipt', 'eth_blockNumber', 'eth_chainId']);
/**
 * Answers that say the provider limited the rate inside a 200 (Alchemy's batches answer each
 * element `{ code: 429 }`, QuickNode -32007; -32005 is also Infura's "more than 10000 results",
 * which is about the range, not the rate).
 */
function rateLimitedInBody(answers: unknown): boolean {
  if (!Array.isArray(answers)) return false;
  return answers.some((a) => {
    const e = (a as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!e) return false;
    if (e.code === 429 || e.code === -32007) return true;
    return e.code === -32005 && typeof e.message === 'string' && /rate|per second|capacity|too many requests/i.test(e.message) && !/results|range/i.test(e.message);
  });
}

const isUrgent = (call: unknown) => {
  const c = call as { method?: unknown; params?: unknown[] } | null;
  if (c?.method === 'eth_getBlockByNumber') return c.params?.[0] === 'latest' || c.params?.[0] === 'pending';
  return URGENT.has(c?.method as string);
};
/** quiet time after the last refusal before the pace rises, and by how much each time */
const RISE_AFTER_MS = 10_000;
const RISE_FACTOR = 1.5;
/** above this a learnt pace is no pace at all */
const UNPACED_ABOVE = 5_000;
// a little over a second: the provider counts a call from its arrival, a moment after it left here
const WINDOW_MS = 1_100;

export interface Pacer {
  fetch: typeof fetch;
  /** calls per second allowed now (Infinity: unpaced) */
  pace(): number;
}

export function createPacedFetch(o: PaceOptions = {}): Pacer {
  const under = o.fetchFn ?? fetch;
  const configured = o.maxCallsPerSecond;
  let pace = configured ?? Infinity;
  let lastRefusal = 0;
  let lastRise = 0;
  /** send times of the calls of the last second, oldest first */
  let sent: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  const prune = (now: number) => {
    let k = 0;
    while (k < sent.length && sent[k]! <= now - WINDOW_MS) k++;
    if (k) sent = sent.slice(k);
  };

  function rise(now: number): void {
    if (configured !== undefined || pace === Infinity) return;
    if (now - lastRefusal < RISE_AFTER_MS || now - lastRise < RISE_AFTER_MS) return;
    lastRise = now;
    pace = pace * RISE_FACTOR > UNPACED_ABOVE ? Infinity : Math.ceil(pace * RISE_FACTOR);
  }

  function refused(now: number): void {
    lastRefusal = now;
    prune(now);
    if (configured !== undefined) return;
    // what was sent in the last second (the refused piece included) was too much: half of it
    // fits (the multiplicative decrease of AIMD); the quiet rise finds the rest
    const observed = Math.max(sent.length, 1);
    pace = Math.max(MIN_PACE, Math.floor(Math.min(pace, observed) / 2));
  }

  /**
   * Waits until `n` calls fit the pace (pieces wait in order: no piece overtakes an earlier one).
   */
  function room(n: number, signal: AbortSignal | null | undefined): Promise<void> {
    const mine = queue.then(async () => {
      for (;;) {
        // a caller that gave up (its timeout) takes no room from the calls after it
        if (signal?.aborted) throw signal.reason as Error;
        const now = Date.now();
        rise(now);
        prune(now);
        if (pace === Infinity || sent.length + n <= pace || sent.length === 0) {
          for (let i = 0; i < n; i++) sent.push(now);
          return;
        }
        // the calls that must leave the window before these fit
        const leaving = Math.min(sent.length - 1, Math.max(0, sent.length + n - Math.floor(pace) - 1));
        const wait = Math.max(1, sent[leaving]! + WINDOW_MS - now);
        await sleep(Math.min(wait, WINDOW_MS), signal);
      }
    });
    queue = mine.catch(() => undefined);
    return mine;
  }

  async function backOff(res: Response, init: RequestInit): Promise<void> {
    refused(Date.now());
    const after = Number(res.headers.get('retry-after'));
    await res.arrayBuffer().catch(() => undefined);
    await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1_000, 10_000) : WINDOW_MS, init.signal);
  }

  /** What sending a transaction asks: sent at once (counted in the pace), again after a 429. */
  async function sendNow(url: string | URL | Request, init: RequestInit, body: string, n: number): Promise<Response> {
    for (let refusals = 0; ; refusals++) {
      if (init.signal?.aborted) throw init.signal.reason as Error;
      const now = Date.now();
      prune(now);
      for (let i = 0; i < n; i++) sent.push(now);
      const res = await under(url, { ...init, body });
      if (res.status !== 429 || refusals >= MAX_REFUSALS) return res;
      await backOff(res, init);
    }
  }

  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const paced = (async (url: string | URL | Request, init: RequestInit = {}) => {
    let parsed: unknown;
    try {
      parsed = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed === null || typeof parsed !== 'object') return under(url, init);
    const single = !Array.isArray(parsed);
    const calls = single ? [parsed] : (parsed as unknown[]);
    const urgent = calls.filter(isUrgent);
    if (urgent.length === calls.length) return sendNow(url, init, init.body as string, calls.length);
    const rest = urgent.length ? calls.filter((c) => !isUrgent(c)) : calls;
    const answers: unknown[] = [];
    let whole: Response | null = null;

    const now = urgent.length
      ? sendNow(url, init, JSON.stringify(urgent), urgent.length).then(async (res) => {
          if (!res.ok) return res;
          const got = (await res.json()) as unknown;
          if (!Array.isArray(got)) return json(got, res.status);
          answers.push(...(got as unknown[]));
          return null;
        })
      : Promise.resolve(null);
    const later = (async (): Promise<Response | null> => {
      for (let i = 0, refusals = 0; i < rest.length; ) {
        // the pace may have fallen since the previous piece (a refusal): each piece is cut afresh
        const n = Math.max(1, Math.floor(Math.min(pace, rest.length - i)));
        const all = rest === calls && i === 0 && n === calls.length;
        await room(n, init.signal);
        const res = await under(url, { ...init, body: all ? (init.body as string) : JSON.stringify(rest.slice(i, i + n)) });
        if (res.status === 429 && refusals < MAX_REFUSALS) {
          refusals++;
          await backOff(res, init);
          continue;
        }
        if (res.status === 429 && !all) {
          // refused again and again: the answers already in hand stay, the calls left are each
          // answered 429 for the caller's retries to take, one by one
          await res.arrayBuffer().catch(() => undefined);
          for (const c of rest.slice(i)) answers.push({ jsonrpc: '2.0', id: (c as { id?: unknown }).id, error: { code: 429, message: 'rate limited by the provider' } });
          return null;
        }
        refusals = 0;
        if (all) {
          whole = res; // the batch as sent: its answer as it came
          // a batch's elements refused one by one set the pace too (the caller retries them)
          if (!single && res.ok && rateLimitedInBody(await res.clone().json().catch(() => null))) refused(Date.now());
          return null;
        }
        if (!res.ok) return res;
        const got = (await res.json()) as unknown;
        if (!Array.isArray(got)) return json(got, res.status);
        if (rateLimitedInBody(got)) refused(Date.now());
        answers.push(...(got as unknown[]));
        i += n;
      }
      return null;
    })();
    // a piece that failed fails the whole batch, as it would have
    for (const failed of await Promise.all([now, later])) if (failed) return failed;
    if (whole) return whole;
    if (single) return json(answers[0]);
    // answers in the order of the calls (matched by id), as one response would have them
    const byId = new Map(answers.map((a) => [(a as { id?: unknown }).id, a]));
    const ordered = calls.map((c) => byId.get((c as { id?: unknown }).id));
    return json(ordered.every((a) => a !== undefined) ? ordered : answers);
  }) as typeof fetch;

  return { fetch: paced, pace: () => pace };
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
