/**
 * Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with an injected EIP-1193
 * provider: `window.ethereum.request` is bridged to node (page.exposeFunction), where viem
 * private-key accounts sign (eth_signTypedData_v4, personal_sign) and send transactions to the
 * devnet, like a wallet extension would. Everything else is forwarded to the chain's RPC.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createPublicClient, getAddress, http, type Hex, type TypedDataDefinition } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createDevClients } from '../../src/devnet/devnet';

const ROOT = path.join(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Builds the current web sources with `web/build.mjs` (Vite's build() API) into `outDir`. */
export function buildWeb(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'web', 'build.mjs'), '--out-dir', outDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`web build failed (${code}):\n${out}`))));
  });
}

export interface InjectedWallet {
  /** switch the wallet's account (null = locked); the page hears `accountsChanged` */
  use(privateKey: Hex | null): Promise<void>;
  /** every method the page asked the wallet for, in order */
  calls: string[];
}

/** Decimal strings (as in JSON typed data) to bigints for every (u)int field, recursively. */
function typedValues(types: Record<string, { name: string; type: string }[]>, type: string, value: unknown): unknown {
  if (type.endsWith(']')) return (value as unknown[]).map((v) => typedValues(types, type.slice(0, type.lastIndexOf('[')), v));
  if (types[type]) return Object.fromEntries(types[type]!.map((f) => [f.name, typedValues(types, f.type, (value as Record<string, unknown>)[f.name])]));
  if (/^u?int\d*$/.test(type)) return BigInt(value as string | number);
  return value;
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Injects `window.ethereum` into every page of `page`'s context (before any script of the page
 * runs). Call before `page.goto`.
 */
export async function injectWallet(page: Page, o: { rpcUrl: string; chainId: number }): Promise<InjectedWallet> {
  let account: PrivateKeyAccount | null = null;
  let key: Hex | null = null;
  const calls: string[] = [];
  const rpc = createPublicClient({ transport: http(o.rpcUrl) });

  async function handle(method: string, params: unknown[]): Promise<unknown> {
    const requireAccount = (address?: unknown) => {
      if (!account) throw new RpcError(4100, 'the wallet is locked');
      if (address !== undefined && getAddress(String(address)) !== account.address) throw new RpcError(4100, `the wallet does not hold ${String(address)}`);
      return account;
    };
    switch (method) {
      case 'eth_requestAccounts':
        if (!account) throw new RpcError(4001, 'User rejected the request.');
        return [account.address];
      case 'eth_accounts':
        return account ? [account.address] : [];
      case 'eth_chainId':
        return `0x${o.chainId.toString(16)}`;
      case 'wallet_switchEthereumChain': {
        const want = Number((params[0] as { chainId: string }).chainId);
        if (want !== o.chainId) throw new RpcError(4902, `Unrecognized chain ID ${want}`);
        return null;
      }
      case 'eth_signTypedData_v4': {
        const signer = requireAccount(params[0]);
        const td = JSON.parse(String(params[1])) as { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; primaryType: string; message: Record<string, unknown> };
        const { EIP712Domain: domainType = [], ...types } = td.types;
        const domain = typedValues({ EIP712Domain: domainType }, 'EIP712Domain', td.domain) as TypedDataDefinition['domain'];
        return signer.signTypedData({ domain, types, primaryType: td.primaryType, message: typedValues(types, td.primaryType, td.message) as Record<string, unknown> } as unknown as TypedDataDefinition);
      }
      case 'personal_sign': {
        const signer = requireAccount(params[1]);
        return signer.signMessage({ message: { raw: params[0] as Hex } });
      }
      case 'eth_sendTransaction': {
        const tx = params[0] as { from: string; to: Hex; data?: Hex; value?: Hex };
        requireAccount(tx.from);
        const { wallet } = createDevClients(o.rpcUrl, key!, o.chainId);
        return wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : 0n });
      }
      default:
        return rpc.request({ method, params } as never);
    }
  }

  await page.exposeFunction('__vetoDeskTestWallet', async (method: string, paramsJson: string) => {
    calls.push(method);
    try {
      return JSON.stringify({ result: await handle(method, JSON.parse(paramsJson) as unknown[]) });
    } catch (e) {
      const code = e instanceof RpcError ? e.code : -32603;
      return JSON.stringify({ error: { code, message: (e as Error).message.split('\n')[0] } });
    }
  });
  await page.addInitScript(() => {
    const listeners = new Map<string, Set<(data: unknown) => void>>();
    const bridge = (globalThis as unknown as { __vetoDeskTestWallet: (m: string, p: string) => Promise<string> }).__vetoDeskTestWallet;
    (globalThis as unknown as { ethereum: unknown }).ethereum = {
      isVetoDeskTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const reply = JSON.parse(await bridge(method, JSON.stringify(params ?? []))) as { result?: unknown; error?: { code: number; message: string } };
        if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        return reply.result;
      },
      on(event: string, fn: (data: unknown) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(fn);
      },
      removeListener(event: string, fn: (data: unknown) => void) {
        listeners.get(event)?.delete(fn);
      },
      __emit(event: string, data: unknown) {
        for (const fn of listeners.get(event) ?? []) fn(data);
      },
    };
  });

  return {
    calls,
    async use(privateKey) {
      key = privateKey;
      account = privateKey ? privateKeyToAccount(privateKey) : null;
      const accounts = account ? [account.address] : [];
      await page.evaluate((a) => (globalThis as unknown as { ethereum: { __emit(e: string, d: unknown): void } }).ethereum.__emit('accountsChanged', a), accounts).catch(() => undefined);
    },
  };
}
