/**
 * Live state from the desk: one Server-Sent Events stream (`/api/events`) for the whole page. A
 * `requests` event bumps `requestsVersion` (views re-fetch), `notes` bumps `notesVersion`,
 * `health` moves the head the countdowns run from. No polling: between events the clock below
 * ticks locally.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { api } from './api';
import type { HealthView } from './types';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export interface LiveState {
  health: HealthView | null;
  /** the last head the desk reported, and when the page heard of it (local clock) */
  head: { block: number; seenAtMs: number } | null;
  connection: Connection;
  requestsVersion: number;
  notesVersion: number;
}

const LiveContext = createContext<LiveState>({ health: null, head: null, connection: 'connecting', requestsVersion: 0, notesVersion: 0 });

export function useLive(): LiveState {
  return useContext(LiveContext);
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<LiveState>({ health: null, head: null, connection: 'connecting', requestsVersion: 0, notesVersion: 0 });

  useEffect(() => {
    let closed = false;
    const loadHealth = () =>
      api
        .get<HealthView>('/api/health')
        .then((h) => !closed && setState((s) => ({ ...s, health: h, head: h.headBlock !== null && (s.head === null || h.headBlock > s.head.block) ? { block: h.headBlock, seenAtMs: Date.now() } : s.head })))
        .catch(() => undefined);
    void loadHealth();
    const source = new EventSource('/api/events');
    source.onopen = () => {
      // after a reconnect anything may have changed: re-fetch once
      setState((s) => ({ ...s, connection: 'live', requestsVersion: s.requestsVersion + 1, notesVersion: s.notesVersion + 1 }));
      void loadHealth();
    };
    // EventSource retries by itself (the desk sends `retry: 3000`)
    source.onerror = () => setState((s) => ({ ...s, connection: 'reconnecting' }));
    source.addEventListener('health', (e) => {
      const h = JSON.parse((e as MessageEvent<string>).data) as Pick<HealthView, 'status' | 'headBlock' | 'indexedBlock' | 'lagBlocks' | 'rpc' | 'problems'>;
      setState((s) => ({
        ...s,
        health: s.health ? { ...s.health, status: h.status, headBlock: h.headBlock, indexedBlock: h.indexedBlock, lagBlocks: h.lagBlocks, ...(h.rpc ? { rpc: h.rpc } : {}), problems: h.problems } : s.health,
        head: h.headBlock !== null && (s.head === null || h.headBlock !== s.head.block) ? { block: h.headBlock, seenAtMs: Date.now() } : s.head,
      }));
    });
    source.addEventListener('requests', () => {
      setState((s) => ({ ...s, requestsVersion: s.requestsVersion + 1 }));
      void loadHealth(); // owners and threshold may have changed too
    });
    source.addEventListener('notes', () => setState((s) => ({ ...s, notesVersion: s.notesVersion + 1 })));
    return () => {
      closed = true;
      source.close();
    };
  }, []);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

// ── the local clock: one interval for every countdown on the page ──
let nowMs = Date.now();
const clockListeners = new Set<() => void>();
let clock: ReturnType<typeof setInterval> | null = null;

function subscribeClock(listener: () => void): () => void {
  clockListeners.add(listener);
  clock ??= setInterval(() => {
    nowMs = Date.now();
    for (const l of clockListeners) l();
  }, 1000);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clock) {
      clearInterval(clock);
      clock = null;
    }
  };
}

/** Milliseconds, re-rendering the caller once a second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, () => nowMs);
}
