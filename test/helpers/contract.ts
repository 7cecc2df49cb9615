/**
 * Checks HTTP answers against the desk's OpenAPI document with a JSON Schema validator of its own
 * (Ajv, draft 2020-12 as OpenAPI 3.1 uses it) — not with the zod schemas the document came from,
 * so a fault in the generation shows — and with the route table's zod schema too: the two must
 * agree. Any test that talks to a desk can pass its answers here.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/api/openapi';
import { errorSchema, routes } from '../../src/api/routes';

type Doc = typeof openApiDocument;
type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; requestBody?: { content: Record<string, { schema: unknown }> } };

const ROOT = 'https://veto-desk.invalid/openapi.json';

export interface Contract {
  /** The documented schema errors of this answer (empty: it matches); an undocumented route or status is an error too. */
  problems(method: string, url: string, status: number, body: unknown): string[];
  /** Whether the document's request body schema of this operation accepts `body`. */
  acceptsBody(method: string, path: string, body: unknown): boolean;
}

export function createContract(doc: Doc = openApiDocument): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: ROOT, components: doc.components });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: unknown): ValidateFunction => {
    let v = compiled.get(key);
    if (!v) {
      const absolute = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${ROOT}#/components/`)) as object;
      v = ajv.compile(absolute);
      compiled.set(key, v);
    }
    return v;
  };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const templates = Object.keys(paths).map((p) => ({ path: p, re: new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`) }));
  const operationOf = (method: string, url: string) => {
    const path = url.split('?')[0]!;
    const template = templates.find((t) => t.path === path) ?? templates.find((t) => t.re.test(path));
    return template ? { template: template.path, op: paths[template.path]?.[method.toLowerCase()] } : undefined;
  };
  return {
    problems(method, url, status, body) {
      const found = operationOf(method, url);
      if (!found?.op) return [`${method} ${url}: no such operation in the document`];
      const response = found.op.responses[String(status)];
      if (!response) return [`${method} ${found.template}: status ${status} is not documented`];
      const schema = response.content?.['application/json']?.schema;
      if (schema === undefined) return [];
      const v = validator(`${method} ${found.template} ${status}`, schema);
      const out = v(body) ? [] : (v.errors ?? []).map((e) => `${method} ${found.template} ${status}: ${e.instancePath || 'body'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
      const route = routes.find((r) => r.path === found.template && r.method === method.toLowerCase());
      const zod = status === route?.ok.status ? route.ok.schema : route?.alsoAnswers?.[status]?.schema ?? (route?.errors?.[status] ? errorSchema : undefined);
      const parsed = zod?.safeParse(body);
      if (parsed && !parsed.success) out.push(`${method} ${found.template} ${status}: the zod schema refuses what the document ${out.length ? 'also refuses' : 'accepts'}: ${parsed.error.message.slice(0, 300)}`);
      return out;
    },
    acceptsBody(method, path, body) {
      const op = paths[path]?.[method.toLowerCase()];
      const schema = op?.requestBody?.content['application/json']?.schema;
      if (schema === undefined) throw new Error(`${method} ${path} takes no JSON body in the document`);
      return validator(`${method} ${path} body`, schema)(body) === true;
    },
  };
}
