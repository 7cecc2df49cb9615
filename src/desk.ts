/**
 * The composition root: wires config → chain client → store → ingest → API. `main.ts` runs it as
 * a process; integration tests run it in-process against a real anvil and database.
 */
import type { Server } from 'node:http';
import { formatEther, getAddress, type Address } from 'viem';
import type { HealthSignal } from './alerts/planner';
import { createChainClient } from './chain/client';
import { findDeploymentBlock } from './chain/deployment';
import { createIngestor, type Ingestor } from './chain/ingest';
import { readSlasherFacts, type SlasherFacts } from './chain/slasherFacts';
import { openDatabase, type Database, type DatabaseTarget } from './store/database';
import { createIngestStore } from './store/ingestStore';
import { createApp, type HttpSecurityOptions } from './api/app';
import { boundPort, listen, type ServerLimits } from './api/server';
import { DEFAULT_RATE_LIMIT } from './config/config';
import { redactSecrets } from './config/redact';
import { createRequestReadModel } from './api/requestReadModel';
import type { HealthView } from './api/views';
import type { Logger } from './lib/logger';
import { createMetrics, type Metrics } from './lib/metrics';
import { DeskError, describeError } from './errors';
import { createAlerting, type Alerting, type AlertingOptions } from './alerts/alerting';
import type { AlertsConfig } from './config/config';
import { estimateBlockTime, knownSlotSeconds } from './domain/blockTime';
import { NO_ALERT_CHANNEL, rpcHealth } from './deskHealth';
import { observeRequests } from './deskMetrics';
import { redactUrl } from './config/redact';
import { createDeskSafes, type DeskVetoOptions, type RequestSnapshot, type VetoEvent, type VetoService } from './safe';
import { requestKey } from './alerts/planner';
import type { AlertDraft } from './alerts/types';
import type { RequestView } from './api/views';
import { createDeskEvents } from './api/events';
import { createWebServices, type DevAccountView, type DevRequestsApi } from './deskWeb';
import { createLease } from './scheduler/lease';
import { createSenders, type SenderOptions } from './sender/sender';
import { createScheduler, type Scheduler } from './scheduler/scheduler';
import type { SchedulerConfig } from './config/config';
import { createSentTxStore } from './store/sentTxStore';
import { createActionLogStore } from './store/actionLogStore';
import { createLapseStore } from './store/lapseStore';

export interface DeskOptions {
  rpcUrls: string[];
  slasher: Address;
  database: DatabaseTarget;
  port: number;
  /** undefined: the slasher's deployment block (or 0) */
  startBlock?: number;
  confirmations: number;
  avs?: Address;
  pollIntervalMs: number;
  reorgDepth: number;
  maxLogRange: number;
  logger: Logger;
  metrics?: Metrics;
  webDir?: string;
  /** unix seconds; injectable for tests */
  now?: () => number;
  /** false: do not follow the chain on a timer (tests call `ingestor.sync()` themselves) */
  follow?: boolean;
  /** bind address; default 127.0.0.1 (main passes HOST) */
  host?: string;
  /** PUBLIC_URL: the origin sign-in messages must name (undefined: loopback names of the port) */
  publicUrl?: string;
  /** TRUST_PROXY, rate limits (default DEFAULT_RATE_LIMIT; false: none), stream caps */
  http?: Omit<HttpSecurityOptions, 'https'>;
  /** header, request and keep-alive timeouts, connection cap (default SERVER_LIMITS) */
  serverLimits?: Partial<ServerLimits>;
  /** the committee veto (executor key, Safe contract networks) */
  vetoes?: DeskVetoOptions;
  /** alert channels and reminder lead times (absent: alerts are recorded, not sent) */
  alerts?: AlertsConfig & Pick<AlertingOptions, 'retry' | 'dispatchIntervalMs' | 'planIntervalMs' | 'sendTimeoutMs'>;
  /** only on the embedded devnet, the seeded owners' keys offered by the page's dev signer */
  devAccounts?: DevAccountView[];
  /** only on the embedded devnet: practice slashing requests queued from the board (POST /api/dev/requests) */
  devRequests?: DevRequestsApi;
  /** seconds per slot of the chain when known otherwise (the embedded devnet's interval); default: known chains' slot */
  slotSeconds?: number;
  /** deadline timers (absent: defaults, no slasher key) */
  scheduler?: Partial<SchedulerConfig> & {
    /** node-cron expression of the timer tick (default every 5 s) */
    cronExpression?: string;
    /** test hook, see SenderOptions.afterRecord */
    afterRecord?: SenderOptions['afterRecord'];
  };
}

export interface Desk {
  url: string;
  port: number;
  server: Server;
  ingestor: Ingestor;
  facts: SlasherFacts;
  chainId: number;
  database: Database;
  metrics: Metrics;
  /** the alert outbox; `enqueueAlert` is the entry point for the Safe and timer work */
  alerting: Alerting;
  /** the committee's vetoes: signatures, nonce plan, execution */
  vetoes: VetoService;
  /** governance's fulfil Safe transactions (when the slasher role is a Safe); `fulfilState(id)` for decisions */
  fulfils: VetoService;
  /** deadline timers */
  scheduler: Scheduler;
  health(): Promise<HealthView>;
  stop(): Promise<void>;
}

export async function startDesk(o: DeskOptions): Promise<Desk> {
  const logger = o.logger;
  const metrics = o.metrics ?? createMetrics();
  const now = o.now ?? (() => Date.now() / 1000);
  const chain = createChainClient({ rpcUrls: o.rpcUrls });
  const alertChannels = (o.alerts?.channels ?? []).map((c) => c.name);
  if (alertChannels.length === 0) logger.warn(NO_ALERT_CHANNEL);
  /** unix seconds of the last ingest pass that read the head */
  let headSeenAtSec: number | null = null;
  const database = await openDatabase(o.database);
  try {
    const chainId = await chain.client.getChainId();
    const facts = await readSlasherFacts(chain.client, o.slasher, o.avs ?? null);
    const store = createIngestStore(database.db, facts.slasher, database.kind, database);
    const cursor = await store.getCursor();
    const startBlock =
      cursor?.startBlock ?? o.startBlock ?? (await findDeploymentBlock(chain.client, facts.slasher, Number(await chain.client.getBlockNumber())));
    logger.info({ chainId, slasher: facts.slasher, variant: facts.variant, window: facts.window, startBlock, avs: facts.avs }, 'tracking slasher');
    if (!facts.avs) logger.warn('the slasher does not name its AVS: set AVS_ADDRESS to track slashability (last useful block)');

    let alerting: Alerting | undefined; // created below, once the ingestor exists
    let vetoes: VetoService | undefined; // created below, from the read model's snapshot
    let fulfils: VetoService | undefined; // likewise: governance's fulfil Safe transactions
    let scheduler: Scheduler | undefined; // created below, once alerting exists
    // the page's live updates (SSE): published after every ingest pass and accepted signature
    const events = createDeskEvents({ requests: () => readModel.listRequests({}), health: () => health(), logger });
    const sentTxs = createSentTxStore(database.db);
    const actionLog = createActionLogStore(database.db, facts.slasher);
    const lapses = createLapseStore(database.db, facts.slasher);
    const readModel = createRequestReadModel({
      store,
      confirmations: o.confirmations,
      now,
      lapses: () => lapses.all(),
      vetoViews: (ids) => vetoes?.vetoViews(ids) ?? Promise.resolve(new Map()),
      fulfilViews: (ids) => fulfils?.vetoViews(ids) ?? Promise.resolve(new Map()),
      decorate: (views) => scheduler?.annotate(views) ?? Promise.resolve(views),
      slotSeconds: o.slotSeconds ?? knownSlotSeconds(chainId),
    });
    const sc = o.scheduler ?? {};
    // every send, settlement and re-pricing of every account, counted by purpose and outcome
    const observe = (purpose: string, outcome: string) => metrics.sends.inc({ purpose, outcome });
    const senders = createSenders({ client: chain.client, store: sentTxs, chainId, logger, maxFeePerGasWei: sc.maxFeePerGasWei ?? 500_000_000_000n, feeBumpBlocks: sc.feeBumpBlocks ?? 2, afterRecord: sc.afterRecord, observe });
    const executorSender = o.vetoes?.executorPrivateKey ? senders.for(o.vetoes.executorPrivateKey) : null;
    const sender = sc.slasherPrivateKey ? senders.for(sc.slasherPrivateKey) : null;
    ({ vetoes, fulfils } = createDeskSafes({
      client: chain.client,
      db: database.db,
      chainId,
      slasher: facts.slasher,
      committee: facts.vetoCommittee,
      slasherRole: facts.slasherRole,
      variant: facts.variant,
      fulfilFunction: sc.fulfilFunction,
      fulfilAfterLapse: sc.fulfilAfterLapse,
      executorSender,
      requests: async () => (await readModel.snapshot()).map(requestSnapshot),
      request: async (id) => {
        const v = /^\d{1,78}$/.test(id) ? await readModel.bare(BigInt(id)) : null;
        return v ? requestSnapshot(v) : null;
      },
      head: async () => (await store.recentBlocks(1))[0]?.number ?? null,
      logger,
      options: o.vetoes,
      // alerting is created below; a milestone before that is reported again on the next pass
      onEvent: (e) => alerting?.enqueueAlert(vetoAlert(chainId, facts.slasher, e)),
      onHistory: async (h) => {
        for (const requestId of h.requestIds) await actionLog.append({ dedupKey: h.dedupKey, requestId, kind: h.kind, detail: h.detail, txHash: h.txHash, blockNumber: h.blockNumber });
      },
      // nothing executes but from the lease holder, never under DRY_RUN
      gate: () => (scheduler ? scheduler.gate() : 'the scheduler is starting'),
      // a single request's veto only once confirmed, and as the execution policy says
      holdFor: (r) => (scheduler ? scheduler.vetoHold(r) : { reason: 'the scheduler is starting', hard: true }),
    }));
    const ingestor = createIngestor({
      client: chain.client,
      store,
      facts,
      chainId,
      startBlock,
      reorgDepth: o.reorgDepth,
      maxLogRange: o.maxLogRange,
      logger,
      metrics,
      onSynced: () => {
        headSeenAtSec = now();
        events.synced();
        // one cycle: the senders settle, the Safe desks reconcile, the timers decide
        void scheduler?.evaluate();
        metrics.lastSynced.set(headSeenAtSec);
        void readModel
          .snapshot()
          .then((views) => observeRequests(metrics, views, now()))
          .catch(() => undefined);
        void alerting?.evaluate(now() * 1000).catch((e) => logger.error({ err: describeError(e) }, 'alert planning failed'));
      },
    });

    async function health(): Promise<HealthView> {
      const s = ingestor.status();
      const problems: string[] = [];
      const blocks = await store.recentBlocks(32);
      const rpc = rpcHealth({
        endpoints: chain.endpoints(),
        headSeenAtSec,
        passFailing: s.lastError !== null,
        nowSec: now(),
        blockTimeSeconds: estimateBlockTime(blocks, { slotSeconds: o.slotSeconds ?? knownSlotSeconds(chainId) }),
      });
      if (rpc.problem) problems.push(rpc.problem);
      if (s.fatal) problems.push(s.fatal);
      else if (s.lastError) problems.push(`ingest: ${s.lastError}`);
      if (!s.fatal && s.enrichError) problems.push(s.enrichError);
      if (!facts.avs) problems.push('AVS unknown: last useful block cannot be computed (set AVS_ADDRESS)');
      const lag = s.headBlock !== null && s.indexedBlock !== null ? Math.max(0, s.headBlock - s.indexedBlock) + rpc.unseenBlocks : null;
      const status: HealthView['status'] = s.fatal ? 'error' : s.indexedBlock === null ? 'starting' : problems.length > 0 || (lag ?? 0) > o.reorgDepth ? 'degraded' : 'ok';
      // a configuration warning, listed but not a degraded desk: it runs as configured
      if (alertChannels.length === 0) problems.push(NO_ALERT_CHANNEL);
      return {
        status,
        chainId,
        headBlock: s.headBlock,
        indexedBlock: s.indexedBlock,
        lagBlocks: lag,
        variant: s.variant,
        slasher: facts.slasher,
        database: database.kind,
        ...(vetoes ? { vetoExecution: vetoes.health() } : {}),
        ...(fulfils ? { fulfilExecution: fulfils.health() } : {}),
        ...(scheduler ? { scheduler: scheduler.status() } : {}),
        rpc: rpc.view,
        alertChannels,
        // anonymous callers read this: an RPC key inside an error message stays in the desk
        ...(problems.length ? { problems: problems.map((p) => redactSecrets(p)) } : {}),
      };
    }

    /** the index is far behind the head (a backfill): requests are history, not news, nor due */
    const catchingUp = () => {
      const s = ingestor.status();
      return s.indexedBlock === null || (s.headBlock !== null && s.headBlock - s.indexedBlock > o.reorgDepth);
    };
    alerting = createAlerting({
      db: database.db,
      dbKind: database.kind,
      chainId,
      slasher: facts.slasher,
      channels: o.alerts?.channels ?? [],
      leadTimesSec: o.alerts?.reminderLeadTimesSec ?? [],
      logger,
      metrics,
      nowMs: () => now() * 1000,
      retry: o.alerts?.retry,
      dispatchIntervalMs: o.alerts?.dispatchIntervalMs,
      planIntervalMs: o.alerts?.planIntervalMs,
      sendTimeoutMs: o.alerts?.sendTimeoutMs,
      snapshot: async () => {
        const s = ingestor.status();
        // while a backfill is still far behind the head, requests are not news yet: plan them
        // (once) when the index has caught up, instead of re-reading a growing list every pass
        const views = catchingUp() ? [] : await readModel.withSafeViews();
        const lagBlocks = s.headBlock !== null && s.indexedBlock !== null ? Math.max(0, s.headBlock - s.indexedBlock) : null;
        const committeeOwners = vetoes?.health().owners;
        const txServiceError = vetoes?.health().txService?.lastError ?? fulfils?.health().txService?.lastError ?? null;
        const redact = (text: string | null | undefined) => (text ? redactSecrets(text) : (text ?? null));
        return { views, health: { lagBlocks, lagThresholdBlocks: o.reorgDepth, lastError: redact(s.lastError ?? s.enrichError), fatal: redact(s.fatal), lowBalances: await lowBalances(), txServiceError: redact(txServiceError) }, committeeOwners };
      },
    });

    const minBalanceWei = sc.minBalanceWei ?? 50_000_000_000_000_000n;
    /** The sending accounts below ALERT_MIN_BALANCE (two eth_getBalance per planner pass). */
    async function lowBalances(): Promise<NonNullable<HealthSignal['lowBalances']>> {
      const accounts = new Map<string, 'executor' | 'slasher'>();
      const executor = vetoes?.health().executor;
      if (executor) accounts.set(getAddress(executor), 'executor');
      if (sender) accounts.set(getAddress(sender.address), 'slasher');
      const value: NonNullable<HealthSignal['lowBalances']> = [];
      for (const [account, role] of accounts) {
        const balance = await chain.client.getBalance({ address: account as Address }).catch(() => null);
        if (balance !== null) metrics.accountBalance.set({ role, account }, Number(formatEther(balance)));
        if (balance !== null && balance < minBalanceWei) value.push({ role, account, balanceEth: formatEther(balance), minEth: formatEther(minBalanceWei) });
      }
      return value;
    }
    const schedulerConfig = {
      dryRun: sc.dryRun ?? false,
      vetoExecutionPolicy: sc.vetoExecutionPolicy ?? 'at_threshold',
      vetoEscalationLeadSec: sc.vetoEscalationLeadSec ?? 3600,
      feeBumpBlocks: sc.feeBumpBlocks ?? 2,
      fulfilFunction: sc.fulfilFunction ?? 'fulfillSlashingRequest',
      fulfilAfterLapse: sc.fulfilAfterLapse ?? false,
    } as const;
    const lease = createLease({
      database,
      name: `actor:${chainId}:${facts.slasher.toLowerCase()}`,
      ttlMs: sc.leaseTtlMs ?? 15_000,
      logger,
      onChange: (holder) => {
        metrics.leaseHeld.set(holder ? 1 : 0);
        if (holder) void scheduler?.evaluate();
      },
    });
    if (sender && sender.address.toLowerCase() !== facts.slasherRole.toLowerCase()) {
      logger.warn({ key: sender.address, slasherRole: facts.slasherRole }, 'SLASHER_PRIVATE_KEY is not the slasher role: its fulfils would revert with OnlySlasher');
    }
    scheduler = createScheduler({
      sentTxs,
      actionLog,
      lapses,
      chainId,
      slasher: facts.slasher,
      variant: facts.variant,
      views: () => readModel.withSafeViews(),
      head: async () => (await store.recentBlocks(1))[0] ?? null,
      canonical: (from) => store.blockHashes(from),
      reorgDepth: o.reorgDepth,
      now,
      config: schedulerConfig,
      sender,
      senders,
      safes: [vetoes, fulfils!],
      fulfilSafe: () => fulfils?.active() ?? false,
      executor: Boolean(o.vetoes?.executorPrivateKey),
      lease,
      confirmations: o.confirmations,
      logger,
      enqueueAlert: (d) => alerting!.enqueueAlert(d),
      cronExpression: sc.cronExpression,
      catchingUp,
      onPass: (outcome, ms) => {
        metrics.schedulerPasses.inc({ outcome });
        metrics.schedulerLastPass.set(now());
        metrics.schedulerPassDuration.observe(ms / 1000);
      },
    });

    let listening: Server | undefined;
    const web = createWebServices({ db: database.db, client: chain.client, chainId, slasher: facts.slasher, committee: facts.vetoCommittee, slasherRole: facts.slasherRole, devAccounts: o.devAccounts, devRequests: o.devRequests, publicUrl: o.publicUrl, port: () => (listening ? boundPort(listening) : o.port) });
    const security: HttpSecurityOptions = { rateLimit: DEFAULT_RATE_LIMIT, ...o.http, https: o.publicUrl?.startsWith('https:') ?? false };
    const app = createApp({ vetoes, fulfils, readModel, health, metrics, logger, webDir: o.webDir, alerts: alerting, events, web, security });
    // behind a trusted proxy every connection comes from the proxy: no per-peer cap then
    const limits = { ...(o.http?.trustProxy ? { maxConnectionsPerAddress: 0 } : {}), ...o.serverLimits };
    const server = await listen(app, { port: o.port, host: o.host ?? '127.0.0.1', limits });
    listening = server;
    const port = boundPort(server);

    let timer: NodeJS.Timeout | null = null;
    let unwatch: (() => void) | null = null;
    let stopped = false;
    const observeRpc = () => {
      for (const e of chain.endpoints()) if (e.reachable !== null) metrics.rpcEndpointUp.set({ endpoint: redactUrl(e.url) }, e.reachable ? 1 : 0);
    };
    const tick = () =>
      ingestor
        .sync()
        .catch((e) => {
          logger.error({ err: describeError(e) }, 'ingest pass failed');
          // the page learns of it now (RPC unreachable, a lag that grows), not at the next good pass
          events.synced();
        })
        .finally(observeRpc);
    alerting.start();
    scheduler.start();
    if (o.follow !== false) {
      await tick();
      if (chain.websocket) {
        unwatch = chain.client.watchBlockNumber({ onBlockNumber: () => void tick(), onError: (e) => logger.warn({ err: describeError(e) }, 'head subscription error') });
      }
      // polling also backs up a websocket subscription that silently stalls
      timer = setInterval(() => void tick(), chain.websocket ? Math.max(o.pollIntervalMs, 10_000) : o.pollIntervalMs);
    }

    return {
      url: `http://127.0.0.1:${port}`,
      port,
      server,
      ingestor,
      facts,
      chainId,
      database,
      metrics,
      alerting,
      vetoes,
      fulfils: fulfils!,
      scheduler,
      health,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (timer) clearInterval(timer);
        unwatch?.();
        events.close(); // open event streams would keep server.close() waiting
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections?.();
        await ingestor.stop(); // the pass in flight and the background strategy reads
        await scheduler!.stop();
        await vetoes!.stop();
        await fulfils!.stop();
        await alerting!.stop();
        await database.close();
        await chain.close();
      },
    };
  } catch (e) {
    await database.close().catch(() => undefined);
    await chain.close().catch(() => undefined);
    throw e;
  }
}

/** What a Safe desk needs of a request view. */
function requestSnapshot(v: RequestView): RequestSnapshot {
  const windowEnd = v.vetoWindowEnd.block !== undefined ? { kind: 'block' as const, block: v.vetoWindowEnd.block } : { kind: 'timestamp' as const, timestamp: v.vetoWindowEnd.timestamp ?? 0 };
  // the last block a cancel can land in: exact for block windows, estimated for timestamp ones
  const head = v.queuedAtBlock + v.confirmations;
  const lastVetoBlock =
    windowEnd.kind === 'block' ? windowEnd.block - 1 : head + Math.max(0, Math.floor((Date.parse(v.vetoWindowEnd.estimatedAt) / 1000 - Date.now() / 1000) / Math.max(1, v.deadlines.blockTimeSeconds)) - 1);
  return {
    requestId: v.requestId,
    queuedTxHash: v.queuedTxHash,
    queuedAtBlock: v.queuedAtBlock,
    status: v.status,
    deadline: v.vetoWindowEnd.block ?? v.vetoWindowEnd.timestamp ?? 0,
    windowEnd,
    lastVetoBlock,
    lastUsefulBlock: v.lastUsefulBlock,
    confirmed: v.confirmed,
    blockTimeSeconds: v.deadlines.blockTimeSeconds,
    everLapsed: v.lapsed !== undefined,
    ...(v.cancelled ? { cancelledTxHash: v.cancelled.txHash } : {}),
    ...(v.fulfilled ? { fulfilledTxHash: v.fulfilled.txHash } : {}),
  };
}

/**
 * A veto (or governance fulfil) milestone as an alert. Dedup key = request (id and queue block) +
 * kind + safeTxHash (+ the execution block for an execution, the blocking nonce for a block): one
 * alert per milestone of each proposal, however many passes or restarts report it — and a new one
 * when a reorg made an execution happen again.
 */
export function vetoAlert(chainId: number, slasher: string, e: VetoEvent): AlertDraft {
  const key = requestKey(chainId, slasher, e);
  const who = e.signers.length ? e.signers.join(', ') : 'no desk signatures';
  const what = e.purpose === 'fulfil' ? 'Fulfil' : 'Veto';
  const left = e.blocksLeft != null ? ` (${e.blocksLeft} block(s) left)` : '';
  let severity: AlertDraft['severity'];
  let title: string;
  let text: string;
  let suffix = '';
  switch (e.kind) {
    case 'quorum_reached':
    case 'fulfil_quorum_reached':
      [severity, title, text] = ['info', `${what} of request ${e.requestId}: quorum reached (${e.signers.length}/${e.threshold})`, `Signed by ${who}.\nSafe ${e.safe}, nonce ${e.nonce}, safeTxHash ${e.safeTxHash}.${e.purpose === 'fulfil' ? '\nIt executes once the veto window has passed.' : ''}`];
      break;
    case 'veto_executed':
    case 'fulfil_landed':
      [severity, title, text] = ['info', `${what} of request ${e.requestId} ${e.purpose === 'fulfil' ? 'landed' : 'executed'}`, `execTransaction ${e.executionTxHash ?? '(executed by a member)'} on Safe ${e.safe} at nonce ${e.nonce}${e.executionBlock != null ? `, block ${e.executionBlock}` : ''}.`];
      suffix = e.executionBlock != null ? `:${e.executionBlock}` : '';
      break;
    case 'veto_blocked':
    case 'fulfil_blocked': {
      const b = e.blocked;
      [severity, title, text] = [
        'critical',
        `${what} of request ${e.requestId} has its signatures but is BLOCKED by Safe nonce ${b?.nonce ?? '?'}${b?.blockingRequestId ? ` (request ${b.blockingRequestId})` : ''}${left}`,
        `${e.reason ?? ''}\nSafe ${e.safe}; this ${what.toLowerCase()} is at nonce ${e.nonce} (${e.signers.length}/${e.threshold}: ${who}).\nWays out:\n${(b?.waysOut ?? []).map((w) => `- ${w.words} (${w.href})`).join('\n')}`,
      ];
      suffix = `:${b?.nonce ?? ''}`;
      break;
    }
    case 'veto_sign_again':
    case 'fulfil_sign_again':
      [severity, title, text] = ['critical', `${what} of request ${e.requestId}: ${e.signAgain?.signers.join(', ') ?? 'its signers'} must sign again`, `${e.reason ?? ''}\nSafe ${e.safe}.`];
      suffix = `:${e.signAgain?.lostNonce ?? ''}`;
      break;
    default:
      [severity, title, text] = ['critical', `${what} of request ${e.requestId} failed: ${e.reason ?? 'unknown reason'}`, `Safe ${e.safe}, nonce ${e.nonce}, safeTxHash ${e.safeTxHash}.${e.executionTxHash ? `\nTransaction ${e.executionTxHash}.` : ''}\nReason: ${e.reason ?? 'unknown'}`];
  }
  return {
    dedupKey: `${key}:${e.kind}:${e.safeTxHash.toLowerCase()}${suffix}`,
    kind: e.kind,
    severity,
    action: 'trigger',
    incidentKey: key,
    requestId: e.requestId,
    title,
    text,
    data: {
      purpose: e.purpose,
      safe: e.safe,
      nonce: e.nonce,
      safeTxHash: e.safeTxHash,
      threshold: e.threshold,
      signers: e.signers,
      executionTxHash: e.executionTxHash,
      ...(e.executionBlock != null ? { executionBlock: e.executionBlock } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.blocked ? { blockingNonce: e.blocked.nonce, blockingRequestId: e.blocked.blockingRequestId, waysOut: e.blocked.waysOut } : {}),
      ...(e.signAgain ? { mustSignAgain: e.signAgain.signers, lostNonce: e.signAgain.lostNonce } : {}),
      ...(e.blocksLeft != null ? { blocksLeft: e.blocksLeft } : {}),
    },
  };
}
