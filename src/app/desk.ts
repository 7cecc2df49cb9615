/**
 * The composition root: it only wires. Every part is created after the parts it needs, so no part
 * reaches back through here: chain client and stores → the request read model → the lease and
 * the senders → the Safe desks → the request views → the deadline timers → alerts → ingest (whose
 * passes the others subscribe to) → the HTTP API. `main.ts` runs it as a process; integration
 * tests run it in-process against a real anvil and database.
 */
import type { Server } from 'node:http';
import { formatEther, getAddress, type Address } from 'viem';
import type { HealthSignal } from '../alerts/planner';
import { createChainClient } from '../chain/client';
import { findDeploymentBlock } from '../chain/deployment';
import { createIngestor } from '../ingest/ingestor';
import { readSlasherFacts } from '../chain/slasherFacts';
import { openDatabase } from '../store/database';
import { createIngestStore, type WriteNotice } from '../store/ingestStore';
import { createApp, type HttpSecurityOptions } from '../api/app';
import { createResponseCache } from '../api/responseCache';
import { boundPort, listen } from '../api/server';
import { DEFAULT_RATE_LIMIT } from '../config/config';
import { redactSecrets } from '../lib/redact';
import { createRequestReadModel } from '../requests/readModel';
import { createRequestQueries, createRequestViews } from '../requests/queries';
import { createMetrics } from '../lib/metrics';
import type { Desk, DeskOptions } from './deskOptions';
import { describeError } from '../errors';
import { createAlerting } from '../alerts/alerting';
import { knownSlotSeconds } from '../domain/blockTime';
import { createDeskHealth, NO_ALERT_CHANNEL } from './health';
import { startFollowing } from './follower';
import { observeRequests } from './metrics';
import { createDeskSafes } from '../safe';
import { requestSnapshotOf } from '../safe/requestSnapshot';
import { SAFE_STATE_TOPICS } from '../safe/safeState';
import { schedulerAlert, vetoAlert } from '../alerts/deskEvents';
import { createDeskEvents } from '../api/events';
import { createWebServices } from './web';
import { actorGate, createLease } from '../scheduler/lease';
import { createSenders } from '../sender/sender';
import { createScheduler } from '../scheduler/scheduler';
import { createSentTxStore } from '../store/sentTxStore';
import { createActionLogStore } from '../store/actionLogStore';
import { createLapseStore } from '../store/lapseStore';
import { createLeaseStore } from '../store/leaseStore';
import { createOutbox } from '../store/alertOutbox';
import { createVetoStore } from '../store/vetoStore';
import { createImpactStore } from '../store/impactStore';
import { createImpactReader } from '../chain/impact';
import { createTokenSymbolReader } from '../chain/tokenSymbols';
import { createImpactRunner } from '../requests/impact';

/** How long alert planning after a pass waits for the impact reads of that pass. */
const IMPACT_ALERT_WAIT_MS = 3_000;

/** blocks between two reads of the sending accounts' balances while nothing is sent (~10 min on 12 s blocks) */
const BALANCE_EVERY_BLOCKS = 50;

export type { Desk, DeskOptions };

export async function startDesk(o: DeskOptions): Promise<Desk> {
  const logger = o.logger;
  const metrics = o.metrics ?? createMetrics();
  const now = o.now ?? (() => Date.now() / 1000);
  const chain = createChainClient({
    rpcUrls: o.rpcUrls,
    maxCallsPerSecond: o.rpcMaxCallsPerSecond,
    observe: (method, outcome, seconds) => {
      metrics.rpcRequests.inc({ method, outcome });
      metrics.rpcLatency.observe({ method }, seconds);
    },
  });
  const alertChannels = (o.alerts?.channels ?? []).map((c) => c.name);
  if (alertChannels.length === 0) logger.warn(NO_ALERT_CHANNEL);
  const database = await openDatabase(o.database);
  try {
    const chainId = await chain.client.getChainId();
    const facts = await readSlasherFacts(chain.client, o.slasher, o.avs ?? null);
    // the read model keeps its views until a fact they are made of is written (set once it exists)
    let factsWritten = (_w: WriteNotice): void => undefined;
    let factsWriting = (): void => undefined;
    const factHooks = { onBegin: () => factsWriting(), onWrite: (w: WriteNotice) => factsWritten(w) };
    const store = createIngestStore(database.db, facts.slasher, database.kind, database, factHooks);
    const cursor = await store.getCursor();
    const startBlock =
      cursor?.startBlock ?? o.startBlock ?? (await findDeploymentBlock(chain.client, facts.slasher, Number(await chain.client.getBlockNumber())));
    logger.info({ chainId, slasher: facts.slasher, variant: facts.variant, window: facts.window, startBlock, avs: facts.avs }, 'tracking slasher');
    if (!facts.avs) logger.warn('the slasher does not name its AVS: set AVS_ADDRESS to track slashability (last useful block)');
    const sc = o.scheduler ?? {};
    const head = async () => (await store.recentBlocks(1))[0] ?? null;
    const slotSeconds = o.slotSeconds ?? knownSlotSeconds(chainId);

    // ── stores and the request read model ──
    const sentTxs = createSentTxStore(database);
    const actionLog = createActionLogStore(database, facts.slasher);
    const lapses = createLapseStore(database, facts.slasher, factHooks);
    const impacts = createImpactStore(database, facts.slasher);
    const readModel = createRequestReadModel({ store, confirmations: o.confirmations, now, lapses: () => lapses.all(), impacts: () => impacts.all(), slotSeconds });
    // what the request routes answered is kept until this desk writes to the database (or a fact
    // changes, or an API write), and recomputed every half second for another desk's writes
    const responses = createResponseCache({ maxAgeMs: 500, version: () => `${database.changes()}:${readModel.stamp()}` });
    factsWriting = () => readModel.writing();
    factsWritten = (w) => {
      readModel.invalidate(w);
      responses.invalidate();
    };
    // the outbox takes the Safe desks' and the timers' milestones from the start; it plans once started
    const alerting = createAlerting({
      outbox: createOutbox(database, { chainId, slasher: facts.slasher }),
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
    });

    // ── who may send, and the senders ──
    const dryRun = sc.dryRun ?? false;
    const leaseName = `actor:${chainId}:${facts.slasher.toLowerCase()}`;
    const lease = createLease({ store: createLeaseStore(database, leaseName, logger), name: leaseName, ttlMs: sc.leaseTtlMs ?? 9_000, logger, onChange: (holder) => metrics.leaseHeld.set(holder ? 1 : 0) });
    const gate = actorGate(lease, dryRun);
    // over more than DEALLOCATION_DELAY blocks not yet read (a stop, an outage) an operator may have
    // left, escaped and come back unseen: fulfils (never vetoes) wait for the pass that reads them
    let lapsesUnread: () => Promise<string | null> = async () => 'the desk is starting: fulfils wait for its first ingest pass';
    const fulfilGate = async () => (await lapsesUnread()) ?? (await gate());
    // every send, settlement and re-pricing of every account, counted by purpose and outcome
    let sendsSeen = 0;
    const observe = (purpose: string, outcome: string) => {
      sendsSeen++;
      metrics.sends.inc({ purpose, outcome });
    };
    // the lease is asked again right before a send is recorded: simulations before it may outlast its margin
    const senders = createSenders({ client: chain.client, store: sentTxs, chainId, logger, maxFeePerGasWei: sc.maxFeePerGasWei ?? 500_000_000_000n, feeBumpBlocks: sc.feeBumpBlocks ?? 2, afterRecord: sc.afterRecord, observe, reorgDepth: o.reorgDepth, withheld: gate });
    const executorSender = o.vetoes?.executorPrivateKey ? senders.for(o.vetoes.executorPrivateKey) : null;
    const sender = sc.slasherPrivateKey ? senders.for(sc.slasherPrivateKey) : null;
    if (sender && sender.address.toLowerCase() !== facts.slasherRole.toLowerCase()) {
      logger.warn({ key: sender.address, slasherRole: facts.slasherRole }, 'SLASHER_PRIVATE_KEY is not the slasher role: its fulfils would revert with OnlySlasher');
    }

    // ── the Safe desks ──
    const { vetoes, fulfils } = createDeskSafes({
      client: chain.client,
      stores: { proposals: (safe) => createVetoStore(database, facts.slasher, safe), sentTxs },
      chainId,
      slasher: facts.slasher,
      committee: facts.vetoCommittee,
      slasherRole: facts.slasherRole,
      variant: facts.variant,
      fulfilFunction: sc.fulfilFunction,
      fulfilAfterLapse: sc.fulfilAfterLapse,
      executorSender,
      requests: async () => (await readModel.snapshot()).map((v) => requestSnapshotOf(v, now())),
      request: async (id) => {
        const v = /^\d{1,78}$/.test(id) ? await readModel.bare(BigInt(id)) : null;
        return v ? requestSnapshotOf(v, now()) : null;
      },
      head,
      now,
      logger,
      maxLogRange: o.maxLogRange,
      reorgDepth: o.reorgDepth,
      options: o.vetoes,
      onEvent: (e) => alerting.enqueueAlert(vetoAlert(chainId, facts.slasher, e)),
      onHistory: async (h) => {
        for (const requestId of h.requestIds) await actionLog.append({ dedupKey: h.dedupKey, requestId, kind: h.kind, detail: h.detail, txHash: h.txHash, blockNumber: h.blockNumber });
      },
      gate,
      fulfilGate,
      standby: () => !dryRun && lease.otherHolds(),
      fulfilSharedGate: () => lapsesUnread(),
      vetoPolicy: { policy: sc.vetoExecutionPolicy ?? 'at_threshold', leadSec: sc.vetoEscalationLeadSec ?? 3600 },
    });
    const views = createRequestViews({ readModel, vetoes: vetoes.vetoViews, fulfils: fulfils.vetoViews });

    // ── ingest ──
    const safeDesks = [vetoes, fulfils];
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
      lapses: { known: (ids) => lapses.of(ids), record: (items, block) => lapses.recordLapses(items, block) },
      // the Safes' owner, threshold and nonce changes ride on the ingest's per-block eth_getLogs
      watch: {
        addresses: safeDesks.map((d) => d.safe),
        topics: SAFE_STATE_TOPICS,
        onLogs: (logs) => {
          for (const d of safeDesks) if (logs.some((l) => getAddress(l.address) === d.safe)) d.stateMayHaveChanged();
        },
        onReset: () => safeDesks.forEach((d) => d.stateMayHaveChanged()),
      },
    });
    lapsesUnread = async () => ((await ingestor.mayHideLapses()) ? 'blocks were indexed more than DEALLOCATION_DELAY past the last read of the operator sets: fulfils wait for the ingest pass that reads what happened meanwhile (lapses included)' : null);
    /** the index is far behind the head (a backfill): requests are history, not news, nor due */
    const catchingUp = () => {
      const s = ingestor.status();
      return s.indexedBlock === null || (s.headBlock !== null && s.headBlock - s.indexedBlock > o.reorgDepth);
    };

    // ── the deadline timers ──
    const scheduler = createScheduler({
      sentTxs,
      actionLog,
      lapses,
      chainId,
      slasher: facts.slasher,
      variant: facts.variant,
      views: () => views.all(),
      head,
      canonical: (from) => store.blockHashes(from),
      reorgDepth: o.reorgDepth,
      now,
      config: {
        dryRun,
        vetoExecutionPolicy: sc.vetoExecutionPolicy ?? 'at_threshold',
        vetoEscalationLeadSec: sc.vetoEscalationLeadSec ?? 3600,
        feeBumpBlocks: sc.feeBumpBlocks ?? 2,
        fulfilFunction: sc.fulfilFunction ?? 'fulfillSlashingRequest',
        fulfilAfterLapse: sc.fulfilAfterLapse ?? false,
      },
      sender,
      senders,
      safes: [vetoes, fulfils],
      fulfilSafe: () => fulfils.active(),
      executor: Boolean(o.vetoes?.executorPrivateKey),
      lease,
      confirmations: o.confirmations,
      logger,
      onEvent: (e) => alerting.enqueueAlert(schedulerAlert(chainId, facts.slasher, e)),
      cronExpression: sc.cronExpression,
      catchingUp,
      fulfilsHeld: () => lapsesUnread(),
      onPass: (outcome, ms) => {
        metrics.schedulerPasses.inc({ outcome });
        metrics.schedulerLastPass.set(now());
        metrics.schedulerPassDuration.observe(ms / 1000);
      },
    });
    const impact = createImpactRunner({
      views: () => readModel.snapshot(),
      store: impacts,
      writes: factHooks,
      reader: facts.avs ? createImpactReader({ client: chain.client, allocationManager: facts.allocationManager, avs: facts.avs, tokens: createTokenSymbolReader(chain.client) }) : null,
      head,
      logger,
    });
    const queries = createRequestQueries({ views, readModel, annotate: (vs) => scheduler.annotate(vs) });

    // ── what follows each ingest pass ──
    const health = createDeskHealth({ chainId, facts, database, ingestor, endpoints: () => chain.endpoints(), recentBlocks: (n) => store.recentBlocks(n), slotSeconds, reorgDepth: o.reorgDepth, alertChannels, vetoes, fulfils, scheduler, now });
    // the page's live updates (SSE): published after every ingest pass and accepted signature
    const events = createDeskEvents({ requests: () => queries.listRequests({}), health: () => health.health(), logger, beforeRequestsEvent: () => responses.invalidate() });
    ingestor.onSynced(() => {
      const seenAt = now();
      health.headSeen(seenAt);
      events.synced();
      // one cycle: the senders settle, the Safe desks reconcile, the timers decide
      void scheduler.evaluate();
      metrics.lastSynced.set(seenAt);
      void readModel
        .snapshot()
        .then((vs) => observeRequests(metrics, vs, now()))
        .catch(() => undefined);
      // a new request's alert carries what it slashes: plan once its impact is read, or after
      // IMPACT_ALERT_WAIT_MS when the reads are slow (they go on; the alert then says "unknown")
      const read = impact.refresh().then((pass) => void (pass.read > 0 && events.synced()));
      void Promise.race([read, new Promise<void>((r) => setTimeout(r, IMPACT_ALERT_WAIT_MS).unref())])
        .then(() => alerting.evaluate(now() * 1000))
        .catch((e) => logger.error({ err: describeError(e) }, 'alert planning failed'));
    });

    const minBalanceWei = sc.minBalanceWei ?? 50_000_000_000_000_000n;
    // balances move when we send (or someone funds us): read on a send, else every BALANCE_EVERY_BLOCKS;
    // while one is low, every time (the alert resolves as soon as it is funded)
    let balancesRead: { head: number; sends: number } | null = null;
    /** The sending accounts below ALERT_MIN_BALANCE (one eth_getBalance each, at most every BALANCE_EVERY_BLOCKS blocks or after a send). */
    async function lowBalances(): Promise<NonNullable<HealthSignal['lowBalances']>> {
      const at = (await head())?.number ?? null;
      if (balancesRead && at !== null && at - balancesRead.head < BALANCE_EVERY_BLOCKS && balancesRead.sends === sendsSeen) return [];
      const sends = sendsSeen;
      const accounts = new Map<string, 'executor' | 'slasher'>();
      if (executorSender) accounts.set(getAddress(executorSender.address), 'executor');
      if (sender) accounts.set(getAddress(sender.address), 'slasher');
      const value: NonNullable<HealthSignal['lowBalances']> = [];
      let complete = true;
      for (const [account, role] of accounts) {
        const balance = await chain.client.getBalance({ address: account as Address }).catch(() => null);
        if (balance === null) complete = false;
        if (balance !== null) metrics.accountBalance.set({ role, account }, Number(formatEther(balance)));
        if (balance !== null && balance < minBalanceWei) value.push({ role, account, balanceEth: formatEther(balance), minEth: formatEther(minBalanceWei) });
      }
      balancesRead = complete && at !== null && value.length === 0 ? { head: at, sends } : null;
      return value;
    }

    // ── HTTP ──
    let listening: Server | undefined;
    const web = createWebServices({ database, client: chain.client, chainId, slasher: facts.slasher, committee: facts.vetoCommittee, slasherRole: facts.slasherRole, devAccounts: o.devAccounts, devRequests: o.devRequests, publicUrl: o.publicUrl, port: () => (listening ? boundPort(listening) : o.port), executionHold: { veto: (id, tx) => vetoes.executionHold(id, tx), fulfil: async (id, tx) => (await fulfils.executionHold(id, tx)) ?? (await lapsesUnread()) }, safeOff: { veto: () => vetoes.unavailable(), fulfil: () => fulfils.unavailable() }, requests: () => readModel.snapshot() });
    const security: HttpSecurityOptions = { rateLimit: DEFAULT_RATE_LIMIT, ...o.http, https: o.publicUrl?.startsWith('https:') ?? false, ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}) };
    const app = createApp({ vetoes, fulfils, readModel: queries, health: () => health.health(), metrics, logger, webDir: o.webDir, alerts: alerting, events, web, security, responses });
    // behind a trusted proxy every connection comes from the proxy: no per-peer cap then
    const limits = { ...(o.http?.trustProxy ? { maxConnectionsPerAddress: 0 } : {}), ...o.serverLimits };
    const server = await listen(app, { port: o.port, host: o.host ?? '127.0.0.1', limits });
    listening = server;
    const port = boundPort(server);

    alerting.start(async () => {
      const s = ingestor.status();
      // while a backfill is still far behind the head, requests are not news yet: plan them
      // (once) when the index has caught up, instead of re-reading a growing list every pass
      const vs = catchingUp() ? [] : await views.all();
      const lagBlocks = s.headBlock !== null && s.indexedBlock !== null ? Math.max(0, s.headBlock - s.indexedBlock) : null;
      const txServiceError = vetoes.health().txService?.lastError ?? fulfils.health().txService?.lastError ?? null;
      const redact = (text: string | null | undefined) => (text ? redactSecrets(text) : (text ?? null));
      return { views: vs, health: { lagBlocks, lagThresholdBlocks: o.reorgDepth, lastError: redact(s.lastError ?? s.enrichError), fatal: redact(s.fatal), lowBalances: await lowBalances(), txServiceError: redact(txServiceError) }, committeeOwners: vetoes.health().owners };
    });
    scheduler.start();
    const follower = startFollowing({ chain, ingestor, pollIntervalMs: o.pollIntervalMs, logger, metrics, onFailedPass: () => events.synced() });
    if (o.follow !== false) await follower.start();

    let stopped = false;
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
      fulfils,
      scheduler,
      impact,
      readModel,
      health: () => health.health(),
      async stop() {
        if (stopped) return;
        stopped = true;
        follower.stop();
        events.close(); // open event streams would keep server.close() waiting
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections?.();
        await ingestor.stop(); // the pass in flight and the background strategy reads
        await impact.idle(); // its reads and writes finish before the database closes
        await scheduler.stop();
        await vetoes.stop();
        await fulfils.stop();
        await alerting.stop();
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
