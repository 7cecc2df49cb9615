/** One request: parameters, deadlines, its Safe transactions and their actions, timeline, notes. */
import { useEffect, useRef } from 'react';
import { impactAmount, shownText, tokenAmount, wadToPercent } from '../format';
import { useLive } from '../live';
import { Link } from '../router';
import type { RequestView, StrategyToken, TimelineEntry } from '../types';
import { useResource } from '../useResource';
import { Addr, AtRiskBadge, ErrorBox, ESCAPES_FIRST_LABEL, ESCAPES_FIRST_TEXT, LastUseful, StatusBadge, WindowEnd } from './bits';
import { NextActionCell } from './Board';
import { Notes } from './Notes';
import { SafeTxPanel } from './SafeTxPanel';
import { Timeline } from './Timeline';

function Strategies({ v }: { v: RequestView }) {
  const list = v.strategies ?? [];
  const { data } = useResource<{ strategies: StrategyToken[] }>(list.length ? `/api/strategies?address=${list.join(',')}` : null);
  const symbol = (s: string) => data?.strategies.find((t) => t.strategy.toLowerCase() === s.toLowerCase());
  return (
    <table className="strategies">
      <caption>Strategies and amounts to slash</caption>
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col">Token</th>
          <th scope="col">To slash</th>
          <th scope="col">Last useful block</th>
          <th scope="col">Pending deallocation</th>
        </tr>
      </thead>
      <tbody>
        {v.strategies === null && (
          <tr>
            <td colSpan={5} className="muted">
              Not read yet: the desk reads them from the slasher right after the backfill ({v.wadsToSlash.map((w) => wadToPercent(w)).join(', ')} to slash).
            </td>
          </tr>
        )}
        {list.map((s, i) => {
          const d = v.deadlines.strategies.find((x) => x.strategy.toLowerCase() === s.toLowerCase());
          const t = symbol(s);
          return (
            <tr key={s}>
              <th scope="row" data-label="Strategy">
                <Addr a={s} />
              </th>
              <td data-label="Token">{t?.symbol ? <span title={t.token ?? undefined}>{t.symbol}</span> : t?.token ? <Addr a={t.token} /> : <span className="muted">unreadable</span>}</td>
              <td data-label="To slash">{wadToPercent(v.wadsToSlash[i] ?? '0')}</td>
              <td data-label="Last useful block">{d ? (d.lastUsefulBlock === null ? <span className="muted">no limit: stake stays</span> : `block ${d.lastUsefulBlock.toLocaleString('en-US')}`) : '—'}</td>
              <td data-label="Pending deallocation">
                {d?.pendingDeallocation ? `takes effect at block ${d.pendingDeallocation.effectBlock}; ${d.remainingMagnitude === '0' ? 'leaves nothing' : `leaves ${wadToPercent(d.remainingMagnitude)} of the magnitude`}` : <span className="muted">none</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What the slash takes in tokens, per strategy, and whether the funds are burned or redistributed. */
function Impact({ v }: { v: RequestView }) {
  const i = v.impact;
  if (!i) {
    return (
      <section className="card" aria-labelledby="impact-title">
        <h2 id="impact-title">What the slash takes</h2>
        <p className="muted">Unknown: {v.impactReason ?? 'not read yet'}.</p>
      </section>
    );
  }
  const r = i.redistribution;
  const amount = impactAmount(i);
  return (
    <section className="card" aria-labelledby="impact-title">
      <h2 id="impact-title">What the slash takes</h2>
      <p>
        {amount ? <strong className="impact-amount">{amount}</strong> : 'An amount in tokens that could not be read'}{' '}
        <span className="muted">
          ({i.atWindowEnd ? 'at the veto window end, counting deallocations that land before it' : 'slashable now'}; read at block {i.readAtBlock.toLocaleString('en-US')}
          {v.status === 'vetoed' || v.status === 'fulfilled' ? '; kept as read then, the request is decided' : ', and again whenever the operator’s allocations change'})
        </span>
      </p>
      <p className="funds">
        {r.redistributing === null ? (
          <>Where the funds go: <strong>unknown (older core)</strong>. This AllocationManager predates the redistribution getters, so the desk cannot tell whether the funds are burned; it does not guess.</>
        ) : r.redistributing ? (
          <>
            <span className="badge redistributes">redistributed</span> The slashed funds are <strong>not burned</strong>: they go to <Addr a={r.recipient!} full />, the recipient the AVS chose when it created this operator set. Slashing is worth that much to whoever controls the recipient: weigh it when deciding on a veto.
          </>
        ) : (
          <>
            The slashed funds are <strong>burned</strong> (sent to the burn address <Addr a={r.recipient!} />): nobody receives them.
          </>
        )}
      </p>
      <table className="strategies impact-table">
        <caption>Per strategy, in shares and tokens</caption>
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Slashable shares</th>
            <th scope="col">Shares to slash</th>
            <th scope="col">Tokens to slash</th>
            <th scope="col">Remaining shares</th>
          </tr>
        </thead>
        <tbody>
          {i.strategies.map((s) => {
            const d = s.token?.decimals ?? 18;
            return (
              <tr key={s.strategy}>
                <th scope="row" data-label="Strategy">
                  <Addr a={s.strategy} />
                </th>
                <td data-label="Slashable shares">
                  {tokenAmount(s.slashableShares, d)}
                  {s.slashableShares !== s.slashableSharesNow && <span className="muted small"> ({tokenAmount(s.slashableSharesNow, d)} now)</span>}
                </td>
                <td data-label="Shares to slash">{tokenAmount(s.sharesToSlash, d)}</td>
                <td data-label="Tokens to slash">{s.token && s.tokensToSlash !== null ? `${tokenAmount(s.tokensToSlash, d)} ${s.token.symbol}` : <span className="muted">unknown</span>}</td>
                <td data-label="Remaining shares">{tokenAmount(s.remainingShares, d)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function RequestPage({ id }: { id: string }) {
  const { requestsVersion, notesVersion } = useLive();
  const valid = /^\d{1,78}$/.test(id);
  const { data: v, error, loading, reload } = useResource<RequestView>(valid ? `/api/requests/${id}` : null, requestsVersion);
  const timeline = useResource<{ entries: TimelineEntry[] }>(valid ? `/api/requests/${id}/timeline` : null, requestsVersion + notesVersion);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  useEffect(() => {
    document.title = `Request #${id} · Veto Desk`;
    return () => void (document.title = 'Veto Desk');
  }, [id]);

  const open = v?.status === 'in_veto_window' || v?.status === 'fulfillable';
  return (
    <article aria-labelledby="request-title">
      <p>
        <Link to="/">← All requests</Link>
      </p>
      <div className="page-head">
        <h1 id="request-title" ref={heading} tabIndex={-1}>
          Request #{id} {v && <StatusBadge status={v.status} />} {v?.atRisk && open && <AtRiskBadge />}
        </h1>
        {v?.description && <p className="lead">{shownText(v.description)}</p>}
      </div>
      {!valid && <ErrorBox message={`"${id}" is not a request id (a decimal number).`} />}
      {error && <ErrorBox message={`Could not load request #${id}: ${error}`} onRetry={reload} />}
      {loading && !error && (
        <p role="status" aria-busy="true" className="loading">
          Loading request…
        </p>
      )}
      {v && (
        <div className="grid">
          <section className="card" aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">Deadlines</h2>
            {v.atRisk && open && (
              <p className="warn-box">
                <strong>{ESCAPES_FIRST_LABEL}.</strong> {ESCAPES_FIRST_TEXT}
              </p>
            )}
            <dl className="facts">
              <dt>Veto window ends</dt>
              <dd>
                <WindowEnd v={v} live={v.status === 'in_veto_window'} />
                <div className="muted small">a veto must land before this block; a fulfil may land from it</div>
              </dd>
              <dt>Last useful block (L)</dt>
              <dd>
                <LastUseful v={v} live={open} />
                <div className="muted small">a fulfil after L slashes nothing: the stake has left</div>
              </dd>
              <dt>Queued</dt>
              <dd>
                block {v.queuedAtBlock}, tx <code className="hash">{v.queuedTxHash}</code>
                {!v.confirmed && <span className="badge warn">unconfirmed ({v.confirmations} confirmations)</span>}
              </dd>
              {v.cancelled && (
                <>
                  <dt>Vetoed</dt>
                  <dd>
                    block {v.cancelled.block}, tx <code className="hash">{v.cancelled.txHash}</code>
                  </dd>
                </>
              )}
              {v.fulfilled && (
                <>
                  <dt>Fulfilled</dt>
                  <dd>
                    block {v.fulfilled.block}, tx <code className="hash">{v.fulfilled.txHash}</code>
                  </dd>
                </>
              )}
              {v.nextAction !== undefined && (
                <>
                  <dt>Next action</dt>
                  <dd>
                    <NextActionCell v={v} />
                  </dd>
                </>
              )}
            </dl>
          </section>

          <section className="card" aria-labelledby="params-title">
            <h2 id="params-title">Parameters</h2>
            <dl className="facts">
              <dt>Operator</dt>
              <dd>
                <Addr a={v.operator} full />
              </dd>
              <dt>Operator set</dt>
              <dd>{v.operatorSetId}</dd>
              <dt>Slasher</dt>
              <dd>
                <Addr a={v.slasher} full /> <span className="muted">({v.variant})</span>
              </dd>
              {v.overwrote ? (
                <>
                  <dt>Overwrote</dt>
                  <dd className="warn-text">{v.overwrote} earlier request(s) under the same id (V4)</dd>
                </>
              ) : null}
            </dl>
            <Strategies v={v} />
          </section>

          <Impact v={v} />

          {v.veto ? (
            <SafeTxPanel request={v} x={v.veto} kind="veto" />
          ) : (
            <section className="card" aria-labelledby="veto-title">
              <h2 id="veto-title">Committee veto</h2>
              <p className="muted">{v.status === 'in_veto_window' ? 'The desk has not planned a veto for this request yet (see the desk health).' : 'No veto was planned for this request.'}</p>
            </section>
          )}
          {v.fulfil && <SafeTxPanel request={v} x={v.fulfil} kind="fulfil" />}
          <Notes requestId={v.requestId} />

          <section className="card wide" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            {timeline.error && <ErrorBox message={`Could not load the timeline: ${timeline.error}`} onRetry={timeline.reload} />}
            {timeline.data && <Timeline entries={timeline.data.entries} />}
          </section>

        </div>
      )}
    </article>
  );
}
