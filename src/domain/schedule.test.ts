import { decideSchedule, escalationLead, secondsUntilWindowEnd, vetoExecutionHeld, type ScheduleInput } from './schedule';

const head = { number: 1_000, timestamp: 1_700_000_000 };
const base: ScheduleInput = {
  request: { status: 'in_veto_window', windowEnd: { kind: 'block', block: 1_050 }, lastUsefulBlock: null, atRisk: false, confirmed: true, confirmedAtBlock: 990, windowSeconds: 86_400 },
  head,
  nowSec: head.timestamp + 1,
  blockTime: 12,
  veto: null,
  fulfil: { kind: 'key' },
  sent: null,
  config: { dryRun: false, vetoExecutionPolicy: 'at_threshold', vetoEscalationLeadSec: 3600, feeBumpBlocks: 2 },
};
const input = (over: Partial<Omit<ScheduleInput, 'request' | 'config'>> & { request?: Partial<ScheduleInput['request']>; config?: Partial<ScheduleInput['config']> }): ScheduleInput => ({
  ...base,
  ...over,
  request: { ...base.request, ...over.request },
  config: { ...base.config, ...over.config },
});

describe('decideSchedule', () => {
  it.each(['vetoed', 'fulfilled', 'lapsed'] as const)('has nothing to do for a %s request', (status) => {
    expect(decideSchedule(input({ request: { status } }))).toEqual({ next: null, due: null, flags: [] });
  });

  it('waits for confirmations before acting, even when the fulfil is due', () => {
    const d = decideSchedule(input({ request: { status: 'fulfillable', confirmed: false, confirmedAtBlock: 1_002 } }));
    expect(d.due).toBeNull();
    expect(d.next).toMatchObject({ kind: 'await_confirmations', dueBlock: 1_002 });
  });

  it('plans the fulfil at the window end block while the window is open and no veto is under way', () => {
    const d = decideSchedule(input({}));
    expect(d).toEqual({ next: { kind: 'fulfil', actor: 'desk', dueBlock: 1_050, dueAtSec: head.timestamp + 50 * 12, estimated: true, note: null }, due: null, flags: [] });
  });

  it('gives a timestamp window its exact time (not an estimate)', () => {
    const d = decideSchedule(input({ request: { windowEnd: { kind: 'timestamp', timestamp: head.timestamp + 500 } } }));
    expect(d.next).toMatchObject({ kind: 'fulfil', dueBlock: null, dueAtSec: head.timestamp + 500, estimated: false });
  });

  it('sends the fulfil once it is fulfillable and the desk holds the key', () => {
    const d = decideSchedule(input({ request: { status: 'fulfillable' } }));
    expect(d.due).toBe('send_fulfil');
    expect(d.flags).toEqual(['fulfil_due']);
    expect(d.next).toMatchObject({ kind: 'fulfil', actor: 'desk', dueBlock: null });
  });

  it('never sends under DRY_RUN, and says so', () => {
    const d = decideSchedule(input({ request: { status: 'fulfillable' }, config: { dryRun: true } }));
    expect(d.due).toBeNull();
    expect(d.flags).toEqual(['fulfil_due', 'dry_run_hold']);
    expect(d.next?.note).toMatch(/DRY_RUN/);
  });

  it('alerts when nobody can fulfil, never skips silently', () => {
    const d = decideSchedule(input({ request: { status: 'fulfillable', lastUsefulBlock: 1_010 }, fulfil: { kind: 'none' } }));
    expect(d.due).toBeNull();
    expect(d.flags).toEqual(['fulfil_due', 'fulfil_no_actor']);
    expect(d.next).toMatchObject({ kind: 'fulfil', actor: 'nobody' });
    expect(d.next?.note).toMatch(/SLASHER_PRIVATE_KEY.*block 1010/);
  });

  it('shows the no-actor problem already during the window', () => {
    expect(decideSchedule(input({ fulfil: { kind: 'none' } })).next).toMatchObject({ kind: 'fulfil', actor: 'nobody', dueBlock: 1_050 });
  });

  describe('fulfil through governance Safe', () => {
    const safe = (status: 'none' | 'collecting' | 'ready' | 'executed', executor = true) => ({ kind: 'safe' as const, status, signatures: status === 'ready' ? 2 : 1, threshold: 2, executor });
    it('collects signatures during the window', () => {
      expect(decideSchedule(input({ fulfil: safe('collecting') })).next).toMatchObject({ kind: 'collect_fulfil_signatures', actor: 'owners', dueBlock: 1_050 });
    });
    it('flags missing quorum once the window is near its end', () => {
      const d = decideSchedule(input({ head: { number: 1_045, timestamp: head.timestamp }, fulfil: safe('collecting') }));
      expect(d.flags).toContain('fulfil_no_quorum');
    });
    it('flags missing quorum when the fulfil is due', () => {
      const d = decideSchedule(input({ request: { status: 'fulfillable' }, fulfil: safe('collecting') }));
      expect(d.flags).toEqual(['fulfil_due', 'fulfil_no_quorum']);
      expect(d.due).toBeNull();
    });
    it('executes through the desk with quorum (the Safe desk sends it)', () => {
      const d = decideSchedule(input({ request: { status: 'fulfillable' }, fulfil: safe('ready') }));
      expect(d.next).toMatchObject({ kind: 'fulfil', actor: 'desk' });
      expect(d.due).toBeNull();
    });
    it('names the owners as actor without an executor key', () => {
      expect(decideSchedule(input({ request: { status: 'fulfillable' }, fulfil: safe('ready', false) })).next).toMatchObject({ actor: 'owners' });
    });
  });

  describe('a sent fulfil', () => {
    const fulfillable = { status: 'fulfillable' as const, lastUsefulBlock: 2_000 };
    it('waits while it is young', () => {
      const d = decideSchedule(input({ request: fulfillable, sent: { state: 'pending', sentAtBlock: 999 } }));
      expect(d.due).toBeNull();
      expect(d.next).toMatchObject({ kind: 'await_fulfil' });
    });
    it('never sends a second fulfil while one is in flight, however long it waits (the sender re-prices it)', () => {
      expect(decideSchedule(input({ request: fulfillable, sent: { state: 'pending', sentAtBlock: 900 } })).due).toBeNull();
      expect(decideSchedule(input({ request: { status: 'fulfillable', lastUsefulBlock: 1_002 }, sent: { state: 'pending', sentAtBlock: 999 } })).due).toBeNull();
    });
    it('is done once mined', () => {
      expect(decideSchedule(input({ request: fulfillable, sent: { state: 'mined', sentAtBlock: 999 } }))).toEqual({ next: null, due: null, flags: ['fulfil_due'] });
    });
    it('sends again after a failure while still fulfillable', () => {
      expect(decideSchedule(input({ request: fulfillable, sent: { state: 'failed', sentAtBlock: 999 } })).due).toBe('send_fulfil');
    });
  });

  describe('a veto in flight at the window end', () => {
    it('asks for the veto to be cancelled, and sends the fulfil in the same pass (the veto can no longer land)', () => {
      const d = decideSchedule(input({ request: { status: 'fulfillable', lastUsefulBlock: 2_000 }, vetoInFlight: true }));
      expect(d.due).toBe('send_fulfil');
      expect(d.flags).toEqual(['fulfil_due', 'veto_in_flight']);
      expect(d.next).toMatchObject({ kind: 'fulfil', actor: 'desk', note: expect.stringContaining('the fulfil goes now') });
    });
    it('asks for it to be cancelled whoever fulfils: a governance Safe, nobody, or nobody after a lapse', () => {
      const request = { status: 'fulfillable' as const, lastUsefulBlock: 2_000 };
      for (const status of ['ready', 'collecting'] as const) {
        const d = decideSchedule(input({ request, vetoInFlight: true, fulfil: { kind: 'safe', status, signatures: status === 'ready' ? 2 : 1, threshold: 2, executor: true } }));
        expect(d.flags).toContain('veto_in_flight');
        expect(d.flags.filter((x) => x === 'veto_in_flight')).toHaveLength(1);
      }
      expect(decideSchedule(input({ request, vetoInFlight: true, fulfil: { kind: 'none' } })).flags).toContain('veto_in_flight');
      expect(decideSchedule(input({ request: { status: 'fulfillable', lastUsefulBlock: null }, lapsedAtBlock: 990, vetoInFlight: true })).flags).toEqual(['slashable_again', 'veto_in_flight']);
      expect(decideSchedule(input({ request, vetoInFlight: false, fulfil: { kind: 'safe', status: 'ready', signatures: 2, threshold: 2, executor: true } })).flags).not.toContain('veto_in_flight');
    });
    it('sends once nothing of the veto is in flight any more', () => {
      expect(decideSchedule(input({ request: { status: 'fulfillable', lastUsefulBlock: 2_000 }, vetoInFlight: false })).due).toBe('send_fulfil');
    });
  });

  describe('a request whose stake escaped once', () => {
    const again = { request: { status: 'fulfillable' as const, lastUsefulBlock: null }, lapsedAtBlock: 990 };
    it('is not fulfilled without FULFIL_AFTER_LAPSE, and says so', () => {
      const d = decideSchedule(input(again));
      expect(d.due).toBeNull();
      expect(d.flags).toEqual(['slashable_again']);
      expect(d.next).toMatchObject({ kind: 'fulfil', actor: 'nobody', note: expect.stringContaining('FULFIL_AFTER_LAPSE=false') });
    });
    it('is fulfilled with FULFIL_AFTER_LAPSE=true', () => {
      const d = decideSchedule(input({ ...again, config: { fulfilAfterLapse: true } }));
      expect(d.due).toBe('send_fulfil');
      expect(d.flags).toEqual(['slashable_again', 'fulfil_due']);
    });
    it('has nothing to do while it stays lapsed', () => {
      expect(decideSchedule(input({ request: { status: 'lapsed' }, lapsedAtBlock: 990 }))).toEqual({ next: null, due: null, flags: [] });
    });
  });

  describe('veto', () => {
    it('a ready veto that is blocked asks owners to unblock it, never "execute" nor "escalate"', () => {
      const d = decideSchedule(input({ veto: { status: 'ready', signatures: 2, threshold: 2, blocked: 'blocked: nonce 3 is held by …' }, config: { vetoEscalationLeadSec: 10_000 } }));
      expect(d.next).toMatchObject({ kind: 'unblock_veto', actor: 'owners', note: 'blocked: nonce 3 is held by …', dueBlock: 1_050 });
      expect(d.flags).toEqual([]);
    });
    it('a ready veto does not escalate as "lacking signatures"', () => {
      const d = decideSchedule(input({ veto: { status: 'ready', signatures: 2, threshold: 2 }, config: { vetoEscalationLeadSec: 10_000 } }));
      expect(d.flags).not.toContain('veto_escalation');
    });
    it('collects signatures until the threshold', () => {
      const d = decideSchedule(input({ veto: { status: 'collecting', signatures: 1, threshold: 2 }, config: { vetoEscalationLeadSec: 60 } }));
      expect(d.next).toMatchObject({ kind: 'collect_veto_signatures', actor: 'owners', dueBlock: 1_050, note: '1 of 2 signatures; a veto must land before the window ends' });
      expect(d.flags).toEqual([]);
    });
    it('says what a veto still does once the stake escaped inside the window (head past L, or a lapse recorded)', () => {
      const past = decideSchedule(input({ veto: { status: 'collecting', signatures: 0, threshold: 2 }, request: { lastUsefulBlock: head.number - 5, atRisk: true } }));
      expect(past.next).toMatchObject({ kind: 'collect_veto_signatures', note: `0 of 2 signatures; a veto must land before the window ends (the operator's stake escaped at block ${head.number - 4}: a fulfil now slashes nothing, or stake allocated since; a veto keeps it from doing either)` });
      const recorded = decideSchedule(input({ veto: { status: 'collecting', signatures: 1, threshold: 2 }, lapsedAtBlock: 990 }));
      expect((recorded.next as { note: string }).note).toContain('escaped at block 990');
      // at L itself the stake is still there
      const atL = decideSchedule(input({ veto: { status: 'collecting', signatures: 1, threshold: 2 }, request: { lastUsefulBlock: head.number } }));
      expect((atL.next as { note: string }).note).toBe('1 of 2 signatures; a veto must land before the window ends');
    });
    it('escalates within the lead time of the window end', () => {
      // 50 blocks × 12 s: 600 s left
      expect(decideSchedule(input({ veto: { status: 'collecting', signatures: 1, threshold: 2 }, config: { vetoEscalationLeadSec: 600 } })).flags).toEqual(['veto_escalation']);
      expect(decideSchedule(input({ veto: { status: 'collecting', signatures: 1, threshold: 2 }, config: { vetoEscalationLeadSec: 599 } })).flags).toEqual([]);
    });
    it('never escalates earlier than a quarter of a short window', () => {
      // 600 s left of a 1,000 s window, lead 1 h: capped at 250 s, not yet
      const veto = { status: 'collecting' as const, signatures: 1, threshold: 2 };
      expect(decideSchedule(input({ veto, request: { windowSeconds: 1_000 } })).flags).toEqual([]);
      expect(decideSchedule(input({ veto, request: { windowSeconds: 2_400 } })).flags).toEqual(['veto_escalation']);
    });
    it('executes at the threshold by default', () => {
      const d = decideSchedule(input({ veto: { status: 'ready', signatures: 2, threshold: 2 } }));
      expect(d.next).toMatchObject({ kind: 'execute_veto', actor: 'desk', note: null, dueAtSec: head.timestamp + 12 });
    });
    it('holds a ready veto under before_deadline until the lead time', () => {
      const d = decideSchedule(input({ veto: { status: 'ready', signatures: 2, threshold: 2 }, config: { vetoExecutionPolicy: 'before_deadline', vetoEscalationLeadSec: 300 } }));
      expect(d.next?.note).toMatch(/before_deadline/);
      expect(d.next?.dueAtSec).toBe(head.timestamp + 600 - 300);
    });
  });
});

describe('vetoExecutionHeld', () => {
  const p = { policy: 'before_deadline' as const, windowEnd: { kind: 'block' as const, block: 1_050 }, head, nowSec: head.timestamp, blockTime: 12, leadSec: 300 };
  it('never holds under at_threshold', () => expect(vetoExecutionHeld({ ...p, policy: 'at_threshold' })).toBeNull());
  it('holds far from the deadline', () => expect(vetoExecutionHeld(p)).toMatch(/held until 5 min/));
  it('releases within lead + two blocks', () => {
    expect(vetoExecutionHeld({ ...p, head: { number: 1_050 - 27, timestamp: head.timestamp }, nowSec: head.timestamp })).toBeNull();
    expect(vetoExecutionHeld({ ...p, head: { number: 1_050 - 28, timestamp: head.timestamp }, nowSec: head.timestamp })).not.toBeNull();
  });
});

describe('secondsUntilWindowEnd', () => {
  it('counts timestamp windows against the wall clock', () => expect(secondsUntilWindowEnd({ kind: 'timestamp', timestamp: 100 }, head, 40, 12)).toBe(60));
  it('estimates block windows as blocks left × block time, whatever the clock says', () => {
    expect(secondsUntilWindowEnd({ kind: 'block', block: 1_010 }, head, head.timestamp + 20, 12)).toBe(120);
    // a head stamped long before the clock (a devnet's instantly mined history) does not close the window
    expect(secondsUntilWindowEnd({ kind: 'block', block: 1_036 }, head, head.timestamp + 3_600, 0.7)).toBeCloseTo(25.2);
  });
});

describe('escalationLead', () => {
  it('keeps the configured lead for long windows', () => expect(escalationLead(3600, 259_200)).toBe(3600));
  it('caps it at a quarter of a short window', () => expect(escalationLead(3600, 800)).toBe(200));
  it('keeps it when the window length is unknown', () => expect(escalationLead(3600, 0)).toBe(3600));
});
