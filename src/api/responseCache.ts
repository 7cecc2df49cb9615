/**
 * Answers of the request routes kept for a short while: a board polled by many clients (or one
 * client polling fast) is served the body computed for the first of them, serialised and tagged
 * once. An answer is dropped at once when what it shows may have changed: `version` moved (the
 * database's count of committed writes, the read model's kept views) or `invalidate` was called; otherwise it is recomputed
 * once older than `maxAgeMs` (another desk's writes to the same database show then), the older
 * answer still serving while the new one is computed.
 */
import { createHash } from 'node:crypto';

export interface CachedAnswer {
  /** the JSON body, encoded once (express would encode a string again for every answer) */
  body: Buffer;
  /** strong ETag of the body */
  etag: string;
}

export interface ResponseCache {
  /** the answer for `key`: kept, or computed (once for every caller asking meanwhile); `compute` gives the JSON body */
  answer(key: string, compute: () => Promise<string>): Promise<CachedAnswer>;
  /** everything kept is stale: the next caller computes and waits for it */
  invalidate(): void;
}

/** Distinct answers kept (each a page of up to 1,000 requests): the query string is the caller's to choose. */
const MAX_KEPT = 32;

interface Kept {
  answer: Promise<CachedAnswer>;
  at: number;
  generation: number;
  version: string | number;
  /** the recomputation of an answer past its age, served once done */
  refresh?: Promise<unknown>;
}

export function createResponseCache(o: { maxAgeMs: number; nowMs?: () => number; version?: () => string | number }): ResponseCache {
  const nowMs = o.nowMs ?? (() => performance.now());
  const version = o.version ?? (() => 0);
  const kept = new Map<string, Kept>();
  let generation = 0;

  function keep(key: string, compute: () => Promise<string>): Kept {
    // read before computing: a write during the computation makes this answer stale at once
    const at = { generation, version: version() };
    const entry: Kept = {
      ...at,
      answer: compute().then((json) => {
        const body = Buffer.from(json, 'utf8');
        return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      }),
      at: nowMs(),
    };
    // a failure is answered to the callers that joined it, never kept
    entry.answer.catch(() => {
      if (kept.get(key) === entry) kept.delete(key);
    });
    return entry;
  }
  function put(key: string, entry: Kept): void {
    kept.delete(key);
    kept.set(key, entry);
    // the least recently computed go first
    while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  }

  return {
    answer(key, compute) {
      const hit = kept.get(key);
      if (hit && hit.generation === generation && hit.version === version()) {
        const age = nowMs() - hit.at;
        if (age <= o.maxAgeMs) return hit.answer;
        // past its age but nothing known changed: served while a fresh one is computed, up to a bound
        if (age <= 4 * o.maxAgeMs) {
          if (!hit.refresh) {
            const next = keep(key, compute);
            hit.refresh = next.answer.then(
              () => {
                if (kept.get(key) === hit && next.generation === generation && next.version === version()) put(key, next);
              },
              () => {
                hit.refresh = undefined;
              },
            );
          }
          return hit.answer;
        }
      }
      const entry = keep(key, compute);
      put(key, entry);
      return entry.answer;
    },
    invalidate() {
      generation++;
    },
  };
}
