/**
 * A Safe desk: one Safe transaction per request (the committee's veto while the window runs, or
 * governance's fulfil when the slasher role is a Safe: see `proposalPurpose.ts`), nonces planned
 * in deadline order, owner signatures checked and stored, execution once the threshold is met
 * (and the purpose allows it). Rejections and MultiSend batches are committee (veto) features.
 * `reconcile()` runs after every ingest sync and after every accepted signature; it is the only
 * place that changes proposal states, and runs one at a time.
 */
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError, getAddress, parseAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import { DeskError, describeError } from '../errors';
import { serialPasses } from '../lib/serialPasses';
import type { Logger } from '../lib/logger';
import type { RequestStatus } from '../domain/types';
import type { SignatureSource, VetoProposalRow, VetoSignatureRow, VetoStore } from '../store/vetoStore';
import type { Executor, ExecutionOutcome } from './executor';
import { readSafeState, type SafeState } from './safeState';
import { batchKey, batchRequestIds, proposalKind, storedSafeTx } from './proposalKinds';
import { vetoPurpose, type ProposalPurpose } from './proposalPurpose';
import { buildBatchVetoSafeTx, buildRejectionSafeTx, safeAbi, safeTxHash, typedDataJson, type SafeDomain } from './safeTx';
import { diagnoseForeignSignature, parseSignature, recoverSigner, type CandidateHash } from './signature';
import type { VetoView } from './vetoView';

/** What the service needs to know of a request (from the tracker's read model). */
export interface RequestSnapshot {
  requestId: string;
  queuedTxHash: string;
  queuedAtBlock: number;
  status: RequestStatus;
  /** window end (block or unix second): nonces are planned in this order */
  deadline: number;
  cancelledTxHash?: string;
  fulfilledTxHash?: string;
}

export interface VetoServiceOptions {
  client: PublicClient;
  store: VetoStore;
  chainId: number;
  slasher: Address;
  /** the Safe whose transactions this desk plans: the slasher's vetoCommittee(), or its slasher() role for fulfils */
  safe: Address;
  /** what the proposals do; default: the committee's veto */
  purpose?: ProposalPurpose;
  /** set: the Safe path is off for good, and why (e.g. the slasher role is the committee Safe itself) */
  unavailable?: string;
  /** other Safes an owner might sign for by mistake (e.g. the slasher role), for diagnosis */
  otherSafes?: Address[];
  requests: () => Promise<RequestSnapshot[]>;
  executor: Executor | null;
  logger: Logger;
  /** called after a signature is stored or a proposal created (the tx service sync listens) */
  onProposalChange?: (p: VetoProposalRow) => void;
  /**
   * Told of every veto milestone (the desk turns these into alerts; `src/safe` knows nothing of
   * alerting). Called again for the same milestone on later passes and after restarts: the
   * receiver dedupes (e.g. on kind + safeTxHash). Errors are logged, never fatal.
   */
  onEvent?: (e: VetoEvent) => Promise<unknown> | void;
  /** MultiSendCallOnly on this chain (SAFE_CONTRACT_NETWORKS): absent, no batch vetoes */
  multiSendCallOnly?: Address;
  /**
   * Asked before a ready proposal is executed (issue 4: the single-actor lease, DRY_RUN, the
   * veto execution policy). A reason string holds it back this pass; null lets it go.
   */
  gate?: (p: VetoProposalRow) => Promise<string | null> | string | null;
  /** the Safe Transaction Service sync, when configured (late-bound: it needs this service) */
  txService?: () => { sync(): Promise<void>; stop(): Promise<void>; status(): { url: string; lastError: string | null } } | null;
}

/** A veto or fulfil milestone, for alerting: quorum reached, executed on chain, or execution failed. */
export interface VetoEvent {
  kind: ProposalPurpose['events'][keyof ProposalPurpose['events']] | 'action_failed';
  purpose: ProposalPurpose['name'];
  requestId: string;
  queuedAtBlock: number;
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
  threshold: number;
  signers: Address[];
  executionTxHash: Hex | null;
  /** action_failed: the decoded revert reason */
  reason: string | null;
}

/** Executed/failed proposals older than this are history: no milestone events (a first start on an old database pages no one). */
const EVENT_HORIZON_MS = 24 * 3600_000;

/** Chains a member's wallet is likely to be on by mistake. */
const OTHER_CHAINS = [1, 10, 56, 100, 137, 8453, 17000, 42161, 84532, 421614, 560048, 11155111, 31337, 31338];
const NONCE_SEARCH = 16;
const ACTIVE = new Set(['collecting', 'ready']);
/** Rejections (the Safe calling itself, empty data) share the proposal table under this request id prefix. */
const REJECTION = 'rejection:';
/** not a single request's veto: a rejection or a batch, an alternative at its nonce */
const isAlt = (p: { requestId: string }) => proposalKind(p) !== 'veto';
const isRejection = (p: { requestId: string }) => proposalKind(p) === 'rejection';
/** How far back a rejection's ExecutionSuccess is looked for. */
const REJECTION_LOOKBACK = 50_000;

/** `GET/POST /api/safe/rejections/:nonce`: a rejection at a blocking nonce. */
export interface RejectionView {
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
  typedData: ReturnType<typeof typedDataJson>;
  threshold: number;
  signatures: VetoView['signatures'];
  status: VetoView['status'];
  statusReason: string | null;
  executionTxHash: Hex | null;
  /** the veto without quorum at this nonce (null: none planned there) */
  blocking: { requestId: string; status: string; signatures: number } | null;
  /** vetoes with quorum waiting behind this nonce */
  unblocks: string[];
}

/** `POST /api/safe/batches`, `GET /api/safe/batches/:nonce`: one Safe transaction vetoing several requests. */
export interface BatchView extends Omit<RejectionView, 'blocking' | 'unblocks'> {
  requestIds: string[];
  /** MultiSendCallOnly, called with DELEGATECALL (operation 1) */
  to: Address;
  operation: 1;
}

/** `GET /api/safe/plan`: the Safe nonces the desk has planned, and how a blocked nonce resolves. */
export interface SafePlanView {
  safe: Address;
  safeNonce: number;
  threshold: number;
  entries: { nonce: number; kind: 'veto' | 'rejection' | 'batch'; requestId: string | null; requestIds?: string[]; status: string; signatures: number; safeTxHash: Hex }[];
  blocked: { nonce: number; blockingRequestId: string | null; waiting: string[]; explanation: string; rejection: string }[];
}

const executionSuccess = parseAbiItem('event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)');

export function createVetoService(o: VetoServiceOptions) {
  const { client, store, logger } = o;
  const slasher = getAddress(o.slasher);
  const safe = getAddress(o.safe);
  const purpose = o.purpose ?? vetoPurpose(slasher);
  const noun = purpose.name;
  const domain: SafeDomain = { chainId: o.chainId, safe };
  let lastState: SafeState | null = null;

  async function safeState(): Promise<SafeState> {
    lastState = await readSafeState(client, safe);
    return lastState;
  }

  async function findExecution(p: VetoProposalRow, fromBlock: number): Promise<Hex | null> {
    const logs = await client.getLogs({ address: safe, event: executionSuccess, args: { txHash: p.safeTxHash as Hex }, fromBlock: BigInt(fromBlock), toBlock: 'latest' });
    return logs[0]?.transactionHash ?? null;
  }

  async function plan(req: RequestSnapshot, nonce: number): Promise<VetoProposalRow> {
    const tx = purpose.buildTx(BigInt(req.requestId), BigInt(nonce));
    const hash = safeTxHash(domain, tx);
    // the contract must agree with our EIP-712 hash, or no signature we collect could execute
    const onchain = await client.readContract({
      address: safe,
      abi: safeAbi,
      functionName: 'getTransactionHash',
      args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce],
    });
    if (onchain.toLowerCase() !== hash.toLowerCase()) {
      throw new DeskError('SAFE_READ_FAILED', `the ${purpose.safeLabel} ${safe} hashes the ${noun} as ${onchain}, not ${hash}: only Safe ≥ 1.3.0 is supported`);
    }
    const p = await store.createProposal({ requestId: req.requestId, requestTxHash: req.queuedTxHash, chainId: o.chainId, nonce, to: tx.to, data: tx.data, safeTxHash: hash });
    logger.info({ requestId: req.requestId, nonce, safeTxHash: hash }, `${noun} proposed`);
    o.onProposalChange?.(p);
    return p;
  }

  async function applyOutcome(p: VetoProposalRow, outcome: ExecutionOutcome): Promise<void> {
    if (outcome.kind === 'executed') {
      await store.setStatus(p.id, 'executed', { executionTxHash: outcome.txHash, statusReason: null });
      logger.info({ requestId: p.requestId, txHash: outcome.txHash }, `${noun} executed`);
    } else if (outcome.kind === 'failed' && !outcome.txHash && purpose.notYet?.test(outcome.reason)) {
      // only simulated, and the chain says "not yet" (an RPC whose pending block is its latest): next pass
      logger.debug({ requestId: p.requestId, reason: outcome.reason }, `${noun} not executable yet; trying again next pass`);
    } else if (outcome.kind === 'failed') {
      await store.setStatus(p.id, 'failed', { statusReason: outcome.reason, executionTxHash: outcome.txHash ?? null });
      logger.warn({ requestId: p.requestId, reason: outcome.reason }, `${noun} execution failed`);
    }
  }

  /** Reports the milestones of current proposals (idempotent: the receiver dedupes). */
  async function emitEvents(state: SafeState, byId: Map<string, RequestSnapshot>): Promise<void> {
    if (!o.onEvent) return;
    const horizon = Date.now() - EVENT_HORIZON_MS;
    const ps = (await store.currentProposals()).filter((p) => p.status === 'ready' || ((p.status === 'executed' || p.status === 'failed') && p.updatedAt.getTime() >= horizon));
    if (ps.length === 0) return;
    const sigs = await store.signatures(ps.map((p) => p.id));
    for (const p of ps) {
      const req = byId.get(p.requestId);
      if (!req || req.queuedTxHash !== p.requestTxHash) continue;
      const signers = sigs.filter((x) => x.proposalId === p.id && !x.staleReason).map((x) => getAddress(x.signer));
      const base = { purpose: noun, requestId: p.requestId, queuedAtBlock: req.queuedAtBlock, safe: getAddress(p.safe), nonce: p.nonce, safeTxHash: p.safeTxHash as Hex, threshold: state.threshold, signers, executionTxHash: (p.executionTxHash as Hex | null) ?? null, reason: null };
      const events: VetoEvent[] = [];
      // quorum through the desk's intake (an owner executing alone from their wallet is not "quorum reached here")
      if (p.status === 'ready' || signers.length >= state.threshold) events.push({ ...base, kind: purpose.events.quorum });
      if (p.status === 'executed') events.push({ ...base, kind: purpose.events.executed });
      if (p.status === 'failed') events.push({ ...base, kind: 'action_failed', reason: p.statusReason ?? 'execution failed' });
      for (const e of events) {
        try {
          await o.onEvent(e);
        } catch (err) {
          logger.warn({ err: describeError(err), kind: e.kind, requestId: e.requestId }, `${noun} event receiver failed`);
        }
      }
    }
  }

  async function settleAlternative(p: VetoProposalRow, state: SafeState, byId: Map<string, RequestSnapshot>): Promise<void> {
    if (!ACTIVE.has(p.status)) return;
    if (o.executor) {
      const outcome = await o.executor.resume(p, { wait: false });
      if (outcome && outcome.kind !== 'dropped' && outcome.kind !== 'pending') return applyOutcome(p, outcome);
      if (outcome?.kind === 'pending') return;
    }
    if (p.nonce < state.nonce) {
      const head = Number(await client.getBlockNumber());
      const txHash = await findExecution(p, Math.max(0, head - REJECTION_LOOKBACK));
      if (txHash) await store.setStatus(p.id, 'executed', { executionTxHash: txHash, statusReason: null });
      else await store.supersede(p.id, `Safe nonce ${p.nonce} was used by another transaction: the ${proposalKind(p)} is no longer needed`);
      return;
    }
    // a batch reverts whole if one of its requests can no longer be cancelled
    const out = batchRequestIds(p).find((id) => byId.get(id)?.status !== 'in_veto_window');
    if (out !== undefined) await store.supersede(p.id, `request ${out} is ${byId.get(out)?.status ?? 'unknown'}: the batch would revert; propose a new one`);
  }

  function rejectionTx(nonce: number) {
    const tx = buildRejectionSafeTx(safe, BigInt(nonce));
    return { tx, hash: safeTxHash(domain, tx) };
  }

  async function currentRejection(nonce: number): Promise<VetoProposalRow | null> {
    const ps = (await store.currentProposals([`${REJECTION}${nonce}`])).filter((p) => p.status !== 'abandoned');
    return ps[ps.length - 1] ?? null;
  }

  /** The veto at `nonce` without quorum and the ready vetoes behind it, from current proposals. */
  async function blockingAt(nonce: number) {
    const active = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status) && !isAlt(p));
    const blocking = active.find((p) => p.nonce === nonce) ?? null;
    const unblocks = active.filter((p) => p.nonce > nonce && p.status === 'ready').map((p) => p.requestId);
    return { blocking, unblocks };
  }

  async function rejectionView(nonce: number): Promise<RejectionView> {
    const state = lastState ?? (await safeState());
    const row = await currentRejection(nonce);
    const { tx, hash } = rejectionTx(nonce);
    const { blocking, unblocks } = await blockingAt(nonce);
    const sigs = await store.signatures([...(row ? [row.id] : []), ...(blocking ? [blocking.id] : [])]);
    return {
      safe,
      nonce,
      safeTxHash: hash,
      typedData: typedDataJson(domain, tx),
      threshold: state.threshold,
      signatures: row ? sigs.filter((x) => x.proposalId === row.id).map(signatureView) : [],
      status: (row?.status as VetoView['status'] | undefined) ?? 'collecting',
      statusReason: row?.statusReason ?? null,
      executionTxHash: (row?.executionTxHash as Hex | null | undefined) ?? null,
      blocking: blocking ? { requestId: blocking.requestId, status: blocking.status, signatures: sigs.filter((x) => x.proposalId === blocking.id && !x.staleReason).length } : null,
      unblocks,
    };
  }

  /**
   * An owner's signature over the rejection at `nonce`. Only offered where it helps: `nonce` is
   * at or above the Safe's nonce, and a veto without quorum there blocks a higher one with quorum.
   *
   * @throws DeskError REJECTION_NOT_NEEDED, SIGNATURE_* as for vetoes; nothing stored then.
   */
  async function submitRejectionSignature(nonce: number, input: { signature: unknown; source: SignatureSource }): Promise<RejectionView> {
    const sig = parseSignature(input.signature);
    const state = await safeState();
    let row = await currentRejection(nonce);
    if (row && !ACTIVE.has(row.status)) throw new DeskError('REJECTION_NOT_NEEDED', `the rejection at nonce ${nonce} is ${row.status}`);
    const { hash } = rejectionTx(nonce);
    const signer = await recoverSigner(hash, sig);
    if (!state.owners.includes(signer)) {
      const cands: CandidateHash[] = [];
      for (let n = Math.max(0, state.nonce - NONCE_SEARCH); n <= nonce + NONCE_SEARCH; n++) {
        if (n !== nonce) cands.push({ code: 'SIGNATURE_WRONG_NONCE', label: `a rejection at nonce ${n}; this one is at nonce ${nonce}`, hash: rejectionTx(n).hash });
      }
      for (const chainId of OTHER_CHAINS) {
        if (chainId !== o.chainId) cands.push({ code: 'SIGNATURE_WRONG_CHAIN', label: `chain ${chainId}; this desk is on chain ${o.chainId}`, hash: safeTxHash({ chainId, safe }, buildRejectionSafeTx(safe, BigInt(nonce))) });
      }
      throw await diagnoseForeignSignature(sig, signer, state.owners, cands);
    }
    if (!row) {
      if (nonce < state.nonce) throw new DeskError('REJECTION_NOT_NEEDED', `Safe nonce ${nonce} is already used (the Safe is at nonce ${state.nonce})`);
      const { blocking, unblocks } = await blockingAt(nonce);
      if (!blocking || blocking.status === 'ready' || unblocks.length === 0) {
        throw new DeskError('REJECTION_NOT_NEEDED', `nonce ${nonce} blocks no veto with quorum: a rejection is only offered at a nonce whose veto lacks quorum while a higher one has it`);
      }
      row = await store.createProposal({ requestId: `${REJECTION}${nonce}`, requestTxHash: '', chainId: o.chainId, nonce, to: safe, data: '0x', safeTxHash: hash });
      logger.info({ nonce, safeTxHash: hash, blocking: blocking.requestId, unblocks }, 'rejection proposed');
    }
    const added = await store.addSignature({ proposalId: row.id, signer, signature: sig.hex, source: input.source });
    if (!added) throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the rejection at nonce ${nonce}`);
    logger.info({ nonce, signer }, 'rejection signature accepted');
    void reconcile();
    return rejectionView(nonce);
  }

  async function currentBatch(nonce: number): Promise<VetoProposalRow | null> {
    const ps = (await store.currentProposals()).filter((p) => proposalKind(p) === 'batch' && p.nonce === nonce && p.status !== 'abandoned');
    return ps[ps.length - 1] ?? null;
  }

  async function batchView(nonce: number): Promise<BatchView> {
    const row = await currentBatch(nonce);
    if (!row) throw new DeskError('BATCH_NOT_AVAILABLE', `no batch veto at nonce ${nonce}: propose one with POST /api/safe/batches`);
    const state = lastState ?? (await safeState());
    const ids = batchRequestIds(row);
    const tx = buildBatchVetoSafeTx(getAddress(row.to), slasher, ids.map(BigInt), BigInt(nonce));
    const sigs = await store.signatures([row.id]);
    return {
      safe,
      nonce,
      requestIds: ids,
      to: getAddress(row.to),
      operation: 1,
      safeTxHash: row.safeTxHash as Hex,
      typedData: typedDataJson(domain, tx),
      threshold: state.threshold,
      signatures: sigs.map(signatureView),
      status: row.status as VetoView['status'],
      statusReason: row.statusReason ?? null,
      executionTxHash: (row.executionTxHash as Hex | null) ?? null,
    };
  }

  /**
   * Plans one Safe transaction vetoing `requestIds` (≥ 2, each in its window) at the Safe's
   * current nonce, an alternative to the single veto planned there. Idempotent for the same set.
   *
   * @throws DeskError BATCH_NOT_AVAILABLE (no MultiSendCallOnly known, or another batch at the nonce), BAD_REQUEST, REQUEST_NOT_FOUND, VETO_WINDOW_CLOSED
   */
  async function proposeBatch(requestIds: string[]): Promise<BatchView> {
    if (!o.multiSendCallOnly) throw new DeskError('BATCH_NOT_AVAILABLE', `no MultiSendCallOnly address for chain ${o.chainId}: set multiSendCallOnlyAddress in SAFE_CONTRACT_NETWORKS`);
    const ids = [...new Set(requestIds.map((id) => BigInt(id)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
    if (ids.length < 2) throw new DeskError('BAD_REQUEST', 'a batch veto needs at least two distinct request ids');
    const reqs = new Map((await o.requests()).map((r) => [r.requestId, r]));
    for (const id of ids) {
      const r = reqs.get(id);
      if (!r) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
      if (r.status !== 'in_veto_window') throw new DeskError('VETO_WINDOW_CLOSED', `request ${id} is ${r.status}: it can no longer be vetoed`);
    }
    const state = await safeState();
    const existing = await currentBatch(state.nonce);
    if (existing) {
      if (batchRequestIds(existing).join(',') === ids.join(',')) return batchView(state.nonce);
      throw new DeskError('BATCH_NOT_AVAILABLE', `a batch of requests ${batchRequestIds(existing).join(', ')} is already proposed at nonce ${state.nonce}`);
    }
    const tx = buildBatchVetoSafeTx(o.multiSendCallOnly, slasher, ids.map(BigInt), BigInt(state.nonce));
    const hash = safeTxHash(domain, tx);
    await store.createProposal({ requestId: batchKey(state.nonce, ids), requestTxHash: '', chainId: o.chainId, nonce: state.nonce, to: tx.to, data: tx.data, safeTxHash: hash });
    logger.info({ nonce: state.nonce, requestIds: ids, safeTxHash: hash }, 'batch veto proposed');
    return batchView(state.nonce);
  }

  /** An owner's signature over the batch at `nonce`; executed at quorum like a veto. */
  async function submitBatchSignature(nonce: number, input: { signature: unknown; source: SignatureSource }): Promise<BatchView> {
    const sig = parseSignature(input.signature);
    const row = await currentBatch(nonce);
    if (!row) throw new DeskError('BATCH_NOT_AVAILABLE', `no batch veto at nonce ${nonce}: propose one with POST /api/safe/batches`);
    if (!ACTIVE.has(row.status)) throw new DeskError('BATCH_NOT_AVAILABLE', `the batch at nonce ${nonce} is ${row.status}`);
    const state = await safeState();
    const signer = await recoverSigner(row.safeTxHash as Hex, sig);
    if (!state.owners.includes(signer)) {
      const tx = buildBatchVetoSafeTx(getAddress(row.to), slasher, batchRequestIds(row).map(BigInt), BigInt(nonce));
      const cands: CandidateHash[] = [];
      for (const chainId of OTHER_CHAINS) if (chainId !== o.chainId) cands.push({ code: 'SIGNATURE_WRONG_CHAIN', label: `chain ${chainId}; this desk is on chain ${o.chainId}`, hash: safeTxHash({ chainId, safe }, tx) });
      for (let n = Math.max(0, nonce - NONCE_SEARCH); n <= nonce + NONCE_SEARCH; n++) if (n !== nonce) cands.push({ code: 'SIGNATURE_WRONG_NONCE', label: `nonce ${n}; this batch is at nonce ${nonce}`, hash: safeTxHash(domain, { ...tx, nonce: BigInt(n) }) });
      throw await diagnoseForeignSignature(sig, signer, state.owners, cands);
    }
    if (!(await store.addSignature({ proposalId: row.id, signer, signature: sig.hex, source: input.source }))) {
      throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the batch at nonce ${nonce}`);
    }
    logger.info({ nonce, signer }, 'batch signature accepted');
    void reconcile();
    return batchView(nonce);
  }

  async function safePlan(): Promise<SafePlanView> {
    const state = lastState ?? (await safeState());
    const active = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status)).sort((a, b) => a.nonce - b.nonce || Number(isRejection(a)) - Number(isRejection(b)));
    const sigs = await store.signatures(active.map((p) => p.id));
    const count = (id: number) => sigs.filter((x) => x.proposalId === id && !x.staleReason).length;
    const entries = active.map((p) => ({ nonce: p.nonce, kind: proposalKind(p), requestId: isAlt(p) ? null : p.requestId, ...(proposalKind(p) === 'batch' ? { requestIds: batchRequestIds(p) } : {}), status: p.status, signatures: count(p.id), safeTxHash: p.safeTxHash as Hex }));
    const blocked: SafePlanView['blocked'] = [];
    const vetoes = active.filter((p) => !isAlt(p));
    const firstReady = vetoes.find((p) => p.status === 'ready' && p.nonce > state.nonce);
    if (firstReady) {
      for (let n = state.nonce; n < firstReady.nonce; n++) {
        const atN = active.filter((p) => p.nonce === n);
        if (atN.some((p) => p.status === 'ready')) continue;
        const v = atN.find((p) => !isAlt(p)) ?? null;
        const waiting = vetoes.filter((p) => p.nonce > n && p.status === 'ready').map((p) => p.requestId);
        blocked.push({
          nonce: n,
          blockingRequestId: v?.requestId ?? null,
          waiting,
          explanation: `nonce ${n}${v ? ` (veto of request ${v.requestId}, ${count(v.id)}/${state.threshold} signatures)` : ''} lacks quorum and blocks the veto${waiting.length > 1 ? 's' : ''} of request${waiting.length > 1 ? 's' : ''} ${waiting.join(', ')}: sign it, or sign the rejection at nonce ${n}; once the rejection executes, the vetoes behind it execute and the veto at nonce ${n} is re-planned at a later nonce`,
          rejection: `/api/safe/rejections/${n}`,
        });
      }
    }
    return { safe, safeNonce: state.nonce, threshold: state.threshold, entries, blocked };
  }

  /**
   * Why there is no Safe path to run: an EOA (no code) sends its own transactions, a contract that
   * is not a Safe has no owners to collect from; null while the Safe answers.
   */
  let noSafe: string | null = o.unavailable ?? null;

  function setNoSafe(reason: string): void {
    if (reason !== noSafe) logger.warn({ safe, purpose: noun }, reason);
    noSafe = reason;
  }

  /** The Safe's state, or null when the address is no Safe (the path is off; noSafe says why). */
  async function detectSafe(): Promise<SafeState | null> {
    if (o.unavailable) return null;
    const code = await client.getCode({ address: safe });
    if (!code || code === '0x') {
      setNoSafe(purpose.noCode(safe));
      return null;
    }
    try {
      const state = await safeState();
      noSafe = null;
      return state;
    } catch (e) {
      // a contract answering getOwners/getThreshold with nothing or a revert is not a Safe; RPC trouble is thrown on
      const cause = (e as { cause?: unknown }).cause;
      const notASafe = cause instanceof BaseError && cause.walk((x) => x instanceof ContractFunctionZeroDataError || x instanceof ContractFunctionRevertedError) !== null;
      if (!notASafe) throw e;
      setNoSafe(`${safe} is a contract but not a Safe (getOwners/getThreshold fail): no ${noun} Safe transactions are planned`);
      return null;
    }
  }

  async function reconcileOnce(): Promise<void> {
    const state = await detectSafe();
    if (!state) return;
    const requests = await o.requests();
    const byId = new Map(requests.map((r) => [r.requestId, r]));
    let proposals = await store.currentProposals();

    // 1. settle what the chain already decided (alternatives first: an executed batch settles its vetoes)
    proposals = [...proposals.filter(isAlt), ...proposals.filter((p) => !isAlt(p))];
    const batchExecuted = new Map<string, string>();
    const withOpenActions = o.executor ? await store.proposalsWithOpenActions() : new Set<number>();
    for (const p of proposals) {
      if (isAlt(p)) {
        await settleAlternative(p, state, byId);
        if (proposalKind(p) === 'batch') {
          const now = await store.proposal(p.id);
          if (now?.status === 'executed') for (const id of batchRequestIds(p)) batchExecuted.set(id, now.executionTxHash ?? '');
        }
        continue;
      }
      const req = byId.get(p.requestId);
      if (p.status === 'executed' || p.status === 'failed') continue;
      if (p.status === 'abandoned') continue;
      if (!req || req.queuedTxHash !== p.requestTxHash) {
        await store.supersede(p.id, 'a reorg replaced the request under this id: signatures over the old proposal are set aside');
        continue;
      }
      if (o.executor && withOpenActions.has(p.id)) {
        // never waits for a receipt here: a pass must not hold up the next ready veto for a block
        const outcome = await o.executor.resume(p, { wait: false });
        if (outcome && outcome.kind !== 'dropped' && outcome.kind !== 'pending') {
          await applyOutcome(p, outcome);
          continue;
        }
      }
      const done = purpose.done(req);
      if (done) {
        const txHash = (await findExecution(p, req.queuedAtBlock)) ?? done.txHash;
        await store.setStatus(p.id, 'executed', { executionTxHash: txHash, statusReason: null });
        continue;
      }
      const batch = batchExecuted.get(p.requestId);
      if (batch) {
        await store.setStatus(p.id, 'executed', { executionTxHash: batch, statusReason: 'vetoed by a MultiSend batch' });
        continue;
      }
      if (p.nonce < state.nonce) {
        const txHash = await findExecution(p, req.queuedAtBlock);
        if (txHash) await store.setStatus(p.id, 'executed', { executionTxHash: txHash, statusReason: null });
        else await store.supersede(p.id, `Safe nonce ${p.nonce} was used by another transaction: re-planned, please sign again`);
        continue;
      }
      const closed = purpose.closed(req);
      if (closed) await store.setStatus(p.id, 'abandoned', { statusReason: closed });
    }

    // 2. keep active nonces contiguous from the Safe's nonce: a gap (abandoned proposal) would
    //    block every higher one forever, so those are re-planned
    proposals = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status) && !isAlt(p)).sort((a, b) => a.nonce - b.nonce);
    let expected = state.nonce;
    for (const p of proposals) {
      if (p.nonce === expected) {
        expected++;
        continue;
      }
      await store.supersede(p.id, `re-planned: nonce ${expected} is free, this ${noun} moves down from nonce ${p.nonce}; please sign again`);
    }

    // 3. a proposal for every request the purpose collects for that has none, nonces in deadline order
    const current = await store.currentProposals();
    const covered = new Set(current.filter((p) => p.status !== 'abandoned').map((p) => p.requestId));
    let next = Math.max(state.nonce, ...current.filter((p) => ACTIVE.has(p.status)).map((p) => p.nonce + 1));
    const toPlan = requests.filter((r) => purpose.collects.includes(r.status) && !covered.has(r.requestId)).sort((a, b) => a.deadline - b.deadline || Number(BigInt(a.requestId) - BigInt(b.requestId)));
    for (const r of toPlan) await plan(r, next++);

    // 4. signature validity against current owners, and readiness
    const active = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status)).sort((a, b) => a.nonce - b.nonce);
    const sigs = await store.signatures(active.map((p) => p.id));
    const owners = new Set(state.owners);
    for (const s of sigs) {
      const stale = owners.has(getAddress(s.signer)) ? null : `${s.signer} is no longer an owner of the Safe`;
      if (stale !== s.staleReason) await store.markSignatureStale(s.id, stale);
      s.staleReason = stale;
    }
    for (const p of active) {
      const valid = sigs.filter((s) => s.proposalId === p.id && !s.staleReason);
      const status = valid.length >= state.threshold ? 'ready' : 'collecting';
      // what a ready proposal waits for (a fulfil: the window's end), shown in its view
      const req = byId.get(p.requestId);
      const waits = status === 'ready' && req && !isAlt(p) ? purpose.hold(req) : null;
      if (status !== p.status || waits !== p.statusReason) await store.setStatus(p.id, status, { statusReason: waits });
      p.status = status;
    }

    await emitEvents(state, byId);

    // 5. execute the ready proposal at the Safe's nonce, then the next one
    if (!o.executor) return;
    // consecutive Safe nonces go out back to back, each simulated on top of the previous one in
    // the mempool (pending state), so N vetoes that reach quorum together land together instead
    // of one block after another; their receipts are awaited afterwards
    const inFlight: VetoProposalRow[] = [];
    for (;;) {
      // at the Safe's nonce: the veto if it is ready, else a ready rejection of that nonce
      const atNonce = active.filter((x) => x.nonce === state.nonce && x.status === 'ready');
      // a batch vetoes the most; then the single veto; a rejection last
      const p = atNonce.find((x) => proposalKind(x) === 'batch') ?? atNonce.find((x) => !isAlt(x)) ?? atNonce[0];
      if (!p) break;
      const req = byId.get(p.requestId);
      const held = (req && !isAlt(p) ? purpose.hold(req) : null) ?? (await o.gate?.(p)) ?? null;
      if (held !== null) {
        logger.debug({ requestId: p.requestId, nonce: p.nonce, reason: held }, 'ready proposal held back');
        break;
      }
      const valid = sigs.filter((s) => s.proposalId === p.id && !s.staleReason).slice(0, state.threshold);
      const outcome = await o.executor.execute(
        p,
        valid.map((s) => ({ signer: getAddress(s.signer), signature: s.signature as Hex })),
        { wait: false, behindPending: inFlight.length > 0 },
      );
      if (outcome.kind === 'pending') {
        inFlight.push(p);
        state.nonce++;
        continue;
      }
      if (outcome.kind === 'deferred') break; // the next pass, once the one before it is mined
      await applyOutcome(p, outcome);
      if (outcome.kind !== 'executed') break;
      state.nonce++;
    }
    // what is already mined (automine, fast chains) is settled now; the rest on the next pass,
    // which the next block triggers
    for (const p of inFlight) {
      const outcome = await o.executor.resume(p, { wait: false });
      if (outcome) await applyOutcome(p, outcome);
    }
    await emitEvents(state, byId);
  }

  /** Runs reconcile passes one at a time; a call during a pass schedules one more. */
  const passes = serialPasses(reconcileOnce, (message) => logger.error({ err: message }, `${noun} reconcile failed`));
  const reconcile = () => passes.run();

  async function candidates(p: VetoProposalRow, state: SafeState, hintSafe?: Address): Promise<CandidateHash[]> {
    const tx = storedSafeTx(p);
    const out: CandidateHash[] = [];
    const from = Math.max(0, Math.min(state.nonce, p.nonce) - NONCE_SEARCH);
    for (let n = from; n <= p.nonce + NONCE_SEARCH; n++) {
      if (n !== p.nonce) out.push({ code: 'SIGNATURE_WRONG_NONCE', label: `nonce ${n}; this ${noun} is at nonce ${p.nonce}`, hash: safeTxHash(domain, { ...tx, nonce: BigInt(n) }) });
    }
    for (const chainId of OTHER_CHAINS) {
      if (chainId !== o.chainId) out.push({ code: 'SIGNATURE_WRONG_CHAIN', label: `chain ${chainId}; this desk is on chain ${o.chainId}`, hash: safeTxHash({ chainId, safe }, tx) });
    }
    for (const other of [...(hintSafe ? [hintSafe] : []), ...(o.otherSafes ?? []), slasher]) {
      if (getAddress(other) !== safe) out.push({ code: 'SIGNATURE_WRONG_SAFE', label: `Safe ${getAddress(other)}; the ${purpose.safeLabel} is ${safe}`, hash: safeTxHash({ chainId: o.chainId, safe: getAddress(other) }, tx) });
    }
    for (const other of await store.currentProposals()) {
      if (other.id !== p.id && ACTIVE.has(other.status)) out.push({ code: 'SIGNATURE_WRONG_REQUEST', label: `the ${noun} of request ${other.requestId}`, hash: other.safeTxHash as Hex });
    }
    return out;
  }

  /** A signer owning one of the other Safes (e.g. a committee member signing governance's fulfil) is told so. */
  async function refusal(sig: Parameters<typeof diagnoseForeignSignature>[0], signer: Address, state: SafeState, p: VetoProposalRow, hintSafe?: Address): Promise<DeskError> {
    const e = await diagnoseForeignSignature(sig, signer, state.owners, await candidates(p, state, hintSafe), { noun, safeLabel: purpose.safeLabel });
    if (e.code !== 'SIGNER_NOT_OWNER') return e;
    for (const other of o.otherSafes ?? []) {
      const owners = await client.readContract({ address: other, abi: safeAbi, functionName: 'getOwners' }).catch(() => [] as readonly Address[]);
      if (owners.some((x) => getAddress(x) === signer)) {
        return new DeskError('SIGNER_NOT_OWNER', `${signer} is an owner of Safe ${getAddress(other)}, not of the ${purpose.safeLabel} ${safe} that signs this ${noun} (owners: ${state.owners.join(', ')})`);
      }
    }
    return e;
  }

  async function activeProposal(requestId: string): Promise<VetoProposalRow | null> {
    const ps = (await store.currentProposals([requestId])).filter((p) => p.status !== 'abandoned');
    return ps[ps.length - 1] ?? null;
  }

  /**
   * Checks and stores one owner signature over the request's current proposal.
   *
   * @throws DeskError with a stable code for every refusal; nothing is stored then.
   */
  async function submitSignature(requestId: string, input: { signature: unknown; source: SignatureSource; safe?: Address }): Promise<VetoView> {
    const sig = parseSignature(input.signature);
    const req = (await o.requests()).find((r) => r.requestId === requestId);
    if (!req) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${requestId}`);
    const refused = purpose.refuse(req);
    if (refused) throw refused;
    let p = await activeProposal(requestId);
    if (!p || p.requestTxHash !== req.queuedTxHash) {
      await reconcile();
      p = await activeProposal(requestId);
    }
    if (!p) throw unavailable(requestId);
    if (p.status === 'executed') throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} is already executed`);
    if (p.status === 'failed') throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} failed: ${p.statusReason ?? ''}`);
    const state = await safeState();
    const signer = await recoverSigner(p.safeTxHash as Hex, sig);
    if (!state.owners.includes(signer)) throw await refusal(sig, signer, state, p, input.safe);
    const added = await store.addSignature({ proposalId: p.id, signer, signature: sig.hex, source: input.source });
    if (!added) throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the ${noun} of request ${requestId}`);
    logger.info({ requestId, signer, source: input.source }, `${noun} signature accepted`);
    o.onProposalChange?.(p);
    void reconcile();
    const views = await vetoViews([requestId]);
    return views.get(requestId)!;
  }

  function unavailable(requestId: string): DeskError {
    const lastError = passes.lastError();
    const why = noSafe ?? (lastError ? `no ${noun} proposal for request ${requestId} yet (the ${purpose.safeLabel} could not be read: ${lastError})` : `no ${noun} proposal for request ${requestId}: one is planned while the request is ${purpose.collects.join(' or ')}`);
    return new DeskError(purpose.unavailableCode, why, { retryable: !noSafe });
  }

  /** The request's proposal as the API shows it. @throws DeskError REQUEST_NOT_FOUND, or VETO_NOT_AVAILABLE / FULFIL_NOT_AVAILABLE when it has none */
  async function view(requestId: string): Promise<VetoView> {
    const v = (await vetoViews([requestId])).get(requestId);
    if (v) return v;
    if (!(await o.requests()).some((r) => r.requestId === requestId)) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${requestId}`);
    throw unavailable(requestId);
  }

  /**
   * For the scheduler's decisions (issue 4): the request's current proposal in this Safe, `none`
   * when the Safe path runs but nothing is planned, null when the path is off (no Safe).
   */
  async function proposalState(requestId: string): Promise<{ status: VetoView['status'] | 'none'; signatures: number; threshold: number; safe: Address; executor: boolean } | null> {
    const state = noSafe ? null : (lastState ?? (await safeState().catch(() => null)));
    if (!state) return null;
    const ps = await store.currentProposals([requestId]);
    const p = ps[ps.length - 1];
    const signatures = p ? (await store.signatures([p.id])).filter((x) => !x.staleReason).length : 0;
    return { status: (p?.status as VetoView['status'] | undefined) ?? 'none', signatures, threshold: state.threshold, safe, executor: o.executor !== null };
  }

  async function vetoViews(requestIds?: string[]): Promise<Map<string, VetoView>> {
    const all = (await store.currentProposals(requestIds)).filter((p) => !isAlt(p));
    const superseded = await storeSuperseded(requestIds);
    const sigs = await store.signatures([...all, ...superseded].map((p) => p.id));
    const threshold = lastState?.threshold ?? (await safeState().catch(() => null))?.threshold ?? 0;
    const safeNonce = lastState?.nonce ?? 0;
    const out = new Map<string, VetoView>();
    for (const p of all) {
      const mine = sigs.filter((s) => s.proposalId === p.id);
      const blockedByNonce = p.status === 'ready' && p.nonce > safeNonce ? safeNonce : null;
      out.set(p.requestId, {
        safe: getAddress(p.safe),
        nonce: p.nonce,
        safeTxHash: p.safeTxHash as Hex,
        typedData: typedDataJson({ chainId: p.chainId, safe: getAddress(p.safe) }, storedSafeTx(p)),
        threshold,
        signatures: mine.map(signatureView),
        status: p.status as VetoView['status'],
        statusReason: p.statusReason ?? (blockedByNonce !== null ? `waiting for the Safe transaction at nonce ${blockedByNonce} to execute first${noun === 'veto' ? `; if it will not reach quorum, owners can sign the rejection at /api/safe/rejections/${blockedByNonce} (see /api/safe/plan)` : ''}` : null),
        executionTxHash: (p.executionTxHash as Hex | null) ?? null,
        blockedByNonce,
        superseded: superseded
          .filter((s) => s.requestId === p.requestId)
          .map((s) => ({ nonce: s.nonce, safeTxHash: s.safeTxHash as Hex, reason: s.statusReason ?? 're-planned', signatures: sigs.filter((x) => x.proposalId === s.id).length })),
      });
    }
    return out;
  }

  async function storeSuperseded(requestIds?: string[]) {
    return store.supersededProposals(requestIds);
  }

  return {
    reconcile,
    submitSignature,
    vetoViews,
    rejectionView,
    submitRejectionSignature,
    plan: safePlan,
    proposeBatch,
    batchView,
    submitBatchSignature,
    view,
    /** see proposalState; for the governance Safe desk this is the scheduler's `fulfilState(requestId)` */
    fulfilState: proposalState,
    safe,
    purpose: noun,
    /** one Transaction Service sync pass now (no-op when not configured) */
    async syncTxService(): Promise<void> {
      await o.txService?.()?.sync();
    },
    /** stops background work and waits for the running pass */
    async stop(): Promise<void> {
      await o.txService?.()?.stop();
      await passes.idle();
    },
    /** resolves when no reconcile pass is running */
    async idle(): Promise<void> {
      await passes.idle();
    },
    /** true once the Safe was read and is a Safe (the path is on) */
    active(): boolean {
      return noSafe === null && lastState !== null;
    },
    /** for /api/health: who sends, and what the desk last read of the Safe */
    health() {
      return {
        executor: o.executor?.address ?? null,
        sends: o.executor !== null,
        safe,
        owners: lastState?.owners ?? [],
        threshold: lastState?.threshold ?? null,
        nonce: lastState?.nonce ?? null,
        ...(o.executor ? {} : { note: `EXECUTOR_PRIVATE_KEY is not set: the desk never sends a ${noun}; an owner must execute it from their wallet` }),
        ...(passes.lastError() ? { lastError: passes.lastError()! } : {}),
        ...(noSafe ? { note: noSafe } : {}),
        ...(o.txService?.() ? { txService: o.txService()!.status() } : {}),
      };
    },
  };
}

function signatureView(s: VetoSignatureRow) {
  return {
    signer: getAddress(s.signer),
    source: s.source as VetoView['signatures'][number]['source'],
    submittedAt: s.submittedAt.toISOString(),
    ...(s.staleReason ? { stale: s.staleReason } : {}),
  };
}

export type VetoService = ReturnType<typeof createVetoService>;
