import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';

/**
 * Logs every request once it has been answered and counts it in the http metrics. The route
 * label is the matched route pattern (never the raw path, to keep label cardinality bounded).
 */
export function httpLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req.route, res.locals);
      const status = res.statusCode;
      metrics.httpRequests.inc({ method: req.method, route, status: String(status) });
      metrics.httpLatency.observe({ route }, seconds);
      const ms = Math.round(seconds * 1e4) / 10;
      // the path is the caller's: a refused one is logged too, so a long one is cut
      const entry = { method: req.method, path: req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path, route, status, ms };
      if (status >= 400) logger.info(entry, 'http request');
      else logger.debug(entry, 'http request');
    });
    next();
  };
}

function routeLabel(route: unknown, locals: Record<string, unknown>): string {
  if (typeof locals.routeLabel === 'string') return locals.routeLabel;
  const isRoute = typeof route === 'object' && route !== null && 'path' in route;
  return isRoute && typeof route.path === 'string' ? route.path : 'unmatched';
}
