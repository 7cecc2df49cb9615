/**
 * Where a desk backfill spends its time. Composes the same ingestor `startDesk` builds (same
 * client, store and options, minus the HTTP API) with every boundary timed:
 *  - `rpc …`: each viem action / JSON-RPC method the ingestor calls (readContract by function);
 *  - `http POST`: the HTTP round trips underneath (viem batches up to 250 calls per POST);
 *  - `store …`: each IngestStore method; `db …`: each Prisma operation inside them.
 * Calls run concurrently (Promise.all over a range's getters), so each category reports its
 * wall time — the time at least one of its calls was in flight — not the sum of durations.
 */
import type { PublicClient } from 'viem';
import { createChainClient } from '../src/chain/client';
import { createIngestor } from '../src/ingest/ingestor';
import { readSlasherFacts } from '../src/chain/slasherFacts';
import { openDatabase, type Db } from '../src/store/database';
import { createIngestStore, type IngestStore } from '../src/store/ingestStore';
import { createLogger } from '../src/lib/logger';
import { createBenchDatabase, MAX_LOG_RANGE, REORG_DEPTH, verifyIndexed, type DbKind } from './measure';
import type { BenchChain } from './seed';

export interface ProfileLine {
  what: string;
  calls: number;
  wallMs: number;
  /** share of the timed sync */
  share: number;
}

export interface Profile {
  kind: DbKind;
  /** sync() to the head: every request listed */
  syncSeconds: number;
  /** … and enriched(): strategies read, slashability re-read */
  completeSeconds: number;
  /** the calls made until sync() returned (every request listed); shares of the listed time */
  listedLines: ProfileLine[];
  /** the whole run, until enriched(); shares of the complete time */
  lines: ProfileLine[];
}

class Timings {
  private readonly byKey = new Map<string, { calls: number; active: number; since: number; wallMs: number }>();

  async time<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const e = this.byKey.get(key) ?? { calls: 0, active: 0, since: 0, wallMs: 0 };
    this.byKey.set(key, e);
    e.calls++;
    if (e.active++ === 0) e.since = performance.now();
    try {
      return await fn();
    } finally {
      if (--e.active === 0) e.wallMs += performance.now() - e.since;
    }
  }

  /** forget what was timed so far (the set-up before the measured sync) */
  reset(): void {
    this.byKey.clear();
  }

  /** calls so far; a category still in flight counts up to now */
  lines(totalMs: number): ProfileLine[] {
    const now = performance.now();
    return [...this.byKey.entries()]
      .map(([what, e]) => {
        const wallMs = e.wallMs + (e.active > 0 ? now - e.since : 0);
        return { what, calls: e.calls, wallMs: Math.round(wallMs), share: wallMs / totalMs };
      })
      .sort((a, b) => b.wallMs - a.wallMs);
  }
}

export async function profileDeskBackfill(rpcUrl: string, chain: BenchChain, kind: DbKind, postgresAdminUrl: string): Promise<Profile> {
  const t = new Timings();
  const target = await createBenchDatabase(kind, postgresAdminUrl);
  const chainClient = createChainClient({ rpcUrls: [rpcUrl] });
  const database = await openDatabase(target.target);
  const realFetch = globalThis.fetch;
  try {
    const client = timedClient(chainClient.client, t);
    const facts = await readSlasherFacts(client, chain.slasher, null);
    const db = timedDb(database.db, t);
    const store = timedStore(createIngestStore(db, facts.slasher, database.kind, database), t);
    const ingestor = createIngestor({
      client,
      store,
      facts,
      chainId: await client.getChainId(),
      startBlock: chain.deployBlock,
      reorgDepth: REORG_DEPTH,
      maxLogRange: MAX_LOG_RANGE,
      logger: createLogger('silent'),
    });
    globalThis.fetch = (input, init) => t.time(`http ${init?.method ?? 'GET'}`, () => realFetch(input, init));
    t.reset();
    const started = performance.now();
    await ingestor.sync();
    const listedMs = performance.now() - started;
    const listedLines = t.lines(listedMs);
    await ingestor.enriched();
    const totalMs = performance.now() - started;
    globalThis.fetch = realFetch;
    await ingestor.stop();
    await verifyIndexed(database.db, chain);
    return { kind, syncSeconds: listedMs / 1000, completeSeconds: totalMs / 1000, listedLines, lines: t.lines(totalMs) };
  } finally {
    globalThis.fetch = realFetch;
    await database.close();
    await chainClient.close();
    await target.drop();
  }
}

function timedClient(client: PublicClient, t: Timings): PublicClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const first = args[0] as { functionName?: string; method?: string } | undefined;
        const detail = prop === 'readContract' ? ` ${first?.functionName}` : prop === 'request' ? ` ${first?.method}` : '';
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? t.time(`rpc ${prop}${detail}`, () => result) : result;
      };
    },
  });
}

function timedStore(store: IngestStore, t: Timings): IngestStore {
  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn === 'function') wrapped[name] = (...args: unknown[]) => t.time(`store ${name}`, () => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return wrapped as IngestStore;
}

function timedDb(db: Db, t: Timings): Db {
  return db.$extends({
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return t.time(`db ${model}.${operation}`, () => query(args));
        },
      },
    },
  }) as unknown as Db;
}
