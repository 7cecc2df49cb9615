import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { REQUEST_STATUSES, type RequestStatus } from '../domain/types';
import { DeskError } from '../errors';
import { createLogger } from '../lib/logger';
import { createMetrics } from '../lib/metrics';
import { pageOf } from '../requests/paging';
import { createApp } from './app';
import { openApiDocument } from './openapi';
import type { HealthView, RequestReadModel, RequestView } from './views';

const SLASHER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OPERATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const STRATEGY = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const TX = `0x${'ab'.repeat(32)}` as const;

function requestView(
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
    ...extra,
  };
}

const REQUESTS: RequestView[] = [
  requestView(0, 'in_veto_window'),
  requestView(1, 'vetoed', { cancelled: { block: 120, txHash: TX } }),
  requestView(2, 'fulfillable', { atRisk: true, lastUsefulBlock: 140 }),
  requestView(3, 'fulfilled', { fulfilled: { block: 200, txHash: TX }, overwritten: true }),
  requestView(4, 'lapsed'),
];

/** In-memory read model recording the filters it was asked for. */
function fakeReadModel(requests: RequestView[] = REQUESTS) {
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

const HEALTHY: HealthView = {
  status: 'ok',
  chainId: 31337,
  headBlock: 210,
  indexedBlock: 208,
  lagBlocks: 2,
  variant: 'V3',
  slasher: SLASHER,
  database: 'sqlite',
};

function setup(options: {
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

function expectError(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
}

describe('GET /api/health', () => {
  it.each(['ok', 'degraded', 'starting'] as const)('answers 200 when %s', async (status) => {
    const { app } = setup({ health: async () => ({ ...HEALTHY, status }) });
    const res = await request(app).get('/api/health').expect(200);
    expect(res.body).toEqual({ ...HEALTHY, status });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 when error', async () => {
    const view: HealthView = { ...HEALTHY, status: 'error', problems: ['rpc down'] };
    const { app } = setup({ health: async () => view });
    const res = await request(app).get('/api/health').expect(503);
    expect(res.body).toEqual(view);
  });

  it('answers 503 with a generic problem when computing health throws', async () => {
    const { app, logs } = setup({
      health: async () => {
        throw new Error('secret detail');
      },
    });
    const res = await request(app).get('/api/health').expect(503);
    expect(res.body).toMatchObject({ status: 'error', chainId: null, headBlock: null });
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
    expect(logs.some((l) => l.msg === 'health check failed')).toBe(true);
  });
});

describe('GET /api/requests', () => {
  it('lists every request without a filter, open ones first, then by deadline', async () => {
    const { app, filters } = setup();
    const res = await request(app).get('/api/requests').expect(200);
    expect(res.body).toEqual({ requests: pageOf(REQUESTS, { limit: 100 }).page, nextCursor: null });
    expect(new Set(res.body.requests.map((r: RequestView) => r.requestId))).toEqual(new Set(REQUESTS.map((r) => r.requestId)));
    expect(filters).toEqual([{}]);
  });

  it('pages with limit and cursor, and answers an unchanged page with 304', async () => {
    const { app } = setup();
    const first = await request(app).get('/api/requests?limit=1').expect(200);
    expect(first.body.requests).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(app).get(`/api/requests?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.requests[0].requestId).not.toBe(first.body.requests[0].requestId);
    expect(first.headers.etag).toEqual(expect.any(String));
    await request(app).get('/api/requests?limit=1').set('If-None-Match', first.headers.etag!).expect(304);
    await request(app).get('/api/requests?limit=0').expect(400);
    await request(app).get('/api/requests?limit=1001').expect(400);
    await request(app).get('/api/requests?cursor=bogus').expect(400);
  });

  it.each([
    ['?status=vetoed', ['vetoed']],
    ['?status=vetoed,lapsed', ['vetoed', 'lapsed']],
    ['?status=vetoed&status=lapsed', ['vetoed', 'lapsed']],
    ['?status=vetoed,fulfilled&status=lapsed', ['vetoed', 'fulfilled', 'lapsed']],
    ['?status=vetoed,vetoed&status=vetoed', ['vetoed']],
    ['?status=%20vetoed%20,,lapsed', ['vetoed', 'lapsed']],
  ])('filters %s', async (query, statuses) => {
    const { app, filters } = setup();
    const res = await request(app).get(`/api/requests${query}`).expect(200);
    expect(filters).toEqual([{ status: statuses }]);
    const body = res.body as { requests: RequestView[] };
    expect(body.requests.map((r) => r.status).sort()).toEqual([...statuses].sort());
  });

  it('treats an empty status as no filter', async () => {
    const { app, filters } = setup();
    await request(app).get('/api/requests?status=').expect(200);
    expect(filters).toEqual([{}]);
  });

  it.each(['?status=pending', '?status=vetoed,VETOED', '?status=vetoed&status=nope'])(
    'rejects %s with INVALID_STATUS_FILTER listing the allowed values',
    async (query) => {
      const { app, filters } = setup();
      const res = await request(app).get(`/api/requests${query}`).expect(400);
      expectError(res.body, 'INVALID_STATUS_FILTER');
      const { message } = (res.body as { error: { message: string } }).error;
      for (const status of REQUEST_STATUSES) expect(message).toContain(status);
      expect(filters).toEqual([]);
    },
  );
});

describe('GET /api/requests/:id', () => {
  it('returns the request', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/requests/3').expect(200);
    expect(res.body).toEqual(REQUESTS[3]);
  });

  it('answers 404 REQUEST_NOT_FOUND for an unknown id', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/requests/99').expect(404);
    expect(res.body).toEqual({
      error: { code: 'REQUEST_NOT_FOUND', message: 'no slashing request with id 99' },
    });
  });

  it('passes ids beyond 2^53 to the read model exactly', async () => {
    const big = 2n ** 255n + 1n;
    const seen: bigint[] = [];
    const { readModel } = fakeReadModel();
    const { app } = setup({
      readModel: {
        ...readModel,
        getRequest: async (id) => {
          seen.push(id);
          return null;
        },
      },
    });
    await request(app).get(`/api/requests/${big}`).expect(404);
    expect(seen).toEqual([big]);
  });

  it.each(['abc', '-1', '1.5', '0x10', '1e3', '%201', '+1', (2n ** 256n).toString(), '9'.repeat(200)])(
    'answers 400 BAD_REQUEST for id %s',
    async (id) => {
      const { app } = setup();
      const res = await request(app).get(`/api/requests/${id}`).expect(400);
      expectError(res.body, 'BAD_REQUEST');
    },
  );
});

describe('errors', () => {
  it('answers 404 NOT_FOUND for an unknown API path', async () => {
    const { app } = setup();
    expectError((await request(app).get('/api/nope').expect(404)).body, 'NOT_FOUND');
    expectError((await request(app).get('/api').expect(404)).body, 'NOT_FOUND');
    expectError((await request(app).get('/api/requests/1/extra').expect(404)).body, 'NOT_FOUND');
  });

  it('answers 404 NOT_FOUND for a method without a route', async () => {
    const { app } = setup();
    const res = await request(app).post('/api/requests').send({ ok: true }).expect(404);
    expectError(res.body, 'NOT_FOUND');
  });

  it('answers 404 NOT_FOUND outside the API when there is no UI', async () => {
    const { app } = setup();
    expectError((await request(app).get('/').expect(404)).body, 'NOT_FOUND');
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/api/requests')
      .set('Content-Type', 'application/json')
      .send('{"status": ')
      .expect(400);
    expect(res.body).toEqual({
      error: { code: 'BAD_REQUEST', message: 'request body is not valid JSON' },
    });
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over 64 kB', async () => {
    const { app } = setup();
    const body = JSON.stringify({ padding: 'x'.repeat(65 * 1024) });
    const res = await request(app)
      .post('/api/requests')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(413);
    expectError(res.body, 'PAYLOAD_TOO_LARGE');
  });

  it('lets a body under 64 kB through to routing', async () => {
    const { app } = setup();
    const body = JSON.stringify({ padding: 'x'.repeat(60 * 1024) });
    await request(app)
      .post('/api/requests')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(404);
  });

  it('keeps the code and status of a DeskError', async () => {
    const { readModel } = fakeReadModel();
    const { app } = setup({
      readModel: {
        ...readModel,
        pageRequests: async () => {
          throw new DeskError('DATABASE_ERROR', 'database unavailable', { retryable: true });
        },
      },
    });
    const res = await request(app).get('/api/requests').expect(503);
    expect(res.body).toEqual({
      error: { code: 'DATABASE_ERROR', message: 'database unavailable' },
    });
  });

  it('answers 500 INTERNAL with a generic message and logs the real error', async () => {
    const { readModel } = fakeReadModel();
    const { app, logs } = setup({
      readModel: {
        ...readModel,
        getRequest: async () => {
          throw new TypeError('cannot read x of undefined at /secret/path.ts');
        },
      },
    });
    const res = await request(app).get('/api/requests/1').expect(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    const logged = logs.find((l) => l.msg === 'unhandled error');
    expect(JSON.stringify(logged)).toContain('/secret/path.ts');
  });

  it('writes a bigint that leaks from the read model as a decimal string', async () => {
    const leaky = { ...requestView(7, 'lapsed'), requestId: 7n } as unknown as RequestView;
    const { readModel } = fakeReadModel([leaky]);
    const { app } = setup({ readModel });
    const res = await request(app).get('/api/requests/7').expect(200);
    expect((res.body as RequestView).requestId).toBe('7');
  });
});

describe('request logging and http metrics', () => {
  it('logs method, path, status and duration for each request', async () => {
    const { app, logs } = setup();
    await request(app).get('/api/requests/2').expect(200);
    await request(app).get('/api/requests/x').expect(400);
    const lines = logs.filter((l) => l.msg === 'http request');
    expect(lines).toEqual([
      expect.objectContaining({ level: 20, method: 'GET', path: '/api/requests/2', status: 200 }),
      expect.objectContaining({ level: 30, method: 'GET', path: '/api/requests/x', status: 400 }),
    ]);
    expect(typeof lines[0]?.ms).toBe('number');
  });

  it('counts requests by route pattern, not raw path', async () => {
    const { app, metrics } = setup();
    await request(app).get('/api/requests/2').expect(200);
    await request(app).get('/api/requests/3').expect(200);
    await request(app).get('/api/nope').expect(404);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'vetodesk_http_requests_total{method="GET",route="/api/requests/:id",status="200"} 2',
    );
    expect(text).toContain('vetodesk_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain('route="/api/requests/2"');
  });
});

describe('GET /metrics', () => {
  it('exposes the vetodesk_ metrics in Prometheus text format', async () => {
    const { app, metrics } = setup();
    metrics.headBlock.set(210);
    metrics.requestsByStatus.set({ status: 'vetoed' }, 1);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe(metrics.registry.contentType);
    for (const name of [
      'vetodesk_head_block 210',
      'vetodesk_requests{status="vetoed"} 1',
      '# TYPE vetodesk_indexed_block gauge',
      '# TYPE vetodesk_lag_blocks gauge',
      '# TYPE vetodesk_rpc_requests_total counter',
      '# TYPE vetodesk_rpc_request_duration_seconds histogram',
      '# TYPE vetodesk_reorgs_total counter',
      '# TYPE vetodesk_reorg_depth_blocks histogram',
      '# TYPE vetodesk_logs_ingested_total counter',
      '# TYPE vetodesk_backfill_blocks_total counter',
      '# TYPE vetodesk_http_requests_total counter',
      '# TYPE vetodesk_http_request_duration_seconds histogram',
      '# TYPE vetodesk_process_cpu_seconds_total counter',
    ]) {
      expect(res.text).toContain(name);
    }
    const names = [...res.text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(names.every((n) => n?.startsWith('vetodesk_'))).toBe(true);
  });
});

describe('GET /api/openapi.json', () => {
  type Operation = {
    responses: Record<string, unknown>;
    parameters?: { name: string; in: string }[];
  };
  type Doc = {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  async function fetchDoc(): Promise<Doc> {
    const { app } = setup();
    return (await request(app).get('/api/openapi.json').expect(200)).body as Doc;
  }

  /** Every `app.get(path)` route registered directly on the app, as OpenAPI paths. */
  function appRoutes(): { path: string; methods: string[] }[] {
    const { app } = setup();
    type Layer = { route?: { path: string; methods: Record<string, boolean> } };
    const stack = (app.router as unknown as { stack: Layer[] }).stack;
    return stack.flatMap((layer) =>
      layer.route === undefined
        ? []
        : [
            {
              path: layer.route.path.replace(/:(\w+)/g, '{$1}'),
              methods: Object.keys(layer.route.methods).filter((m) => m !== '_all'),
            },
          ],
    );
  }

  it('is an OpenAPI 3.1 document served as JSON', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('describes every route of the app, and no route the app lacks', async () => {
    const doc = await fetchDoc();
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const { path, methods } of routes) {
      for (const method of methods) expect(doc.paths[path]?.[method]).toBeDefined();
    }
    const described = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    const served = routes.flatMap(({ path, methods }) => methods.map((m) => `${m} ${path}`));
    expect(described.sort()).toEqual(served.sort());
  });

  it('declares every path parameter it uses', async () => {
    const doc = await fetchDoc();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared).toEqual(inPath);
      }
    }
  });

  it('resolves every $ref', async () => {
    const doc = await fetchDoc();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it('uses the statuses of REQUEST_STATUSES and the view enums', () => {
    const { schemas } = openApiDocument.components;
    expect(schemas.RequestStatus.enum).toEqual([...REQUEST_STATUSES]);
    expect(schemas.Variant.enum).toEqual(['V1', 'V2', 'V3', 'V4']);
    expect(schemas.HealthView.properties.status.enum).toEqual(['ok', 'degraded', 'starting', 'error']);
    expect(schemas.HealthView.properties.database.enum).toEqual(['sqlite', 'postgresql']);
  });

  describe('responses match their schemas', () => {
    /** A zod validator for a component schema, with refs rewritten to JSON Schema $defs. */
    function validator(name: string): z.ZodType {
      const text = JSON.stringify(openApiDocument.components.schemas);
      const defs = JSON.parse(text.replaceAll('#/components/schemas/', '#/$defs/')) as object;
      return z.fromJSONSchema({ $defs: defs, $ref: `#/$defs/${name}` } as never);
    }

    it('RequestList and RequestView', async () => {
      const { app } = setup();
      const list = await request(app).get('/api/requests').expect(200);
      expect(validator('RequestList').safeParse(list.body).success).toBe(true);
      const one = await request(app).get('/api/requests/1').expect(200);
      expect(validator('RequestView').safeParse(one.body).success).toBe(true);
      const view = requestView(1, 'vetoed');
      expect(validator('RequestView').safeParse({ ...view, status: 'gone' }).success).toBe(false);
      expect(validator('RequestView').safeParse({ ...view, extra: 1 }).success).toBe(false);
      expect(validator('RequestView').safeParse({ ...view, requestId: 1 }).success).toBe(false);
      // the scheduler's fields: nextAction null when nothing is left to do, or an object
      expect(validator('RequestView').safeParse({ ...view, nextAction: null, actions: [] }).success).toBe(true);
      const next = { kind: 'fulfil', actor: 'desk', dueBlock: null, dueAt: '2026-11-22T00:00:00.000Z', estimated: true, note: null, dryRun: false };
      const action = { kind: 'fulfil_sent', txHash: null, blockNumber: null, detail: 'sent', at: '2026-11-22T00:00:00.000Z' };
      expect(validator('RequestView').safeParse({ ...view, nextAction: next, actions: [action] }).success).toBe(true);
      expect(validator('RequestView').safeParse({ ...view, nextAction: { ...next, kind: 'later' } }).success).toBe(false);
    });

    it('HealthView and Error', async () => {
      const { app } = setup();
      const health = await request(app).get('/api/health').expect(200);
      expect(validator('HealthView').safeParse(health.body).success).toBe(true);
      const error = await request(app).get('/api/requests/99').expect(404);
      expect(validator('Error').safeParse(error.body).success).toBe(true);
    });
  });
});

describe('UI', () => {
  const webDir = mkdtempSync(join(tmpdir(), 'vetodesk-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Veto Desk</title>');
  writeFileSync(join(webDir, 'app.js'), 'console.log("desk")');

  it('serves files from webDir at /', async () => {
    const { app } = setup({ webDir });
    expect((await request(app).get('/').expect(200)).text).toContain('<title>Veto Desk</title>');
    expect((await request(app).get('/app.js').expect(200)).text).toContain('desk');
  });

  it('falls back to index.html for client-side routes', async () => {
    const { app } = setup({ webDir });
    const res = await request(app).get('/requests/5').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('keeps API and metrics paths out of the fallback', async () => {
    const { app } = setup({ webDir });
    expectError((await request(app).get('/api/nope').expect(404)).body, 'NOT_FOUND');
    await request(app).get('/api/health').expect(200);
    expect((await request(app).get('/metrics').expect(200)).text).toContain('vetodesk_');
  });

  it('ignores a webDir that does not exist', async () => {
    const { app } = setup({ webDir: join(webDir, 'missing') });
    expectError((await request(app).get('/').expect(404)).body, 'NOT_FOUND');
  });
});
