import { nextPass } from './nextPass';

/** a pass the test finishes by hand, numbered in the order passes start */
function controlledPasses() {
  const started: { n: number; finish: (fail?: Error) => void }[] = [];
  const pass = () =>
    new Promise<number>((resolve, reject) => {
      const n = started.length + 1;
      started.push({ n, finish: (fail) => (fail ? reject(fail) : resolve(n)) });
    });
  return { started, pass };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('nextPass', () => {
  it('a call with nothing running starts a pass at once', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    const first = p.run();
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await expect(first).resolves.toBe(1);
    expect(p.busy()).toBe(false);
  });

  it('calls while a pass runs share one pass that starts after it, never the running one', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    const first = p.run();
    const second = p.run();
    const third = p.run();
    expect(second).toBe(third);
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await expect(first).resolves.toBe(1);
    await turn();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await expect(second).resolves.toBe(2);
    expect(started).toHaveLength(2);
  });

  it('a failing pass rejects its own callers only; the queued pass still runs', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    const first = p.run();
    const second = p.run();
    started[0]!.finish(new Error('rpc down'));
    await expect(first).rejects.toThrow('rpc down');
    await turn();
    started[1]!.finish();
    await expect(second).resolves.toBe(2);
  });

  it('a queued pass does not start once stopped', async () => {
    const { started, pass } = controlledPasses();
    let stopped = false;
    const p = nextPass(pass, { stopped: () => stopped, whenStopped: () => -1 });
    void p.run();
    const queued = p.run();
    stopped = true;
    started[0]!.finish();
    await expect(queued).resolves.toBe(-1);
    expect(started).toHaveLength(1);
  });

  it('idle waits for the queued pass too', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    void p.run();
    void p.run();
    let idle = false;
    void p.idle().then(() => (idle = true));
    started[0]!.finish();
    await turn();
    expect(idle).toBe(false);
    expect(p.busy()).toBe(true);
    started[1]!.finish();
    await turn();
    expect(idle).toBe(true);
    expect(p.busy()).toBe(false);
  });

  it('a call after the queued pass started gets another pass behind it', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    void p.run();
    const second = p.run();
    started[0]!.finish();
    await turn();
    const third = p.run();
    expect(third).not.toBe(second);
    started[1]!.finish();
    await expect(second).resolves.toBe(2);
    await turn();
    started[2]!.finish();
    await expect(third).resolves.toBe(3);
  });
});
