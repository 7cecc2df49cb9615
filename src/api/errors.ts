import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DeskError, isDeskError, type ErrorCode } from '../errors';
import type { Logger } from '../lib/logger';
import type { ErrorView } from './views';

interface HttpFailure {
  status: number;
  body: ErrorView;
}

const failure = (status: number, code: ErrorCode, message: string): HttpFailure => ({
  status,
  body: { error: { code, message } },
});

/** Errors thrown by body-parser and other http-errors users carry these. */
interface HttpLibraryError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

function fromHttpLibrary(err: HttpLibraryError | (URIError & HttpLibraryError)): HttpFailure | undefined {
  if (err.type === 'entity.too.large') {
    return failure(413, 'PAYLOAD_TOO_LARGE', 'request body is larger than the 64 kB limit');
  }
  if (err.type === 'entity.parse.failed') {
    // strict parsing: a bare `null`, number or text is JSON but no body a route takes
    return failure(400, 'BAD_REQUEST', 'request body is not a JSON object (or is not valid JSON)');
  }
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
    return failure(415, 'UNSUPPORTED_MEDIA_TYPE', typeof err.message === 'string' ? err.message : 'unsupported body encoding');
  }
  // a body whose Content-Encoding does not match its bytes: zlib's own words name no field
  if (typeof (err as { code?: unknown }).code === 'string' && /^Z_/.test((err as { code: string }).code)) {
    return failure(400, 'BAD_REQUEST', 'request body could not be decompressed as its Content-Encoding says');
  }
  // the router's own refusal of a path segment that is not valid percent-encoding (`/api/requests/%zz`):
  // a URIError it marks 400 without `expose`
  if (err instanceof URIError && err.status === 400) {
    return failure(400, 'BAD_REQUEST', 'the path is not valid percent-encoding');
  }
  const status = typeof err.status === 'number' ? err.status : undefined;
  if (status !== undefined && status >= 400 && status < 500 && err.expose === true) {
    const message = typeof err.message === 'string' ? err.message : 'bad request';
    return failure(status, 'BAD_REQUEST', message);
  }
  return undefined;
}

const DB_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'P1001', 'P1017', 'P2024']);
const DB_UNAVAILABLE_TEXT = /not currently accepting connections|terminating connection|connection terminated|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|in recovery mode)|can't reach database server|timed out fetching a new connection|timeout exceeded when trying to connect|database is locked/i;

/**
 * The database went away under a request (a restart, a failover, every session ended): the
 * client may retry, so 503 DATABASE_ERROR rather than a 500. Looks through the cause chain,
 * where the driver adapter keeps the server's own error.
 */
function databaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: unknown; message?: unknown; originalCode?: unknown };
    if ((typeof x.code === 'string' && DB_UNAVAILABLE_CODES.has(x.code)) || (typeof x.originalCode === 'string' && DB_UNAVAILABLE_CODES.has(x.originalCode))) return true;
    if (typeof x.message === 'string' && DB_UNAVAILABLE_TEXT.test(x.message)) return true;
  }
  return false;
}

/**
 * The one error middleware: a DeskError keeps its code and status, client mistakes caught by
 * express's parsers become 4xx, anything else is a 500 with a generic message (the real error
 * goes to the log, never to the client).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let result: HttpFailure | undefined;
    if (isDeskError(err)) {
      result = failure(err.httpStatus, err.code, err.message);
      if (err.httpStatus >= 500) logger.error({ err, path: req.path }, 'request failed');
    } else if (typeof err === 'object' && err !== null) {
      result = fromHttpLibrary(err);
    }
    if (result === undefined && databaseUnavailable(err)) {
      logger.warn({ err, method: req.method, path: req.path }, 'database unavailable during a request');
      res.set('Retry-After', '5');
      result = failure(503, 'DATABASE_ERROR', 'the database is unavailable right now: retry in a few seconds');
    }
    if (result === undefined) {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      result = failure(500, 'INTERNAL', 'internal error');
    }
    res.status(result.status).json(result.body);
  };
}

/** Terminal handler: nothing matched. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new DeskError('NOT_FOUND', `no route for ${req.method} ${req.originalUrl.split('?')[0]!.slice(0, 200)}`));
};
