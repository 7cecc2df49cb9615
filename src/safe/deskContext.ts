/**
 * What the parts of one Safe desk (reconcile, intake, views) share: the options, the Safe's state
 * and the nonce plan as the last reconcile pass left them, and small helpers.
 */
import { getAddress, type Address, type Hex, type PublicClient } from 'viem';
import type { Logger } from '../lib/logger';
import type { NoncePlan } from '../domain/noncePlan';
import type { SentTxStore } from '../store/sentTxStore';
import type { SignatureSource, VetoProposalRow, VetoSignatureRow, VetoStore } from '../store/vetoStore';
import type { Executor } from './executor';
import type { ProposalPurpose } from './proposalPurpose';
import { proposalKind } from './proposalKinds';
import { createSafeStateCache, type SafeState } from './safeState';
import { safeTxHash, type SafeDomain } from './safeTx';
import type { RequestSnapshot, VetoEvent } from './types';
import type { VetoPolicy } from './holds';
import type { BlockRef } from '../domain/types';
import type { VetoSignatureView } from '../requests/views';

export interface SafeDeskOptions {
  client: PublicClient;
  store: VetoStore;
  sentTxs: SentTxStore;
  chainId: number;
  slasher: Address;
  /** the Safe whose transactions this desk runs: the slasher's vetoCommittee(), or its slasher() role for fulfils */
  safe: Address;
  /** what the proposals do; default: the committee's veto */
  purpose?: ProposalPurpose;
  /** set: the Safe path is off for good, and why (e.g. the slasher role is the committee Safe itself) */
  unavailable?: string;
  /** other Safes an owner might sign for by mistake (e.g. the slasher role), for diagnosis */
  otherSafes?: Address[];
  /** every request (the read model's snapshot) */
  requests: () => Promise<RequestSnapshot[]>;
  /** one request, cheaply (signature intake must not list them all) */
  request?: (requestId: string) => Promise<RequestSnapshot | null>;
  executor: Executor | null;
  logger: Logger;
  /** called after a signature is stored (the Transaction Service sync listens) */
  onProposalChange?: (p: VetoProposalRow) => void;
  /**
   * Told of every milestone, again on later passes and after restarts: the receiver dedupes
   * (the desk turns them into alerts; `src/safe` knows nothing of alerting). Errors are logged.
   */
  onEvent?: (e: VetoEvent) => Promise<unknown> | void;
  /** what happened to a proposal's execution, for the request's history (executed, reorged out, …); deduped by key */
  onHistory?: (h: { requestIds: string[]; dedupKey: string; kind: string; detail: string; txHash: string | null; blockNumber: number | null }) => Promise<unknown> | void;
  /** MAX_LOG_RANGE: the widest eth_getLogs range asked for (executions by someone else are looked for in ranges) */
  maxLogRange?: number;
  /** REORG_DEPTH: how far back the chain the node serves may still differ from the indexed one */
  reorgDepth?: number;
  /** MultiSendCallOnly on this chain (SAFE_CONTRACT_NETWORKS): absent, no batch vetoes */
  multiSendCallOnly?: Address;
  /** asked before anything executes: the single-actor lease, DRY_RUN (a reason holds everything back) */
  gate?: () => Promise<string | null> | string | null;
  /** true while another desk holds the actor lease: this desk's gate is then its own, never stored as a proposal's reason */
  standby?: () => boolean;
  /** what of the gate every desk shares (a standby stores it as the reason: the fulfils' unread history); absent: nothing */
  sharedGate?: () => Promise<string | null> | string | null;
  /** per-request holds of a veto (confirmations, the execution policy); absent: none */
  vetoPolicy?: VetoPolicy;
  /** the indexed head block (blocks left before deadlines, the policy's clock) */
  head?: () => Promise<BlockRef | null>;
  /** wall clock, unix seconds */
  now?: () => number;
  /** the Safe Transaction Service sync, when configured (late-bound: it needs this desk) */
  txService?: () => { sync(): Promise<void>; stop(): Promise<void>; status(): { url: string; lastError: string | null } } | null;
}

export const ACTIVE = new Set(['collecting', 'ready']);
/** not a single request's call: a rejection or a batch, an alternative at its nonce */
export const isAlt = (p: { requestId: string }) => proposalKind(p) !== 'veto';

export interface LastPass {
  state: SafeState | null;
  plan: NoncePlan | null;
  /** requests as of the last pass, by id */
  requests: Map<string, RequestSnapshot>;
  head: number | null;
  headRef: BlockRef | null;
}

export function createDeskContext(o: SafeDeskOptions, purpose: ProposalPurpose) {
  const safe = getAddress(o.safe);
  const slasher = getAddress(o.slasher);
  const domain: SafeDomain = { chainId: o.chainId, safe };
  const last: LastPass = { state: null, plan: null, requests: new Map(), head: null, headRef: null };
  // a request's call at a nonce hashes the same every time: views list many, intake tries several
  const hashes = new Map<string, Hex>();
  return {
    o,
    safe,
    slasher,
    domain,
    purpose,
    noun: purpose.name,
    last,
    /** one request as the read model has it now (the cheap read first), null: not indexed */
    async findRequest(requestId: string): Promise<RequestSnapshot | null> {
      return (await o.request?.(requestId)) ?? (await o.requests()).find((r) => r.requestId === requestId) ?? null;
    },
    /** blocked proposals behind a passing hold, by id: the head they were first seen so at */
    passingSince: new Map<number, number>(),
    /** ready proposals whose execution reverted in simulation, by id: the heads it did at */
    simulationReverts: new Map<number, Set<number>>(),
    /** the Safe's owners, threshold and nonce, read again only when something says they changed */
    stateCache: createSafeStateCache(o.client, safe),
    /** safeTxHash of `requestId`'s call at `nonce` */
    callHash(requestId: string, nonce: number): Hex {
      const key = `${requestId}:${nonce}`;
      let h = hashes.get(key);
      if (!h) {
        if (hashes.size > 20_000) hashes.clear();
        hashes.set(key, (h = safeTxHash(domain, purpose.buildTx(BigInt(requestId), BigInt(nonce)))));
      }
      return h;
    },
  };
}

export type DeskContext = ReturnType<typeof createDeskContext>;

export function signatureView(s: VetoSignatureRow): VetoSignatureView {
  return {
    signer: getAddress(s.signer),
    source: s.source as SignatureSource,
    submittedAt: s.submittedAt.toISOString(),
    ...(s.staleReason ? { stale: s.staleReason } : {}),
  };
}

/** Signatures by proposal id. */
export function bySignatureProposal(sigs: VetoSignatureRow[]): Map<number, VetoSignatureRow[]> {
  const out = new Map<number, VetoSignatureRow[]>();
  for (const s of sigs) out.set(s.proposalId, [...(out.get(s.proposalId) ?? []), s]);
  return out;
}
