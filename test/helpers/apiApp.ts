/**
 * An app over an in-memory read model and a fixed health, for the API's unit tests
 * (src/api/app.test.ts, src/api/openapi.test.ts).
 */
import type { RequestStatus } from '../../src/domain/types';
import { createLogger } from '../../src/lib/logger';
import { createMetrics } from '../../src/lib/metrics';
import { createApp } from '../../src/api/app';
import { pageOf } from '../../src/requests/paging';
import type { HealthView, RequestReadModel, RequestView } from '../../src/api/views';

export const SLASHER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const OPERATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
export const STRATEGY = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
export const TX = `0x${'ab'.repeat(32)}` as const;

export function requestView(
  id: number,
  status: RequestStatus,
  extra: Partial<RequestView> = {},
): RequestView {
  return {
    requestId: String(id),
    slasher: SLASHER,
    variant: 'V3',
    operator: OPERATOR,
    operatorSetId: 1,
    strategies: [STRATEGY],
    wadsToSlash: ['500000000000000000'],
    description: `request ${id}`,
    queuedAtBlock: 100 + id,
    queuedTxHash: TX,
    status,
    vetoWindowEnd: { block: 150 + id, estimatedAt: '2025-01-01T00:10:00.000Z', estimated: true },
    lastUsefulBlock: null,
    lastUsefulBlockEstimatedAt: null,
    atRisk: false,
    confirmed: true,
    confirmations: 5,
    deadlines: {
      blockTimeSeconds: 12,
      blocksUntilWindowEnd: 40,
      blocksUntilLastUseful: null,
      registrationBound: null,
      slashability: 'read',
      slashabilityReadAtBlock: 100,
      strategies: [
        {
          strategy: STRATEGY,
          lastUsefulBlock: 900,
          currentMagnitude: '1000000000000000000',
          remainingMagnitude: '0',
          pendingDeallocation: { effectBlock: 901, diff: '-1000000000000000000' },
        },
      ],
    },
    impact: null,
    impactReason: 'not read yet',
    ...extra,
  };
}

export const REQUESTS: RequestView[] = [
  requestView(0, 'in_veto_window'),
  requestView(1, 'vetoed', { cancelled: { block: 120, txHash: TX } }),
  requestView(2, 'fulfillable', { atRisk: true, lastUsefulBlock: 140 }),
  requestView(3, 'fulfilled', { fulfilled: { block: 200, txHash: TX }, overwritten: true }),
  requestView(4, 'lapsed'),
];

/** In-memory read model recording the filters it was asked for. */
export function fakeReadModel(requests: RequestView[] = REQUESTS) {
  const filters: { status?: RequestStatus[] }[] = [];
  const readModel: RequestReadModel = {
    async listRequests(filter) {
      filters.push(filter);
      const { status } = filter;
      return status === undefined ? requests : requests.filter((r) => status.includes(r.status));
    },
    async pageRequests(filter) {
      filters.push({ ...(filter.status ? { status: filter.status } : {}) });
      const { status } = filter;
      const picked = status === undefined ? requests : requests.filter((r) => status.includes(r.status));
      const { page, nextCursor } = pageOf(picked, filter);
      return { requests: page, nextCursor };
    },
    async getRequest(id) {
      return requests.find((r) => BigInt(r.requestId) === id) ?? null;
    },
  };
  return { readModel, filters };
}

export const HEALTHY: HealthView = {
  status: 'ok',
  chainId: 31337,
  headBlock: 210,
  indexedBlock: 208,
  lagBlocks: 2,
  variant: 'V3',
  slasher: SLASHER,
  database: 'sqlite',
};

export function setup(options: {
  readModel?: RequestReadModel;
  health?: () => Promise<HealthView>;
  webDir?: string;
} = {}) {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', {
    write: (line: string) => {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const metrics = createMetrics();
  const fake = fakeReadModel();
  const app = createApp({
    readModel: options.readModel ?? fake.readModel,
    health: options.health ?? (async () => HEALTHY),
    metrics,
    logger,
    webDir: options.webDir,
  });
  return { app, logs, metrics, filters: fake.filters };
}

export function expectError(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
}
