/**
 * Passes that run one at a time: a call while a pass runs schedules exactly one more after it
 * (however many calls arrive meanwhile) and shares its promise. A failing pass is reported to
 * `onError` once per distinct message (a flapping RPC must not flood the log every block) and
 * never rejects the caller.
 *
 * @example
 * const reconcile = serialPasses(() => reconcileOnce(), (m) => logger.error({ err: m }, 'reconcile failed'));
 * void reconcile.run(); // from any trigger
 */
import { describeError } from '../errors';

export interface SerialPasses {
  /** runs a pass now, or once more after the running one */
  run(): Promise<void>;
  /** resolves when no pass is running */
  idle(): Promise<void>;
  /** the last pass's error message, null after a pass that succeeded */
  lastError(): string | null;
}

export function serialPasses(
  pass: () => Promise<void>,
  onError: (message: string) => void,
  o: { stopped?: () => boolean; /** told after every pass (metrics) */ onPass?: (outcome: 'ok' | 'error', ms: number) => void } = {},
): SerialPasses {
  let running: Promise<void> | null = null;
  let again = false;
  let lastError: string | null = null;
  const stopped = o.stopped ?? (() => false);
  return {
    run() {
      if (stopped()) return running ?? Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      let done!: () => void;
      const current = new Promise<void>((resolve) => (done = resolve));
      running = current;
      void (async () => {
        try {
          do {
            again = false;
            const started = performance.now();
            try {
              await pass();
              lastError = null;
              o.onPass?.('ok', performance.now() - started);
            } catch (e) {
              const message = describeError(e);
              if (message !== lastError) onError(message);
              lastError = message;
              o.onPass?.('error', performance.now() - started);
            }
          } while (again && !stopped());
        } finally {
          // cleared in the same turn as the loop's last check: a call after it starts a pass of
          // its own instead of being handed this one as it settles (its `again` would be lost)
          running = null;
          done();
        }
        // a throwing onError or onPass (a logger, a metric) must not become an unhandled rejection
      })().catch(() => undefined);
      return current;
    },
    async idle() {
      while (running) await running;
    },
    lastError: () => lastError,
  };
}
