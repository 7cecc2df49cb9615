import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { REQUEST_STATUSES } from '../domain/types';
import { DeskError } from '../errors';
import { HEALTHY, REQUESTS, expectError, fakeReadModel, requestView, setup } from '../../test/helpers/apiApp';
import { pageOf } from '../requests/paging';
import type { HealthView, RequestView } from './views';

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

  it('answers 503 DATABASE_ERROR with Retry-After, not 500, when the database went away under a request', async () => {
    const { readModel } = fakeReadModel();
    const gone = Object.assign(new Error('DriverAdapterError'), { cause: Object.assign(new Error('database "vd" is not currently accepting connections'), { code: '57P03' }) });
    const { app, logs } = setup({ readModel: { ...readModel, getRequest: async () => Promise.reject(gone) } });
    const res = await request(app).get('/api/requests/1').expect(503);
    expectError(res.body, 'DATABASE_ERROR');
    expect(res.headers['retry-after']).toBe('5');
    expect(logs.some((l) => l.msg === 'unhandled error')).toBe(false);
  });

  it('answers 400 BAD_REQUEST, not 500, for a path segment that is not valid percent-encoding', async () => {
    const { app } = setup();
    for (const path of ['/api/requests/%zz', '/api/requests/%/veto', '/api/safe/rejections/%E0%A4%A']) {
      const res = await request(app).get(path).expect(400);
      expect(res.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'the path is not valid percent-encoding' } });
    }
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/api/requests')
      .set('Content-Type', 'application/json')
      .send('{"status": ')
      .expect(400);
    expect(res.body).toEqual({
      error: { code: 'BAD_REQUEST', message: 'request body is not a JSON object (or is not valid JSON)' },
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
