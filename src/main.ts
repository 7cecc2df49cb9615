/**
 * `npm start`: validate the configuration, start the embedded devnet when no RPC_URL is set,
 * then run the desk until SIGINT/SIGTERM.
 */
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, readProcessEnv, formatConfigForLog, configSecrets } from './config';
import { createLogger } from './lib/logger';
import { startDesk } from './desk';
import { DeskError, describeError } from './errors';
import type { Address } from 'viem';
import type { DevAccountView } from './deskWeb';
import type * as DevnetModule from './devnet/devnet';

/**
 * The devnet (anvil, solc, the Safe contracts' artifacts) is a development dependency: loaded only
 * when the devnet is chosen, so a production install without dev dependencies starts. Without
 * them, the devnet fails with words saying so.
 */
async function startEmbeddedDevnet(): Promise<Awaited<ReturnType<typeof DevnetModule.startDevnet>>> {
  try {
    const { startDevnet } = require('./devnet/devnet') as typeof DevnetModule;
    return await startDevnet({});
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new DeskError('DEVNET_FAILED', `the embedded devnet needs the development dependencies (anvil, solc, @safe-global/safe-contracts), which are not installed: run npm ci without --omit=dev, or set RPC_URL and SLASHER_ADDRESS (${describeError(e)})`);
  }
}

async function main(): Promise<void> {
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
  const logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  logger.info({ config: formatConfigForLog(config) }, 'starting Veto Desk');

  let rpcUrls: string[] = config.rpcUrls;
  let slasher: Address | undefined = config.slasherAddress;
  let startBlock = config.startBlock;
  let stopDevnet: (() => Promise<void>) | null = null;
  let executorPrivateKey = config.executorPrivateKey;
  let contractNetworks = config.safeContractNetworks;
  // the page's dev signer: only ever for the embedded devnet's seeded owners (public anvil keys)
  let devAccounts: DevAccountView[] | undefined;
  let slasherPrivateKey = config.scheduler.slasherPrivateKey;
  if (config.devnet) {
    logger.info('no RPC_URL: starting the embedded local devnet (anvil) with seeded requests');
    const devnet = await startEmbeddedDevnet();
    if (!env.DATABASE_URL && config.database.kind === 'sqlite') {
      // every start is a new devnet chain: yesterday's index of another chain is no use
      const file = path.resolve(config.database.path);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
    stopDevnet = devnet.stop;
    rpcUrls = [devnet.rpcUrl];
    slasher = devnet.slasher;
    startBlock = startBlock ?? Number(devnet.deployBlock);
    // the devnet's Safe contracts are ours: protocol-kit and the desk need their addresses
    contractNetworks = { ...(devnet.contractNetworks as unknown as Record<string, Record<string, string>>), ...contractNetworks };
    // demo convenience: the keeper (dev account #0) executes vetoes unless a key is configured
    executorPrivateKey = executorPrivateKey ?? devnet.keeper.privateKey;
    devAccounts = devnet.owners.map((o, i) => ({ label: `devnet owner ${i + 1}`, address: o.address, privateKey: o.privateKey }));
    // …and, as the slasher role, fulfils requests once their window has passed
    slasherPrivateKey = slasherPrivateKey ?? devnet.keeper.privateKey;
    const lines = [
      'Local devnet is up:',
      `  RPC_URL=${devnet.rpcUrl}`,
      `  SLASHER_ADDRESS=${devnet.slasher}   (V3, veto window ${devnet.vetoWindowBlocks} blocks)`,
      `  AllocationManager ${devnet.allocationManager} (DEALLOCATION_DELAY ${devnet.deallocationDelay} blocks)`,
      `  committee Safe ${devnet.safe} (2 of 3: ${devnet.owners.map((o) => o.address).join(', ')})`,
      `  keeper (slasher role) ${devnet.keeper.address}${config.scheduler.slasherPrivateKey ? '' : ' — fulfils requests (SLASHER_PRIVATE_KEY unset)'}${config.executorPrivateKey ? '' : ' and executes vetoes (EXECUTOR_PRIVATE_KEY unset)'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (!config.devnet && config.publicUrl === undefined) {
    logger.warn('PUBLIC_URL is unset: sign-in is accepted only for this machine\'s loopback addresses; set it to the origin people open the desk at');
  }
  const webDist = path.join(__dirname, '..', 'web', 'dist');
  const desk = await startDesk({
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
    alerts: config.alerts,
    logger,
    webDir: fs.existsSync(webDist) ? webDist : undefined,
    devAccounts,
    vetoes: {
      executorPrivateKey,
      contractNetworks,
      ...(config.safeTxServiceUrl ? { txService: { url: config.safeTxServiceUrl, apiKey: config.safeApiKey } } : {}),
    },
    scheduler: { ...config.scheduler, slasherPrivateKey },
  });
  const shownHost = ['0.0.0.0', '::', 'localhost'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = config.publicUrl ?? `http://${shownHost}:${desk.port}`;
  process.stdout.write(`Veto Desk is serving ${base}/  (requests: ${base}/api/requests; bound to ${config.host}:${desk.port})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await desk.stop().catch((e) => logger.error({ err: describeError(e) }, 'stop failed'));
    await stopDevnet?.().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`Veto Desk failed to start: ${e instanceof DeskError ? `[${e.code}] ` : ''}${describeError(e)}\n`);
  process.exit(1);
});
