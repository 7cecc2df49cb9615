/**
 * Hiding secrets before they reach a log line, an error message or an API answer. RPC providers
 * put API keys in the userinfo (`https://key@host`), in the query (`?apikey=`) or as a path
 * segment (`/v3/<32 hex>`, `/v2/<key>`); webhook URLs carry their secret in the path (Slack
 * `/services/…`, Discord `/webhooks/<id>/<token>`, Telegram `/bot<token>/`); database URLs carry
 * passwords. This file imports nothing, so the logger can use it too.
 */

const MASK = '***';

/** A path segment that looks like a token: long and URL-safe, with a digit or mixed case. */
function looksLikeToken(segment: string): boolean {
  if (!/^[A-Za-z0-9_:.~-]{16,}$/.test(segment)) return false;
  return /\d/.test(segment) || (/[a-z]/.test(segment) && /[A-Z]/.test(segment)) || segment.length >= 32;
}

/** Segments after which every later segment is a secret (webhook URLs). */
const SECRET_AFTER = new Set(['services', 'webhooks', 'hooks']);

function redactPath(pathname: string): string {
  const segments = pathname.split('/');
  let secretRest = false;
  return segments
    .map((segment, i) => {
      if (segment === '') return segment;
      const previous = segments[i - 1] ?? '';
      const masked =
        secretRest ||
        looksLikeToken(segment) ||
        // Infura /v3/<key>, Alchemy /v2/<key> and their kin, whatever the key looks like
        (/^v\d+$/i.test(previous) && segment.length >= 8 && !/^v\d+$/i.test(segment)) ||
        // Telegram /bot<id>:<token>/
        /^bot\d+:/.test(segment);
      if (SECRET_AFTER.has(segment.toLowerCase())) secretRest = true;
      return masked ? MASK : segment;
    })
    .join('/');
}

/**
 * The URL with userinfo, query values and secret-looking path segments replaced by `***`. Text
 * that does not parse as a URL gets the same treatment on a best-effort basis.
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
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${MASK}`);
  const search = query.length === 0 ? '' : `?${query.join('&')}`;
  return `${url.protocol}//${userinfo}${url.host}${redactPath(url.pathname)}${search}`;
}

function redactLooseText(text: string): string {
  return text
    .replace(/\/\/[^/@\s]*@/g, `//${MASK}@`)
    .replace(/([?&][^=&\s]+)=[^&\s]*/g, `$1=${MASK}`)
    .replace(/[A-Za-z0-9_-]{16,}/g, (run) => (/\d/.test(run) ? MASK : run));
}

/** A URL inside free text or a JSON line: stops at whitespace, quotes, backslashes and brackets. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s"'`<>\\]+/gi;
/** `Authorization: Bearer …`, `Basic …` */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/g;
/** a named secret in `key=value`, `key: value` or JSON `"key":"value"` form */
const NAMED_SECRET =
  /((?:private[_-]?key|secret|password|passwd|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bot[_-]?token|refresh[_-]?token|routing[_-]?key|authorization|x-api-key)["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic|Token)\s|\*\*\*)([^\s"'&,;}]{4,})/gi;
/** Telegram bot token (`<digits>:<35 chars>`) anywhere */
const TELEGRAM_TOKEN = /\b\d{6,}:[A-Za-z0-9_-]{30,}\b/g;

/**
 * Free text (an error message, a stack, a whole JSON log line) with every secret it can spot
 * replaced by `***`: URLs as `redactUrl` does, auth headers, named secrets (`privateKey=…`,
 * `"apiKey":"…"`), bot tokens, and each exact value in `known` (configured keys and tokens, which
 * no pattern could tell from a transaction hash). Safe on JSON text: it never removes a quote.
 *
 * @example
 * redactSecrets('fetch failed: https://x.io/v3/0123456789abcdef0123456789abcdef') // 'fetch failed: https://x.io/v3/***'
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret.length < 6) continue;
    out = replaceAllInsensitive(out, secret);
  }
  return out
    .replace(URL_IN_TEXT, (url) => redactUrlKeepingShape(url))
    .replace(AUTH_SCHEME, `$1$2${MASK}`)
    .replace(NAMED_SECRET, `$1${MASK}`)
    .replace(TELEGRAM_TOKEN, MASK);
}

/** redactUrl, but without adding the trailing `/` `new URL` would: text around it keeps its shape. */
function redactUrlKeepingShape(url: string): string {
  const redacted = redactUrl(url);
  return redacted.endsWith('/') && !url.endsWith('/') ? redacted.slice(0, -1) : redacted;
}

function replaceAllInsensitive(text: string, secret: string): string {
  const lower = text.toLowerCase();
  const needle = secret.toLowerCase();
  let from = 0;
  let out = '';
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    out += text.slice(from, at) + MASK;
    from = at + needle.length;
  }
  return out + text.slice(from);
}
