/**
 * The parts of the desk's health that are about the world around it: whether the RPC answers
 * (and which endpoint does not, since when), how far behind the chain the desk has fallen while
 * it cannot read it, and whether anyone would be told of an alert.
 */
import type { EndpointStatus } from '../chain/client';
import type { Ingestor } from '../ingest/ingestor';
import type { SlasherFacts } from '../chain/slasherFacts';
import { redactSecrets, redactUrl } from '../lib/redact';
import type { HealthView, RpcHealthView } from '../api/views';
import { estimateBlockTime } from '../domain/blockTime';
import type { BlockRef } from '../domain/types';
import type { VetoService } from '../safe';
import type { Scheduler } from '../scheduler/scheduler';
import type { Database } from '../store/database';

export interface RpcHealthInput {
  endpoints: EndpointStatus[];
  /** unix seconds of the last ingest pass that read the head; null before the first */
  headSeenAtSec: number | null;
  /** the last pass failed (the index is not moving) */
  passFailing: boolean;
  nowSec: number;
  blockTimeSeconds: number;
}

export interface RpcHealth {
  view: RpcHealthView;
  /** blocks the chain has most likely made since the desk last read its head (0 while it reads it) */
  unseenBlocks: number;
  problem: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Unreachable when no endpoint answered its last call. The endpoint named is the one in trouble
 * (the first unreachable one), else the one that answered last; always redacted.
 *
 * @example
 * rpcHealth({ endpoints: [{ url: 'http://127.0.0.1:8545', reachable: false, unreachableSinceMs: 0, lastAnswerMs: null, lastError: 'fetch failed' }], headSeenAtSec: 0, passFailing: true, nowSec: 60, blockTimeSeconds: 12 })
 * // => { view: { reachable: false, endpoint: 'http://127.0.0.1:8545', unreachableSince: '1970-01-01T00:00:00.000Z', … }, unseenBlocks: 5, problem: 'RPC unreachable since …' }
 */
export function rpcHealth(i: RpcHealthInput): RpcHealth {
  const used = i.endpoints.filter((e) => e.reachable !== null);
  const down = i.endpoints.filter((e) => e.reachable === false);
  const reachable = used.length === 0 || used.some((e) => e.reachable === true);
  const inTrouble = down[0];
  const shown = inTrouble ?? [...i.endpoints].sort((a, b) => (b.lastAnswerMs ?? 0) - (a.lastAnswerMs ?? 0))[0];
  const since = reachable ? null : Math.min(...down.map((e) => e.unreachableSinceMs ?? Infinity));
  const view: RpcHealthView = {
    reachable,
    endpoint: shown ? redactUrl(shown.url) : null,
    unreachableSince: since === null || !Number.isFinite(since) ? null : iso(since),
    lastHeadAt: i.headSeenAtSec === null ? null : iso(i.headSeenAtSec * 1000),
    endpoints: i.endpoints.map((e) => ({ url: redactUrl(e.url), reachable: e.reachable, unreachableSince: iso(e.unreachableSinceMs), lastError: e.lastError })),
  };
  // the chain went on without us: count the blocks it most likely made since the last head read
  const stale = !reachable || i.passFailing;
  const unseenBlocks = stale && i.headSeenAtSec !== null ? Math.max(0, Math.floor((i.nowSec - i.headSeenAtSec) / i.blockTimeSeconds)) : 0;
  const problem = reachable
    ? null
    : `RPC unreachable since ${view.unreachableSince ?? 'start'} (${view.endpoint}${i.endpoints.length > 1 ? `, and every fallback` : ''}: ${inTrouble?.lastError ?? 'no answer'}); last head read ${view.lastHeadAt ?? 'never'}`;
  return { view, unseenBlocks, problem };
}

/** The warning for a desk that would tell nobody. */
export const NO_ALERT_CHANNEL =
  'no alert channel configured (ALERT_WEBHOOK_URL, ALERT_ROUTES_FILE): alerts, critical ones too, are recorded and shown here, but nobody is told';

/** `/api/health`: the ingest's state, the RPC's, the Safe desks', the timers', and what is wrong. */
export function createDeskHealth(o: {
  chainId: number;
  facts: SlasherFacts;
  database: Pick<Database, 'kind'>;
  ingestor: Pick<Ingestor, 'status'>;
  endpoints: () => EndpointStatus[];
  recentBlocks: (n: number) => Promise<BlockRef[]>;
  slotSeconds?: number;
  reorgDepth: number;
  alertChannels: string[];
  vetoes: Pick<VetoService, 'health'>;
  fulfils: Pick<VetoService, 'health'>;
  scheduler: Pick<Scheduler, 'status'>;
  now: () => number;
}) {
  /** unix seconds of the last ingest pass that read the head */
  let headSeenAtSec: number | null = null;
  return {
    /** an ingest pass read the head now */
    headSeen(atSec: number): void {
      headSeenAtSec = atSec;
    },
    async health(): Promise<HealthView> {
      const s = o.ingestor.status();
      const problems: string[] = [];
      const blocks = await o.recentBlocks(32);
      const rpc = rpcHealth({ endpoints: o.endpoints(), headSeenAtSec, passFailing: s.lastError !== null, nowSec: o.now(), blockTimeSeconds: estimateBlockTime(blocks, { slotSeconds: o.slotSeconds }) });
      if (rpc.problem) problems.push(rpc.problem);
      if (s.fatal) problems.push(s.fatal);
      else if (s.lastError) problems.push(`ingest: ${s.lastError}`);
      if (!s.fatal && s.enrichError) problems.push(s.enrichError);
      if (!o.facts.avs) problems.push('AVS unknown: last useful block cannot be computed (set AVS_ADDRESS)');
      const lag = s.headBlock !== null && s.indexedBlock !== null ? Math.max(0, s.headBlock - s.indexedBlock) + rpc.unseenBlocks : null;
      const status: HealthView['status'] = s.fatal ? 'error' : s.indexedBlock === null ? 'starting' : problems.length > 0 || (lag ?? 0) > o.reorgDepth ? 'degraded' : 'ok';
      // a configuration warning, listed but not a degraded desk: it runs as configured
      if (o.alertChannels.length === 0) problems.push(NO_ALERT_CHANNEL);
      return {
        status,
        chainId: o.chainId,
        headBlock: s.headBlock,
        indexedBlock: s.indexedBlock,
        lagBlocks: lag,
        variant: s.variant,
        slasher: o.facts.slasher,
        database: o.database.kind,
        vetoExecution: o.vetoes.health(),
        fulfilExecution: o.fulfils.health(),
        scheduler: o.scheduler.status(),
        rpc: rpc.view,
        alertChannels: o.alertChannels,
        // anonymous callers read this: an RPC key inside an error message stays in the desk
        ...(problems.length ? { problems: problems.map((p) => redactSecrets(p)) } : {}),
      };
    },
  };
}
