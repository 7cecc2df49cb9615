/**
 * A desk on a test chain and database. By default it does not follow on a timer (the test calls
 * `ingestor.sync()`); `o` overrides any option, `{ follow: true, pollIntervalMs: 100 }` to follow.
 */
import { startDesk, type Desk, type DeskOptions } from '../../src/app/desk';
import { createLogger } from '../../src/lib/logger';
import { AVS, type ChainFixture } from './chain';
import type { TestDatabase } from './databases';

export function startTestDesk(chain: Pick<ChainFixture, 'anvil' | 'testbed'>, db: TestDatabase, o: Partial<DeskOptions> = {}): Promise<Desk> {
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
    // a test is one client sending many writes: the per-client limits are tested on their own
    http: { rateLimit: false },
    ...o,
  });
}
