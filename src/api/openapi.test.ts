/*
 * The served OpenAPI document: the routes it lists are the app's, every $ref resolves, its enums
 * are the views', and the app's answers match its schemas.
 */
import request from 'supertest';
import { z } from 'zod';
import { REQUEST_STATUSES } from '../domain/types';
import { openApiDocument } from './openapi';
import { requestView, setup } from '../../test/helpers/apiApp';

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
    type Named = { enum?: unknown[]; properties: Record<string, { enum?: unknown[] }> };
    const schemas = openApiDocument.components.schemas as Record<string, Named>;
    expect(schemas.RequestStatus?.enum).toEqual([...REQUEST_STATUSES]);
    expect(schemas.Variant?.enum).toEqual(['V1', 'V2', 'V3', 'V4']);
    expect(schemas.HealthView?.properties.status?.enum).toEqual(['ok', 'degraded', 'starting', 'error']);
    expect(schemas.HealthView?.properties.database?.enum).toEqual(['sqlite', 'postgresql']);
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
