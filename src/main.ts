/**
 * `npm start`: validate the configuration, start the embedded devnet when no RPC_URL is set,
 * then run the desk until SIGINT/SIGTERM.
 */
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, readProcessEnv, formatConfigForLog } from './config';
import { createLogger } from './lib/logger';
import { startDesk } from './desk';
import { DeskError, describeError } from './errors';
import type { Address } from 'viem';
import { startDevnet } from './devnet/devnet';
import type { DevAccountView } from './deskWeb';

async function main(): Promise<void> {
  let config;
  const env = readProcessEnv();
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof DeskError && e.code === 'CONFIG_INVALID') {
      process.stderr.write(`Veto Desk cannot start: invalid configuration\n${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
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
    const devnet = await startDevnet({});
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
  const webDist = path.join(__dirname, '..', 'web', 'dist');
  const desk = await startDesk({
    rpcUrls,
    slasher: slasher!,
    database: config.database,
    port: config.port,
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
  process.stdout.write(`Veto Desk is serving http://localhost:${desk.port}/  (requests: http://localhost:${desk.port}/api/requests)\n`);

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
