/**
 * Passes that run one at a time, where a caller always gets a pass that started after its call:
 * a call while a pass runs shares the one pass queued behind it (however many calls arrive
 * meanwhile). Joining the running pass instead would hand back what was read before the call — a
 * head announced while a pass runs would wait for the next trigger, and a caller that just mined
 * blocks would be told an older head. Unlike `serialPasses`, each caller gets its pass's result or
 * error.
 *
 * @example
 * const sync = nextPass(() => syncOnce(), { stopped: () => stopped, whenStopped: () => snapshot() });
 * await sync.run(); // covers everything that happened before this line
 */
export interface NextPass<T> {
  /** a pass that starts now, or the one queued behind the running pass */
  run(): Promise<T>;
  /** resolves when no pass is running or queued */
  idle(): Promise<void>;
  busy(): boolean;
}

interface Queued<T> {
  promise: Promise<T>;
  resolve: (value: T | Promise<T>) => void;
}

export function nextPass<T>(pass: () => Promise<T>, o: { stopped: () => boolean; /** what a queued pass resolves to once stopped */ whenStopped: () => T }): NextPass<T> {
  let running: Promise<T> | null = null;
  let queued: Queued<T> | null = null;
  const settle = (p: Promise<unknown>): Promise<void> => p.then(
    () => undefined,
    () => undefined,
  );
  const start = (): Promise<T> => {
    const p: Promise<T> = pass().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    // the callers queued behind the last pass asked before this one started: it is theirs too,
    // and a call from now on queues behind it
    if (queued) {
      queued.resolve(p);
      queued = null;
    }
    return p;
  };
  return {
    run() {
      // once stopped no pass starts (the clients it would use are closing): the caller gets the
      // pass under way, if any, then what `whenStopped` says
      if (o.stopped()) return queued?.promise ?? (running ? settle(running).then(o.whenStopped) : Promise.resolve(o.whenStopped()));
      if (!running) return start();
      if (!queued) {
        let resolve!: Queued<T>['resolve'];
        const q: Queued<T> = { promise: new Promise<T>((r) => (resolve = r)), resolve: (v) => resolve(v) };
        queued = q;
        void settle(running).then(() => {
          if (queued !== q) return; // a pass another caller started meanwhile took them
          if (o.stopped()) {
            queued = null;
            q.resolve(o.whenStopped());
          } else start();
        });
      }
      return queued.promise;
    },
    async idle() {
      while (running || queued) await settle(queued?.promise ?? running!);
    },
    busy: () => running !== null || queued !== null,
  };
}
