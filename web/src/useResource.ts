/** GET a desk resource; re-fetched when `version` changes (a live event) or on `reload()`. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describe } from './api';

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  /** true only until the first answer for this path: re-fetches keep showing the last data */
  loading: boolean;
  reload(): void;
}

export function useResource<T>(path: string | null, version = 0): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data: T | undefined; error: string | null }>({ path, data: undefined, error: null });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const ticket = ++latest.current;
    api
      .get<T>(path)
      .then((data) => ticket === latest.current && setState({ path, data, error: null }))
      .catch((e: unknown) => ticket === latest.current && setState((s) => ({ path, data: s.path === path ? s.data : undefined, error: describe(e) })));
  }, [path, version, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = state.path === path;
  return { data: current ? state.data : undefined, error: current ? state.error : null, loading: path !== null && (!current || (state.data === undefined && state.error === null)), reload };
}
