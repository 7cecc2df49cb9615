import { createSharedWatch } from './sharedWatch';

describe('createSharedWatch', () => {
  function watch() {
    let resets = 0;
    const w = createSharedWatch(() => resets++);
    return { w, resets: () => resets };
  }

  it('reads again at the first checkpoint read (the Safes may have been read before a change it counts), then takes it as where it stands', () => {
    const { w, resets } = watch();
    w.observe({ safeChanges: 7 });
    expect(resets()).toBe(1);
    w.observe({ safeChanges: 7 });
    expect(resets()).toBe(1);
  });

  it('says nothing while the count moves only by this desk’s own writes', () => {
    const { w, resets } = watch();
    w.observe({ safeChanges: 0 });
    const first = resets();
    w.wrote(2);
    w.observe({ safeChanges: 2 });
    w.wrote(0);
    w.observe({ safeChanges: 2 });
    w.wrote(1);
    w.observe({ safeChanges: 3 });
    expect(resets()).toBe(first);
  });

  it('reads again when another desk moved the count, also beside a write of its own', () => {
    const { w, resets } = watch();
    w.observe({ safeChanges: 4 });
    w.observe({ safeChanges: 5 });
    expect(resets()).toBe(2);
    w.wrote(1);
    w.observe({ safeChanges: 7 });
    expect(resets()).toBe(3);
    // and from there on compares with the count as read
    w.observe({ safeChanges: 7 });
    expect(resets()).toBe(3);
  });

  it('reads again when a write it counted as its own is not in the count (the row was written over)', () => {
    const { w, resets } = watch();
    w.observe({ safeChanges: 3 });
    w.wrote(1);
    w.observe({ safeChanges: 3 });
    expect(resets()).toBe(2);
  });

  it('reads again when the count holds more than its own writes (one whose answer was lost, so never told)', () => {
    const { w, resets } = watch();
    w.observe({ safeChanges: 3 });
    w.observe({ safeChanges: 4 });
    expect(resets()).toBe(2);
  });

  it('ignores a missing checkpoint or count', () => {
    const { w, resets } = watch();
    w.observe(null);
    w.observe({});
    expect(resets()).toBe(0);
    w.observe({ safeChanges: 1 });
    w.observe(null);
    w.observe({ safeChanges: 1 });
    expect(resets()).toBe(1);
  });
});
