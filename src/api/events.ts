/**
 * Live updates for the page: `GET /api/events` is a Server-Sent Events stream. The desk publishes
 * `health` after every ingest pass (the head the page counts down from), `requests` when any
 * request, veto or scheduled action changed (the page re-fetches), and `notes` when a note is
 * written. Comments (`: ping`) every `heartbeatMs` keep proxies from closing an idle stream.
 */
import type { Express, Response } from 'express';
import { DeskError } from '../errors';
import type { Logger } from '../lib/logger';
import { clientKey } from './rateLimit';
import type { HealthView, RequestView } from './views';

export type DeskEvent =
  | { type: 'requests'; data: { requestIds: string[] | null; reason: string } }
  | { type: 'health'; data: { status: HealthView['status']; chainId: number | null; headBlock: number | null; indexedBlock: number | null; lagBlocks: number | null; rpc?: HealthView['rpc']; problems: string[]; at: string } }
  | { type: 'notes'; data: { requestId: string } };

/** One open stream: told every event, and ended when the desk stops. */
export interface EventStream {
  send(event: DeskEvent): void;
  end(): void;
}

export interface DeskEvents {
  publish(event: DeskEvent): void;
  /** returns the detach function */
  attach(stream: EventStream): () => void;
  /** after an ingest pass: health always, `requests` only when something a person sees changed */
  synced(): void;
  /** ends every open stream (the server cannot close while one is open) */
  close(): void;
  /** open streams, for tests */
  listeners(): number;
}

export interface DeskEventsOptions {
  requests: () => Promise<RequestView[]>;
  health: () => Promise<HealthView>;
  logger: Logger;
  /** called before a `requests` event goes out: the page re-fetches, and must not be served an answer kept from before */
  beforeRequestsEvent?: () => void;
}

/**
 * What of a request the board shows, minus what ticks with every block (countdowns are computed
 * in the page from the head). A change here means the page must re-fetch.
 */
export function requestFingerprint(v: RequestView): string {
  const sigs = (x: RequestView['veto']) => (x ? `${x.status}/${x.nonce}/${x.executionTxHash ?? ''}/${x.signatures.map((s) => `${s.signer}${s.stale ? '!' : ''}`).join(',')}` : '-');
  const next = v.nextAction ? `${v.nextAction.kind}/${v.nextAction.actor}/${v.nextAction.dueBlock ?? ''}/${v.nextAction.note ?? ''}` : '-';
  return [v.requestId, v.queuedTxHash, v.status, v.atRisk, v.lastUsefulBlock, v.confirmed, v.vetoWindowEnd.block ?? v.vetoWindowEnd.timestamp, sigs(v.veto), sigs(v.fulfil), next, v.actions?.length ?? 0].join('|');
}

export function createDeskEvents(o: DeskEventsOptions): DeskEvents {
  const streams = new Set<EventStream>();
  let last = new Map<string, string>();
  let running: Promise<void> | null = null;
  let again = false;

  const publish = (event: DeskEvent) => {
    if (event.type === 'requests') o.beforeRequestsEvent?.();
    for (const s of streams) s.send(event);
  };

  async function publishSync(): Promise<void> {
    if (streams.size === 0) {
      // nobody listens: skip the work; a page that connects re-fetches everything anyway
      last = new Map();
      return;
    }
    const health = await o.health();
    publish({ type: 'health', data: { status: health.status, chainId: health.chainId, headBlock: health.headBlock, indexedBlock: health.indexedBlock, lagBlocks: health.lagBlocks, rpc: health.rpc, problems: health.problems ?? [], at: new Date().toISOString() } });
    const views = await o.requests();
    const now = new Map(views.map((v) => [v.requestId, requestFingerprint(v)]));
    const changed = [...now].filter(([id, f]) => last.get(id) !== f).map(([id]) => id);
    const removed = [...last.keys()].filter((id) => !now.has(id));
    last = now;
    if (changed.length + removed.length > 0) publish({ type: 'requests', data: { requestIds: [...changed, ...removed], reason: 'sync' } });
  }

  return {
    publish,
    attach(stream) {
      streams.add(stream);
      return () => void streams.delete(stream);
    },
    synced() {
      // one pass at a time; passes asked for meanwhile collapse into one more
      if (running) {
        again = true;
        return;
      }
      let done!: () => void;
      running = new Promise<void>((resolve) => (done = resolve));
      void (async () => {
        try {
          do {
            again = false;
            await publishSync().catch((e: unknown) => o.logger.warn({ err: e }, 'live update failed'));
          } while (again);
        } finally {
          // cleared in the same turn as the loop's last check (see lib/serialPasses)
          running = null;
          done();
        }
      })().catch(() => undefined); // only a throwing logger gets here
    },
    close() {
      for (const s of [...streams]) s.end();
    },
    listeners: () => streams.size,
  };
}

function write(res: Response, event: DeskEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/**
 * Open streams are capped in total and per client address: each holds a socket and a timer for
 * as long as the client likes, so without a cap one client could hold every socket the process has.
 */
export const EVENT_STREAM_LIMITS = { maxStreams: 200, maxStreamsPerClient: 10 } as const;
/** seconds a refused client is asked to wait before trying again */
const STREAM_RETRY_AFTER_SEC = 30;

export function registerEventRoutes(app: Express, events: DeskEvents | undefined, o: { heartbeatMs?: number; maxStreams?: number; maxStreamsPerClient?: number } = {}): void {
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const maxStreams = o.maxStreams ?? EVENT_STREAM_LIMITS.maxStreams;
  const maxPerClient = o.maxStreamsPerClient ?? EVENT_STREAM_LIMITS.maxStreamsPerClient;
  const open = new Map<string, number>();
  let total = 0;
  app.get('/api/events', (req, res) => {
    const client = clientKey(req.ip);
    if (total >= maxStreams) {
      res.set('Retry-After', String(STREAM_RETRY_AFTER_SEC));
      throw new DeskError('SERVICE_BUSY', `the desk already serves ${maxStreams} live update streams: retry later (the page still works without them)`, { retryable: true });
    }
    if ((open.get(client) ?? 0) >= maxPerClient) {
      res.set('Retry-After', String(STREAM_RETRY_AFTER_SEC));
      throw new DeskError('RATE_LIMITED', `your address already holds ${maxPerClient} live update streams: close a tab or retry later`, { retryable: true });
    }
    total++;
    open.set(client, (open.get(client) ?? 0) + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      total--;
      const n = (open.get(client) ?? 1) - 1;
      if (n > 0) open.set(client, n);
      else open.delete(client);
    };
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx and friends must not buffer a stream
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    // EventSource reconnects after this many milliseconds when the stream drops
    res.write('retry: 3000\n: connected\n\n');
    const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    let detach = () => undefined as void;
    const end = () => {
      clearInterval(heartbeat);
      detach();
      release();
      if (!res.writableEnded) res.end();
    };
    detach = events?.attach({ send: (e) => write(res, e), end }) ?? detach;
    req.on('close', end);
  });
}

/** The veto routes' service, telling the page at once when a signature was accepted. */
export function withSignatureEvents<T extends { submitSignature(requestId: string, input: never): Promise<unknown>; submitRejectionSignature(nonce: number, input: never): Promise<unknown>; submitBatchSignature(nonce: number, input: never): Promise<unknown> }>(vetoes: T, events: DeskEvents): T {
  const changed = (requestIds: string[] | null) => events.publish({ type: 'requests', data: { requestIds, reason: 'signature' } });
  return {
    ...vetoes,
    submitSignature: async (requestId: string, input: never) => {
      const out = await vetoes.submitSignature(requestId, input);
      changed([requestId]);
      return out;
    },
    submitRejectionSignature: async (nonce: number, input: never) => {
      const out = await vetoes.submitRejectionSignature(nonce, input);
      changed(null);
      return out;
    },
    submitBatchSignature: async (nonce: number, input: never) => {
      const out = await vetoes.submitBatchSignature(nonce, input);
      changed(null);
      return out;
    },
  };
}
