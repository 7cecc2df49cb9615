/** A desk on a test chain and database, not following on a timer: the test calls `ingestor.sync()`. */
import { startDesk, type Desk, type DeskOptions } from '../../src/desk';
import { createLogger } from '../../src/lib/logger';
import { AVS, type ChainFixture } from './chain';
import type { TestDatabase } from './databases';

export function startSyncedByHandDesk(chain: ChainFixture, db: TestDatabase, o: Partial<DeskOptions> = {}): Promise<Desk> {
  return startDesk({
    rpcUrls: [chain.anvil.rpcUrl],
    slasher: chain.testbed.slasher,
    database: db.target,
    port: 0,
    host: '127.0.0.1',
    startBlock: Number(chain.testbed.deployBlock),
    confirmations: 0,
    avs: AVS,
    pollIntervalMs: 60_000,
    reorgDepth: 16,
    maxLogRange: 10_000,
    logger: createLogger('silent'),
    follow: false,
    ...o,
  });
}
