/**
 * The one retry helper for calls outside the chain client (Safe Transaction Service, alert
 * deliveries): exponential backoff with jitter, for operations marked retryable. RPC calls retry
 * in the chain client's transport only (src/chain/client.ts), never stacked with this.
 */
export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** decides whether an error is worth another attempt */
  retryable: (e: unknown) => boolean;
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const wait = o.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= o.attempts || !o.retryable(e)) throw e;
      const delay = backoffDelay(attempt, o.baseMs, o.maxMs);
      o.onRetry?.(e, attempt, delay);
      await wait(delay);
    }
  }
}
