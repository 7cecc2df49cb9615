/**
 * Alerts from the veto path, through the desk's outbox (`GET /api/alerts`): exactly one
 * `quorum_reached` and one `veto_executed` per executed veto, across further passes and a
 * restart; exactly one `action_failed` carrying the decoded revert reason when execution fails.
 */
import request from 'supertest';
import type { Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import type { RequestView, VetoView } from '../src/api/views';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { WINDOW, signTypedVeto, startSafeFixture, type SafeFixture, openVetoDesk, settle } from './helpers/safeFixture';

const logger = createLogger('silent');



interface AlertItem { kind: string; severity: string; title: string; requestId?: string; dedupKey: string }

async function alertsOf(desk: Desk, id: bigint): Promise<AlertItem[]> {
  return ((await request(desk.url).get(`/api/alerts?requestId=${id}&limit=100`).expect(200)).body as { alerts: AlertItem[] }).alerts;
}

const count = (alerts: AlertItem[], kind: string) => alerts.filter((a) => a.kind === kind).length;

describe.each(DB_KINDS)('veto alerts on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk | undefined;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  async function sign(id: bigint, keys: `0x${string}`[]): Promise<void> {
    await settle(desk!);
    const v = ((await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto as VetoView;
    for (const k of keys) await request(desk!.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(k, v.typedData) }).expect(201);
    await desk!.vetoes.idle();
  }

  it('one quorum_reached and one veto_executed, even after more passes and a restart', async () => {
    const id = await f.queue();
    await sign(id, [f.owners[0]!.privateKey, f.owners[1]!.privateKey]);
    await settle(desk!);
    expect(await f.slasherStatus(id)).toBe(1);
    await settle(desk!);
    await desk!.stop();
    desk = await openVetoDesk(f, db);
    await settle(desk);
    await settle(desk);
    const alerts = await alertsOf(desk, id);
    expect(count(alerts, 'quorum_reached')).toBe(1);
    expect(count(alerts, 'veto_executed')).toBe(1);
    expect(count(alerts, 'action_failed')).toBe(0);
    expect(alerts.find((a) => a.kind === 'quorum_reached')!.title).toContain('2/2');
  });

  it('one action_failed with the decoded reason when execution fails', async () => {
    const id = await f.queue();
    await settle(desk!);
    const v = ((await request(desk!.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).veto as VetoView;
    await request(desk!.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
    await desk!.vetoes.idle();
    await f.mine(WINDOW + 1); // the desk's view is stale: the window passes before the second signature
    await request(desk!.url).post(`/api/requests/${id}/veto/signatures`).send({ signature: await signTypedVeto(f.owners[1]!.privateKey, v.typedData) }).expect(201);
    await desk!.vetoes.idle();
    await settle(desk!);
    await settle(desk!);
    const alerts = await alertsOf(desk!, id);
    expect(count(alerts, 'action_failed')).toBe(1);
    expect(count(alerts, 'veto_executed')).toBe(0);
    const failed = alerts.find((a) => a.kind === 'action_failed')!;
    expect(failed.severity).toBe('critical');
    expect(failed.title).toContain('VetoPeriodPassed');
  });
});
