/**
 * The committee's decision notes and evidence links on a request. Everyone reads them; writing
 * one needs a Sign-In with Ethereum session of a current committee owner (the desk checks).
 */
import { useId, useState, type FormEvent } from 'react';
import { api, describe } from '../api';
import { localTime } from '../format';
import { useLive } from '../live';
import { useSession } from '../session';
import type { Note } from '../types';
import { useResource } from '../useResource';
import { useWallet } from '../wallet';
import { Addr, ErrorBox } from './bits';

export function Notes({ requestId }: { requestId: string }) {
  const { notesVersion, health } = useLive();
  const { session, signIn, busy: signingIn, error: signInError } = useSession();
  const { signer } = useWallet();
  const { data, error, loading, reload } = useResource<{ notes: Note[] }>(`/api/requests/${requestId}/notes`, notesVersion);
  const [body, setBody] = useState('');
  const [links, setLinks] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const ids = { body: useId(), links: useId(), hint: useId() };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const list = links.split(/\s+/).map((l) => l.trim()).filter(Boolean);
      await api.post<Note>(`/api/requests/${requestId}/notes`, { body, links: list });
      setBody('');
      setLinks('');
      setOutcome({ kind: 'ok', text: 'Note saved: every member sees it.' });
      reload();
    } catch (err) {
      setOutcome({ kind: 'error', text: `The note was not saved: ${describe(err)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Decision notes and evidence</h2>
      {error && <ErrorBox message={`Could not load the notes: ${error}`} onRetry={reload} />}
      {loading && <p className="muted">Loading notes…</p>}
      {data && data.notes.length === 0 && <p className="muted">No notes yet.</p>}
      {data && data.notes.length > 0 && (
        <ul className="notes">
          {data.notes.map((n) => (
            <li key={n.id}>
              <div className="note-meta">
                <Addr a={n.author} /> · <time dateTime={n.createdAt}>{localTime(n.createdAt)}</time>
              </div>
              <p className="note-body">{n.body}</p>
              {n.links.length > 0 && (
                <ul className="note-links">
                  {n.links.map((l) => (
                    <li key={l}>
                      <a href={l} target="_blank" rel="noopener noreferrer nofollow">
                        {l}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}

      {session.address ? (
        <form className="note-form" onSubmit={(e) => void submit(e)} aria-describedby={ids.hint}>
          <p id={ids.hint} className="muted small">
            Writing as <Addr a={session.address} />
            {session.owner === false && ' — not a current owner of the committee Safe: the desk will refuse the note.'}
          </p>
          <label htmlFor={ids.body}>Note</label>
          <textarea id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} rows={4} maxLength={4000} required />
          <label htmlFor={ids.links}>Evidence links (http or https, one per line, up to 10)</label>
          <textarea id={ids.links} value={links} onChange={(e) => setLinks(e.target.value)} rows={2} inputMode="url" />
          <button type="submit" className="primary" disabled={busy || body.trim() === ''}>
            {busy ? 'Saving…' : 'Add note'}
          </button>
        </form>
      ) : (
        <div className="note-signin">
          <p className="muted">Committee owners sign in with Ethereum (EIP-4361) to write notes.</p>
          <button type="button" onClick={() => signer && health?.chainId != null && void signIn(signer, health.chainId)} disabled={!signer || signingIn || health?.chainId == null}>
            {signingIn ? 'Signing in…' : 'Sign in with Ethereum'}
          </button>
          {!signer && <p className="muted small">Connect a wallet (or pick the dev signer on the devnet) first.</p>}
          {signInError && (
            <p className="outcome error" role="alert">
              {signInError}
            </p>
          )}
        </div>
      )}
      <div role="status" aria-live="polite" className="outcome-slot">
        {outcome?.kind === 'ok' && <p className="outcome ok">{outcome.text}</p>}
      </div>
      {outcome?.kind === 'error' && (
        <p className="outcome error" role="alert">
          {outcome.text}
        </p>
      )}
    </section>
  );
}
