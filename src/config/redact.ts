/**
 * Hiding secrets in URLs before they reach a log line or an error message. RPC providers put API
 * keys in the userinfo (`https://key@host`), in the query (`?apikey=`) or as a path segment
 * (`/v3/<32 hex>`, `/v2/<key>`), and database URLs carry passwords.
 */

const MASK = '***';

/** A path segment that looks like a token: long, URL-safe, with at least one digit. */
function looksLikeToken(segment: string): boolean {
  return /^[A-Za-z0-9_-]{16,}$/.test(segment) && /\d/.test(segment);
}

/**
 * The URL with userinfo, query values and token-like path segments replaced by `***`. Text that
 * does not parse as a URL gets the same treatment on a best-effort basis.
 *
 * @example
 * redactUrl('https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef')
 * // 'https://mainnet.infura.io/v3/***'
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return redactLooseText(text);
  }
  if (url.host === '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // `file:./x.db` and similar: no authority, nothing secret but the path itself is fine to show
    return text;
  }
  let userinfo = '';
  if (url.password !== '') userinfo = `${url.username === '' ? '' : url.username}:${MASK}@`;
  else if (url.username !== '') userinfo = `${MASK}@`;
  const path = url.pathname
    .split('/')
    .map((segment) => (looksLikeToken(segment) ? MASK : segment))
    .join('/');
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${MASK}`);
  const search = query.length === 0 ? '' : `?${query.join('&')}`;
  return `${url.protocol}//${userinfo}${url.host}${path}${search}`;
}

function redactLooseText(text: string): string {
  return text
    .replace(/\/\/[^/@\s]*@/g, `//${MASK}@`)
    .replace(/([?&][^=&\s]+)=[^&\s]*/g, `$1=${MASK}`)
    .replace(/[A-Za-z0-9_-]{16,}/g, (run) => (/\d/.test(run) ? MASK : run));
}
