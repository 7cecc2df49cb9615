/**
 * The committee's veto desk: one Safe transaction per request in its veto window, nonces planned
 * in deadline order, owner signatures checked and stored, execution once the threshold is met.
 * `reconcile()` runs after every ingest sync and after every accepted signature; it is the only
 * place that changes proposal states, and runs one at a time.
 */
import { getAddress, parseAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import { DeskError, describeError } from '../errors';
import type { Logger } from '../lib/logger';
import type { RequestStatus } from '../domain/types';
import type { SignatureSource, VetoProposalRow, VetoSignatureRow, VetoStore } from '../store/vetoStore';
import type { Executor, ExecutionOutcome } from './executor';
import { readSafeState, type SafeState } from './safeState';
import { buildVetoSafeTx, safeAbi, safeTxHash, typedDataJson, type SafeDomain } from './safeTx';
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
}

export interface VetoServiceOptions {
  client: PublicClient;
  store: VetoStore;
  chainId: number;
  slasher: Address;
  /** the slasher's vetoCommittee() */
  committee: Address;
  /** other Safes an owner might sign for by mistake (e.g. the slasher role), for diagnosis */
  otherSafes?: Address[];
  requests: () => Promise<RequestSnapshot[]>;
  executor: Executor | null;
  logger: Logger;
  /** called after a signature is stored or a proposal created (the tx service sync listens) */
  onProposalChange?: (p: VetoProposalRow) => void;
  /** the Safe Transaction Service sync, when configured (late-bound: it needs this service) */
  txService?: () => { sync(): Promise<void>; stop(): Promise<void>; status(): { url: string; lastError: string | null } } | null;
}

/** Chains a member's wallet is likely to be on by mistake. */
const OTHER_CHAINS = [1, 10, 56, 100, 137, 8453, 17000, 42161, 84532, 421614, 560048, 11155111, 31337, 31338];
const NONCE_SEARCH = 16;
const ACTIVE = new Set(['collecting', 'ready']);

const executionSuccess = parseAbiItem('event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)');

export function createVetoService(o: VetoServiceOptions) {
  const { client, store, logger } = o;
  const slasher = getAddress(o.slasher);
  const committee = getAddress(o.committee);
  const domain: SafeDomain = { chainId: o.chainId, safe: committee };
  let lastState: SafeState | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastError: string | null = null;

  async function safeState(): Promise<SafeState> {
    lastState = await readSafeState(client, committee);
    return lastState;
  }

  async function findExecution(p: VetoProposalRow, fromBlock: number): Promise<Hex | null> {
    const logs = await client.getLogs({ address: committee, event: executionSuccess, args: { txHash: p.safeTxHash as Hex }, fromBlock: BigInt(fromBlock), toBlock: 'latest' });
    return logs[0]?.transactionHash ?? null;
  }

  async function plan(req: RequestSnapshot, nonce: number): Promise<VetoProposalRow> {
    const tx = buildVetoSafeTx(slasher, BigInt(req.requestId), BigInt(nonce));
    const hash = safeTxHash(domain, tx);
    // the contract must agree with our EIP-712 hash, or no signature we collect could execute
    const onchain = await client.readContract({
      address: committee,
      abi: safeAbi,
      functionName: 'getTransactionHash',
      args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce],
    });
    if (onchain.toLowerCase() !== hash.toLowerCase()) {
      throw new DeskError('SAFE_READ_FAILED', `the committee Safe ${committee} hashes the veto as ${onchain}, not ${hash}: only Safe ≥ 1.3.0 is supported`);
    }
    const p = await store.createProposal({ slasher, requestId: req.requestId, requestTxHash: req.queuedTxHash, chainId: o.chainId, safe: committee, nonce, to: tx.to, data: tx.data, safeTxHash: hash });
    logger.info({ requestId: req.requestId, nonce, safeTxHash: hash }, 'veto proposed');
    o.onProposalChange?.(p);
    return p;
  }

  async function applyOutcome(p: VetoProposalRow, outcome: ExecutionOutcome): Promise<void> {
    if (outcome.kind === 'executed') {
      await store.setStatus(p.id, 'executed', { executionTxHash: outcome.txHash, statusReason: null });
      logger.info({ requestId: p.requestId, txHash: outcome.txHash }, 'veto executed');
    } else if (outcome.kind === 'failed') {
      await store.setStatus(p.id, 'failed', { statusReason: outcome.reason, executionTxHash: outcome.txHash ?? null });
      logger.warn({ requestId: p.requestId, reason: outcome.reason }, 'veto execution failed');
    }
  }

  /** An EOA committee (no code) signs its cancels itself: there is no Safe path to run. */
  let noSafe: string | null = null;

  async function reconcileOnce(): Promise<void> {
    const code = await client.getCode({ address: committee });
    if (!code || code === '0x') {
      if (!noSafe) logger.warn({ committee }, 'the veto committee is not a contract (no Safe): the desk does not plan Safe vetoes');
      noSafe = `the veto committee ${committee} is not a contract: no Safe vetoes are planned (it cancels with its own transactions)`;
      return;
    }
    noSafe = null;
    const state = await safeState();
    const requests = await o.requests();
    const byId = new Map(requests.map((r) => [r.requestId, r]));
    let proposals = await store.currentProposals();

    // 1. settle what the chain already decided
    for (const p of proposals) {
      const req = byId.get(p.requestId);
      if (p.status === 'executed' || p.status === 'failed') continue;
      if (p.status === 'abandoned') continue;
      if (!req || req.queuedTxHash !== p.requestTxHash) {
        await store.supersede(p.id, 'a reorg replaced the request under this id: signatures over the old proposal are set aside');
        continue;
      }
      if (o.executor) {
        const outcome = await o.executor.resume(p);
        if (outcome && outcome.kind !== 'dropped' && outcome.kind !== 'pending') {
          await applyOutcome(p, outcome);
          continue;
        }
      }
      if (req.status === 'vetoed') {
        const txHash = (await findExecution(p, req.queuedAtBlock)) ?? req.cancelledTxHash ?? null;
        await store.setStatus(p.id, 'executed', { executionTxHash: txHash, statusReason: null });
        continue;
      }
      if (p.nonce < state.nonce) {
        const txHash = await findExecution(p, req.queuedAtBlock);
        if (txHash) await store.setStatus(p.id, 'executed', { executionTxHash: txHash, statusReason: null });
        else await store.supersede(p.id, `Safe nonce ${p.nonce} was used by another transaction: re-planned, please sign again`);
        continue;
      }
      if (req.status !== 'in_veto_window') {
        await store.setStatus(p.id, 'abandoned', { statusReason: `the veto window closed before the threshold was met (request is ${req.status})` });
      }
    }

    // 2. keep active nonces contiguous from the Safe's nonce: a gap (abandoned proposal) would
    //    block every higher one forever, so those are re-planned
    proposals = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status)).sort((a, b) => a.nonce - b.nonce);
    let expected = state.nonce;
    for (const p of proposals) {
      if (p.nonce === expected) {
        expected++;
        continue;
      }
      await store.supersede(p.id, `re-planned: nonce ${expected} is free, this veto moves down from nonce ${p.nonce}; please sign again`);
    }

    // 3. a proposal for every request in its window that has none, nonces in deadline order
    const current = await store.currentProposals();
    const covered = new Set(current.filter((p) => p.status !== 'abandoned').map((p) => p.requestId));
    let next = Math.max(state.nonce, ...current.filter((p) => ACTIVE.has(p.status)).map((p) => p.nonce + 1));
    const toPlan = requests.filter((r) => r.status === 'in_veto_window' && !covered.has(r.requestId)).sort((a, b) => a.deadline - b.deadline || Number(BigInt(a.requestId) - BigInt(b.requestId)));
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
      if (status !== p.status) await store.setStatus(p.id, status);
      p.status = status;
    }

    // 5. execute the ready proposal at the Safe's nonce, then the next one
    if (!o.executor) return;
    for (const p of active) {
      if (p.nonce !== state.nonce || p.status !== 'ready') break;
      const valid = sigs.filter((s) => s.proposalId === p.id && !s.staleReason).slice(0, state.threshold);
      const outcome = await o.executor.execute(p, valid.map((s) => ({ signer: getAddress(s.signer), signature: s.signature as Hex })));
      await applyOutcome(p, outcome);
      if (outcome.kind !== 'executed') break;
      state.nonce++;
    }
  }

  /** Runs reconcile passes one at a time; a call during a pass schedules one more. */
  function reconcile(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await reconcileOnce();
          lastError = null;
        } catch (e) {
          const message = describeError(e);
          // once per distinct failure: a flapping RPC must not flood the log every block
          if (message !== lastError) logger.error({ err: message }, 'veto reconcile failed');
          lastError = message;
        }
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function candidates(p: VetoProposalRow, state: SafeState, hintSafe?: Address): Promise<CandidateHash[]> {
    const id = BigInt(p.requestId);
    const out: CandidateHash[] = [];
    const from = Math.max(0, Math.min(state.nonce, p.nonce) - NONCE_SEARCH);
    for (let n = from; n <= p.nonce + NONCE_SEARCH; n++) {
      if (n !== p.nonce) out.push({ code: 'SIGNATURE_WRONG_NONCE', label: `nonce ${n}; this veto is at nonce ${p.nonce}`, hash: safeTxHash(domain, buildVetoSafeTx(slasher, id, BigInt(n))) });
    }
    const tx = buildVetoSafeTx(slasher, id, BigInt(p.nonce));
    for (const chainId of OTHER_CHAINS) {
      if (chainId !== o.chainId) out.push({ code: 'SIGNATURE_WRONG_CHAIN', label: `chain ${chainId}; this desk is on chain ${o.chainId}`, hash: safeTxHash({ chainId, safe: committee }, tx) });
    }
    for (const safe of [...(hintSafe ? [hintSafe] : []), ...(o.otherSafes ?? []), slasher]) {
      if (getAddress(safe) !== committee) out.push({ code: 'SIGNATURE_WRONG_SAFE', label: `Safe ${getAddress(safe)}; the committee Safe is ${committee}`, hash: safeTxHash({ chainId: o.chainId, safe: getAddress(safe) }, tx) });
    }
    for (const other of await store.currentProposals()) {
      if (other.id !== p.id && ACTIVE.has(other.status)) out.push({ code: 'SIGNATURE_WRONG_REQUEST', label: `the veto of request ${other.requestId}`, hash: other.safeTxHash as Hex });
    }
    return out;
  }

  async function activeProposal(requestId: string): Promise<VetoProposalRow | null> {
    const ps = (await store.currentProposals([requestId])).filter((p) => p.status !== 'abandoned');
    return ps[ps.length - 1] ?? null;
  }

  /**
   * Checks and stores one owner signature over the request's current veto.
   *
   * @throws DeskError with a stable code for every refusal; nothing is stored then.
   */
  async function submitSignature(requestId: string, input: { signature: unknown; source: SignatureSource; safe?: Address }): Promise<VetoView> {
    const sig = parseSignature(input.signature);
    const req = (await o.requests()).find((r) => r.requestId === requestId);
    if (!req) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${requestId}`);
    if (req.status !== 'in_veto_window') throw new DeskError('VETO_WINDOW_CLOSED', `request ${requestId} is ${req.status}: it can no longer be vetoed`);
    let p = await activeProposal(requestId);
    if (!p || p.requestTxHash !== req.queuedTxHash) {
      await reconcile();
      p = await activeProposal(requestId);
    }
    if (!p) throw new DeskError('VETO_NOT_AVAILABLE', noSafe ?? `no veto proposal for request ${requestId} yet (the committee Safe could not be read: ${lastError ?? 'unknown'})`, { retryable: !noSafe });
    if (p.status === 'executed') throw new DeskError('VETO_NOT_AVAILABLE', `the veto of request ${requestId} is already executed`);
    if (p.status === 'failed') throw new DeskError('VETO_NOT_AVAILABLE', `the veto of request ${requestId} failed: ${p.statusReason ?? ''}`);
    const state = await safeState();
    const signer = await recoverSigner(p.safeTxHash as Hex, sig);
    if (!state.owners.includes(signer)) {
      throw await diagnoseForeignSignature(sig, signer, state.owners, await candidates(p, state, input.safe));
    }
    const added = await store.addSignature({ proposalId: p.id, signer, signature: sig.hex, source: input.source });
    if (!added) throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the veto of request ${requestId}`);
    logger.info({ requestId, signer, source: input.source }, 'veto signature accepted');
    o.onProposalChange?.(p);
    void reconcile();
    const views = await vetoViews([requestId]);
    return views.get(requestId)!;
  }

  async function vetoViews(requestIds?: string[]): Promise<Map<string, VetoView>> {
    const all = await store.currentProposals(requestIds);
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
        typedData: typedDataJson({ chainId: p.chainId, safe: getAddress(p.safe) }, buildVetoSafeTx(getAddress(p.to), BigInt(p.requestId), BigInt(p.nonce))),
        threshold,
        signatures: mine.map(signatureView),
        status: p.status as VetoView['status'],
        statusReason: p.statusReason ?? (blockedByNonce !== null ? `waiting for the Safe transaction at nonce ${blockedByNonce} to execute first` : null),
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
    committee,
    /** one Transaction Service sync pass now (no-op when not configured) */
    async syncTxService(): Promise<void> {
      await o.txService?.()?.sync();
    },
    /** stops background work and waits for the running pass */
    async stop(): Promise<void> {
      await o.txService?.()?.stop();
      while (running) await running;
    },
    /** resolves when no reconcile pass is running */
    async idle(): Promise<void> {
      while (running) await running;
    },
    /** for /api/health: who sends, and what the desk last read of the Safe */
    health() {
      return {
        executor: o.executor?.address ?? null,
        sends: o.executor !== null,
        safe: committee,
        owners: lastState?.owners ?? [],
        threshold: lastState?.threshold ?? null,
        nonce: lastState?.nonce ?? null,
        ...(o.executor ? {} : { note: 'EXECUTOR_PRIVATE_KEY is not set: the desk never sends a veto; an owner must execute it from their wallet' }),
        ...(lastError ? { lastError } : {}),
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
