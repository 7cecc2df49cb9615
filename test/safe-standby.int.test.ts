/**
 * Two desks on one PostgreSQL database both reconcile the committee's proposals; only the one
 * holding the actor lease sends. What each stores must be what both would: the standby's gate is
 * its own and is never written as a proposal's reason (the two desks would rewrite each other's
 * reason every block, and owners would read "standby" half the time).
 */
import request from 'supertest';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { openVetoDesk, settle, signVetoQuorum, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

describe('a standby desk beside the desk that sends, on PostgreSQL', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let holder: Desk;
  let standby: Desk;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase('postgresql');
    // CONFIRMATIONS far away: a veto with its threshold stays ready, held, and is not sent
    holder = await openVetoDesk(f, db, undefined, { confirmations: 1_000 });
    standby = await openVetoDesk(f, db, undefined, { confirmations: 1_000 });
    expect(await holder.scheduler.lease.tick()).toBe(true);
    expect(await standby.scheduler.lease.tick()).toBe(false);
  });
  afterAll(async () => {
    await standby?.stop();
    await holder?.stop();
    await db?.drop();
    await f?.stop();
  });

  it("keeps the holder's reason for a ready veto through the standby's passes", async () => {
    const id = await f.queue('held for confirmations');
    await settle(holder);
    await settle(standby);
    await signVetoQuorum(holder, f, id);
    const reason = async (d: Desk) => ((await request(d.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto;
    for (const d of [holder, standby, holder, standby]) {
      await settle(d);
      const v = await reason(d);
      expect(v?.status).toBe('ready');
      // the hold both desks see, never the standby's own gate
      expect(v?.statusReason).toMatch(/^held: request \d+ is not yet buried under CONFIRMATIONS blocks$/);
    }
    expect(await f.slasherStatus(id)).toBe(0);
  });
});
