/**
 * The web UI's services for the HTTP app, composed from the store, the chain and the
 * Safe modules: sign-in sessions, notes, token symbols, execTransaction calls for a member's
 * wallet, and — on the embedded devnet only — the dev signer's keys.
 */
import { getAddress, type Address, type PublicClient } from 'viem';
import type { WebServices } from '../api/app';
import type { DevAccountView } from '../api/devSigner';
import { loopbackOrigins } from '../api/siwe';
import type { DevRequestsApi } from '../api/devRequests';
import { createTokenSymbolReader } from '../chain/tokenSymbols';
import type { RequestView } from '../api/views';
import { buildSafeExecutionCall } from '../safe/executionCall';
import { readSafeState } from '../safe/safeState';
import type { Database } from '../store/database';
import { createNoteStore } from '../store/noteStore';
import { createSiweSessionStore } from '../store/siweStore';
import { createVetoStore } from '../store/vetoStore';

export type { DevAccountView } from '../api/devSigner';
export type { DevRequestsApi } from '../api/devRequests';

export function createWebServices(p: {
  database: Database;
  client: PublicClient;
  chainId: number;
  slasher: Address;
  /** the slasher's vetoCommittee(): its owners may sign in to write notes */
  committee: Address;
  /** the slasher's slasher() role: governance's Safe when fulfils go through one */
  slasherRole: Address;
  devAccounts?: DevAccountView[];
  /** PUBLIC_URL: the origin sign-in messages must name; undefined: this machine's loopback names */
  publicUrl?: string;
  /** the port the server listens on (known once it does) */
  port: () => number;
  devRequests?: DevRequestsApi;
  /** why a request's veto or fulfil must not execute now (the Safe desks' `executionHold`) */
  executionHold?: Record<'veto' | 'fulfil', (requestId: string, requestTxHash: string) => Promise<string | null>>;
  /** why the veto's or fulfil's Safe path is off (the Safe desks' `unavailable`) */
  safeOff?: Record<'veto' | 'fulfil', () => string | null>;
  /** the stored requests' views (shared between reads while nothing changes) */
  requests: () => Promise<readonly RequestView[]>;
}): WebServices {
  const vetoStore = createVetoStore(p.database, p.slasher, getAddress(p.committee));
  const fulfilStore = createVetoStore(p.database, p.slasher, getAddress(p.slasherRole));
  return {
    siwe: {
      sessions: createSiweSessionStore(p.database.db),
      chainId: p.chainId,
      origins: () => (p.publicUrl ? [p.publicUrl] : loopbackOrigins(p.port())),
      secureCookies: p.publicUrl?.startsWith('https:') ?? false,
      committeeOwners: async () => (await readSafeState(p.client, p.committee)).owners,
    },
    notes: createNoteStore(p.database.db, p.slasher),
    strategies: knownStrategiesReader(p.client, p.requests),
    safeExecution: {
      executionCall: (requestId, kind) => buildSafeExecutionCall({ client: p.client, store: kind === 'veto' ? vetoStore : fulfilStore, safe: getAddress(kind === 'veto' ? p.committee : p.slasherRole), requestId, kind, hold: p.executionHold?.[kind], off: p.safeOff?.[kind] }),
    },
    async proposedAt(requestId) {
      const rows = (await Promise.all([vetoStore, fulfilStore].flatMap((s) => [s.currentProposals([requestId]), s.supersededProposals([requestId])]))).flat();
      return new Map(rows.map((r) => [r.safeTxHash.toLowerCase(), r.createdAt.toISOString()]));
    },
    ...(p.devAccounts?.length ? { devAccounts: p.devAccounts } : {}),
    ...(p.devRequests ? { devRequests: p.devRequests } : {}),
  };
}

/**
 * Token symbols of the strategies the stored requests name; any other address is answered
 * "unknown" without reading the chain: the route is anonymous, and 50 new addresses per call
 * would each cost up to three `eth_call`s and push the real strategies out of the cache.
 */
function knownStrategiesReader(client: PublicClient, requests: () => Promise<readonly RequestView[]>): NonNullable<WebServices['strategies']> {
  const tokens = createTokenSymbolReader(client);
  // made once per set of views (they are kept between reads while nothing changes)
  const named = new WeakMap<readonly RequestView[], ReadonlySet<string>>();
  return {
    async read(strategies) {
      const views = await requests();
      let known = named.get(views);
      if (!known) named.set(views, (known = new Set(views.flatMap((v) => v.strategies ?? []).map((s) => s.toLowerCase()))));
      const asked = strategies.filter((s) => known.has(s.toLowerCase()));
      const answers = new Map((await tokens.read(asked)).map((t) => [t.strategy.toLowerCase(), t]));
      return strategies.map((s) => answers.get(s.toLowerCase()) ?? { strategy: getAddress(s), token: null, symbol: null });
    },
  };
}
