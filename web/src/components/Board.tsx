/** The requests board: every request with its deadlines counting down, signatures and next action. */
import { useEffect, useRef } from 'react';
import { ACTOR_LABELS, impactAmount, NEXT_ACTION_LABELS, shortAddress, slashSummary, STATUS_LABELS } from '../format';
import { useLive } from '../live';
import { Link, navigate, useLocation } from '../router';
import { REQUEST_STATUSES, type RequestStatus, type RequestView, type SafeTxView } from '../types';
import { useResource } from '../useResource';
import { Addr, AtRiskBadge, ErrorBox, LastUseful, StatusBadge, WindowEnd } from './bits';
import { PracticePanel } from './Practice';

const OPEN: ReadonlySet<RequestStatus> = new Set(['in_veto_window', 'fulfillable']);

export function SignatureProgress({ x, owners }: { x: SafeTxView | undefined; owners?: string[] }) {
  if (!x) return <span className="muted">no Safe transaction</span>;
  const valid = x.signatures.filter((s) => !s.stale);
  const pct = x.threshold > 0 ? Math.min(100, (valid.length / x.threshold) * 100) : 0;
  const missing = owners?.filter((o) => !valid.some((s) => s.signer.toLowerCase() === o.toLowerCase())) ?? [];
  return (
    <div className="sigs">
      <span className="sig-count" aria-label={`${valid.length} of ${x.threshold} signatures`}>
        {valid.length} of {x.threshold}
      </span>
      <span className="meter" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className={`badge safe-${x.status}`}>{x.status}</span>
      {valid.length > 0 && (
        <span className="signers">
          signed: {valid.map((s) => shortAddress(s.signer)).join(', ')}
        </span>
      )}
      {missing.length > 0 && x.status === 'collecting' && <span className="signers muted">waiting for: {missing.map((m) => shortAddress(m)).join(', ')}</span>}
    </div>
  );
}

/** The amount in tokens (with the percentages under it) and where the funds go. */
export function ImpactCell({ v }: { v: RequestView }) {
  const amount = impactAmount(v.impact);
  const r = v.impact?.redistribution;
  return (
    <span className="impact">
      {amount ? <strong className="impact-amount">{amount}</strong> : <span className="muted" title={v.impactReason ?? undefined}>amount unknown</span>}
      <span className="muted small"> {slashSummary(v.wadsToSlash)}</span>
      {r?.redistributing === true && r.recipient && (
        <span className="badge redistributes" title={`Slashed funds go to ${r.recipient}, not burned`}>
          redistributes to {shortAddress(r.recipient)}
        </span>
      )}
      {r && r.redistributing === null && <span className="badge funds-unknown" title="The AllocationManager is an older core without the redistribution getters">funds: unknown (older core)</span>}
    </span>
  );
}

export function NextActionCell({ v }: { v: RequestView }) {
  const n = v.nextAction;
  if (n === undefined) return <span className="muted">—</span>;
  if (n === null) return <span className="muted">nothing left to do</span>;
  return (
    <span className="next-action">
      <strong>{NEXT_ACTION_LABELS[n.kind] ?? n.kind}</strong> by {ACTOR_LABELS[n.actor] ?? n.actor}
      {n.dueBlock !== null ? ` at block ${n.dueBlock}` : ' now'}
      {n.dryRun && <span className="badge dry-run">dry run</span>}
      {n.note && <span className="muted small"> — {n.note}</span>}
    </span>
  );
}

function Filters({ current, counts }: { current: RequestStatus | null; counts: Map<string, number> }) {
  const set = (s: RequestStatus | null) => navigate(s ? `/?status=${s}` : '/');
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <div className="filters" role="group" aria-label="Filter requests by status">
      <button type="button" aria-pressed={current === null} onClick={() => set(null)}>
        All <span className="count">{total}</span>
      </button>
      {REQUEST_STATUSES.map((s) => (
        <button type="button" key={s} aria-pressed={current === s} onClick={() => set(s)}>
          {STATUS_LABELS[s]} <span className="count">{counts.get(s) ?? 0}</span>
        </button>
      ))}
    </div>
  );
}

export function Board() {
  const { requestsVersion, health } = useLive();
  const { query } = useLocation();
  const raw = query.get('status');
  const filter = REQUEST_STATUSES.find((s) => s === raw) ?? null;
  const { data, error, loading, reload } = useResource<{ requests: RequestView[] }>('/api/requests?limit=1000', requestsVersion);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const all = data?.requests ?? [];
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  // a blocked veto first (it needs people now), then open requests, soonest window end first;
  // then the rest, newest first
  const isBlocked = (r: RequestView) => Boolean(r.veto?.blocked) && r.status === 'in_veto_window';
  const shown = all
    .filter((r) => filter === null || r.status === filter)
    .sort((a, b) => Number(isBlocked(b)) - Number(isBlocked(a)) || Number(OPEN.has(b.status)) - Number(OPEN.has(a.status)) || (OPEN.has(a.status) ? (a.vetoWindowEnd.block ?? a.vetoWindowEnd.timestamp ?? 0) - (b.vetoWindowEnd.block ?? b.vetoWindowEnd.timestamp ?? 0) : b.queuedAtBlock - a.queuedAtBlock));
  const owners = health?.vetoExecution?.owners;

  return (
    <section aria-labelledby="board-title">
      <div className="page-head">
        <h1 id="board-title" ref={heading} tabIndex={-1}>
          Slashing requests
        </h1>
        <p className="muted">
          Block numbers are exact; times of coming blocks are estimates from the observed block time
          {all[0] ? ` (≈ ${Math.round(all[0].deadlines.blockTimeSeconds * 100) / 100} s a block)` : ''}.
        </p>
      </div>
      <PracticePanel />
      <Filters current={filter} counts={counts} />
      {error && <ErrorBox message={`Could not load the requests: ${error}`} onRetry={reload} />}
      {loading && !error && (
        <p className="loading" role="status" aria-busy="true">
          Loading requests…
        </p>
      )}
      {!loading && !error && shown.length === 0 && (
        <div className="empty" role="status">
          {all.length === 0 ? (
            <>
              <p>No slashing requests yet.</p>
              <p className="muted">The desk lists every request queued on the slasher{health?.slasher ? ` ${shortAddress(health.slasher)}` : ''} as soon as it sees it.</p>
            </>
          ) : (
            <p>No {filter ? STATUS_LABELS[filter]?.toLowerCase() : ''} requests.</p>
          )}
        </div>
      )}
      {shown.length > 0 && (
        <table className="board">
          <caption className="sr-only">Slashing requests{filter ? ` with status ${STATUS_LABELS[filter]}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Operator</th>
              <th scope="col">Set</th>
              <th scope="col">To slash</th>
              <th scope="col">Veto window ends</th>
              <th scope="col">Last useful block (L)</th>
              <th scope="col">Veto signatures</th>
              <th scope="col">Next action</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const live = OPEN.has(r.status);
              return (
                <tr key={r.requestId} className={isBlocked(r) ? 'row-blocked' : r.atRisk && live ? 'row-at-risk' : undefined} data-request-id={r.requestId}>
                  <th scope="row" data-label="Request">
                    <Link to={`/requests/${r.requestId}`}>#{r.requestId}</Link>
                  </th>
                  <td data-label="Status">
                    <StatusBadge status={r.status} /> {r.atRisk && live && <AtRiskBadge />}
                    {isBlocked(r) && (
                      <span className="badge blocked" title={r.veto!.statusReason ?? undefined}>
                        veto blocked by nonce {r.veto!.blocked!.nonce}
                      </span>
                    )}
                  </td>
                  <td data-label="Operator">
                    <Addr a={r.operator} />
                  </td>
                  <td data-label="Operator set">{r.operatorSetId}</td>
                  <td data-label="To slash">
                    <ImpactCell v={r} />
                  </td>
                  <td data-label="Veto window ends">
                    <WindowEnd v={r} live={r.status === 'in_veto_window'} />
                  </td>
                  <td data-label="Last useful block (L)">
                    <LastUseful v={r} live={live} />
                  </td>
                  <td data-label="Veto signatures">{r.status === 'in_veto_window' || r.veto ? <SignatureProgress x={r.veto} owners={owners} /> : <span className="muted">—</span>}</td>
                  <td data-label="Next action">
                    <NextActionCell v={r} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
