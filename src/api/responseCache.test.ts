import { createResponseCache } from './responseCache';

function counter() {
  let n = 0;
  let gate: Promise<void> = Promise.resolve();
  return {
    compute: async () => {
      await gate;
      return JSON.stringify({ n: ++n });
    },
    hold() {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = Promise.resolve();
        open();
      };
    },
    get count() {
      return n;
    },
  };
}

describe('response cache', () => {
  let t = 0;
  const cache = () => createResponseCache({ maxAgeMs: 500, nowMs: () => t });
  beforeEach(() => {
    t = 1_000;
  });

  it('computes once for the callers within the age, with a strong ETag of the body', async () => {
    const c = cache();
    const k = counter();
    const [a, b] = await Promise.all([c.answer('x', k.compute), c.answer('x', k.compute)]);
    t += 500;
    const d = await c.answer('x', k.compute);
    expect(k.count).toBe(1);
    expect(a).toBe(b);
    expect(d).toBe(a);
    expect(a.body.toString()).toBe('{"n":1}');
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('keeps answers apart by key', async () => {
    const c = cache();
    const k = counter();
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":1}');
    expect((await c.answer('y', k.compute)).body.toString()).toBe('{"n":2}');
  });

  it('after invalidate, the next caller waits for a fresh answer', async () => {
    const c = cache();
    const k = counter();
    await c.answer('x', k.compute);
    c.invalidate();
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":2}');
  });

  it('past its age, serves the kept answer while one fresh answer is computed, then the fresh one', async () => {
    const c = cache();
    const k = counter();
    await c.answer('x', k.compute);
    t += 501;
    const open = k.hold();
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":1}');
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":1}');
    open();
    await new Promise((r) => setImmediate(r));
    expect(k.count).toBe(2);
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":2}');
  });

  it('a fresh answer computed across an invalidate is not kept', async () => {
    const c = cache();
    const k = counter();
    await c.answer('x', k.compute);
    t += 501;
    const open = k.hold();
    await c.answer('x', k.compute); // starts the refresh
    c.invalidate();
    open();
    await new Promise((r) => setImmediate(r));
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":3}');
  });

  it('never serves an answer older than four times the age: the caller waits', async () => {
    const c = cache();
    const k = counter();
    await c.answer('x', k.compute);
    t += 2_001;
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":2}');
  });

  it('a write counted by the database (version) drops every kept answer, also one computed across it', async () => {
    let version = 0;
    const c = createResponseCache({ maxAgeMs: 500, nowMs: () => t, version: () => version });
    const k = counter();
    await c.answer('x', k.compute);
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":1}');
    version++;
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":2}');
    // computed while a write lands: stale at once
    const open = k.hold();
    c.invalidate();
    const during = c.answer('x', k.compute);
    version++;
    open();
    expect((await during).body.toString()).toBe('{"n":3}');
    expect((await c.answer('x', k.compute)).body.toString()).toBe('{"n":4}');
  });

  it('does not keep a failure', async () => {
    const c = cache();
    await expect(c.answer('x', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await c.answer('x', async () => '"ok"')).body.toString()).toBe('"ok"');
  });

  it('keeps a bounded number of answers (the query string is the caller\'s to choose)', async () => {
    const c = cache();
    const k = counter();
    for (let i = 0; i < 100; i++) await c.answer(`k${i}`, k.compute);
    // the oldest was dropped: computed again; the newest is kept
    await c.answer('k0', k.compute);
    await c.answer('k99', k.compute);
    expect(k.count).toBe(101);
  });
});
