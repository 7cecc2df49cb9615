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

export function nextPass<T>(pass: () => Promise<T>, o: { stopped: () => boolean; /** what a queued pass resolves to once stopped */ whenStopped: () => T }): NextPass<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const p: Promise<T> = pass().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  const settle = (p: Promise<unknown>): Promise<void> => p.then(
    () => undefined,
    () => undefined,
  );
  return {
    run() {
      // once stopped no pass starts (the clients it would use are closing): the caller gets the
      // pass under way, if any, then what `whenStopped` says
      if (o.stopped()) return queued ?? (running ? settle(running).then(o.whenStopped) : Promise.resolve(o.whenStopped()));
      if (!running) return start();
      if (!queued) {
        queued = settle(running).then(() => {
          queued = null;
          if (o.stopped()) return o.whenStopped();
          // a pass another caller started meanwhile also began after every queued call
          return running ?? start();
        });
      }
      return queued;
    },
    async idle() {
      while (running || queued) await settle((queued ?? running)!);
    },
    busy: () => running !== null || queued !== null,
  };
}
