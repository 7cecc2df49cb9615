import { startDevnet } from './src/devnet/devnet';
(async () => {
  const t = Date.now();
  const d = await startDevnet();
  console.log('seeded in', Date.now() - t, 'ms', d.seeded, d.rpcUrl, d.deployBlock);
  const r = await fetch(d.rpcUrl, { method: 'POST', headers: {'content-type':'application/json'}, body: JSON.stringify({jsonrpc:'2.0',id:1,method:'eth_blockNumber',params:[]})}).then(r=>r.json());
  console.log(r);
  await new Promise(r=>setTimeout(r,4500));
  const r2 = await fetch(d.rpcUrl, { method: 'POST', headers: {'content-type':'application/json'}, body: JSON.stringify({jsonrpc:'2.0',id:1,method:'eth_blockNumber',params:[]})}).then(r=>r.json());
  console.log(r2);
  await d.stop();
})().catch(e => { console.error(e); process.exit(1); });
