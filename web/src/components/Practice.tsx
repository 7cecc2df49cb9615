/**
 * Devnet only: queue a practice slashing request, so there is always something to veto or let
 * pass. Shown only when the desk runs its embedded devnet (`GET /api/dev/operators`, 404
 * anywhere else) and marked like the dev signer.
 */
import { useEffect, useId, useState } from 'react';
import { api, ApiError, describe } from '../api';
import { shortAddress } from '../format';
import { Link } from '../router';
import type { DevQueued, Hex } from '../types';

export function PracticePanel() {
  const [operators, setOperators] = useState<Hex[] | null>(null);
  const [operator, setOperator] = useState<string>('');
  const [percent, setPercent] = useState('10');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; queued: DevQueued } | { ok: false; message: string } | null>(null);
  const id = useId();

  useEffect(() => {
    api
      .get<{ operators: Hex[] }>('/api/dev/operators')
      .then((r) => setOperators(r.operators))
      .catch((e: unknown) => {
        // 404 = not the devnet: no practice requests, as it should be
        if (!(e instanceof ApiError && e.status === 404)) console.warn('dev operators', e);
      });
  }, []);
  if (!operators || operators.length === 0) return null;

  async function queue() {
    setBusy(true);
    setOutcome(null);
    try {
      const queued = await api.post<DevQueued>('/api/dev/requests', {
        ...(operator ? { operator } : {}),
        percent: Number(percent),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setOutcome({ ok: true, queued });
    } catch (e) {
      setOutcome({ ok: false, message: describe(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="practice dev-signer">
      <summary>
        <span className="badge dev">Devnet only</span> Practice: queue a new slashing request
      </summary>
      <p className="small muted">
        Sent by the devnet's keeper (the slasher role) with anvil's public keys; nothing here exists on a real chain. The request appears on the board with a fresh veto window.
      </p>
      <form
        className="practice-form"
        onSubmit={(e) => {
          e.preventDefault();
          void queue();
        }}
      >
        <label htmlFor={`${id}-op`}>Operator</label>
        <select id={`${id}-op`} value={operator} onChange={(e) => setOperator(e.target.value)}>
          {operators.map((o, i) => (
            <option key={o} value={i === 0 ? '' : o}>
              {shortAddress(o)}
              {i === 0 ? ' (default)' : ''}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-pct`}>Percent to slash (each strategy)</label>
        <input id={`${id}-pct`} type="number" min={1} max={100} step="any" required value={percent} onChange={(e) => setPercent(e.target.value)} />
        <label htmlFor={`${id}-desc`}>Description (optional)</label>
        <input id={`${id}-desc`} type="text" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Practice request" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Queueing…' : 'Queue practice request'}
          </button>
        </div>
      </form>
      {outcome?.ok && (
        <p className="outcome ok" role="status">
          Queued <Link to={`/requests/${outcome.queued.requestId}`}>request #{outcome.queued.requestId}</Link> in block {outcome.queued.block.toLocaleString('en-US')}.
        </p>
      )}
      {outcome && !outcome.ok && (
        <p className="outcome error" role="alert">
          {outcome.message}
        </p>
      )}
    </details>
  );
}
