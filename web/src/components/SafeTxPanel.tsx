/**
 * A request's Safe transaction — the committee's veto, or governance's fulfil when the slasher is
 * a Safe: signature progress, exactly what is signed (checked in the browser), and the actions:
 * sign with the connected signer, execute from the wallet once the threshold is met.
 */
import { useEffect, useState } from 'react';
import type { Hex } from 'viem';
import { api, describe } from '../api';
import { localTime } from '../format';
import { useLive } from '../live';
import { checkRejection, checkSafeTx } from '../safeTx';
import type { RejectionView, RequestView, SafeExecutionCall, SafeTxView, WayOut } from '../types';
import { useWallet } from '../wallet';
import { SignatureProgress } from './Board';
import { Addr } from './bits';

const shortAddr = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

type Outcome = { kind: 'ok' | 'error'; text: string } | null;

export function SafeTxPanel({ request, x, kind }: { request: RequestView; x: SafeTxView; kind: 'veto' | 'fulfil' }) {
  const { health } = useLive();
  const { signer } = useWallet();
  const [busy, setBusy] = useState<'sign' | 'execute' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  // another signer, another story: drop the last outcome
  useEffect(() => setOutcome(null), [signer?.address]);
  const chainId = health?.chainId ?? null;
  const checks = checkSafeTx(x.typedData, { safeTxHash: x.safeTxHash, safe: x.safe, slasher: request.slasher, requestId: request.requestId, kind, chainId });
  const checksOk = checks.every((c) => c.ok);
  const name = kind === 'veto' ? 'veto' : 'fulfil';
  const open = x.status === 'collecting' || x.status === 'ready';
  const windowOpen = kind === 'veto' ? request.status === 'in_veto_window' : request.status === 'fulfillable' || request.status === 'in_veto_window';
  // a veto must land inside the window, a fulfil only after it
  const executable = kind === 'veto' ? request.status === 'in_veto_window' : request.status === 'fulfillable';
  const mine = signer ? x.signatures.find((s) => s.signer.toLowerCase() === signer.address.toLowerCase() && !s.stale) : undefined;
  const deskSends = kind === 'veto' && health?.vetoExecution?.sends === true;
  // the Safe executes strictly by nonce: a ready transaction behind a lower one must wait
  const blocked = x.blockedByNonce !== null && x.blockedByNonce !== undefined;

  async function ensureChain(): Promise<void> {
    if (!signer || signer.kind !== 'wallet') return;
    const want = Number(x.typedData.domain.chainId);
    const have = await signer.chainId();
    if (have === want) return;
    try {
      await signer.switchChain?.(want);
    } catch {
      throw new Error(`Your wallet is on chain ${have}; switch it to chain ${want} (the desk's chain) and try again.`);
    }
  }

  async function sign() {
    if (!signer) return;
    setBusy('sign');
    setOutcome(null);
    try {
      if (!checksOk) throw new Error('The transaction does not match this request (see the checks above): not signing it.');
      await ensureChain();
      const signature = await signer.signTypedData(x.typedData);
      const updated = await api.post<SafeTxView>(`/api/requests/${request.requestId}/${name}/signatures`, { signature, source: 'http', safeTxHash: x.safeTxHash });
      const valid = updated.signatures.filter((s) => !s.stale).length;
      setOutcome({ kind: 'ok', text: `Signature of ${signer.address} stored: ${valid} of ${updated.threshold}.${valid >= updated.threshold ? ' The threshold is met.' : ''}` });
    } catch (e) {
      setOutcome({ kind: 'error', text: `The ${name} signature was refused: ${describe(e)}` });
    } finally {
      setBusy(null);
    }
  }

  /**
   * One way past a blocking nonce: fetch what it signs, check it here, sign it, post it. The
   * page never signs what it has not checked (a rejection: the Safe calling itself with nothing).
   */
  async function takeWayOut(w: WayOut) {
    if (!signer) return;
    setBusy('sign');
    setOutcome(null);
    try {
      await ensureChain();
      if (w.kind === 'sign_rejection') {
        const r = await api.get<RejectionView>(w.href);
        const bad = checkRejection(r.typedData, { safeTxHash: r.safeTxHash, safe: x.safe, nonce: w.nonce, chainId }).filter((c) => !c.ok);
        if (bad.length) throw new Error(`the rejection does not check out: ${bad.map((c) => c.text).join('; ')}`);
        const signature = await signer.signTypedData(r.typedData);
        const after = await api.post<RejectionView>(`/api/safe/rejections/${w.nonce}/signatures`, { signature, source: 'http', safeTxHash: r.safeTxHash });
        setOutcome({ kind: 'ok', text: `Rejection at nonce ${w.nonce} signed: ${after.signatures.length} of ${after.threshold}.` });
      } else {
        const id = w.requestId ?? request.requestId;
        const v = await api.get<SafeTxView>(w.href);
        const bad = checkSafeTx(v.typedData, { safeTxHash: v.safeTxHash, safe: x.safe, slasher: request.slasher, requestId: id, kind, chainId }).filter((c) => !c.ok);
        if (bad.length || Number(v.typedData.message.nonce) !== w.nonce) throw new Error(`the ${name} of request ${id} at nonce ${w.nonce} does not check out: ${bad.map((c) => c.text).join('; ') || `nonce ${v.typedData.message.nonce}`}`);
        const signature = await signer.signTypedData(v.typedData);
        const after = await api.post<SafeTxView>(`/api/requests/${id}/${name}/signatures`, { signature, source: 'http', safeTxHash: v.safeTxHash });
        setOutcome({ kind: 'ok', text: `The ${name} of request ${id} at nonce ${w.nonce} signed: ${after.signatures.filter((s) => !s.stale).length} of ${after.threshold}.` });
      }
    } catch (e) {
      setOutcome({ kind: 'error', text: `Could not take that way out: ${describe(e)}` });
    } finally {
      setBusy(null);
    }
  }

  async function execute() {
    if (!signer?.sendTransaction) return;
    setBusy('execute');
    setOutcome(null);
    try {
      const call = await api.get<SafeExecutionCall>(`/api/requests/${request.requestId}/${name}/execution`);
      await ensureChain();
      const hash: Hex = await signer.sendTransaction({ to: call.to, data: call.data });
      setOutcome({ kind: 'ok', text: `execTransaction sent from your wallet: ${hash}. The desk marks the ${name} executed once it sees it on chain.` });
    } catch (e) {
      setOutcome({ kind: 'error', text: `Could not execute the ${name}: ${describe(e)}` });
    } finally {
      setBusy(null);
    }
  }

  const settled = request.status === 'vetoed' ? 'The request is vetoed on chain.' : request.status === 'fulfilled' ? 'The request is fulfilled on chain.' : null;
  const signDisabledReason = settled
    ? settled
    : !open
    ? `This ${name} is ${x.status}.`
    : !windowOpen
      ? kind === 'veto'
        ? 'The veto window has closed.'
        : 'This request can no longer be fulfilled.'
      : !signer
        ? 'Connect a wallet (or pick the dev signer on the devnet) to sign.'
        : mine
          ? `${signer.address} has signed this ${name}.`
          : null;

  return (
    <section className="card" aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`}>{kind === 'veto' ? 'Committee veto' : 'Fulfil for governance (Safe)'}</h2>
      <SignatureProgress x={x} owners={kind === 'veto' ? health?.vetoExecution?.owners : undefined} />
      {x.blocked && !settled && (
        <div className="blocked-box" role="alert" aria-labelledby={`${name}-blocked-title`}>
          <h3 id={`${name}-blocked-title`}>
            Blocked: the threshold is met, but Safe nonce {x.blocked.nonce} must be filled first
            {x.blocked.blocksLeft !== null ? ` — ${x.blocked.blocksLeft} block(s) left` : ''}
          </h3>
          <p>
            {x.blocked.holders.length > 0
              ? x.blocked.holders.map((h) => `${h.kind} of request ${h.requestIds.join(', ')} holds it with ${h.signers.length} signature(s)${h.held ? ` and waits: ${h.held}` : `, ${h.missing} short`}`).join('; ')
              : 'Nobody holds it any more: its proposal can no longer execute.'}
          </p>
          <ul className="ways-out">
            {x.blocked.waysOut.map((w) => (
              <li key={`${w.kind}:${w.requestId ?? ''}`}>
                <button type="button" onClick={() => void takeWayOut(w)} disabled={busy !== null || !signer}>
                  {w.kind === 'sign_blocking' ? `Sign the ${name} of request ${w.requestId} at nonce ${w.nonce}` : w.kind === 'sign_rejection' ? `Sign the rejection at nonce ${w.nonce}` : `Sign this ${name} again at nonce ${w.nonce}`}
                </button>{' '}
                <span className="muted small">{w.words}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {x.signAgain && !settled && (
        <p className="notice warn" role="status">
          Another Safe transaction took nonce {x.signAgain.lostNonce}, where {x.signAgain.signers.map((a) => shortAddr(a)).join(', ')} had signed: those signatures no longer count.
          {signer && x.signAgain.signers.some((a) => a.toLowerCase() === signer.address.toLowerCase()) ? ' You must sign again (below).' : ' They must sign again.'}
        </p>
      )}
      <dl className="facts">
        <dt>Safe</dt>
        <dd>
          <Addr a={x.safe} full />
        </dd>
        <dt>Safe nonce</dt>
        <dd>{x.nonce}</dd>
        <dt>safeTxHash</dt>
        <dd>
          <code className="hash">{x.safeTxHash}</code>
        </dd>
        {x.statusReason && (
          <>
            <dt>Status</dt>
            <dd>{x.statusReason}</dd>
          </>
        )}
        {x.executionTxHash && (
          <>
            <dt>Executed in</dt>
            <dd>
              <code className="hash">{x.executionTxHash}</code>
            </dd>
          </>
        )}
      </dl>
      {x.signatures.length > 0 && (
        <ul className="sig-list" aria-label={`${name} signatures`}>
          {x.signatures.map((s) => (
            <li key={s.signer} className={s.stale ? 'stale' : undefined}>
              <Addr a={s.signer} full /> <span className="muted">via {s.source === 'http' ? 'the desk (page or API)' : s.source === 'cli' ? 'the CLI' : 'Safe{Wallet}'}, {localTime(s.submittedAt)}</span>
              {s.stale && <span className="badge warn">no longer counts: {s.stale}</span>}
            </li>
          ))}
        </ul>
      )}

      <details className="what-signed" open={open && windowOpen}>
        <summary>What you sign (EIP-712, eth_signTypedData_v4)</summary>
        <ul className="checks">
          {checks.map((c) => (
            <li key={c.text} className={c.ok ? 'ok' : 'bad'}>
              <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <span className="sr-only">{c.ok ? 'Check passed:' : 'Check failed:'}</span> {c.text}
            </li>
          ))}
        </ul>
        <pre className="typed-data" tabIndex={0} aria-label="typed data JSON">
          {JSON.stringify(x.typedData, null, 2)}
        </pre>
      </details>

      <div className="actions">
        <button type="button" className="primary" onClick={() => void sign()} disabled={busy !== null || signDisabledReason !== null} aria-describedby={`${name}-sign-hint`}>
          {busy === 'sign' ? 'Signing…' : `Sign ${name}`}
        </button>
        {x.status === 'ready' && !settled && executable && (
          <button type="button" onClick={() => void execute()} disabled={busy !== null || !signer?.sendTransaction || blocked} aria-describedby={`${name}-exec-hint`}>
            {busy === 'execute' ? 'Executing…' : `Execute ${name}`}
          </button>
        )}
      </div>
      <p id={`${name}-sign-hint`} className="muted small">
        {signDisabledReason ?? `Signs as ${signer!.address}${signer!.kind === 'dev' ? ' with the dev signer (devnet only)' : ' with your wallet'}.`}
      </p>
      {x.status === 'ready' && !settled && executable && (
        <p id={`${name}-exec-hint`} className="muted small">
          {blocked
            ? `The threshold is met, but Safe nonce ${x.blockedByNonce} must execute first (see the status above).`
            : deskSends
              ? 'The threshold is met: the desk executes this itself; use the button only if it does not.'
              : 'The threshold is met. The desk does not send this transaction: an owner (or anyone) executes it from a wallet.'}
          {!signer?.sendTransaction && ' Executing needs a connected wallet.'}
        </p>
      )}
      <div aria-live="polite" role="status" className="outcome-slot">
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
