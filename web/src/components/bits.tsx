/** Small shared pieces: status badges, addresses, deadlines with live countdowns. */
import { duration, localTime, shortAddress, STATUS_LABELS } from '../format';
import { useLive, useNow } from '../live';
import type { RequestStatus } from '../types';

export function StatusBadge({ status }: { status: RequestStatus | string }) {
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

/**
 * The API's `atRisk`: the stake leaves (block L) before the veto window ends, so the slash cannot
 * land in time. Not the committee's emergency: a veto is not needed to stop it.
 */
export const ESCAPES_FIRST_LABEL = 'Stake escapes first';
export const ESCAPES_FIRST_TEXT = 'The stake leaves (after the last useful block L) before the veto window ends: the slash cannot land in time, whatever the committee does.';

export function AtRiskBadge() {
  return (
    <span className="badge at-risk" title={ESCAPES_FIRST_TEXT}>
      {ESCAPES_FIRST_LABEL}
    </span>
  );
}

/** A full address, shortened for the eye; the whole value stays in the title and for screen readers. */
export function Addr({ a, full = false }: { a: string | null | undefined; full?: boolean }) {
  if (!a) return <span>—</span>;
  return (
    <code className={full ? 'addr full' : 'addr'} title={a} aria-label={a}>
      {full ? a : shortAddress(a)}
    </code>
  );
}

/** Seconds left before `block`, from the last head and the observed block time (an estimate). */
function estimateSeconds(blocksLeft: number, blockTimeSeconds: number, head: { seenAtMs: number }, now: number): number {
  return blocksLeft * blockTimeSeconds - (now - head.seenAtMs) / 1000;
}

/**
 * A block deadline: the exact block, blocks left from the live head, and a wall-clock estimate
 * from the observed block time, labelled as an estimate.
 */
export function BlockDeadline({ block, blockTimeSeconds, estimatedAt, live = true }: { block: number; blockTimeSeconds: number; estimatedAt: string | null; live?: boolean }) {
  const { head } = useLive();
  const now = useNow();
  const blockLabel = <span className="block-no">block {block.toLocaleString('en-US')}</span>;
  // a settled request: the block is the fact; a time estimate would only distract
  if (!live) return <span className="deadline">{blockLabel}</span>;
  if (!head) {
    return (
      <span className="deadline">
        {blockLabel}
        {estimatedAt && <span className="estimate"> ≈ {localTime(estimatedAt)} (estimate)</span>}
      </span>
    );
  }
  const blocksLeft = block - head.block;
  if (blocksLeft <= 0) {
    return (
      <span className="deadline passed">
        {blockLabel} <span className="muted">passed{blocksLeft < 0 ? ` ${-blocksLeft} blocks ago` : ''}</span>
      </span>
    );
  }
  const secs = estimateSeconds(blocksLeft, blockTimeSeconds, head, now);
  return (
    <span className="deadline">
      {blockLabel} <span className="countdown">in {blocksLeft} block{blocksLeft === 1 ? '' : 's'}</span>{' '}
      <span className="estimate" title={estimatedAt ? `estimated ${localTime(estimatedAt)}` : undefined}>
        ≈ {secs > 0 ? duration(secs) : 'any moment'} <span className="est-label">(estimate)</span>
      </span>
    </span>
  );
}

/** A timestamp deadline (V1/V2 windows): exact chain time, counted down on the local clock. */
export function TimeDeadline({ timestamp }: { timestamp: number }) {
  const now = useNow();
  const left = timestamp - now / 1000;
  const iso = new Date(timestamp * 1000).toISOString();
  return (
    <span className="deadline">
      <time dateTime={iso}>{localTime(iso)}</time> <span className="muted">(chain time)</span>{' '}
      {left > 0 ? <span className="countdown">in {duration(left)}</span> : <span className="muted">passed</span>}
    </span>
  );
}

export function WindowEnd({ v, live }: { v: { vetoWindowEnd: { block?: number; timestamp?: number; estimatedAt: string }; deadlines: { blockTimeSeconds: number } }; live: boolean }) {
  if (v.vetoWindowEnd.block !== undefined) return <BlockDeadline block={v.vetoWindowEnd.block} blockTimeSeconds={v.deadlines.blockTimeSeconds} estimatedAt={v.vetoWindowEnd.estimatedAt} live={live} />;
  if (v.vetoWindowEnd.timestamp !== undefined) return <TimeDeadline timestamp={v.vetoWindowEnd.timestamp} />;
  return <span>—</span>;
}

type LastUsefulInput = {
  status: string;
  lastUsefulBlock: number | null;
  lastUsefulBlockEstimatedAt: string | null;
  strategies: string[] | null;
  deadlines: { blockTimeSeconds: number; slashability?: string; strategies: { strategy: string; lastUsefulBlock: number | null; remainingMagnitude: string }[] };
};

/** Vetoed or fulfilled: when the stake leaves no longer matters. One wording for both. */
export const SETTLED_L = 'n/a — settled';

/**
 * L in one wording per case: settled requests (vetoed, fulfilled) say so; an open request says
 * whether its stake can leave at all, and when part of it leaves before the rest.
 */
export function LastUseful({ v, live }: { v: LastUsefulInput; live: boolean }) {
  if (v.status === 'vetoed' || v.status === 'fulfilled') return <span className="muted" title="The request is settled: when its stake could leave no longer matters">{SETTLED_L}</span>;
  if (v.deadlines.slashability === 'pending') return <span className="muted">reading…</span>;
  if (v.deadlines.slashability === 'untracked') return <span className="muted" title="The desk does not know the slasher's AVS (set AVS_ADDRESS), so it cannot read the operator's allocations">unknown (AVS not known)</span>;
  const early = <EarlyEscapes v={v} live={live} />;
  if (v.lastUsefulBlock === null) {
    return (
      <span className="l-cell">
        <span className="muted" title="No pending deallocation to zero and no deregistration: the stake stays slashable">no limit: stake stays</span>
        {early}
      </span>
    );
  }
  return (
    <span className="l-cell">
      <BlockDeadline block={v.lastUsefulBlock} blockTimeSeconds={v.deadlines.blockTimeSeconds} estimatedAt={v.lastUsefulBlockEstimatedAt} live={live} />
      {early}
    </span>
  );
}

/** Strategies whose stake leaves before L (the others keep theirs longer): the slash then takes less. */
function EarlyEscapes({ v, live }: { v: LastUsefulInput; live: boolean }) {
  const total = v.strategies?.length ?? v.deadlines.strategies.length;
  const early = v.deadlines.strategies.filter((s) => s.lastUsefulBlock !== null && (v.lastUsefulBlock === null || s.lastUsefulBlock < v.lastUsefulBlock));
  if (early.length === 0) return null;
  return (
    <span className="early-escape">
      {early.map((s) => (
        <span key={s.strategy} className="warn-text small">
          stake of strategy {shortAddress(s.strategy)} ({early.length} of {total}) leaves after{' '}
          <BlockDeadline block={s.lastUsefulBlock!} blockTimeSeconds={v.deadlines.blockTimeSeconds} estimatedAt={null} live={live} />
        </span>
      ))}
    </span>
  );
}

export function ErrorBox({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
