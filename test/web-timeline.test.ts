/* The request timeline (pure): order, estimates and what each entry says. */
import { buildTimeline } from '../src/api/timeline';
import { requestFingerprint } from '../src/api/events';
import type { RequestView, VetoView } from '../src/api/views';
import type { AlertListItem } from '../src/store/alertOutbox';

const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const TX = `0x${'ab'.repeat(32)}` as const;
const TX2 = `0x${'cd'.repeat(32)}` as const;

function view(extra: Partial<RequestView> = {}): RequestView {
  return {
    requestId: '7',
    slasher: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    variant: 'V3',
    operator: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    operatorSetId: 1,
    strategies: [],
    wadsToSlash: [],
    description: 'late attestation',
    queuedAtBlock: 100,
    queuedTxHash: TX,
    status: 'in_veto_window',
    // window end at block 140, estimated at 12:00:40 with 1 s blocks
    vetoWindowEnd: { block: 140, estimatedAt: '2026-01-01T12:00:40.000Z', estimated: true },
    lastUsefulBlock: null,
    lastUsefulBlockEstimatedAt: null,
    atRisk: false,
    confirmed: true,
    confirmations: 3,
    deadlines: { blockTimeSeconds: 1, blocksUntilWindowEnd: 37, blocksUntilLastUseful: null, registrationBound: null, strategies: [], slashability: 'read', slashabilityReadAtBlock: 100 },
    impact: null,
    impactReason: 'not read yet',
    ...extra,
  };
}

function veto(extra: Partial<VetoView> = {}): VetoView {
  return {
    safe: '0x9ba0E120eD6b77eCC2BC1276fD31A943fe204e79',
    nonce: 4,
    safeTxHash: TX2,
    typedData: {} as VetoView['typedData'],
    threshold: 2,
    blocked: null,
    signAgain: null,
    alternatives: [],
    signatures: [
      { signer: B, source: 'cli', submittedAt: '2026-01-01T12:00:10.000Z' },
      { signer: A, source: 'http', submittedAt: '2026-01-01T12:00:05.000Z', stale: 'removed as owner' },
    ],
    status: 'collecting',
    statusReason: null,
    executionTxHash: null,
    blockedByNonce: null,
    superseded: [],
    ...extra,
  };
}

const alert = (kind: string, createdAt: string): AlertListItem => ({
  id: kind,
  dedupKey: kind,
  kind,
  severity: 'warning',
  action: 'trigger',
  requestId: '7',
  title: `${kind} title`,
  seenAt: createdAt,
  createdAt,
  deliveries: [{ channel: 'slack', state: 'delivered', attempts: 1, nextAttemptAt: null, lastError: null, deliveredAt: createdAt, latencyMs: 10 }],
});

it('orders queued, proposal, signatures by time, alerts in between, and estimates block times', () => {
  const t = buildTimeline(view({ veto: veto() }), [alert('veto_reminder', '2026-01-01T12:00:07.000Z'), alert('request_queued', '2026-01-01T12:00:01.000Z')]);
  expect(t.entries.map((e) => [e.kind, e.actor ?? e.title])).toEqual([
    ['queued', 'Queued: slash 0x90F79bf6EB2c4f870365E785982E1f101E93b906 in operator set 1'],
    ['proposal', 'Veto proposed: Safe 0x9ba0E120eD6b77eCC2BC1276fD31A943fe204e79, nonce 4'],
    ['alert', 'Alert request_queued (warning): request_queued title'],
    ['signature', A],
    ['alert', 'Alert veto_reminder (warning): veto_reminder title'],
    ['signature', B],
  ]);
  // block 100 = 40 blocks of 1 s before the window end's estimate
  expect(t.entries[0]).toMatchObject({ at: '2026-01-01T12:00:00.000Z', estimated: true, block: 100, txHash: TX, detail: 'late attestation' });
  expect(t.entries[3]).toMatchObject({ source: 'http', detail: 'no longer counts: removed as owner', estimated: false });
  expect(t.entries[2]!.detail).toBe('sent to slack: delivered');
});

it('puts the execution before the cancel it caused, even when the block estimate says otherwise', () => {
  // the cancel's block estimate (12:00:03) is earlier than the last signature (12:00:10)
  const t = buildTimeline(view({ status: 'vetoed', veto: veto({ status: 'executed', executionTxHash: TX2 }), cancelled: { block: 103, txHash: TX2 } }), []);
  expect(t.entries.map((e) => e.kind)).toEqual(['queued', 'proposal', 'signature', 'signature', 'executed', 'cancelled']);
  expect(t.entries.at(-1)).toMatchObject({ block: 103, at: '2026-01-01T12:00:03.000Z', estimated: true, txHash: TX2 });
});

it('reports a failed execution with its reason, and re-plans', () => {
  const t = buildTimeline(view({ veto: veto({ status: 'failed', statusReason: 'VetoPeriodPassed: the veto window is over', superseded: [{ nonce: 3, safeTxHash: TX, reason: 'nonce 3 used by another transaction', signatures: 1 }] }) }), []);
  expect(t.entries.map((e) => e.kind)).toEqual(['queued', 'superseded', 'proposal', 'signature', 'signature', 'execution_failed']);
  expect(t.entries[1]!.detail).toMatch(/^nonce 3 used by another transaction; its 1 signature\(s\) will never execute/);
  expect(t.entries.at(-1)!.detail).toBe('VetoPeriodPassed: the veto window is over');
});

it('gives V1/V2 (timestamp windows) no block-time estimates', () => {
  const t = buildTimeline(view({ variant: 'V1', vetoWindowEnd: { timestamp: 1_800_000_000, estimatedAt: '2027-01-15T08:00:00.000Z', estimated: false }, fulfilled: { block: 180, txHash: TX2 }, status: 'fulfilled' }), []);
  expect(t.entries.map((e) => [e.kind, e.at, e.estimated, e.block])).toEqual([
    ['queued', null, false, 100],
    ['fulfilled', null, false, 180],
  ]);
});

it('shows the chain’s own time for the blocks the desk kept, and when each proposal was planned', () => {
  // the chain paused: block 100 came at 11:00, an hour before 1 s blocks would put it
  const blockTimes = new Map([
    [100, Date.parse('2026-01-01T11:00:00.000Z') / 1000],
    [103, Date.parse('2026-01-01T12:00:20.000Z') / 1000],
  ]);
  const proposedAt = new Map([
    [TX2.toLowerCase(), '2026-01-01T11:00:02.000Z'],
    [TX.toLowerCase(), '2026-01-01T11:00:01.000Z'],
  ]);
  const t = buildTimeline(
    view({ status: 'vetoed', veto: veto({ status: 'executed', executionTxHash: TX2, superseded: [{ nonce: 3, safeTxHash: TX, reason: 'nonce 3 used by another transaction', signatures: 0 }] }), cancelled: { block: 103, txHash: TX2 } }),
    [],
    { blockTimes, proposedAt },
  );
  expect(t.entries.map((e) => [e.kind, e.at, e.estimated, e.block])).toEqual([
    ['queued', '2026-01-01T11:00:00.000Z', false, 100],
    ['superseded', '2026-01-01T11:00:01.000Z', false, null],
    ['proposal', '2026-01-01T11:00:02.000Z', false, null],
    ['signature', '2026-01-01T12:00:05.000Z', false, null],
    ['signature', '2026-01-01T12:00:10.000Z', false, null],
    // the execution is the cancel's transaction: its block and the chain's time
    ['executed', '2026-01-01T12:00:20.000Z', false, 103],
    ['cancelled', '2026-01-01T12:00:20.000Z', false, 103],
  ]);
  // a block the desk did not keep is still extrapolated, and says so
  const u = buildTimeline(view(), [], { blockTimes: new Map(), proposedAt: new Map() });
  expect(u.entries[0]).toMatchObject({ at: '2026-01-01T12:00:00.000Z', estimated: true });
});

it('fingerprints what the board shows, not the ticking countdowns', () => {
  const a = view({ veto: veto() });
  expect(requestFingerprint({ ...a, deadlines: { ...a.deadlines, blocksUntilWindowEnd: 1 } })).toBe(requestFingerprint(a));
  expect(requestFingerprint({ ...a, status: 'fulfillable' })).not.toBe(requestFingerprint(a));
  expect(requestFingerprint({ ...a, veto: veto({ signatures: [] }) })).not.toBe(requestFingerprint(a));
  expect(requestFingerprint({ ...a, veto: veto({ status: 'ready' }) })).not.toBe(requestFingerprint(a));
});
