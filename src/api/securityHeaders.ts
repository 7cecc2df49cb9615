/**
 * Response headers a browser needs to keep the page safe: a Content-Security-Policy that fits the
 * Vite build (scripts, styles and requests from the desk's own origin only; the favicon is a
 * data: URI; the wallet is an injected provider, not a network origin), no framing (the page
 * asks people to sign: it must never be overlaid), no MIME sniffing, no Referer to other sites,
 * and HSTS only when the desk is known to be served over TLS (PUBLIC_URL https://).
 */
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** One year; no includeSubDomains: other hosts under the same domain are not ours to decide. */
const HSTS = 'max-age=31536000';

export function securityHeaders(o: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(o.https ? { 'Strict-Transport-Security': HSTS } : {}),
    });
    next();
  };
}
