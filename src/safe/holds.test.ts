import type { BlockedProposal } from '../domain/noncePlan';
import { PASSING_HOLD_GRACE_BLOCKS as G, vetoHold, withheldBlockAlerts } from './holds';
import type { RequestSnapshot } from './types';

const holder = (over: Partial<BlockedProposal['holders'][number]>): BlockedProposal['holders'][number] => ({ proposalId: 1, kind: 'call', requestIds: ['1'], signers: ['0xa', '0xb'], missing: 0, held: 'still being read', transient: true, ...over });
const blocked = (proposalId: number, holders: BlockedProposal['holders']): BlockedProposal => ({ proposalId, kind: 'call', requestIds: [String(proposalId)], nonce: 1, blockingNonce: 0, holders });

describe('withheldBlockAlerts', () => {
  it('withholds a block behind a ready proposal held while the desk reads, for the grace only', () => {
    const since = new Map<number, number>();
    const b = [blocked(2, [holder({})])];
    const far = () => 1_000;
    expect(withheldBlockAlerts(b, far, 100, since)).toEqual(new Set([2]));
    expect(withheldBlockAlerts(b, far, 100 + G - 1, since)).toEqual(new Set([2]));
    // the read did not end within the grace: no longer passing, alerted
    expect(withheldBlockAlerts(b, far, 100 + G, since)).toEqual(new Set());
  });

  it('alerts at once when the deadline leaves too little time to act if the read does not end', () => {
    const b = [blocked(2, [holder({})])];
    expect(withheldBlockAlerts(b, () => 3 * G, 100, new Map())).toEqual(new Set());
    expect(withheldBlockAlerts(b, () => 3 * G + 1, 100, new Map())).toEqual(new Set([2]));
    expect(withheldBlockAlerts(b, () => null, 100, new Map())).toEqual(new Set([2]));
  });

  it('alerts a block behind a lasting hold, a short holder or a gap', () => {
    const far = () => 1_000;
    expect(withheldBlockAlerts([blocked(2, [holder({ transient: false, held: 'window runs' })])], far, 100, new Map())).toEqual(new Set());
    expect(withheldBlockAlerts([blocked(2, [holder({ missing: 1, held: null, transient: false })])], far, 100, new Map())).toEqual(new Set());
    expect(withheldBlockAlerts([blocked(2, [])], far, 100, new Map())).toEqual(new Set());
    // one ready alternative that goes by itself clears the nonce, whatever the others
    expect(withheldBlockAlerts([blocked(2, [holder({ proposalId: 3, missing: 1, held: null, transient: false }), holder({})])], far, 100, new Map())).toEqual(new Set([2]));
  });

  it('a block that cleared and comes back starts a new grace', () => {
    const since = new Map<number, number>();
    const b = [blocked(2, [holder({})])];
    const far = () => 1_000;
    withheldBlockAlerts(b, far, 100, since);
    withheldBlockAlerts([], far, 105, since);
    expect(since.size).toBe(0);
    expect(withheldBlockAlerts(b, far, 100 + G + 5, since)).toEqual(new Set([2]));
  });
});

describe('vetoHold', () => {
  const policy = { policy: 'at_threshold' as const, leadSec: 0 };
  it('holds a request under too few CONFIRMATIONS hard, and as one that passes by itself', () => {
    const req = { requestId: '7', confirmed: false } as RequestSnapshot;
    expect(vetoHold(req, null, 0, policy)).toEqual({ reason: 'request 7 is not yet buried under CONFIRMATIONS blocks', hard: true, transient: true });
    expect(vetoHold({ ...req, confirmed: true }, null, 0, policy)).toBeNull();
  });
});
