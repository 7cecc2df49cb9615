import type { Express, Response } from 'express';
import type { CachedAnswer, ResponseCache } from './responseCache';
import { z } from 'zod';
import { REQUEST_STATUSES, type RequestStatus } from '../domain/types';
import { DeskError } from '../errors';
import { MAX_PAGE_LIMIT } from '../requests/paging';
import { requestsQuerySchema } from './schemas/inputs';
import type { RequestListPage, RequestReadModel, RequestView } from './views';

const MAX_UINT256 = 2n ** 256n - 1n;

/** `?status=a`, `?status=a,b` and `?status=a&status=b` all parse to a list. */
const statusQuerySchema = z.union([z.string(), z.array(z.string())]).optional();

/** The parsed `status` filter; undefined when absent or empty (no filter). */
export function parseStatusFilter(raw: unknown): RequestStatus[] | undefined {
  const allowed = REQUEST_STATUSES.join(', ');
  const parsed = statusQuerySchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeskError('INVALID_STATUS_FILTER', `status must be one or more of: ${allowed}`);
  }
  const values = [parsed.data ?? []].flat().flatMap((value) => value.split(','));
  const statuses = new Set<RequestStatus>();
  for (const value of values.map((v) => v.trim()).filter((v) => v !== '')) {
    const status = REQUEST_STATUSES.find((s) => s === value);
    if (status === undefined) {
      throw new DeskError(
        'INVALID_STATUS_FILTER',
        `unknown status ${JSON.stringify(value.slice(0, 100))}; allowed: ${allowed}`,
      );
    }
    statuses.add(status);
  }
  return statuses.size === 0 ? undefined : [...statuses];
}

/** `:id` must be a uint256 written in decimal. */
export function parseRequestId(raw: string): bigint {
  const id = /^\d{1,78}$/.test(raw) ? BigInt(raw) : undefined;
  if (id === undefined || id > MAX_UINT256) {
    const shown = JSON.stringify(raw.slice(0, 100));
    throw new DeskError(
      'BAD_REQUEST',
      `request id must be a non-negative decimal integer below 2^256 (got ${shown})`,
    );
  }
  return id;
}

/** Sends a kept answer: its ETag set first, so express answers a matching If-None-Match with 304. */
function sendAnswer(res: Response, a: CachedAnswer): void {
  res.set('ETag', a.etag);
  res.set('Content-Type', 'application/json; charset=utf-8').send(a.body);
}

export function registerRequestRoutes(app: Express, readModel: RequestReadModel, kept?: { cache: ResponseCache; replacer: (key: string, value: unknown) => unknown }): void {
  // the kept body is what res.json would have written
  const json = (v: unknown) => JSON.stringify(v, kept?.replacer);
  // a page in the order open first, then by deadline; express answers a matching If-None-Match
  // with 304 from the body's ETag, so a polling client that saw this page downloads nothing
  app.get('/api/requests', async (req, res) => {
    const status = parseStatusFilter(req.query.status);
    const q = requestsQuerySchema.safeParse({ sort: req.query.sort || undefined, limit: req.query.limit, cursor: req.query.cursor });
    if (!q.success) throw new DeskError('BAD_REQUEST', `sort must be "impact" (or absent), limit an integer from 1 to ${MAX_PAGE_LIMIT}, cursor the nextCursor of a previous page`);
    const { sort, limit, cursor } = q.data;
    const page = (): Promise<RequestListPage> => readModel.pageRequests({ ...(status === undefined ? {} : { status }), ...(sort ? { sort } : {}), limit, ...(cursor ? { cursor } : {}) });
    if (!kept) return void res.json(await page());
    sendAnswer(res, await kept.cache.answer(JSON.stringify(['page', status ?? null, sort ?? null, limit, cursor ?? null]), async () => json(await page())));
  });

  app.get('/api/requests/:id', async (req, res) => {
    const id = parseRequestId(req.params.id);
    const one = async (): Promise<RequestView> => {
      const request: RequestView | null = await readModel.getRequest(id);
      if (request === null) {
        throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
      }
      return request;
    };
    if (!kept) return void res.json(await one());
    sendAnswer(res, await kept.cache.answer(JSON.stringify(['one', id.toString()]), async () => json(await one())));
  });
}
