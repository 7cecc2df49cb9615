/** The one way the page talks to the desk: JSON over fetch, errors as `ApiError` with the desk's code. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The desk cannot be reached. Is it running?');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `The desk answered ${res.status} ${res.statusText}`);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
};

/** Readable text for anything thrown: the desk's message (with its code), or the wallet's. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) return e.code.startsWith('HTTP_') || e.code === 'NETWORK' ? e.message : `${e.message} (${e.code})`;
  const rpc = e as { shortMessage?: string; message?: string; code?: number } | null;
  if (rpc?.code === 4001) return 'You rejected the request in your wallet.';
  if (typeof rpc?.shortMessage === 'string') return rpc.shortMessage;
  if (typeof rpc?.message === 'string') return rpc.message.split('\n')[0] ?? rpc.message;
  return String(e);
}
