/*
 * One source for every shape: the served OpenAPI document is the one generated from the route
 * table and the zod schemas, it is valid OpenAPI 3.1, the web page's committed types are the ones
 * generated from it, and for every route that takes a body or a query the route's own validation,
 * the zod schema and the document agree on sample inputs, valid and invalid.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DeskError } from '../src/errors';
import { createLogger } from '../src/lib/logger';
import { createMetrics } from '../src/lib/metrics';
import { createApp } from '../src/api/app';
import { buildOpenApiDocument, openApiDocument } from '../src/api/openapi';
import { routes } from '../src/api/routes';
import { SESSION_COOKIE, type SiweApi } from '../src/api/siwe';
import type { HealthView, RequestReadModel } from '../src/api/views';
import { renderWebTypes, WEB_TYPES_PATH } from '../scripts/gen-web-types';
import { createContract } from './helpers/contract';

const OWNER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const TX = `0x${'ab'.repeat(32)}`;
const SIG = `0x${'11'.repeat(65)}`;
/** what every fake service throws: the input got past the route's validation */
const PASSED = 'validated: reached the service';
const passed = (): never => {
  throw new DeskError('SERVICE_BUSY', PASSED);
};

function app() {
  const readModel: RequestReadModel = { listRequests: async () => [], pageRequests: async () => ({ requests: [], nextCursor: null }), getRequest: passed };
  const health = async (): Promise<HealthView> => ({ status: 'ok', chainId: 31337, headBlock: 1, indexedBlock: 1, lagBlocks: 0 });
  const siwe: SiweApi = {
    chainId: 31337,
    origins: () => ['http://127.0.0.1:1'],
    committeeOwners: async () => [OWNER],
    sessions: {
      createPending: async () => {},
      find: async () => ({ nonce: 'n', address: OWNER, expiresAt: new Date(Date.now() + 3_600_000) }),
      verify: async () => false,
      remove: async () => {},
      purgeExpired: async () => 0,
      countPending: async () => 0,
      dropOldestPending: async () => {},
    },
  };
  return createApp({
    readModel,
    health,
    metrics: createMetrics(),
    logger: createLogger('silent'),
    vetoes: { view: passed, viewAt: passed, submitSignature: passed, rejectionView: passed, submitRejectionSignature: passed, plan: passed, proposeBatch: passed, batchView: passed, submitBatchSignature: passed },
    fulfils: { view: passed, submitSignature: passed },
    alerts: { list: passed },
    web: { siwe, notes: { list: passed, add: passed }, devRequests: { operators: [OWNER], queue: passed } },
  });
}

describe('the OpenAPI document', () => {
  it('is what the app serves, generated from the route table', async () => {
    const served = (await request(app()).get('/api/openapi.json').expect(200)).body as unknown;
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('validates as OpenAPI 3.1', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(openApiDocument)) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives the web page the types it has committed (npm run gen:web-types)', async () => {
    const served = (await request(app()).get('/api/openapi.json').expect(200)).body as object;
    expect(readFileSync(WEB_TYPES_PATH, 'utf8')).toBe(await renderWebTypes(served));
  });
});

type Sample = { body: unknown; valid: boolean; /** zod refines what JSON Schema cannot say */ refinement?: true };
const v = (body: unknown): Sample => ({ body, valid: true });
const x = (body: unknown, refinement?: true): Sample => ({ body, valid: false, ...(refinement ? { refinement } : {}) });
const signatureSamples = [v({ signature: SIG }), v({ signature: '0x12', source: 'cli', safeTxHash: TX }), x({}), x({ signature: 'x'.repeat(201) }), x({ signature: SIG, extra: 1 }), x({ signature: SIG, source: 'web' }), x({ signature: SIG, safeTxHash: '0x12' }), x({ signature: 12 })];

/** by operationId: bodies a client may send, and whether the desk takes them */
const BODY_SAMPLES: Record<string, Sample[]> = {
  submitVetoSignature: [...signatureSamples, v({ signature: SIG, safe: OWNER }), x({ signature: SIG, safe: '0x1234' }), x({ signature: SIG, requestIds: ['1', '2'] })],
  submitFulfilSignature: [...signatureSamples, v({ signature: SIG, safe: OWNER.toLowerCase() })],
  submitRejectionSignature: [...signatureSamples, v({ signature: SIG, requestIds: ['1', '2'] }), x({ signature: SIG, safe: OWNER })],
  submitBatchSignature: [...signatureSamples, v({ signature: SIG, requestIds: ['1', '2'] }), x({ signature: SIG, requestIds: ['1'] }), x({ signature: SIG, requestIds: ['a', 'b'] })],
  proposeBatchVeto: [v({ requestIds: ['1', '2'] }), x({ requestIds: ['1'] }), x({ requestIds: Array.from({ length: 51 }, (_, i) => String(i)) }), x({}), x({ requestIds: ['1', '2'], extra: true }), x({ requestIds: ['1', '-2'] })],
  siweVerify: [v({ message: 'hello', signature: '0x1234' }), x({ message: '', signature: '0x12' }), x({ message: 'm', signature: 'zz' }), x({ message: 'm', signature: `0x${'a'.repeat(2100)}` }), x({ message: 'm' }), x({ message: 'm', signature: '0x12', more: 1 })],
  addNote: [
    v({ body: 'ok' }), v({ body: 'see', links: ['https://example.org/a', 'http://x.test/b'] }), x({}), x({ body: '' }), x({ body: 'x'.repeat(4001) }),
    x({ body: 'x', links: Array.from({ length: 11 }, () => 'https://a.test') }), x({ body: 'x', extra: 1 }),
    x({ body: '   ' }, true), x({ body: 'x', links: ['ftp://a.test/x'] }, true), x({ body: 'x', links: ['not a url'] }, true),
  ],
  queueDevRequest: [v({}), v({ operator: OWNER, percent: 5, description: 'practice' }), x({ percent: 0 }), x({ percent: 101 }), x({ percent: '5' }), x({ operator: '0x12' }), x({ description: 'x'.repeat(501) }), x({ extra: 1 })],
};

/** the same for queries: route validation against the zod schema */
const QUERY_SAMPLES: Record<string, { query: string; valid: boolean }[]> = {
  listAlerts: [{ query: 'limit=5&state=failed&kind=window_closing&requestId=7', valid: true }, { query: 'limit=0', valid: false }, { query: 'limit=1001', valid: false }, { query: 'state=lost', valid: false }, { query: 'kind=A!', valid: false }, { query: 'requestId=x', valid: false }],
  listRequests: [{ query: 'status=vetoed,lapsed&status=fulfilled', valid: true }, { query: 'status=gone', valid: false }, { query: 'sort=impact', valid: true }, { query: 'sort=size', valid: false }, { query: 'limit=5', valid: true }, { query: 'limit=0', valid: false }, { query: 'limit=1001', valid: false }],
  getBatchVeto: [{ query: 'requestIds=1,2', valid: true }, { query: 'requestIds=1,x', valid: false }],
  getVeto: [{ query: 'nonce=3', valid: true }, { query: 'nonce=-1', valid: false }],
  getStrategyTokens: [{ query: `address=${OWNER}`, valid: true }, { query: 'address=0x12', valid: false }, { query: '', valid: false }],
};

/** the fakes' answer is no desk's: it is not held to the document */
const reachedService = (body: unknown) => (body as { error?: { message?: string } } | null)?.error?.message === PASSED;
const concrete = (path: string) => path.replace('{id}', '1').replace('{nonce}', '3');

describe("each route's validation agrees with its schemas and the document", () => {
  const contract = createContract();

  it('has samples for every route that takes a body or a query', () => {
    expect(Object.keys(BODY_SAMPLES).sort()).toEqual(routes.filter((r) => r.body).map((r) => r.operationId).sort());
    expect(Object.keys(QUERY_SAMPLES).sort()).toEqual(routes.filter((r) => r.query || r.arrayQuery).map((r) => r.operationId).sort());
  });

  for (const route of routes.filter((r) => r.body)) {
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const desk = app();
      for (const sample of BODY_SAMPLES[route.operationId]!) {
        const what = `${route.operationId} ${JSON.stringify(sample.body).slice(0, 80)}`;
        expect([what, route.body!.schema.safeParse(sample.body).success]).toEqual([what, sample.valid]);
        expect([what, contract.acceptsBody(route.method, route.path, sample.body)]).toEqual([what, sample.valid || sample.refinement === true]);
        const res = await request(desk).post(concrete(route.path)).set('Cookie', `${SESSION_COOKIE}=t`).send(sample.body as object);
        if (sample.valid) expect([what, res.status === 400 ? res.body : 'passed']).toEqual([what, 'passed']);
        else {
          expect([what, res.status]).toEqual([what, 400]);
          const documented = route.errors?.[400] ?? '';
          expect([what, documented.includes((res.body as { error: { code: string } }).error.code)]).toEqual([what, true]);
        }
        if (!reachedService(res.body)) expect([what, contract.problems(route.method, concrete(route.path), res.status, res.body)]).toEqual([what, []]);
      }
    });
  }

  for (const route of routes.filter((r) => r.query || r.arrayQuery)) {
    it(`${route.method.toUpperCase()} ${route.path}?…`, async () => {
      const desk = app();
      for (const sample of QUERY_SAMPLES[route.operationId]!) {
        const url = `${concrete(route.path)}?${sample.query}`;
        const res = await request(desk).get(url);
        expect([url, res.status === 400]).toEqual([url, !sample.valid]);
        if (!reachedService(res.body)) expect([url, contract.problems('get', url, res.status, res.body)]).toEqual([url, []]);
      }
    });
  }
});
