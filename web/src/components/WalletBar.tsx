/** Header controls: the connected signer (wallet or, on the devnet only, the dev signer) and the SIWE session. */
import { useId } from 'react';
import type { Hex } from 'viem';
import { useLive } from '../live';
import { useSession } from '../session';
import { useWallet } from '../wallet';
import { Addr } from './bits';

export function WalletBar() {
  const { signer, walletAvailable, devAccounts, connectWallet, useDevAccount, disconnect, error } = useWallet();
  const { session, signIn, signOut, busy, error: sessionError } = useSession();
  const { health } = useLive();
  const devId = useId();

  return (
    <div className="wallet-bar">
      {signer ? (
        <span className={`signer signer-${signer.kind}`}>
          {signer.kind === 'dev' ? <span className="badge dev">Dev signer (devnet only)</span> : <span className="muted">Wallet</span>} <Addr a={signer.address} />
          <button type="button" className="link" onClick={disconnect}>
            Disconnect
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => void connectWallet()} title={walletAvailable ? undefined : 'No browser wallet detected'}>
          Connect wallet
        </button>
      )}
      {devAccounts.length > 0 && (
        <span className="dev-signer">
          <label htmlFor={devId}>Dev signer (devnet only)</label>
          <select id={devId} value={signer?.kind === 'dev' ? signer.address : ''} onChange={(e) => void useDevAccount((e.target.value || null) as Hex | null)}>
            <option value="">— none —</option>
            {devAccounts.map((a) => (
              <option key={a.address} value={a.address}>
                {a.label} {a.address.slice(0, 8)}…
              </option>
            ))}
          </select>
        </span>
      )}
      {session.address ? (
        <span className="session">
          Signed in as <Addr a={session.address} />
          {session.owner === true && <span className="badge owner">owner</span>}
          {session.owner === false && <span className="badge warn">not an owner</span>}
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      ) : (
        signer &&
        health?.chainId != null && (
          <button type="button" onClick={() => void signIn(signer, health.chainId!)} disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in with Ethereum'}
          </button>
        )
      )}
      {(error || sessionError) && (
        <p className="outcome error bar-error" role="alert">
          {error ?? sessionError}
        </p>
      )}
    </div>
  );
}
