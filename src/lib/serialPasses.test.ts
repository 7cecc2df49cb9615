import { serialPasses } from './serialPasses';

/** `p`, then `hops` more microtasks */
function after(p: Promise<unknown>, hops: number): Promise<unknown> {
  let q: Promise<unknown> = p;
  for (let i = 0; i < hops; i++) q = q.then(() => undefined);
  return q;
}

describe('serialPasses', () => {
  it('a call while a pass runs gets one more pass after it (however many calls), awaited by every caller', async () => {
    let passes = 0;
    let release!: () => void;
    const s = serialPasses(
      () => {
        passes++;
        return passes === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      () => undefined,
    );
    const first = s.run();
    const second = s.run();
    const third = s.run();
    release();
    await Promise.all([first, second, third]);
    expect(passes).toBe(2);
  });

  it('a failing pass is reported once per distinct message and never rejects the caller', async () => {
    const errors: string[] = [];
    const s = serialPasses(() => Promise.reject(new Error('rpc down')), (m) => errors.push(m));
    await s.run();
    await s.run();
    expect(errors).toEqual(['rpc down']);
    expect(s.lastError()).toBe('rpc down');
  });

  // the last pass settles, the loop checks `again` and ends, then the promise callers hold
  // settles: a call landing in between must not be handed the finished run
  it.each([0, 1, 2, 3, 4, 5, 6])('a call %i microtasks after the last pass ends still gets a pass that starts after it', async (hops) => {
    const starts: number[] = [];
    let clock = 0;
    let finish!: () => void;
    let ended!: Promise<void>;
    const s = serialPasses(
      () => {
        starts.push(++clock);
        if (starts.length > 1) return Promise.resolve();
        ended = new Promise<void>((r) => (finish = r));
        return ended;
      },
      () => undefined,
    );
    void s.run();
    let calledAt = 0;
    const late = after(ended, hops).then(() => {
      calledAt = ++clock;
      return s.run();
    });
    finish();
    await late;
    await s.idle();
    expect(starts.filter((t) => t > calledAt)).toHaveLength(1);
  });

  it('starts nothing once stopped', async () => {
    let passes = 0;
    const s = serialPasses(
      async () => void passes++,
      () => undefined,
      { stopped: () => true },
    );
    await s.run();
    expect(passes).toBe(0);
  });
});
