/**
 * The fetch under one http endpoint, keeping to the provider's rate. A hosted provider answers
 * HTTP 429 above its calls per second, counting each element of a JSON-RPC batch; a batch of
 * 64 headers resent whole after each 429 (what the transport's retries do) is refused again and
 * again. Here a 429 sets the pace from what was sent in the last second, each batch is split into
 * pieces that fit it, each piece waits for room, and a refused piece is sent again after the
 * provider's Retry-After; the caller sees one answer in the batch's order. While nothing is
 * refused for a while the pace rises again, and without a 429 (or a configured rate) nothing waits.
 */

export interface PaceOptions {
  /** the provider's calls per second when known (RPC_MAX_CALLS_PER_SECOND); learnt from 429s otherwise */
  maxCallsPerSecond?: number;
  /** the fetch underneath */
  fetchFn?: typeof fetch;
}

/** the slowest pace a refusal sets: a deadline-bound call never waits behind a guess lower than this */
const MIN_PACE = 10;
/** refusals of one piece answered here before the 429 is handed to the caller's retries */
const MAX_REFUSALS = 6;
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

  /** Waits until `n` calls fit the pace (pieces wait in order: no piece overtakes an earlier one). */
  function room(n: number, signal: AbortSignal | null | undefined): Promise<void> {
    const mine = queue.then(async () => {
      for (;;) {
        const now = Date.now();
        rise(now);
        prune(now);
        if (pace === Infinity || sent.length + n <= pace || sent.length === 0) {
          for (let i = 0; i < n; i++) sent.push(now);
          return;
        }
        // the oldest call leaves the window at sent[0] + 1 s
        const leaving = Math.min(sent.length - 1, Math.max(0, sent.length + n - Math.floor(pace) - 1));
        const wait = Math.max(1, sent[leaving]! + WINDOW_MS - now);
        await sleep(Math.min(wait, WINDOW_MS), signal);
      }
    });
    queue = mine.catch(() => undefined);
    return mine;
  }

  const paced = (async (url: string | URL | Request, init: RequestInit = {}) => {
    let parsed: unknown;
    try {
      parsed = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) return under(url, init);
    const batch = Array.isArray(parsed);
    const calls: unknown[] = batch ? (parsed as unknown[]) : [parsed];
    const answers: unknown[] = [];
    let refusals = 0;
    for (let i = 0; i < calls.length; ) {
      // the pace may have fallen since the previous piece (a refusal): each piece is cut afresh
      const n = Math.max(1, Math.floor(Math.min(pace, calls.length - i)));
      const whole = i === 0 && n === calls.length;
      await room(n, init.signal);
      const res = await under(url, { ...init, body: whole ? init.body : JSON.stringify(calls.slice(i, i + n)) });
      if (res.status === 429 && refusals < MAX_REFUSALS) {
        refusals++;
        refused(Date.now());
        const after = Number(res.headers.get('retry-after'));
        await res.arrayBuffer().catch(() => undefined);
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1_000, 10_000) : WINDOW_MS, init.signal);
        continue;
      }
      if (whole || !res.ok) return res; // a piece that failed fails the whole batch, as it would have
      const part = (await res.json()) as unknown;
      if (!Array.isArray(part)) return new Response(JSON.stringify(part), { status: res.status, headers: { 'content-type': 'application/json' } });
      answers.push(...(part as unknown[]));
      i += n;
    }
    return new Response(JSON.stringify(answers), { status: 200, headers: { 'content-type': 'application/json' } });
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
