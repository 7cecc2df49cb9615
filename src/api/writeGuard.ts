/**
 * Writes come from the desk's own page, the CLI or a script — never from another site's page. A
 * browser lets any page it shows send a "simple" cross-origin POST without asking first (a form,
 * a text/plain body, no body at all), and the desk sends no CORS headers, so the answer is hidden
 * from that page but the write would still happen. Two rules close it for every write under
 * `/api`:
 *  - a browser names the page's origin in `Origin` on every cross-origin POST: one that is
 *    neither this host nor PUBLIC_URL is refused (403 CROSS_ORIGIN); callers outside a browser
 *    send none and are not affected;
 *  - a body must be JSON: one of another type was parsed as no body at all, so a form post did
 *    what an empty call does (415 UNSUPPORTED_MEDIA_TYPE).
 */
import type { RequestHandler } from 'express';
import { DeskError } from '../errors';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null; // `null` (a sandboxed frame, a file) or garbage: no host it could match
  }
}

export function writeGuard(o: { publicUrl?: string }): RequestHandler {
  const publicOrigin = o.publicUrl ? new URL(o.publicUrl).origin : null;
  return (req, _res, next) => {
    if (READS.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined && origin !== publicOrigin) {
      const host = req.get('host')?.toLowerCase();
      if (!host || hostOf(origin) !== host) throw new DeskError('CROSS_ORIGIN', `a write from a page of ${origin.slice(0, 100)} is refused: the desk takes writes from its own page${publicOrigin ? ` (${publicOrigin})` : ''}, the CLI or a script`);
    }
    const hasBody = (req.get('content-length') ?? '0') !== '0' || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) throw new DeskError('UNSUPPORTED_MEDIA_TYPE', `the body must be JSON (Content-Type: application/json), not ${(req.get('content-type') ?? 'untyped').slice(0, 100)}`);
    next();
  };
}
