/**
 * Who signs: the member's own wallet (EIP-1193 `window.ethereum`, through viem), or — on the
 * local devnet only — the dev signer, one of the seeded owners whose public anvil key the desk
 * hands out (`GET /api/dev/accounts`, 404 anywhere else). Keys never leave the browser tab.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createClient, custom, getAddress, type EIP1193Provider, type Hex } from 'viem';
import { getChainId, requestAddresses, signMessage, switchChain } from 'viem/actions';
import { api, ApiError } from './api';
import { typedDataForViem } from './safeTx';
import type { DevAccount, TypedDataJson } from './types';

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export interface Signer {
  kind: 'wallet' | 'dev';
  address: Hex;
  label: string;
  chainId(): Promise<number>;
  /** asks the wallet to switch; absent for the dev signer */
  switchChain?(chainId: number): Promise<void>;
  /** eth_signTypedData_v4 of exactly this JSON */
  signTypedData(td: TypedDataJson): Promise<Hex>;
  /** personal_sign (EIP-191) of a text message */
  signMessage(message: string): Promise<Hex>;
  /** absent for the dev signer: it only signs */
  sendTransaction?(tx: { to: Hex; data: Hex }): Promise<Hex>;
}

interface WalletState {
  signer: Signer | null;
  walletAvailable: boolean;
  devAccounts: DevAccount[];
  connectWallet(): Promise<void>;
  useDevAccount(address: Hex | null): Promise<void>;
  disconnect(): void;
  error: string | null;
}

const WalletContext = createContext<WalletState | null>(null);

export function useWallet(): WalletState {
  const w = useContext(WalletContext);
  if (!w) throw new Error('useWallet outside WalletProvider');
  return w;
}

function walletSigner(provider: EIP1193Provider, address: Hex): Signer {
  // a bare client plus the few actions used (tree-shaken): the page bundle stays small
  const client = createClient({ transport: custom(provider) });
  return {
    kind: 'wallet',
    address,
    label: 'Wallet',
    chainId: () => getChainId(client),
    switchChain: (id) => switchChain(client, { id }),
    signTypedData: (td) => client.request({ method: 'eth_signTypedData_v4', params: [address, JSON.stringify(td)] }),
    signMessage: (message) => signMessage(client, { account: address, message }),
    sendTransaction: (tx) => client.request({ method: 'eth_sendTransaction', params: [{ from: address, to: tx.to, data: tx.data, value: '0x0' }] }),
  };
}

async function devSigner(account: DevAccount, chainId: number): Promise<Signer> {
  // loaded on demand: only the devnet needs in-page keys
  const { privateKeyToAccount } = await import('viem/accounts');
  const local = privateKeyToAccount(account.privateKey);
  return {
    kind: 'dev',
    address: local.address,
    label: `Dev signer: ${account.label}`,
    chainId: async () => chainId,
    signTypedData: (td) => local.signTypedData(typedDataForViem(td) as Parameters<typeof local.signTypedData>[0]),
    signMessage: (message) => local.signMessage({ message }),
  };
}

export function WalletProvider({ children, chainId }: { children: ReactNode; chainId: number | null }) {
  const [signer, setSigner] = useState<Signer | null>(null);
  const [devAccounts, setDevAccounts] = useState<DevAccount[]>([]);
  const [error, setError] = useState<string | null>(null);
  const provider = typeof window !== 'undefined' ? window.ethereum : undefined;

  useEffect(() => {
    api
      .get<{ accounts: DevAccount[] }>('/api/dev/accounts')
      .then((r) => setDevAccounts(r.accounts))
      .catch((e: unknown) => {
        // 404 = not the devnet: no dev signer, as it should be
        if (!(e instanceof ApiError && e.status === 404)) console.warn('dev accounts', e);
      });
  }, []);

  // the wallet switched accounts: follow it (or drop it when it disconnected)
  useEffect(() => {
    if (!provider?.on) return;
    const onAccounts = (accounts: string[]) => {
      setSigner((s) => {
        if (s?.kind !== 'wallet') return s;
        const next = accounts[0];
        return next ? walletSigner(provider, getAddress(next)) : null;
      });
    };
    provider.on('accountsChanged', onAccounts as never);
    return () => provider.removeListener?.('accountsChanged', onAccounts as never);
  }, [provider]);

  const connectWallet = useCallback(async () => {
    setError(null);
    if (!provider) {
      setError('No browser wallet found (window.ethereum). Install one, or use the CLI: npm run cli -- sign');
      return;
    }
    try {
      const [address] = await requestAddresses(createClient({ transport: custom(provider) }));
      if (!address) throw new Error('the wallet returned no account');
      setSigner(walletSigner(provider, getAddress(address)));
    } catch (e) {
      setError((e as { code?: number }).code === 4001 ? 'You declined the connection in your wallet.' : `Could not connect the wallet: ${(e as Error).message}`);
    }
  }, [provider]);

  const useDevAccount = useCallback(
    async (address: Hex | null) => {
      setError(null);
      const account = devAccounts.find((a) => a.address === address);
      if (!account) {
        setSigner((s) => (s?.kind === 'dev' ? null : s));
        return;
      }
      setSigner(await devSigner(account, chainId ?? 0));
    },
    [devAccounts, chainId],
  );

  const value = useMemo<WalletState>(
    () => ({ signer, walletAvailable: Boolean(provider), devAccounts, connectWallet, useDevAccount, disconnect: () => setSigner(null), error }),
    [signer, provider, devAccounts, connectWallet, useDevAccount, error],
  );
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}
