/**
 * Writes come from the desk's own page, the CLI or a script — never from another site's page. A
 * browser lets any page it shows send a "simple" cross-origin POST without asking first (a form,
 * a text/plain body, no body at all), and the desk sends no CORS headers, so the answer is hidden
 * from that page but the write would still happen. Two rules close it for every write under
 * `/api`:
 *  - a browser names the page's origin in `Origin` on every cross-origin POST. A write naming one
 *    is taken only from PUBLIC_URL's origin, or from a page served by this very address when that
 *    address is an IP literal or `localhost`: a page's own DNS name matching the Host header
 *    proves nothing, since its owner can point that name at this machine (DNS rebinding) and
 *    write "from the same origin". A desk opened by a name people type sets PUBLIC_URL (as
 *    sign-in needs). Callers outside a browser send no Origin and are not affected;
 *  - a body must be JSON: one of another type was parsed as no body at all, so a form post did
 *    what an empty call does (415 UNSUPPORTED_MEDIA_TYPE).
 */
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { DeskError } from '../errors';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** the host (with port) of an origin or a Host header, and whether no DNS answer decides where it points */
function parseHost(hostWithPort: string): { host: string; fixed: boolean } | null {
  try {
    const u = new URL(`http://${hostWithPort}`);
    const name = u.hostname.replace(/^\[|\]$/g, '');
    return { host: u.host.toLowerCase(), fixed: isIP(name) !== 0 || name.toLowerCase() === 'localhost' };
  } catch {
    return null;
  }
}

function originHost(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : null;
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
      const host = parseHost(req.get('host') ?? '');
      const from = originHost(origin);
      if (!host || !host.fixed || from !== host.host) {
        throw new DeskError('CROSS_ORIGIN', `a write from a page of ${origin.slice(0, 100)} is refused: the desk takes writes from ${publicOrigin ? `its page at ${publicOrigin}` : 'its own page opened at an IP address or localhost (set PUBLIC_URL to the address people open it at)'}, the CLI or a script`);
      }
    }
    const hasBody = (req.get('content-length') ?? '0') !== '0' || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) throw new DeskError('UNSUPPORTED_MEDIA_TYPE', `the body must be JSON (Content-Type: application/json), not ${(req.get('content-type') ?? 'untyped').slice(0, 100)}`);
    next();
  };
}
