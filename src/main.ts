/**
 * `npm start`: validate the configuration, start the embedded devnet when no RPC_URL is set
 * (resuming the one kept in ./data/devnet when there is one), then run the desk until SIGINT or
 * SIGTERM. A stop signal during start-up stops what has started; a second signal exits at once.
 */
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, readProcessEnv, formatConfigForLog, configSecrets } from './config';
import { createLogger, type Logger } from './lib/logger';
import { startDesk, type Desk } from './app/desk';
import { ensurePortFree } from './api/server';
import { keepHeapCompact } from './app/memory';
import { DeskError, describeError } from './errors';
import type { Address } from 'viem';
import type { Devnet, StartDevnetParameters } from './devnet/devnet';
import type { DevAccountView } from './app/web';
import type * as DevnetModule from './devnet/devnet';

/**
 * The devnet (anvil, solc, the Safe contracts' artifacts) is a development dependency: loaded only
 * when the devnet is chosen, so a production install without dev dependencies starts. Without
 * them, the devnet fails with words saying so.
 */
async function startEmbeddedDevnet(params: StartDevnetParameters): Promise<Devnet> {
  try {
    const { startDevnet } = require('./devnet/devnet') as typeof DevnetModule;
    return await startDevnet(params);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new DeskError('DEVNET_FAILED', `the embedded devnet needs the development dependencies (anvil, solc, @safe-global/safe-contracts), which are not installed: run npm ci without --omit=dev, or set RPC_URL and SLASHER_ADDRESS (${describeError(e)})`);
  }
}

/** a graceful stop that takes longer than this is cut short (exit 1): a process manager waits for us */
const STOP_TIMEOUT_MS = 15_000;

type Phase = 'starting' | 'running' | 'stopping';
let phase: Phase = 'starting';
let logger: Logger | undefined;
let devnet: Devnet | undefined;
let desk: Desk | undefined;

function say(level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  if (logger) logger[level](extra, msg);
  else process.stderr.write(`${msg}\n`);
}

async function stopAll(): Promise<void> {
  // the desk first (it stops sending and releases its lease), then the chain under it
  await desk?.stop().catch((e) => say('error', 'desk stop failed', { err: describeError(e) }));
  await devnet?.stop().catch((e) => say('error', 'devnet stop failed', { err: describeError(e) }));
}

function onSignal(signal: NodeJS.Signals): void {
  if (phase === 'stopping') {
    // the anvil child gets SIGTERM from its exit hook (and its watchdog makes sure)
    say('warn', `${signal} again: exiting without waiting for the stop to finish`);
    process.exit(1);
  }
  const during = phase;
  phase = 'stopping';
  say('info', during === 'starting' ? `${signal} during start-up: stopping what has started` : `${signal}: shutting down`, { signal });
  setTimeout(() => {
    say('error', `the desk did not stop within ${STOP_TIMEOUT_MS / 1000} s: exiting`);
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  // during start-up the step in flight (seeding, a first backfill) may take minutes: stop what is
  // up now; a desk half-way through its first pass is left as after a crash (every batch is atomic)
  void stopAll().then(() => {
    say('info', 'stopped');
    process.exit(0);
  });
}

/** After each start-up step: a stop asked for meanwhile is being carried out, go no further. */
function stopRequested(): boolean {
  return phase === 'stopping';
}

async function main(): Promise<void> {
  // first of all: a process manager may signal at any moment, and must find a handler
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  keepHeapCompact();

  let config;
  const env = readProcessEnv();
  try {
    config = loadConfig(env, { startingDesk: true });
  } catch (e) {
    if (e instanceof DeskError && e.code === 'CONFIG_INVALID') {
      process.stderr.write(`Veto Desk cannot start: invalid configuration\n${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  logger.info({ config: formatConfigForLog(config) }, 'starting Veto Desk');
  // before the devnet resumes its kept chain or the database migrates: a second desk on this port
  // (most often a second `npm start` on the same ./data) stops here, having touched nothing
  await ensurePortFree(config.port, config.host);

  let rpcUrls: string[] = config.rpcUrls;
  let slasher: Address | undefined = config.slasherAddress;
  let startBlock = config.startBlock;
  let executorPrivateKey = config.executorPrivateKey;
  let contractNetworks = config.safeContractNetworks;
  // the page's dev signer: only ever for the embedded devnet's seeded owners (public anvil keys)
  let devAccounts: DevAccountView[] | undefined;
  let slasherPrivateKey = config.scheduler.slasherPrivateKey;
  let slotSeconds: number | undefined;
  if (config.devnet) {
    const ownDatabase = !env.DATABASE_URL && config.database.kind === 'sqlite';
    const dbFile = config.database.kind === 'sqlite' ? path.resolve(config.database.path) : null;
    // the chain is kept beside the default database, so the two are resumed (or reset) together
    const stateDir = path.join(dbFile ? path.dirname(dbFile) : path.resolve('data'), 'devnet');
    logger.info({ stateDir }, 'no RPC_URL: starting the embedded local devnet (anvil)');
    devnet = await startEmbeddedDevnet({ stateDir, watchdog: true });
    if (stopRequested()) return;
    if (devnet.resumed) {
      logger.info({ stateDir, slasher: devnet.slasher }, `devnet: resumed the chain kept in ${stateDir}${dbFile ? `; its database ${dbFile} is kept` : ''}`);
    } else if (ownDatabase && dbFile) {
      // a new chain: an index of another chain would be wrong about every block
      const existed = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter((f) => fs.existsSync(f));
      for (const f of existed) fs.rmSync(f, { force: true });
      logger.warn(
        { stateDir, database: dbFile, reason: devnet.freshReason },
        `devnet: seeded a new chain because ${devnet.freshReason ?? 'no chain was kept'}${existed.length ? `; reset the database ${dbFile} (it indexed the previous chain)` : ''}`,
      );
    } else {
      logger.warn({ stateDir, reason: devnet.freshReason }, `devnet: seeded a new chain because ${devnet.freshReason ?? 'no chain was kept'}; DATABASE_URL is yours, so it was not reset: if it indexed an earlier devnet, reset it yourself`);
    }
    rpcUrls = [devnet.rpcUrl];
    slasher = devnet.slasher;
    slotSeconds = devnet.blockTime > 0 ? devnet.blockTime : undefined;
    startBlock = startBlock ?? Number(devnet.deployBlock);
    // the devnet's Safe contracts are ours: protocol-kit and the desk need their addresses
    contractNetworks = { ...(devnet.contractNetworks as unknown as Record<string, Record<string, string>>), ...contractNetworks };
    // demo convenience: the keeper (dev account #0) executes vetoes unless a key is configured
    executorPrivateKey = executorPrivateKey ?? devnet.keeper.privateKey;
    devAccounts = devnet.owners.map((o, i) => ({ label: `devnet owner ${i + 1}`, address: o.address, privateKey: o.privateKey }));
    // …and, as the slasher role, fulfils requests once their window has passed
    slasherPrivateKey = slasherPrivateKey ?? devnet.keeper.privateKey;
    const lines = [
      `Local devnet is up${devnet.resumed ? ` (resumed from ${stateDir})` : ''}:`,
      `  RPC_URL=${devnet.rpcUrl}`,
      `  SLASHER_ADDRESS=${devnet.slasher}   (V3, veto window ${devnet.vetoWindowBlocks} blocks ≈ ${Math.round((devnet.vetoWindowBlocks * (devnet.blockTime || 1)) / 60)} min)`,
      `  AllocationManager ${devnet.allocationManager} (DEALLOCATION_DELAY ${devnet.deallocationDelay} blocks)`,
      `  committee Safe ${devnet.safe} (2 of 3: ${devnet.owners.map((o) => o.address).join(', ')})`,
      `  keeper (slasher role) ${devnet.keeper.address}${config.scheduler.slasherPrivateKey ? '' : ' — fulfils requests (SLASHER_PRIVATE_KEY unset)'}${config.executorPrivateKey ? '' : ' and executes vetoes (EXECUTOR_PRIVATE_KEY unset)'}`,
      `  practice: queue a new request from the board, or POST /api/dev/requests`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (!config.devnet && config.publicUrl === undefined) {
    logger.warn('PUBLIC_URL is unset: sign-in is accepted only for this machine\'s loopback addresses; set it to the origin people open the desk at');
  }
  const webDist = path.join(__dirname, '..', 'web', 'dist');
  const dev = devnet;
  desk = await startDesk({
    rpcUrls,
    slasher: slasher!,
    database: config.database,
    port: config.port,
    host: config.host,
    publicUrl: config.publicUrl,
    http: { trustProxy: config.trustProxy, rateLimit: config.rateLimit },
    startBlock,
    confirmations: config.confirmations,
    avs: config.avsAddress,
    pollIntervalMs: config.pollIntervalMs,
    reorgDepth: config.reorgDepth,
    maxLogRange: config.maxLogRange,
    rpcMaxCallsPerSecond: config.rpcMaxCallsPerSecond,
    alerts: config.alerts,
    logger,
    webDir: fs.existsSync(webDist) ? webDist : undefined,
    devAccounts,
    slotSeconds,
    ...(dev ? { devRequests: { operators: dev.operators, queue: (input) => dev.queue(input) } } : {}),
    vetoes: {
      executorPrivateKey,
      contractNetworks,
      ...(config.safeTxServiceUrl ? { txService: { url: config.safeTxServiceUrl, apiKey: config.safeApiKey } } : {}),
    },
    scheduler: { ...config.scheduler, slasherPrivateKey },
  });
  if (stopRequested()) return;
  phase = 'running';
  const shownHost = ['0.0.0.0', '::', 'localhost'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = config.publicUrl ?? `http://${shownHost}:${desk.port}`;
  process.stdout.write(`Veto Desk is serving ${base}/  (requests: ${base}/api/requests; bound to ${config.host}:${desk.port})
`);
}

main().catch(async (e) => {
  // a failure while stopping (a closed client under a step in flight) is part of the stop
  if (phase === 'stopping') return;
  phase = 'stopping';
  process.stderr.write(`Veto Desk failed to start: ${e instanceof DeskError ? `[${e.code}] ` : ''}${describeError(e)}\n`);
  await devnet?.stop().catch(() => undefined);
  process.exit(1);
});
