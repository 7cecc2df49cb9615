/**
 * Sign-In with Ethereum (EIP-4361): the desk hands out a nonce, the signer signs a message for
 * this host and the desk's chain, the desk sets an HttpOnly session cookie. Signing in proves an
 * address; the desk checks on chain whether it is a current committee owner when it matters.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createSiweMessage } from 'viem/siwe';
import { api, describe } from './api';
import type { SessionView } from './types';
import type { Signer } from './wallet';

interface SessionState {
  session: SessionView;
  busy: boolean;
  error: string | null;
  signIn(signer: Signer, chainId: number): Promise<void>;
  signOut(): Promise<void>;
}

const signedOut: SessionView = { address: null, owner: null, expiresAt: null };
const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionView>(signedOut);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<SessionView>('/api/siwe/me').then(setSession).catch(() => undefined);
  }, []);

  const signIn = useCallback(async (signer: Signer, chainId: number) => {
    setBusy(true);
    setError(null);
    try {
      const { nonce } = await api.post<{ nonce: string }>('/api/siwe/nonce');
      const message = createSiweMessage({
        domain: window.location.host,
        address: signer.address,
        statement: 'Sign in to Veto Desk as a member of the veto committee.',
        uri: window.location.origin,
        version: '1',
        chainId,
        nonce,
        issuedAt: new Date(),
        expirationTime: new Date(Date.now() + 10 * 60_000),
      });
      const signature = await signer.signMessage(message);
      setSession(await api.post<SessionView>('/api/siwe/verify', { message, signature }));
    } catch (e) {
      setError(`Sign-in failed: ${describe(e)}`);
    } finally {
      setBusy(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    await api.post('/api/siwe/logout').catch(() => undefined);
    setSession(signedOut);
  }, []);

  const value = useMemo(() => ({ session, busy, error, signIn, signOut }), [session, busy, error, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
