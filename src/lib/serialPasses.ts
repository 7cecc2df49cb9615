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
      running = (async () => {
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
      })().finally(() => {
        running = null;
      });
      return running;
    },
    async idle() {
      while (running) await running;
    },
    lastError: () => lastError,
  };
}
