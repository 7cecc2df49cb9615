import type { RequestView } from '../requests/views';
import { fulfilPurpose, vetoPurpose } from './proposalPurpose';
import { requestSnapshotOf } from './requestSnapshot';
import type { RequestSnapshot } from './types';

const SLASHER = '0x00000000000000000000000000000000000000b1';
const req = (over: Partial<RequestSnapshot> = {}): RequestSnapshot => ({
  requestId: '7',
  queuedTxHash: '0xq',
  queuedAtBlock: 10,
  status: 'fulfillable',
  deadline: 30,
  windowEnd: { kind: 'block', block: 30 },
  lastVetoBlock: 29,
  lastUsefulBlock: null,
  confirmed: true,
  blockTimeSeconds: 2,
  everLapsed: false,
  ...over,
});

describe('the fulfil purpose’s holds', () => {
  const fulfil = fulfilPurpose(SLASHER, 'fulfillSlashingRequest');

  it('lets a fulfillable request’s fulfil go once nothing holds it', () => {
    expect(fulfil.hold(req())).toBeNull();
  });

  it('holds it while the window runs, first', () => {
    expect(fulfil.hold(req({ status: 'in_veto_window', slashabilityPending: true }))).toEqual({ reason: expect.stringContaining('veto window has not passed'), hard: true });
  });

  it('holds it while what its stake did since it was queued is still being read: a lapse may be found (as the desk’s own key waits)', () => {
    expect(fulfil.hold(req({ slashabilityPending: true }))).toEqual({ reason: expect.stringContaining('still being read'), hard: true, transient: true });
    // FULFIL_AFTER_LAPSE=true too: the read may also find the stake gone, with nothing to slash
    expect(fulfilPurpose(SLASHER, 'fulfillSlashingRequest', true).hold(req({ slashabilityPending: true }))).toMatchObject({ hard: true });
  });

  it('holds a request that lapsed once for good unless FULFIL_AFTER_LAPSE (said before a pending read)', () => {
    expect(fulfil.hold(req({ everLapsed: true }))).toEqual({ reason: expect.stringContaining('FULFIL_AFTER_LAPSE=true'), hard: true });
    expect(fulfil.hold(req({ everLapsed: true, slashabilityPending: true }))).toEqual({ reason: expect.stringContaining('FULFIL_AFTER_LAPSE=true'), hard: true });
    expect(fulfilPurpose(SLASHER, 'fulfillSlashingRequest', true).hold(req({ everLapsed: true }))).toBeNull();
  });

  it('never holds a veto for it: vetoes go on', () => {
    expect(vetoPurpose(SLASHER).hold(req({ status: 'in_veto_window', slashabilityPending: true }))).toBeNull();
  });
});

describe('requestSnapshotOf', () => {
  const view = (slashability: 'read' | 'pending' | 'untracked') =>
    ({
      requestId: '7',
      queuedTxHash: '0xq',
      queuedAtBlock: 10,
      status: 'fulfillable',
      vetoWindowEnd: { block: 30, estimatedAt: '2026-12-05T00:00:00.000Z', estimated: false },
      lastUsefulBlock: null,
      confirmed: true,
      confirmations: 25,
      deadlines: { blockTimeSeconds: 2, slashability },
    }) as unknown as RequestView;

  it('tells a Safe desk when the request’s slashability is still pending', () => {
    expect(requestSnapshotOf(view('pending'), 0).slashabilityPending).toBe(true);
    expect(requestSnapshotOf(view('read'), 0).slashabilityPending).toBe(false);
    expect(requestSnapshotOf(view('untracked'), 0).slashabilityPending).toBe(false);
  });
});
