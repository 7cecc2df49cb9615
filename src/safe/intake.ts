/**
 * Owner signatures in: over a request's veto (or fulfil), a rejection, a batch. Every search a
 * signature can trigger is bounded before any work: nonces only within [Safe nonce, last planned
 * + NONCE_SLACK], one signer recovery when the signer names the safeTxHash, a handful otherwise,
 * and a diagnosis of a foreign signature (other chain, Safe, nonce, request) of at most a dozen
 * recoveries, yielding to the event loop between them.
 *
 * A signature fixes its proposal's nonce: the proposal is stored at its first signature, at the
 * nonce the owner signed (what the desk served at that moment, or a nonce they chose in range).
 */
import { getAddress, type Address, type Hex } from 'viem';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { DeskError } from '../errors';
import type { SignatureSource, VetoProposalRow } from '../store/vetoStore';
import { ACTIVE, type DeskContext } from './deskContext';
import { batchKey, batchRequestIds, BATCH, proposalKind, REJECTION } from './proposalKinds';
import { buildBatchVetoSafeTx, buildRejectionSafeTx, safeTxHash } from './safeTx';
import type { SafeState } from './safeState';
import { history } from './milestones';
import { parseSignature, recoverSigner, type CandidateHash, type ParsedSignature } from './signature';
import type { NoncePlan } from '../domain/noncePlan';

/** Chains a member's wallet is likely to be on by mistake (most likely first). */
const OTHER_CHAINS = [1, 17000, 11155111, 560048, 8453, 42161, 10, 31337];
/** Recoveries a foreign signature's diagnosis may cost at most. */
const DIAGNOSIS_MAX = 14;
/** Unsigned batches kept at most (anyone may propose one; none of them holds a nonce). */
const UNSIGNED_BATCHES_MAX = 20;

export interface SignatureInput {
  signature: unknown;
  source: SignatureSource;
  /** the Safe the signer believes they signed for (sharper diagnosis) */
  safe?: Address;
  /** the safeTxHash the signer signed: names the nonce at once (one recovery) */
  safeTxHash?: Hex;
}

export function createIntake(ctx: DeskContext, deps: { ready(): Promise<{ state: SafeState; plan: NoncePlan }>; reconcile(): Promise<void> }) {
  const { o, noun, purpose } = ctx;
  const { store, logger } = o;
  let diagnosing = false;

  function range(state: SafeState, plan: NoncePlan) {
    return { from: state.nonce, to: plan.maxNonce };
  }

  function outOfRange(nonce: number, state: SafeState, plan: NoncePlan): DeskError | null {
    const r = range(state, plan);
    if (nonce < r.from) return new DeskError('SIGNATURE_WRONG_NONCE', `Safe nonce ${nonce} is already used (the Safe is at nonce ${state.nonce})`);
    if (nonce > r.to) return new DeskError('NONCE_OUT_OF_RANGE', `nonce ${nonce} is beyond anything planned: signatures are accepted at Safe nonces ${r.from}–${r.to}`);
    return null;
  }

  /**
   * A foreign signature: the first candidate over which it recovers to an owner names the mistake.
   * At most DIAGNOSIS_MAX recoveries, one diagnosis at a time (a second one meanwhile gets the
   * plain answer), never blocking the event loop for more than one recovery.
   */
  async function refusal(sig: ParsedSignature, recovered: Address, state: SafeState, candidates: CandidateHash[]): Promise<DeskError> {
    const plain = new DeskError('SIGNER_NOT_OWNER', `the signature recovers to ${recovered}, which is not an owner of the ${purpose.safeLabel} ${ctx.safe} (owners: ${state.owners.join(', ')}); an owner's signature over a different transaction also recovers to an unknown address`);
    if (diagnosing) return plain;
    diagnosing = true;
    try {
      const owners = new Set(state.owners);
      for (const c of candidates.slice(0, DIAGNOSIS_MAX)) {
        await yieldToLoop();
        const signer = await recoverSigner(c.hash, sig).catch(() => null);
        if (signer && owners.has(signer)) return new DeskError(c.code, `the signature is owner ${signer}'s over another transaction (${c.label}); sign this ${noun}'s typed data (GET it from the desk)`);
      }
      for (const other of o.otherSafes ?? []) {
        const others = await o.client.readContract({ address: other, abi: [{ type: 'function', name: 'getOwners', stateMutability: 'view', inputs: [], outputs: [{ type: 'address[]' }] }] as const, functionName: 'getOwners' }).catch(() => [] as readonly Address[]);
        if (others.some((x) => getAddress(x) === recovered)) {
          return new DeskError('SIGNER_NOT_OWNER', `${recovered} is an owner of Safe ${getAddress(other)}, not of the ${purpose.safeLabel} ${ctx.safe} that signs this ${noun} (owners: ${state.owners.join(', ')})`);
        }
      }
      return plain;
    } finally {
      diagnosing = false;
    }
  }

  function otherChainCandidates(tx: Parameters<typeof safeTxHash>[1], label: (c: number) => string): CandidateHash[] {
    return OTHER_CHAINS.filter((c) => c !== o.chainId).map((chainId) => ({ code: 'SIGNATURE_WRONG_CHAIN' as const, label: label(chainId), hash: safeTxHash({ chainId, safe: ctx.safe }, tx) }));
  }

  /**
   * Checks and stores one owner signature over `requestId`'s call.
   *
   * @throws DeskError with a stable code for every refusal; nothing is stored then, but for a
   * signature that met a proposal another desk executed or set aside while it was stored (kept
   * there, where it counts only if that proposal is ever live again: the message says so).
   */
  async function submitSignature(requestId: string, input: SignatureInput): Promise<VetoProposalRow> {
    const sig = parseSignature(input.signature);
    const req = await ctx.findRequest(requestId);
    if (!req) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${requestId}`);
    const refused = purpose.refuse(req);
    if (refused) throw refused;
    const { state, plan } = await deps.ready();
    const { from, to } = range(state, plan);
    const current = plan.current.get(requestId)?.nonce ?? plan.servedNonce;
    let nonce: number | null = null;
    let signer: Address | null = null;
    if (input.safeTxHash) {
      const want = input.safeTxHash.toLowerCase();
      for (let n = from; n <= to && nonce === null; n++) if (ctx.callHash(requestId, n).toLowerCase() === want) nonce = n;
      if (nonce === null) {
        for (const [otherId, c] of plan.current) {
          if (otherId !== requestId && ctx.callHash(otherId, c.nonce).toLowerCase() === want) throw new DeskError('SIGNATURE_WRONG_REQUEST', `safeTxHash ${input.safeTxHash} is the ${noun} of request ${otherId}, not of request ${requestId}`);
        }
        throw new DeskError('SIGNATURE_WRONG_NONCE', `safeTxHash ${input.safeTxHash} is not the ${noun} of request ${requestId} at any Safe nonce the desk accepts (${from}–${to})`);
      }
      const who = await recoverSigner(ctx.callHash(requestId, nonce), sig);
      if (state.owners.includes(who)) signer = who;
      else throw await refusal(sig, who, state, otherChainCandidates(purpose.buildTx(BigInt(requestId), BigInt(nonce)), (c) => `chain ${c}; this desk is on chain ${o.chainId}`));
    } else {
      // without the hash: what the desk serves now, then the nonces this request is already signed
      // at (a signer who covered the next few may name the hash instead, for any nonce in range)
      const mine = (await store.currentProposals([requestId])).filter((p) => ACTIVE.has(p.status)).map((p) => p.nonce);
      const order = [...new Set([current, ...mine])];
      let first: Address | null = null;
      for (const n of order) {
        const who = await recoverSigner(ctx.callHash(requestId, n), sig);
        first ??= who;
        if (state.owners.includes(who)) {
          nonce = n;
          signer = who;
          break;
        }
        await yieldToLoop();
      }
      if (!signer || nonce === null) {
        const tx = purpose.buildTx(BigInt(requestId), BigInt(current));
        const near = [-1, 1, -2, 2, 3, -3].map((d) => current + d).filter((n) => n >= Math.max(0, state.nonce - 3) && !order.includes(n));
        const cands: CandidateHash[] = [
          ...near.map((n) => ({ code: 'SIGNATURE_WRONG_NONCE' as const, label: `nonce ${n}; this ${noun} is at nonce ${current}${n < state.nonce ? ` (nonce ${n} is already used)` : ''}`, hash: ctx.callHash(requestId, n) })),
          ...[...(input.safe ? [input.safe] : []), ...(o.otherSafes ?? []), ctx.slasher]
            .filter((s) => getAddress(s) !== ctx.safe)
            .map((s) => ({ code: 'SIGNATURE_WRONG_SAFE' as const, label: `Safe ${getAddress(s)}; the ${purpose.safeLabel} is ${ctx.safe}`, hash: safeTxHash({ chainId: o.chainId, safe: getAddress(s) }, tx) })),
          ...otherChainCandidates(tx, (c) => `chain ${c}; this desk is on chain ${o.chainId}`).slice(0, 3),
          ...[...plan.current]
            .filter(([id]) => id !== requestId)
            .slice(0, 2)
            .map(([id, c]) => ({ code: 'SIGNATURE_WRONG_REQUEST' as const, label: `the ${noun} of request ${id}`, hash: ctx.callHash(id, c.nonce) })),
        ];
        throw await refusal(sig, first!, state, cands);
      }
    }
    const hash = ctx.callHash(requestId, nonce);
    const tx = purpose.buildTx(BigInt(requestId), BigInt(nonce));
    const proposal = { requestId, requestTxHash: req.queuedTxHash, chainId: o.chainId, nonce, to: tx.to, data: tx.data, safeTxHash: hash };
    let p = await store.findOrCreateProposal(proposal);
    if (p.status === 'executed') throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} at nonce ${nonce} is already executed`);
    // a proposal of an earlier request under this id (V4 reuses ids), or one that reverted on chain
    // until it failed, is history: signing the same call at the same unused nonce starts afresh
    const stale = p.requestTxHash !== req.queuedTxHash ? `request ${requestId} was queued again (transaction ${req.queuedTxHash}): this proposal belonged to the earlier one` : p.status === 'failed' && p.executionTxHash !== null && nonce >= state.nonce ? `signed again by ${signer} after it failed on chain: a fresh proposal at nonce ${nonce}` : null;
    if (stale) {
      await store.supersede(p.id, stale);
      p = await store.findOrCreateProposal(proposal);
    }
    // the same transaction was set aside earlier (its request closed, or its execution would have
    // reverted then): the request is open now and the nonce unused, so an owner signing it again
    // makes it live again, with every signature it had (the desk serves it at that nonce)
    const again = !ACTIVE.has(p.status);
    if (again && nonce < state.nonce) throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} at nonce ${nonce} is ${p.status}: ${p.statusReason ?? ''}`);
    const stored = await store.addSignature({ proposalId: p.id, signer, signature: sig.hex, source: input.source });
    // set aside while the signature was checked (its nonce used, its request closed): nothing is kept
    if (stored.outcome === 'gone') throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} at nonce ${nonce} was set aside while your signature was checked: read the request again and sign what it serves now`);
    // merged meanwhile into the same proposal stored by another desk: the signature went there,
    // a live one (the one set aside is no longer the one to reopen)
    const merged = stored.proposalId !== p.id;
    if (merged) p = (await store.proposal(stored.proposalId)) ?? p;
    const added = stored.outcome === 'added';
    if (again && !merged) {
      const reason = `signed again by ${signer} while its request is ${req.status}: live again at Safe nonce ${nonce} with its signatures (it was ${p.status}: ${p.statusReason ?? 'set aside'})`;
      if (await store.reopen(p.id, reason, p)) {
        logger.warn({ requestId, nonce, signer }, `${noun} live again: ${reason}`);
        await history(ctx, p, `reopened:${signer}:${p.updatedAt.getTime()}`, `${noun}_reopened`, `the ${noun} at Safe nonce ${nonce} is live again: ${reason}`, null, null);
      } else {
        // another desk moved it meanwhile: live again for the same cause (the signature counts
        // there), or set aside for good (its nonce used): then the owner is told, as above
        p = (await store.proposal(p.id)) ?? p;
        if (p.status === 'executed') throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} at nonce ${nonce} was executed while your signature was stored (it is kept there)`);
        if (p.superseded || !ACTIVE.has(p.status)) throw new DeskError(purpose.settledCode, `the ${noun} of request ${requestId} at nonce ${nonce} was set aside while your signature was stored (${p.statusReason ?? p.status}); the signature is kept on it but does not make it live: read the request again and sign what it serves now`);
      }
    } else if (!added) throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the ${noun} of request ${requestId} at nonce ${nonce}`);
    logger.info({ requestId, signer, nonce, source: input.source }, `${noun} signature accepted`);
    o.onProposalChange?.(p);
    await deps.reconcile();
    return p;
  }

  function rejectionTx(nonce: number) {
    const tx = buildRejectionSafeTx(ctx.safe, BigInt(nonce));
    return { tx, hash: safeTxHash(ctx.domain, tx) };
  }

  async function currentRejection(nonce: number): Promise<VetoProposalRow | null> {
    const ps = (await store.currentProposals([`${REJECTION}${nonce}`])).filter((p) => p.status !== 'abandoned');
    return ps[ps.length - 1] ?? null;
  }

  /**
   * An owner's signature over the rejection at `nonce`. Offered only where it helps: a proposal
   * with quorum waits behind `nonce` (the plan's blocking nonce).
   *
   * @throws DeskError REJECTION_NOT_NEEDED, NONCE_OUT_OF_RANGE, SIGNATURE_* as for vetoes; nothing stored then.
   */
  async function submitRejectionSignature(nonce: number, input: SignatureInput): Promise<void> {
    // the nonce is bounded before anything else is looked at
    const { state, plan } = await deps.ready();
    if (nonce < state.nonce) throw new DeskError('REJECTION_NOT_NEEDED', `Safe nonce ${nonce} is already used (the Safe is at nonce ${state.nonce})`);
    const far = outOfRange(nonce, state, plan);
    if (far) throw far;
    const sig = parseSignature(input.signature);
    let row = await currentRejection(nonce);
    if (row && !ACTIVE.has(row.status)) throw new DeskError('REJECTION_NOT_NEEDED', `the rejection at nonce ${nonce} is ${row.status}`);
    if (!row && !plan.blocked.some((b) => b.blockingNonce === nonce)) {
      throw new DeskError('REJECTION_NOT_NEEDED', `nonce ${nonce} blocks no proposal with quorum: a rejection is only offered at a nonce a ready proposal waits behind (see /api/safe/plan)`);
    }
    const { tx, hash } = rejectionTx(nonce);
    if (input.safeTxHash && input.safeTxHash.toLowerCase() !== hash.toLowerCase()) throw new DeskError('SIGNATURE_WRONG_NONCE', `safeTxHash ${input.safeTxHash} is not the rejection at nonce ${nonce} (${hash})`);
    const signer = await recoverSigner(hash, sig);
    if (!state.owners.includes(signer)) {
      const near = [nonce - 1, nonce + 1].filter((n) => n >= state.nonce).map((n) => ({ code: 'SIGNATURE_WRONG_NONCE' as const, label: `a rejection at nonce ${n}; this one is at nonce ${nonce}`, hash: rejectionTx(n).hash }));
      throw await refusal(sig, signer, state, [...near, ...otherChainCandidates(tx, (c) => `chain ${c}; this desk is on chain ${o.chainId}`)]);
    }
    row ??= await store.findOrCreateProposal({ requestId: `${REJECTION}${nonce}`, requestTxHash: '', chainId: o.chainId, nonce, to: ctx.safe, data: '0x', safeTxHash: hash });
    const stored = await store.addSignature({ proposalId: row.id, signer, signature: sig.hex, source: input.source });
    if (stored.outcome === 'duplicate') throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the rejection at nonce ${nonce}`);
    if (stored.outcome === 'gone') throw new DeskError('REJECTION_NOT_NEEDED', `the rejection at nonce ${nonce} was set aside while your signature was checked`);
    logger.info({ nonce, signer }, 'rejection signature accepted');
    await deps.reconcile();
  }

  /**
   * Plans one Safe transaction vetoing `requestIds` (≥ 2, each in its window) at the nonce the desk
   * serves, an alternative to whatever is served there. It holds no nonce until signed, so anyone
   * proposing one blocks nobody. Idempotent for the same set and nonce.
   *
   * @throws DeskError BATCH_NOT_AVAILABLE (no MultiSendCallOnly known), BAD_REQUEST, REQUEST_NOT_FOUND, VETO_WINDOW_CLOSED
   */
  async function proposeBatch(requestIds: string[]): Promise<VetoProposalRow> {
    if (!o.multiSendCallOnly) throw new DeskError('BATCH_NOT_AVAILABLE', `no MultiSendCallOnly address for chain ${o.chainId}: set multiSendCallOnlyAddress in SAFE_CONTRACT_NETWORKS`);
    const ids = [...new Set(requestIds.map((id) => BigInt(id)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
    if (ids.length < 2) throw new DeskError('BAD_REQUEST', 'a batch veto needs at least two distinct request ids');
    const { plan } = await deps.ready();
    for (const id of ids) {
      const r = ctx.last.requests.get(id) ?? (await o.request?.(id)) ?? null;
      if (!r) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
      if (r.status !== 'in_veto_window') throw new DeskError('VETO_WINDOW_CLOSED', `request ${id} is ${r.status}: it can no longer be vetoed`);
    }
    const nonce = plan.servedNonce;
    const key = batchKey(nonce, ids);
    const existing = (await store.currentProposals([key])).find((p) => ACTIVE.has(p.status));
    if (existing) return existing;
    const tx = buildBatchVetoSafeTx(o.multiSendCallOnly, ctx.slasher, ids.map(BigInt), BigInt(nonce));
    const row = await store.findOrCreateProposal({ requestId: key, requestTxHash: '', chainId: o.chainId, nonce, to: tx.to, data: tx.data, safeTxHash: safeTxHash(ctx.domain, tx) });
    // anyone may propose: keep the unsigned ones bounded (the oldest go first)
    const unsigned = await store.unsigned(BATCH);
    for (const old of unsigned.slice(0, Math.max(0, unsigned.length - UNSIGNED_BATCHES_MAX))) await store.deleteUnsigned(old.id);
    logger.info({ nonce, requestIds: ids, safeTxHash: row.safeTxHash }, 'batch veto proposed');
    await deps.reconcile();
    return (await store.proposal(row.id)) ?? row;
  }

  /** An owner's signature over a batch at `nonce`; executed at quorum like a veto. */
  async function submitBatchSignature(row: VetoProposalRow, input: SignatureInput): Promise<void> {
    const sig = parseSignature(input.signature);
    if (!ACTIVE.has(row.status)) throw new DeskError('BATCH_NOT_AVAILABLE', `the batch at nonce ${row.nonce} is ${row.status}`);
    const { state } = await deps.ready();
    if (row.nonce < state.nonce) throw new DeskError('BATCH_NOT_AVAILABLE', `the batch's Safe nonce ${row.nonce} is already used: propose a new one`);
    if (input.safeTxHash && input.safeTxHash.toLowerCase() !== row.safeTxHash.toLowerCase()) throw new DeskError('SIGNATURE_WRONG_REQUEST', `safeTxHash ${input.safeTxHash} is not this batch (${row.safeTxHash})`);
    const signer = await recoverSigner(row.safeTxHash as Hex, sig);
    if (!state.owners.includes(signer)) {
      const tx = buildBatchVetoSafeTx(getAddress(row.to), ctx.slasher, batchRequestIds(row).map(BigInt), BigInt(row.nonce));
      throw await refusal(sig, signer, state, otherChainCandidates(tx, (c) => `chain ${c}; this desk is on chain ${o.chainId}`));
    }
    // unsigned, it may have been set aside while the signature was checked (anyone may propose batches)
    const stored = (await store.addSignature({ proposalId: row.id, signer, signature: sig.hex, source: input.source })).outcome;
    if (stored === 'duplicate') throw new DeskError('SIGNATURE_DUPLICATE', `${signer} has already signed the batch at nonce ${row.nonce}`);
    if (stored === 'gone') {
      throw new DeskError('BATCH_NOT_AVAILABLE', `the batch at nonce ${row.nonce} was set aside while your signature was checked: post it again with its requestIds, which proposes it again`);
    }
    logger.info({ nonce: row.nonce, signer }, 'batch signature accepted');
    await deps.reconcile();
  }

  return { submitSignature, submitRejectionSignature, proposeBatch, submitBatchSignature, currentRejection, rejectionTx, outOfRange, isBatch: (p: VetoProposalRow) => proposalKind(p) === 'batch' };
}

export type Intake = ReturnType<typeof createIntake>;
