/**
 * anvil writes the states of older blocks to disk under $HOME/.foundry (≈ 200 kB a block) and
 * leaves them when it stops: each node the desk or a test starts gets a home of its own, removed
 * once the node has exited, so a long chain never fills the disk after it is gone.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startAnvil } from '../src/devnet/anvil';

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return total;
}

it('keeps the block states of a long chain in a home of its own, removed once anvil stops', async () => {
  const anvil = await startAnvil({});
  try {
    const mined = await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0xc00'] }) });
    expect(mined.ok).toBe(true);
    // the states anvil could not keep in memory went under its own home, not the user's
    expect(existsSync(path.join(anvil.home, '.foundry'))).toBe(true);
    expect(bytesUnder(anvil.home)).toBeGreaterThan(1_000_000);
  } finally {
    await anvil.stop();
  }
  expect(existsSync(anvil.home)).toBe(false);
}, 60_000);
