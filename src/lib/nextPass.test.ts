import { nextPass } from './nextPass';

/** a pass the test finishes by hand, numbered in the order passes start */
function controlledPasses() {
  const started: { n: number; finish: (fail?: Error) => void }[] = [];
  const state = { now: 0, most: 0 };
  const pass = () =>
    new Promise<number>((resolve, reject) => {
      const n = started.length + 1;
      state.most = Math.max(state.most, ++state.now);
      started.push({
        n,
        finish: (fail) => {
          state.now--;
          if (fail) reject(fail);
          else resolve(n);
        },
      });
    });
  return { started, pass, state };
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

  it('a caller that starts a pass as the running one ends shares it with the queued callers: one pass, never two at once', async () => {
    const { started, pass, state } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    const first = p.run();
    const queued = p.run();
    // runs as soon as the first pass settles, before the queued callback
    const eager = first.then(() => p.run());
    started[0]!.finish();
    await turn();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await expect(queued).resolves.toBe(2);
    await expect(eager).resolves.toBe(2);
    expect(started).toHaveLength(2);
    expect(state.most).toBe(1);
  });

  it('a call after another caller started the next pass early queues behind that pass, not with it', async () => {
    const { started, pass, state } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    const first = p.run();
    const queued = p.run();
    let early!: Promise<number>;
    let late!: Promise<number>;
    // before the queued callback: one caller starts pass 2 (the queued callers share it), then
    // another asks — pass 2 started before its call, so it gets pass 3
    void first.then(() => {
      early = p.run();
      late = p.run();
    });
    started[0]!.finish();
    await turn();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await expect(queued).resolves.toBe(2);
    await expect(early).resolves.toBe(2);
    await turn();
    expect(started).toHaveLength(3);
    started[2]!.finish();
    await expect(late).resolves.toBe(3);
    expect(state.most).toBe(1);
  });

  it('a failing queued pass rejects every caller that shares it', async () => {
    const { started, pass } = controlledPasses();
    const p = nextPass(pass, { stopped: () => false, whenStopped: () => -1 });
    void p.run();
    const a = p.run();
    const b = p.run();
    started[0]!.finish();
    await turn();
    started[1]!.finish(new Error('header not found'));
    await expect(a).rejects.toThrow('header not found');
    await expect(b).rejects.toThrow('header not found');
    await p.idle();
    expect(p.busy()).toBe(false);
  });

  it('once stopped, no pass starts: a call gets the running pass settled, then the stopped answer', async () => {
    const { started, pass } = controlledPasses();
    let stopped = false;
    const p = nextPass(pass, { stopped: () => stopped, whenStopped: () => -1 });
    await p.idle(); // nothing running: at once
    const first = p.run();
    stopped = true;
    const late = p.run();
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await expect(first).resolves.toBe(1);
    await expect(late).resolves.toBe(-1);
    await expect(p.run()).resolves.toBe(-1);
    expect(started).toHaveLength(1);
    expect(p.busy()).toBe(false);
  });
});
