import type { RequestView } from '../requests/views';
import { AlertKeys, planAlerts, requestKey, type PlanInput } from './planner';
import { formatWadPercent, formatDuration, vetoProgressLine } from './summary';

const SLASHER = '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6';

function view(o: Partial<Omit<RequestView, 'veto'>> & { head?: number; overwrote?: number; veto?: unknown } = {}): RequestView {
  const queuedAtBlock = o.queuedAtBlock ?? 100;
  const head = o.head ?? 110;
  const v = {
    requestId: '7',
    slasher: SLASHER,
    variant: 'V3',
    operator: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
    operatorSetId: 1,
    strategies: ['0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0'],
    wadsToSlash: ['500000000000000000'],
    description: 'Equivocation',
    queuedAtBlock,
    queuedTxHash: `0x${'ab'.repeat(32)}`,
    status: 'in_veto_window',
    vetoWindowEnd: { block: queuedAtBlock + 1000, estimatedAt: '2026-11-23T00:00:00.000Z', estimated: true },
    lastUsefulBlock: null,
    lastUsefulBlockEstimatedAt: null,
    atRisk: false,
    confirmed: true,
    confirmations: head - queuedAtBlock,
    deadlines: { blockTimeSeconds: 12, blocksUntilWindowEnd: queuedAtBlock + 1000 - head, blocksUntilLastUseful: null, registrationBound: null, strategies: [], slashability: 'read', slashabilityReadAtBlock: head },
    ...o,
  } as RequestView;
  delete (v as { head?: number }).head;
  return v;
}

function plan(views: RequestView[], o: Partial<PlanInput> = {}) {
  return planAlerts({ chainId: 31337, slasher: SLASHER, views, health: null, leadTimesSec: [172800, 43200, 7200, 1800], nowSec: 1_800_000_000, known: () => false, incidents: new Map(), ...o });
}

describe('planAlerts: requests', () => {
  it('alerts a new open request once, with a human summary', () => {
    const [a, ...rest] = plan([view()]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'request_queued', severity: 'warning', requestId: '7', action: 'trigger', dedupKey: `${requestKey(31337, SLASHER, view())}:request_queued` });
    expect(a!.text).toContain('50%');
    expect(a!.text).toContain('Veto window ends: block 1100');
    expect(a!.text).toContain('Last useful block (L): unbounded');
    expect(plan([view()], { known: (k) => k === a!.dedupKey })).toEqual([]);
  });

  it('waits for an open request whose slashability is not read yet (its L is unknown, not unbounded)', () => {
    const pending = view({ deadlines: { ...view().deadlines, slashability: 'pending', slashabilityReadAtBlock: null } });
    expect(plan([pending])).toEqual([]);
    expect(plan([{ ...pending, deadlines: { ...pending.deadlines, slashability: 'untracked' } }]).map((a) => a.kind)).toEqual(['request_queued']);
    // terminal news does not depend on L
    expect(plan([{ ...pending, status: 'vetoed', cancelled: { block: 105, txHash: `0x${'cd'.repeat(32)}` } }]).map((a) => a.kind)).toEqual(['request_vetoed']);
  });

  it('a new request waits (at most two blocks) for what it slashes; the alert and reminders carry the amount and where the funds go', () => {
    const unread = { impact: null, impactReason: 'not read yet' };
    expect(plan([view({ head: 101, ...unread })])).toEqual([]);
    expect(plan([view({ head: 102, ...unread })]).map((a) => [a.kind, a.text.includes('To slash: unknown (not read yet)')])).toEqual([['request_queued', true]]);
    const impact = {
      readAtBlock: 101,
      atWindowEnd: true,
      redistribution: { redistributing: true, recipient: '0x000000000000000000000000000000000000dEaD' as const },
      strategies: [{ strategy: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as const, token: { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const, symbol: 'stETH', decimals: 18 }, slashableShares: '2500000000000000000000', slashableSharesNow: '2500000000000000000000', sharesToSlash: '1250000000000000000000', tokensToSlash: '1250000000000000000000', remainingShares: '1250000000000000000000' }],
    };
    const [queued] = plan([view({ head: 101, impact, impactReason: null })]);
    expect(queued!.text).toContain('To slash: 1,250 stETH (at the window end, read at block 101)');
    expect(queued!.text).toContain('Funds: redistributed to 0x000000000000000000000000000000000000dEaD (not burned)');
    expect(queued!.data).toMatchObject({ impact });
    const reminder = plan([view({ head: 1100 - 140, impact, impactReason: null, deadlines: { ...view().deadlines, blocksUntilWindowEnd: 140 } })]).find((a) => a.kind === 'veto_reminder')!;
    expect(reminder.text).toContain('To slash: 1,250 stETH');
    expect(reminder.text).toContain('Funds: redistributed to 0x000000000000000000000000000000000000dEaD');
    const burned = plan([view({ impact: { ...impact, redistribution: { redistributing: false, recipient: '0x00000000000000000000000000000000000E16E4' } }, impactReason: null })])[0]!;
    expect(burned.text).toContain('Funds: burned (0x00000000000000000000000000000000000E16E4)');
    const older = plan([view({ impact: { ...impact, redistribution: { redistributing: null, recipient: null } }, impactReason: null })])[0]!;
    expect(older.text).toContain('Funds: unknown (older core without the redistribution getters)');
  });

  it('alerts at risk at once, critical', () => {
    const kinds = plan([view({ atRisk: true, lastUsefulBlock: 150 })]).map((a) => [a.kind, a.severity]);
    expect(kinds).toEqual([['request_queued', 'critical'], ['request_at_risk', 'critical']]);
  });

  it('reminds at the tightest lead passed only, from blocks × block time', () => {
    // 1000 blocks × 12 s = 3.3 h window: 48 h and 12 h are longer than the window → never
    const at = (blocksLeft: number, blockTime = 12) => plan([view({ head: 1100 - blocksLeft, deadlines: { ...view().deadlines, blocksUntilWindowEnd: blocksLeft, blockTimeSeconds: blockTime } })]).filter((a) => a.kind === 'veto_reminder');
    expect(at(700)).toEqual([]); // 2.3 h left
    expect(at(590).map((a) => a.data.leadSeconds)).toEqual([7200]);
    expect(at(140).map((a) => a.data.leadSeconds)).toEqual([1800]);
    // the chain speeds up: the same 590 blocks at 2 s are 20 min
    expect(at(590, 2).map((a) => a.data.leadSeconds)).toEqual([1800]);
    expect(at(140)[0]!.severity).toBe('critical');
    expect(at(140)[0]!.dedupKey).toMatch(/:veto_reminder:1800s$/);
  });

  it('reports veto signatures defensively when a veto is present', () => {
    const v = view({ veto: { threshold: 2, signatures: [{ signer: '0xA' }, { signer: '0xB', stale: 'not an owner' }] } });
    expect(vetoProgressLine(v)).toBe('Veto signatures: 1 of 2 needed');
    expect(vetoProgressLine(view({ veto: { threshold: 2, owners: ['0xA', '0xC'], signers: ['0xa'] } }))).toBe('Veto signatures: 1 of 2 needed; not signed: 0xC');
    expect(vetoProgressLine(view({ veto: 'garbage' }))).toBe('Veto signatures: none collected through the desk yet');
    expect(vetoProgressLine(view({ veto: { threshold: 2, signatures: [{ signer: '0xA' }] } }), ['0xa', '0xB', '0xC'])).toBe('Veto signatures: 1 of 2 needed; not signed: 0xB, 0xC');
  });

  it('alerts terminal states only when they are news', () => {
    const vetoed = view({ status: 'vetoed', head: 5000, cancelled: { block: 120, txHash: `0x${'cd'.repeat(32)}` } });
    expect(plan([vetoed])).toEqual([]); // history on first start
    const queuedKey = `${requestKey(31337, SLASHER, vetoed)}:request_queued`;
    const a = plan([vetoed], { known: (k) => k === queuedKey });
    expect(a.map((x) => [x.kind, x.action])).toEqual([['request_vetoed', 'resolve']]);
    const recent = view({ status: 'fulfilled', head: 130, fulfilled: { block: 125, txHash: `0x${'ef'.repeat(32)}` } });
    expect(plan([recent]).map((x) => x.kind)).toEqual(['request_fulfilled']);
    const lapsed = view({ status: 'lapsed', head: 200, lastUsefulBlock: 190 });
    expect(plan([lapsed]).map((x) => [x.kind, x.severity])).toEqual([['stake_escaped', 'critical']]);
  });

  it('alerts a V4 overwrite per overwrite count', () => {
    const a = plan([view({ variant: 'V4', overwrote: 2 })]).find((x) => x.kind === 'v4_request_overwritten');
    expect(a?.dedupKey).toMatch(/:v4_request_overwritten:2$/);
  });
});

describe('planAlerts: key texts kept across plans', () => {
  /** every kind a request's plan makes: queued, at risk, a reminder, an overwrite, and the decided ones */
  const views = (head: number): RequestView[] => [
    view({ head }),
    view({ requestId: '8', head, atRisk: true }),
    view({ requestId: '9', head, queuedAtBlock: 10, deadlines: { ...view().deadlines, blocksUntilWindowEnd: 100 } }),
    view({ requestId: '10', head, overwrote: 2 }),
    view({ requestId: '11', head, status: 'vetoed', cancelled: { block: head - 1, txHash: `0x${'cd'.repeat(32)}` } }),
    view({ requestId: '12', head, status: 'fulfilled', fulfilled: { block: head - 1, txHash: `0x${'ef'.repeat(32)}` } }),
    view({ requestId: '13', head, status: 'lapsed', lastUsefulBlock: head - 1 }),
  ];

  it('plans exactly what a plan without them does, block after block, and for an id reused on V4', () => {
    const keys = new AlertKeys(31337, SLASHER);
    const known = new Set<string>();
    for (const head of [110, 111, 112]) {
      // what each plan asks of the existing alerts, and what it plans
      const asked: string[][] = [[], []];
      const fresh = plan(views(head), { known: (k) => asked[0]!.push(k) > 0 && known.has(k) });
      expect(plan(views(head), { known: (k) => asked[1]!.push(k) > 0 && known.has(k), keys })).toEqual(fresh);
      expect(asked[1]).toEqual(asked[0]);
      expect(asked[0]!.length).toBeGreaterThanOrEqual(7);
      if (head === 110) expect(new Set(fresh.map((d) => d.kind))).toEqual(new Set(['request_queued', 'request_at_risk', 'veto_reminder', 'v4_request_overwritten', 'request_vetoed', 'request_fulfilled', 'stake_escaped']));
      // every dedup key is the request's key and the kind (and suffix), as stored
      for (const d of fresh) expect(d.dedupKey.startsWith(`${d.incidentKey}:${d.kind}`)).toBe(true);
      for (const d of fresh) known.add(d.dedupKey);
    }
    // the same id queued again later (V4): its own keys, not the earlier request's
    const reused = view({ queuedAtBlock: 105, head: 112 });
    const [queued] = plan([reused], { known: (k) => known.has(k), keys });
    expect(queued).toMatchObject({ kind: 'request_queued', dedupKey: `${requestKey(31337, SLASHER, reused)}:request_queued` });
    expect(requestKey(31337, SLASHER, reused)).not.toBe(requestKey(31337, SLASHER, view()));
  });

  it('are not used for another slasher or chain', () => {
    const keys = new AlertKeys(1, SLASHER);
    const [d] = plan([view()], { keys });
    expect(d!.dedupKey).toBe(`${requestKey(31337, SLASHER, view())}:request_queued`);
  });
});

describe('planAlerts: desk health', () => {
  const health = { lagBlocks: 0, lagThresholdBlocks: 64, lastError: null, fatal: null };
  it('triggers once and resolves an incident with stable numbered keys', () => {
    const t = plan([], { health: { ...health, lastError: 'fetch failed' } });
    expect(t.map((a) => [a.kind, a.action, a.incidentKey])).toEqual([['desk_ingest_error', 'trigger', `31337:${SLASHER.toLowerCase()}:desk:desk_ingest_error:#1`]]);
    expect(t[0]!.requestId).toBeUndefined();
    const open = new Map([['desk_ingest_error', { open: t[0]!.incidentKey, count: 1 }]]);
    expect(plan([], { health: { ...health, lastError: 'fetch failed' }, incidents: open })).toEqual([]);
    const r = plan([], { health, incidents: open });
    expect(r.map((a) => [a.kind, a.action, a.incidentKey, a.dedupKey])).toEqual([['desk_ingest_error', 'resolve', t[0]!.incidentKey, `${t[0]!.incidentKey}:resolve`]]);
    const again = plan([], { health: { ...health, lastError: 'x' }, incidents: new Map([['desk_ingest_error', { open: null, count: 1 }]]) });
    expect(again[0]!.incidentKey).toMatch(/:#2$/);
  });
  it('alerts lag above the threshold and a reorg deeper than REORG_DEPTH', () => {
    expect(plan([], { health: { ...health, lagBlocks: 65 } }).map((a) => a.kind)).toEqual(['desk_indexer_lagging']);
    expect(plan([], { health: { ...health, lastError: 'x', fatal: 'reorg deeper than 64 blocks' } }).map((a) => a.kind)).toEqual(['desk_reorg_too_deep']);
  });
  it('alerts a sending account below ALERT_MIN_BALANCE, and resolves it once funded', () => {
    const low = { role: 'slasher' as const, account: '0x00000000000000000000000000000000000000aa', balanceEth: '0.01', minEth: '0.05' };
    const t = plan([], { health: { ...health, lowBalances: [low] } });
    expect(t.map((a) => [a.kind, a.severity, a.action])).toEqual([['balance_low', 'critical', 'trigger']]);
    expect(t[0]!.text).toMatch(/slasher account 0x0+aa holds 0\.01 ETH, less than ALERT_MIN_BALANCE 0\.05 ETH[\s\S]*next fulfil/);
    const open = new Map([['balance_low', { open: t[0]!.incidentKey, count: 1 }]]);
    expect(plan([], { health: { ...health, lowBalances: [] }, incidents: open }).map((a) => [a.kind, a.action])).toEqual([['balance_low', 'resolve']]);
  });
  it('warns while the Transaction Service is unreachable, and resolves when it answers', () => {
    const t = plan([], { health: { ...health, txServiceError: 'connect ECONNREFUSED 127.0.0.1:9' } });
    expect(t.map((a) => [a.kind, a.severity])).toEqual([['tx_service_unreachable', 'warning']]);
    expect(t[0]!.text).toMatch(/ECONNREFUSED.*no deadline depends on the service/s);
    const open = new Map([['tx_service_unreachable', { open: t[0]!.incidentKey, count: 1 }]]);
    expect(plan([], { health: { ...health, txServiceError: null }, incidents: open }).map((a) => a.action)).toEqual(['resolve']);
  });
});

describe('summary helpers', () => {
  it('formats wads and durations', () => {
    expect(formatWadPercent('500000000000000000')).toBe('50%');
    expect(formatWadPercent('333333333333333333')).toBe('33.33%');
    expect(formatWadPercent('1000000000000000000')).toBe('100%');
    expect(formatWadPercent('10000000000000000')).toBe('1%');
    expect(formatWadPercent('15000000000000000')).toBe('1.5%');
    expect(formatDuration(7080)).toBe('1h 58m');
    expect(formatDuration(90000)).toBe('1d 1h');
    expect(formatDuration(42)).toBe('42s');
  });
});
