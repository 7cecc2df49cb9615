/*
 * `npm run devnet`: a local chain with a seeded V3 VetoableSlasher for running the desk
 * against. Prints everything needed to point a desk (and a wallet) at it; Ctrl-C stops it.
 * The keys printed are anvil's public dev keys: never fund them anywhere real.
 */
import { describeError } from '../errors';
import { DEVNET_REDISTRIBUTION_RECIPIENT, startDevnet } from './devnet';

async function main(): Promise<void> {
  // A fixed default port keeps the printed env lines valid across restarts.
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const port = portArg ? Number(portArg.slice('--port='.length)) : 8545;
  const started = Date.now();
  const devnet = await startDevnet({ port });

  const lines = [
    `Veto Desk devnet up in ${((Date.now() - started) / 1000).toFixed(1)} s (chain ${devnet.chainId}, a block every ~2 s)`,
    '',
    `RPC             ${devnet.rpcUrl}`,
    `WebSocket       ${devnet.wsUrl}`,
    `Slasher (V3)    ${devnet.slasher}   veto window ${devnet.vetoWindowBlocks} blocks`,
    `AllocationMgr   ${devnet.allocationManager}   DEALLOCATION_DELAY ${devnet.deallocationDelay} blocks`,
    `AVS             ${devnet.avs}   operator set ${devnet.operatorSetId}`,
    `Committee Safe  ${devnet.safe}   2 of 3`,
    ...devnet.owners.map((o, i) => `  owner ${i + 1}       ${o.address}  key ${o.privateKey}`),
    `Keeper (#0)     ${devnet.keeper.address}  key ${devnet.keeper.privateKey}`,
    `Operators       ${devnet.operators.join(', ')}`,
    `Strategies      ${devnet.strategies.join(', ')}`,
    '',
    `Seeded requests: fulfilled #${devnet.seeded.fulfilled}, cancelled #${devnet.seeded.cancelled}, ` +
      `stake escapes first #${devnet.seeded.atRisk}, open ${devnet.seeded.open.map((id) => `#${id}`).join(', ')}` +
      (devnet.seeded.redistributing !== undefined ? `, redistributing to ${DEVNET_REDISTRIBUTION_RECIPIENT} #${devnet.seeded.redistributing}` : ''),
    '',
    'Safe contracts (protocol-kit contractNetworks):',
    JSON.stringify(devnet.contractNetworks, null, 2),
    '',
    '# point a desk at it:',
    `RPC_URL=${devnet.rpcUrl}`,
    `CHAIN_ID=${devnet.chainId}`,
    `SLASHER_ADDRESS=${devnet.slasher}`,
    `START_BLOCK=${devnet.deployBlock}`,
    `SAFE_ADDRESS=${devnet.safe}`,
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  const shutdown = () => {
    void devnet.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(`devnet failed: ${describeError(e)}`);
  const details = (e as { details?: unknown }).details;
  if (typeof details === 'string') console.error(details);
  process.exit(1);
});
