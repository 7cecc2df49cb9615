import { startAnvil, anvilDevAccounts } from './src/devnet/anvil';
import { createDevClients } from './src/devnet/devnet';
import { deployTestbed, queueRequest, cancelRequest } from './src/devnet/deploy';
(async () => {
  const anvil = await startAnvil({});
  try {
    const [k, c] = anvilDevAccounts(2) as any;
    const { wallet, publicClient } = createDevClients(anvil.rpcUrl, k.privateKey);
    const { wallet: cw } = createDevClients(anvil.rpcUrl, c.privateKey);
    const tb = await deployTestbed(wallet, publicClient, { variant: 'V3', vetoWindowBlocks: 5, deallocationDelay: 10, slasher: k.address, vetoCommittee: c.address });
    const t = Date.now();
    const q = await queueRequest(wallet, publicClient, { slasher: tb.slasher, request: { operator: k.address, operatorSetId: 1, strategies: [tb.strategies[0]!], wadsToSlash: [1n], description: 'x' } });
    console.log('queue took', Date.now() - t, 'q at', q.blockNumber);
    await publicClient.request({ method: 'anvil_mine', params: ['0x4'] } as never);
    console.log('head', await publicClient.getBlockNumber());
    try { const r = await cancelRequest(cw, publicClient, { slasher: tb.slasher, requestId: q.requestId }); console.log('cancel mined at', r.blockNumber); } catch (e: any) { console.log('cancel failed', e.shortMessage, e.message.slice(0, 300)); }
  } finally { await anvil.stop(); }
})();
