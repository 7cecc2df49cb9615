import { fulfilPurpose } from './proposalPurpose';
import { missedReason, revivedBecause } from './revive';
import type { RequestSnapshot } from './types';

const purpose = {
  collects: ['in_veto_window', 'fulfillable'] as RequestSnapshot['status'][],
  done: (r: RequestSnapshot) => (r.status === 'fulfilled' ? { txHash: r.fulfilledTxHash ?? null, block: r.fulfilledBlock ?? null } : null),
  hold: () => null,
};
/** FULFIL_AFTER_LAPSE=false: a request that lapsed once is held for good */
const holdsLapsed = { ...purpose, hold: (r: RequestSnapshot) => (r.status !== 'fulfillable' ? { reason: 'the window runs', hard: true } : r.everLapsed ? { reason: 'lapsed once', hard: true } : null) };
const req = (over: Partial<RequestSnapshot> = {}): RequestSnapshot => ({
  requestId: '7',
  queuedTxHash: '0xq',
  queuedAtBlock: 10,
  status: 'fulfillable',
  deadline: 30,
  windowEnd: { block: 30 } as RequestSnapshot['windowEnd'],
  lastVetoBlock: 29,
  lastUsefulBlock: null,
  confirmed: true,
  blockTimeSeconds: 2,
  everLapsed: true,
  ...over,
});
const row = (over: Partial<Parameters<typeof revivedBecause>[0]> = {}) => ({ requestId: '7', requestTxHash: '0xq', status: 'abandoned', statusReason: 'the last useful block passed before the fulfil executed', nonce: 4, ...over });

describe('revivedBecause', () => {
  it('revives a proposal set aside when its request closed, once the request is open again and its nonce unused', () => {
    expect(revivedBecause(row(), req(), purpose, 4)).toContain('fulfillable again');
    expect(revivedBecause(row({ nonce: 6 }), req({ status: 'in_veto_window' }), purpose, 4)).toContain('in_veto_window again');
  });

  it('revives a failure that only missed its deadline with its threshold', () => {
    expect(revivedBecause(row({ status: 'failed', statusReason: missedReason('fulfil', 'the desk could not execute it in time') }), req(), purpose, 4)).not.toBeNull();
    expect(revivedBecause(row({ status: 'failed', statusReason: missedReason('veto', 'x') }), req(), purpose, 4)).not.toBeNull();
  });

  it("keeps failures of its own, live and executed proposals as they are", () => {
    expect(revivedBecause(row({ status: 'failed', statusReason: 'would revert: OnlySlasher()' }), req(), purpose, 4)).toBeNull();
    expect(revivedBecause(row({ status: 'failed', statusReason: 'ExecutionFailure: the Safe ran the transaction but the call inside failed' }), req(), purpose, 4)).toBeNull();
    expect(revivedBecause(row({ status: 'failed', statusReason: null }), req(), purpose, 4)).toBeNull();
    for (const status of ['collecting', 'ready', 'executed']) expect(revivedBecause(row({ status }), req(), purpose, 4)).toBeNull();
  });

  it('never revives at a used nonce, for a closed or decided request, or for another request under the id', () => {
    expect(revivedBecause(row({ nonce: 3 }), req(), purpose, 4)).toBeNull();
    for (const status of ['lapsed', 'vetoed', 'fulfilled'] as const) expect(revivedBecause(row(), req({ status }), purpose, 4)).toBeNull();
    expect(revivedBecause(row(), req({ status: 'fulfillable', fulfilledTxHash: '0xf' }), { ...purpose, done: () => ({ txHash: '0xf', block: 9 }) }, 4)).toBeNull();
    expect(revivedBecause(row(), req({ queuedTxHash: '0xother' }), purpose, 4)).toBeNull();
    expect(revivedBecause(row(), undefined, purpose, 4)).toBeNull();
  });

  it('leaves rejections and batches to their owners', () => {
    expect(revivedBecause(row({ requestId: 'rejection:4' }), req(), purpose, 4)).toBeNull();
    expect(revivedBecause(row({ requestId: 'batch:4:7,8' }), req(), purpose, 4)).toBeNull();
  });

  it('leaves aside one the desk would hold for good (a lapse, FULFIL_AFTER_LAPSE=false): live, it would hold its nonce', () => {
    expect(revivedBecause(row(), req(), holdsLapsed, 4)).toBeNull();
    expect(revivedBecause(row(), req({ everLapsed: false, status: 'in_veto_window' }), holdsLapsed, 4)).not.toBeNull();
    // the window's own hold ends at the window end: a lapsed request back in its window is revived
    expect(revivedBecause(row(), req({ everLapsed: true, status: 'in_veto_window' }), holdsLapsed, 4)).not.toBeNull();
    expect(revivedBecause(row(), req({ everLapsed: true }), { ...purpose, hold: () => ({ reason: 'window', hard: false }) }, 4)).not.toBeNull();
  });
});

describe('revivedBecause with the fulfil purpose itself', () => {
  const SLASHER = '0x00000000000000000000000000000000000000b1';
  it('a lapsed request’s fulfil is revived with FULFIL_AFTER_LAPSE=true even while its slashability is read (the plan holds it meanwhile), never without', () => {
    const after = fulfilPurpose(SLASHER, 'fulfillSlashingRequest', true);
    expect(revivedBecause(row(), req({ slashabilityPending: true }), after, 4)).toContain('fulfillable again');
    expect(after.hold(req({ slashabilityPending: true }))).toMatchObject({ hard: true });
    const never = fulfilPurpose(SLASHER, 'fulfillSlashingRequest', false);
    expect(revivedBecause(row(), req({ slashabilityPending: true }), never, 4)).toBeNull();
    expect(revivedBecause(row(), req({ slashabilityPending: false }), never, 4)).toBeNull();
  });
});
