/**
 * The API's OpenAPI 3.1 document, generated — never written by hand — from the route table
 * (`routes.ts`) and the zod schemas the routes validate with and the views' types are inferred
 * from (`src/requests/schemas.ts`, `./schemas/`). Served at `GET /api/openapi.json`; the web
 * page's types (`web/src/api.gen.ts`) are generated from it (`npm run gen:web-types`).
 */
import { z } from 'zod';
import { errorSchema, routes, type RouteSpec } from './routes';

type Json = { [key: string]: unknown };

const COMPONENTS = '#/components/schemas/';
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * zod's JSON Schema, as a component or inline part of the document: no `$schema`/`$id`, refs to
 * named schemas point into `components`, and the ±2^53 bounds zod gives every integer dropped
 * (they say nothing a reader needs).
 */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id' || key === '$defs') continue;
    if (key === 'minimum' && value === -MAX_SAFE) continue;
    if (key === 'maximum' && value === MAX_SAFE) continue;
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace(/^#\/\$defs\//, COMPONENTS);
      continue;
    }
    out[key] = tidy(value);
  }
  return out;
}

/** Named schemas (those with an `id`): responses as the desk writes them, inputs (`…Input`) as a client may send them. */
function components(): Record<string, unknown> {
  const uri = (id: string) => `${COMPONENTS}${id}`;
  const output = z.toJSONSchema(z.globalRegistry, { io: 'output', uri }).schemas;
  const inputs = z.toJSONSchema(z.globalRegistry, { io: 'input', uri }).schemas;
  const names = Object.keys(output).sort();
  return Object.fromEntries(names.map((name) => [name, tidy(name.endsWith('Input') ? inputs[name] : output[name])]));
}

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): unknown => {
  const id = z.globalRegistry.get(schema)?.id;
  return id !== undefined ? { $ref: `${COMPONENTS}${id}` } : tidy(z.toJSONSchema(schema, { io }));
};

const json = (schema: unknown) => ({ 'application/json': { schema } });

function parameters(route: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const [name, schema] of Object.entries(route.pathParams ?? {})) {
    const { description, ...rest } = schemaOf(schema, 'input') as Json;
    out.push({ name, in: 'path', required: true, ...(description ? { description } : {}), schema: rest });
  }
  if (route.arrayQuery) {
    const { name, schema, description } = route.arrayQuery;
    out.push({ name, in: 'query', required: false, description, style: 'form', explode: true, schema: schemaOf(schema, 'input') });
  }
  for (const [name, schema] of Object.entries(route.query?.shape ?? {})) {
    const { description, ...rest } = schemaOf(schema as z.ZodType, 'input') as Json;
    const required = !(schema as z.ZodType).safeParse(undefined).success;
    out.push({ name, in: 'query', required, ...(description ? { description } : {}), schema: rest });
  }
  return out;
}

function operation(route: RouteSpec): Json {
  const { ok } = route;
  const okContent = ok.schema
    ? json(schemaOf(ok.schema, 'output'))
    : ok.contentType === 'application/json'
      ? json({ type: 'object' })
      : ok.contentType
        ? { [ok.contentType]: { schema: { type: 'string' } } }
        : undefined;
  const responses: Json = { [ok.status]: { description: ok.description, ...(okContent ? { content: okContent } : {}) } };
  for (const [status, { description, schema }] of Object.entries(route.alsoAnswers ?? {})) {
    responses[status] = { description, content: json(schemaOf(schema, 'output')) };
  }
  for (const [status, codes] of Object.entries(route.errors ?? {})) {
    responses[status] = { description: codes, content: json(schemaOf(errorSchema, 'output')) };
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(params.length ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: route.body.required, content: json(schemaOf(route.body.schema, 'input')) } } : {}),
    responses,
  };
}

/** Builds the document from the route table; pure, so a test can compare it with what is served. */
export function buildOpenApiDocument(table: readonly RouteSpec[] = routes) {
  const paths: Record<string, Json> = {};
  for (const route of table) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Veto Desk API',
      version: '0.1.0',
      description:
        'Slashing requests of an EigenLayer AVS VetoableSlasher, their veto windows and deadlines. Generated from the zod schemas the routes validate with (src/api/openapi.ts); any route may also answer 429 RATE_LIMITED, and any write (POST) 403 CROSS_ORIGIN (an Origin header naming another site than this host or PUBLIC_URL) or 415 UNSUPPORTED_MEDIA_TYPE (a body that is not application/json).',
    },
    paths,
    components: { schemas: components() },
  };
}

export const openApiDocument = buildOpenApiDocument();
