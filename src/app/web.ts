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
import { createKnownStrategiesReader } from '../requests/knownStrategies';
import type { RequestView } from '../requests/views';
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
    strategies: createKnownStrategiesReader(createTokenSymbolReader(p.client), p.requests),
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
