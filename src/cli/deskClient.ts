/**
 * Talking to a desk over HTTP. Which desk: `--desk`, else `VETO_DESK_URL`, else
 * `http://localhost:8080`. Plain `http://` is refused unless the desk is on this machine: what a
 * desk returns is signed by owners (after the CLI's own checks) and read by the person paged,
 * so nobody on the path may rewrite it. Every answer is parsed before use.
 */
import { z } from 'zod';
import { flagOrEnv, type ParsedArgs } from './args';
import { CliError } from './cliError';
import type { CliIo } from './io';
import { failure, rootCause, untrusted } from './text';

export const DEFAULT_DESK_URL = 'http://localhost:8080';
const TIMEOUT_MS = 15_000;

export interface DeskClient {
  /** the base URL as given (no trailing slash) */
  url: string;
  /** GET; resolves to status and parsed JSON, throws CliError DESK_UNREACHABLE / DESK_BAD_ANSWER */
  get(path: string): Promise<DeskAnswer>;
  post(path: string, body: unknown): Promise<DeskAnswer>;
}

export interface DeskAnswer {
  status: number;
  ok: boolean;
  body: unknown;
}

const LOCAL_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** Loopback only: `localhost`, `127.0.0.0/8`, `::1`. */
export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The desk's URL from flags/env, with the http:// rule applied. @throws CliError USAGE */
export function resolveDeskUrl(p: ParsedArgs, io: CliIo): string {
  const raw = flagOrEnv(p, 'desk', io.env, 'VETO_DESK_URL')?.value ?? DEFAULT_DESK_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError('USAGE', `--desk / VETO_DESK_URL: not a URL: ${JSON.stringify(raw.slice(0, 100))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('USAGE', `--desk / VETO_DESK_URL: must be http(s)://, got ${url.protocol}`);
  if (url.username || url.password) throw new CliError('USAGE', '--desk / VETO_DESK_URL: credentials in the URL are not supported');
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    if (!p.bools.has('insecure-http')) {
      throw new CliError(
        'USAGE',
        `refusing plain http:// to ${url.host}: anyone on the path could change what the desk shows and what you sign. ` +
          'Use https://, an SSH tunnel to localhost, or --insecure-http if you accept that risk.',
      );
    }
    io.err(`WARNING: --insecure-http: talking to ${url.host} over plain http://; its answers can be forged or read in transit\n`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isTimeout(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

export function createDeskClient(url: string): DeskClient {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<DeskAnswer> {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (e) {
      const timedOut = isTimeout(e);
      const { code, message } = rootCause(e);
      const detail = timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : message ? `${code && !message.includes(code) ? `${code}: ` : ''}${message}` : failure(e);
      throw new CliError('DESK_UNREACHABLE', `the desk at ${url} did not answer (${detail})`, { cause: e });
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw new CliError('DESK_BAD_ANSWER', `the desk at ${url} answered ${method} ${path} with HTTP ${res.status} and no JSON (is ${url} a Veto Desk?)`);
    }
    return { status: res.status, ok: res.ok, body: parsed };
  }
  return { url, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** `CODE: message` of a desk's error answer (escaped: the desk's text is not trusted). */
export function deskErrorText(a: DeskAnswer): string {
  const e = errorBody.safeParse(a.body);
  return e.success ? `${untrusted(e.data.error.code, 60)}: ${untrusted(e.data.error.message, 600)}` : `HTTP ${a.status}`;
}

/** The body parsed by `schema`. @throws CliError DESK_REFUSED (an error answer) or DESK_BAD_ANSWER (off schema) */
export function expectBody<T>(a: DeskAnswer, schema: z.ZodType<T>, what: string, url: string): T {
  if (!a.ok) throw new CliError('DESK_REFUSED', `${what}: the desk answered ${deskErrorText(a)}`);
  const r = schema.safeParse(a.body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CliError('DESK_BAD_ANSWER', `${what}: the desk at ${url} answered off schema (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable'})`);
  }
  return r.data;
}
