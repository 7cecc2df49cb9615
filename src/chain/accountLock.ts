/**
 * One lock per sending account in this process: the veto executor and the fulfil sender may use
 * the same key, and must not pick the same nonce. (Across processes, the single-actor lease
 * makes sure only one desk sends at all.)
 */
const tails = new Map<string, Promise<unknown>>();

export async function withAccountLock<T>(account: string, fn: () => Promise<T>): Promise<T> {
  const key = account.toLowerCase();
  const prev = tails.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
