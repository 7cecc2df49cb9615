/**
 * A bounded map that forgets the least recently used entry first. For caches keyed by anything
 * a caller can choose (an address in a query string): without a bound, each new key is memory
 * held forever.
 *
 * @example
 * const cache = createLru<string, number>(1024);
 * cache.set('a', 1); cache.get('a'); // 1
 */
export function createLru<K, V>(max: number) {
  const map = new Map<K, V>();
  return {
    get(key: K): V | undefined {
      if (!map.has(key)) return undefined;
      const value = map.get(key) as V;
      map.delete(key);
      map.set(key, value);
      return value;
    },
    set(key: K, value: V): void {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as K);
    },
    delete: (key: K) => map.delete(key),
    get size() {
      return map.size;
    },
  };
}
