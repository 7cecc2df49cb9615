import { NONCE_SLACK, planNonces, type NoncePlanInput, type PlanProposal, type PlanRequest } from './noncePlan';

const A = '0xa';
const B = '0xb';
const C = '0xc';

const req = (requestId: string, deadline: number, over: Partial<PlanRequest> = {}): PlanRequest => ({ requestId, open: true, deadline, ...over });
const call = (id: number, requestId: string, nonce: number, signers: string[], over: Partial<PlanProposal> = {}): PlanProposal => ({ id, kind: 'call', requestIds: [requestId], nonce, signers, ...over });
const batch = (id: number, requestIds: string[], nonce: number, signers: string[]): PlanProposal => ({ id, kind: 'batch', requestIds, nonce, signers });
const plan = (over: Partial<NoncePlanInput>) => planNonces({ safeNonce: 0, threshold: 2, proposals: [], requests: [], ...over });

describe('planNonces: nonces follow signatures', () => {
  it('serves every unsigned request at the Safe nonce: nobody holds a nonce without a signature', () => {
    const p = plan({ safeNonce: 4, requests: [req('1', 100), req('2', 90), req('3', 110)] });
    expect(p.servedNonce).toBe(4);
    expect([...p.current.values()]).toEqual([{ nonce: 4, proposalId: null }, { nonce: 4, proposalId: null }, { nonce: 4, proposalId: null }]);
    expect(p.execute).toEqual([]);
    expect(p.blocked).toEqual([]);
    expect(p.maxNonce).toBe(4 + NONCE_SLACK);
  });

  it('a first signature fixes the nonce and moves the others up', () => {
    const p = plan({ safeNonce: 4, requests: [req('1', 100), req('2', 90)], proposals: [call(1, '2', 4, [A])] });
    expect(p.current.get('2')).toEqual({ nonce: 4, proposalId: 1 });
    expect(p.current.get('1')).toEqual({ nonce: 5, proposalId: null });
    expect(p.servedNonce).toBe(5);
    expect(p.live.get(1)).toMatchObject({ ready: false, holds: true });
  });

  it('let-pass then veto: the signed veto executes although an earlier request holds no signature', () => {
    const p = plan({ safeNonce: 0, requests: [req('0', 50), req('1', 60)], proposals: [call(1, '1', 0, [A, B])] });
    expect(p.execute).toEqual([{ proposalId: 1, nonce: 0, inFlight: false }]);
    expect(p.blocked).toEqual([]);
  });

  it('fills a gap left by a dead proposal before serving above it', () => {
    const p = plan({ safeNonce: 3, requests: [req('1', 100, { open: false }), req('2', 90), req('3', 95)], proposals: [call(1, '1', 3, [A]), call(2, '2', 4, [A])] });
    expect(p.dead).toEqual([{ id: 1, reason: 'request_closed' }]);
    expect(p.servedNonce).toBe(3);
    expect(p.current.get('3')).toEqual({ nonce: 3, proposalId: null });
  });

  it('marks proposals below the Safe nonce dead (nonce used) unless their execution is in flight', () => {
    const p = plan({ safeNonce: 5, requests: [req('1', 100), req('2', 100)], proposals: [call(1, '1', 4, [A, B]), call(2, '2', 4, [A, B], { inFlight: true })] });
    expect(p.dead).toEqual([{ id: 1, reason: 'nonce_used' }]);
    expect(p.live.has(2)).toBe(true);
    expect(p.current.get('1')).toEqual({ nonce: 5, proposalId: null });
  });

  it('a batch dies when one of its requests closes; a rejection never dies of it', () => {
    const p = plan({
      requests: [req('1', 10), req('2', 10, { open: false })],
      proposals: [{ id: 1, kind: 'batch', requestIds: ['1', '2'], nonce: 0, signers: [A] }, { id: 2, kind: 'rejection', requestIds: [], nonce: 0, signers: [A] }],
    });
    expect(p.dead).toEqual([{ id: 1, reason: 'request_closed' }]);
    expect(p.live.has(2)).toBe(true);
  });

  it('a zero threshold (unread Safe) makes nothing ready', () => {
    const p = plan({ threshold: 0, requests: [req('1', 10)], proposals: [call(1, '1', 0, [A])] });
    expect(p.execute).toEqual([]);
    expect(p.live.get(1)!.ready).toBe(false);
  });
});

describe('planNonces: execution', () => {
  it('executes consecutive ready nonces back to back', () => {
    const p = plan({ safeNonce: 2, requests: [req('1', 10), req('2', 11), req('3', 12)], proposals: [call(1, '1', 2, [A, B]), call(2, '2', 3, [A, B]), call(3, '3', 5, [A, B])] });
    expect(p.execute.map((s) => s.nonce)).toEqual([2, 3]);
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 3, blockingNonce: 4, holders: [] })]);
    expect(p.servedNonce).toBe(4);
  });

  it('alternatives at one nonce: the batch first, then the earliest deadline, a rejection last', () => {
    const batch: PlanProposal = { id: 9, kind: 'batch', requestIds: ['1', '2'], nonce: 0, signers: [A, B] };
    const rejection: PlanProposal = { id: 8, kind: 'rejection', requestIds: [], nonce: 0, signers: [A, B] };
    const rs = [req('1', 50), req('2', 40), req('3', 30)];
    expect(plan({ requests: rs, proposals: [call(1, '1', 0, [A, B]), batch, rejection] }).execute[0]!.proposalId).toBe(9);
    expect(plan({ requests: rs, proposals: [call(1, '1', 0, [A, B]), call(3, '3', 0, [A, C]), rejection] }).execute[0]!.proposalId).toBe(3);
  });

  it('never executes a rejection that unblocks nothing (it would only cost a collecting veto its nonce)', () => {
    const rejection: PlanProposal = { id: 8, kind: 'rejection', requestIds: [], nonce: 0, signers: [A, B] };
    expect(plan({ requests: [req('1', 10)], proposals: [call(1, '1', 0, [A]), rejection] }).execute).toEqual([]);
    const p = plan({ requests: [req('1', 10), req('2', 10)], proposals: [call(1, '1', 0, [A]), rejection, call(2, '2', 1, [A, B])] });
    expect(p.execute.map((s) => s.proposalId)).toEqual([8, 2]);
  });

  it('prefers the execution already in flight at a nonce', () => {
    const p = plan({ requests: [req('1', 50), req('2', 10)], proposals: [call(1, '1', 0, [A, B], { inFlight: true }), call(2, '2', 0, [A, B])] });
    expect(p.execute).toEqual([{ proposalId: 1, nonce: 0, inFlight: true }]);
  });

  it('does not act twice on a request: a backup of an executing veto is skipped', () => {
    const p = plan({ requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 0, [A, B]), call(2, '1', 1, [A, B]), call(3, '2', 1, [A, B])] });
    expect(p.execute.map((s) => s.proposalId)).toEqual([1, 3]);
  });

  it('backups hold no nonce: another request is served alternatively there', () => {
    const p = plan({ requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 0, [A]), call(2, '1', 1, [A])] });
    expect(p.live.get(2)).toMatchObject({ holds: false });
    expect(p.current.get('2')).toEqual({ nonce: 1, proposalId: null });
    expect(p.current.get('1')).toEqual({ nonce: 0, proposalId: 1 });
  });

  it('a ready backup is the current proposal of its request', () => {
    const p = plan({ requests: [req('1', 50)], proposals: [call(1, '1', 0, [A]), call(2, '1', 1, [A, B])] });
    expect(p.current.get('1')).toEqual({ nonce: 1, proposalId: 2 });
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 2, blockingNonce: 0, holders: [expect.objectContaining({ proposalId: 1, missing: 1 })] })]);
  });

  it('a signed copy at the blocking nonce whose request executes below it is no holder (signing it could never help)', () => {
    // A signed at 0 and again at 1 (a signer covering the next nonces), B ready at 2
    const p = plan({ safeNonce: 0, requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 0, [A, B]), call(2, '1', 1, [A, B]), call(3, '2', 2, [A, B])] });
    expect(p.execute).toEqual([{ proposalId: 1, nonce: 0, inFlight: false }]);
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 3, blockingNonce: 1, holders: [] })]);
  });

  it('a hard hold (fulfil before its window end) stops the sequence and is not called blocked', () => {
    const p = plan({ requests: [req('1', 50, { hold: { reason: 'window runs', hard: true } })], proposals: [call(1, '1', 0, [A, B])] });
    expect(p.execute).toEqual([]);
    expect(p.blocked).toEqual([]);
  });

  it('a ready proposal behind a hard-held one is blocked, naming the hold', () => {
    const p = plan({ requests: [req('1', 50, { hold: { reason: 'window runs until 50', hard: true } }), req('2', 40)], proposals: [call(1, '1', 0, [A, B]), call(2, '2', 1, [A, B])] });
    expect(p.execute).toEqual([]);
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 2, blockingNonce: 0, holders: [expect.objectContaining({ proposalId: 1, missing: 0, held: 'window runs until 50' })] })]);
  });

  it('a ready proposal behind one held only while the desk reads is blocked, its holder marked as going by itself', () => {
    const reading = { reason: 'still being read', hard: true, transient: true };
    const p = plan({ requests: [req('1', 50, { hold: reading }), req('2', 40)], proposals: [call(1, '1', 0, [A, B]), call(2, '2', 1, [A, B])] });
    expect(p.execute).toEqual([]);
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 2, blockingNonce: 0, holders: [expect.objectContaining({ proposalId: 1, missing: 0, held: 'still being read', transient: true })] })]);
    // the same hold on a proposal still short of its threshold: it does not go by itself
    const short = plan({ requests: [req('1', 50, { hold: reading }), req('2', 40)], proposals: [call(1, '1', 0, [A]), call(2, '2', 1, [A, B])] });
    expect(short.blocked).toEqual([expect.objectContaining({ proposalId: 2, holders: [expect.objectContaining({ proposalId: 1, missing: 1, held: null, transient: false })] })]);
    // a lasting hold is not marked
    const lasting = plan({ requests: [req('1', 50, { hold: { reason: 'window runs', hard: true } }), req('2', 40)], proposals: [call(1, '1', 0, [A, B]), call(2, '2', 1, [A, B])] });
    expect(lasting.blocked[0]!.holders[0]!.transient).toBe(false);
  });

  it('a batch waits for the lasting hold of its requests, not a passing one', () => {
    const reading = { reason: 'still being read', hard: true, transient: true };
    const windowRuns = { reason: 'window runs', hard: true };
    for (const [first, second] of [
      [reading, windowRuns],
      [windowRuns, reading],
    ]) {
      const p = plan({ requests: [req('1', 50, { hold: first }), req('2', 50, { hold: second }), req('3', 40)], proposals: [batch(1, ['1', '2'], 0, [A, B]), call(2, '3', 1, [A, B])] });
      expect(p.blocked[0]!.holders[0]).toMatchObject({ proposalId: 1, held: 'window runs', transient: false });
    }
    const both = plan({ requests: [req('1', 50, { hold: reading }), req('2', 50, { hold: reading }), req('3', 40)], proposals: [batch(1, ['1', '2'], 0, [A, B]), call(2, '3', 1, [A, B])] });
    expect(both.blocked[0]!.holders[0]).toMatchObject({ proposalId: 1, transient: true });
  });

  it('a batch with one request hard-held and another held by policy never executes, whatever their order', () => {
    const soft = { reason: 'policy', hard: false };
    const reading = { reason: 'still being read', hard: true, transient: true };
    for (const hard of [reading, { reason: 'window runs', hard: true }]) {
      for (const holds of [
        [soft, hard],
        [hard, soft],
      ]) {
        // a ready call behind it would make a soft hold give way: the hard one must not
        const p = plan({ requests: [req('1', 50, { hold: holds[0] }), req('2', 50, { hold: holds[1] }), req('3', 40)], proposals: [batch(1, ['1', '2'], 0, [A, B]), call(2, '3', 1, [A, B])] });
        expect(p.execute).toEqual([]);
        expect(p.blocked[0]!.holders[0]).toMatchObject({ proposalId: 1, held: hard.reason });
      }
    }
  });

  it('a soft hold (policy) waits alone but gives way when a ready proposal behind it must go', () => {
    const soft = { reason: 'before_deadline', hard: false };
    expect(plan({ requests: [req('1', 50, { hold: soft })], proposals: [call(1, '1', 0, [A, B])] }).execute).toEqual([]);
    const p = plan({ requests: [req('1', 50, { hold: soft }), req('2', 40)], proposals: [call(1, '1', 0, [A, B]), call(2, '2', 1, [A, B])] });
    expect(p.execute.map((s) => s.proposalId)).toEqual([1, 2]);
    const both = plan({ requests: [req('1', 50, { hold: soft }), req('2', 40, { hold: soft })], proposals: [call(1, '1', 0, [A, B]), call(2, '2', 1, [A, B])] });
    expect(both.execute).toEqual([]);
    expect(both.blocked).toEqual([]);
  });
});

describe('planNonces: blocked vetoes', () => {
  it('a ready veto behind a partly signed one is blocked, with the holder and what it misses', () => {
    const p = plan({ safeNonce: 7, threshold: 3, requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 7, [A]), call(2, '2', 8, [A, B, C])] });
    expect(p.execute).toEqual([]);
    expect(p.blocked).toEqual([{ proposalId: 2, kind: 'call', requestIds: ['2'], nonce: 8, blockingNonce: 7, holders: [{ proposalId: 1, kind: 'call', requestIds: ['1'], signers: [A], missing: 2, held: null, transient: false }] }]);
  });

  it('a ready veto behind a gap (nobody holds the nonce) is blocked with no holder', () => {
    const p = plan({ safeNonce: 7, requests: [req('1', 50, { open: false }), req('2', 60)], proposals: [call(1, '1', 7, [A]), call(2, '2', 8, [A, B])] });
    expect(p.blocked).toEqual([expect.objectContaining({ proposalId: 2, blockingNonce: 7, holders: [] })]);
  });

  it('the same veto signed again at the blocking nonce unblocks it', () => {
    const p = plan({ safeNonce: 7, requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 7, [A]), call(2, '2', 8, [A, B]), call(3, '2', 7, [A, B])] });
    expect(p.execute.map((s) => s.proposalId)).toEqual([3]);
    expect(p.blocked).toEqual([]);
  });

  it('a rejection at the blocking nonce unblocks it', () => {
    const p = plan({ safeNonce: 7, requests: [req('1', 50), req('2', 60)], proposals: [call(1, '1', 7, [A]), call(2, '2', 8, [A, B]), { id: 3, kind: 'rejection', requestIds: [], nonce: 7, signers: [B, C] }] });
    expect(p.execute.map((s) => s.proposalId)).toEqual([3, 2]);
  });
});

/**
 * A committee and a desk, simulated: requests are queued, owners sign exactly what the desk
 * serves at that moment (each once), the desk executes what the plan says after every signature.
 * Deterministic (seeded) and bounded.
 */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Sim {
  safeNonce: number;
  threshold: number;
  proposals: (PlanProposal & { executed?: boolean })[];
  requests: Map<string, PlanRequest & { vetoed?: boolean }>;
  nextId: number;
}

function simulate(sim: Sim) {
  const p = planNonces({ safeNonce: sim.safeNonce, threshold: sim.threshold, proposals: sim.proposals.filter((x) => !x.executed), requests: [...sim.requests.values()] });
  const deadIds = new Set(p.dead.map((d) => d.id));
  sim.proposals = sim.proposals.filter((x) => x.executed || !deadIds.has(x.id));
  for (const step of p.execute) {
    const pr = sim.proposals.find((x) => x.id === step.proposalId)!;
    expect(pr.nonce).toBe(sim.safeNonce);
    pr.executed = true;
    sim.safeNonce++;
    for (const id of pr.requestIds) {
      const r = sim.requests.get(id)!;
      expect(r.vetoed).toBeFalsy(); // never acted on twice
      r.vetoed = true;
      r.open = false;
    }
  }
  return p;
}

function sign(sim: Sim, requestId: string, owner: string): { nonce: number } {
  const p = simulate(sim);
  const cur = p.current.get(requestId)!;
  let pr = sim.proposals.find((x) => !x.executed && x.kind === 'call' && x.requestIds[0] === requestId && x.nonce === cur.nonce);
  if (!pr) sim.proposals.push((pr = call(sim.nextId++, requestId, cur.nonce, [])));
  expect(pr.signers).not.toContain(owner);
  pr.signers = [...pr.signers, owner];
  return { nonce: cur.nonce };
}

describe('planNonces: the committee guarantees, simulated', () => {
  const owners = [A, B, C];

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('G1, seed %i: every veto that reaches its threshold executes with no further signature', (seed) => {
    const rand = rng(seed);
    const sim: Sim = { safeNonce: Math.floor(rand() * 5), threshold: 2, proposals: [], requests: new Map(), nextId: 1 };
    for (let i = 0; i < 24; i++) sim.requests.set(String(i), req(String(i), 100 + i));
    const order = [...sim.requests.keys()].sort(() => rand() - 0.5);
    let vetoes = 0;
    for (const id of order) {
      // most requests are let pass; the others get one veto round, one at a time
      if (rand() < 0.6) continue;
      vetoes++;
      const signers = [...owners].sort(() => rand() - 0.5).slice(0, 2);
      for (const o of signers) sign(sim, id, o);
      simulate(sim);
      expect(sim.requests.get(id)!.vetoed).toBe(true);
    }
    // the let-pass ones close: nothing of theirs is left holding a nonce
    for (const r of sim.requests.values()) r.open = false;
    const p = simulate(sim);
    expect(p.live.size).toBe(0);
    expect(sim.safeNonce).toBeGreaterThanOrEqual(vetoes);
  });

  it('G1 with windows closing between rounds: a let-pass request never blocks', () => {
    const sim: Sim = { safeNonce: 0, threshold: 2, proposals: [], requests: new Map(), nextId: 1 };
    for (const [id, verdict] of [['0', 'pass'], ['1', 'veto'], ['2', 'pass'], ['3', 'veto'], ['4', 'veto'], ['5', 'pass']] as const) {
      sim.requests.set(id, req(id, Number(id)));
      if (verdict === 'veto') {
        sign(sim, id, A);
        sign(sim, id, C);
        simulate(sim);
        expect(sim.requests.get(id)!.vetoed).toBe(true);
      } else {
        sim.requests.get(id)!.open = false; // its window passes unsigned
      }
    }
    expect(sim.safeNonce).toBe(3);
  });

  it('overlap: two vetoes first signed at one nonce; the loser moves and needs exactly one more round', () => {
    const sim: Sim = { safeNonce: 3, threshold: 2, proposals: [], requests: new Map([['1', req('1', 50)], ['2', req('2', 60)]]), nextId: 1 };
    expect(sign(sim, '1', A).nonce).toBe(3);
    // a second owner opened request 2 before A's signature reached the desk: signed at 3 too
    sim.proposals.push(call(sim.nextId++, '2', 3, [B]));
    sign(sim, '2', C); // request 2's current proposal is its primary at 3
    simulate(sim);
    expect(sim.requests.get('2')!.vetoed).toBe(true);
    expect(sim.safeNonce).toBe(4);
    // request 1's signature at nonce 3 is void: served again at 4, its signer must sign again
    const p = simulate(sim);
    expect(p.current.get('1')).toEqual({ nonce: 4, proposalId: null });
    sign(sim, '1', A);
    sign(sim, '1', B);
    simulate(sim);
    expect(sim.requests.get('1')!.vetoed).toBe(true);
  });

  it('a signer who covered the next nonces makes a move need no new round', () => {
    const sim: Sim = { safeNonce: 0, threshold: 2, proposals: [call(1, '1', 0, [A, C]), call(2, '1', 1, [A, C]), call(3, '2', 0, [B, C])], requests: new Map([['1', req('1', 90)], ['2', req('2', 10)]]), nextId: 4 };
    // both ready at 0: the earlier deadline (2) goes first, 1's backup at 1 right behind it
    simulate(sim);
    expect(sim.requests.get('2')!.vetoed && sim.requests.get('1')!.vetoed).toBe(true);
    expect(sim.safeNonce).toBe(2);
  });

  it('G2: a partly signed veto blocks a ready one until the way out is taken', () => {
    const sim: Sim = { safeNonce: 0, threshold: 2, proposals: [], requests: new Map([['1', req('1', 50)], ['2', req('2', 60)]]), nextId: 1 };
    sign(sim, '1', A); // request 1 gets one signature only
    sign(sim, '2', A);
    sign(sim, '2', B);
    const p = simulate(sim);
    expect(sim.requests.get('2')!.vetoed).toBeFalsy();
    expect(p.blocked).toEqual([expect.objectContaining({ blockingNonce: 0, requestIds: ['2'], holders: [expect.objectContaining({ requestIds: ['1'], missing: 1, signers: [A] })] })]);
    // way out: the same veto at the blocking nonce
    sim.proposals.push(call(sim.nextId++, '2', 0, [B, C]));
    simulate(sim);
    expect(sim.requests.get('2')!.vetoed).toBe(true);
  });
});
