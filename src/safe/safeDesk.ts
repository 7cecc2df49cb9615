/**
 * A Safe desk: the committee's vetoes (or governance's fulfils when the slasher role is a Safe,
 * see `proposalPurpose.ts`) as Safe transactions — owner signatures in (`intake.ts`), the nonce
 * plan and execution in reconcile passes (`reconcile.ts`), what people see (`views.ts`).
 * Reconcile passes run one at a time, after every ingest pass and every accepted signature.
 */
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError } from 'viem';
import { DeskError } from '../errors';
import { serialPasses } from '../lib/serialPasses';
import type { NoncePlan } from '../domain/noncePlan';
import { createDeskContext, type SafeDeskOptions } from './deskContext';
import { createIntake, type SignatureInput } from './intake';
import { vetoPurpose } from './proposalPurpose';
import { holdOf, reconcilePass } from './reconcile';
import { SAFE_STATE_REFRESH_BLOCKS, type SafeState } from './safeState';
import { safeAbi, safeTxHash } from './safeTx';
import type { BatchView, RejectionView, SafePlanView } from '../requests/views';
import { createViews } from './views';
import type { VetoView } from '../requests/views';

export type { SafeDeskOptions } from './deskContext';

export function createSafeDesk(o: SafeDeskOptions) {
  const purpose = o.purpose ?? vetoPurpose(o.slasher);
  const ctx = createDeskContext(o, purpose);
  const { noun } = ctx;
  const { client, logger } = o;
  /** why there is no Safe path to run (an EOA, a contract that is no Safe); null while the Safe answers */
  let noSafe: string | null = o.unavailable ?? null;
  let hashChecked = false;

  function setNoSafe(reason: string): void {
    if (reason !== noSafe) logger.warn({ safe: ctx.safe, purpose: noun }, reason);
    noSafe = reason;
  }

  /** the indexed head, for how long a kept state or a "no Safe here" stays good */
  const indexedHead = async () => (await o.head?.())?.number ?? null;
  /** the indexed head at which the address was found to be no Safe (read again after SAFE_STATE_REFRESH_BLOCKS) */
  let noSafeAt: number | null = null;

  /** The Safe's state, or null when the address is no Safe (the path is off; noSafe says why). */
  async function detectSafe(): Promise<SafeState | null> {
    if (o.unavailable) return null;
    const head = await indexedHead();
    // an EOA or a contract that is no Safe stays so: asked again now and then, not every pass
    if (noSafe && noSafeAt !== null && head !== null && head - noSafeAt < SAFE_STATE_REFRESH_BLOCKS) return null;
    if (!hashChecked) {
      const code = await client.getCode({ address: ctx.safe });
      if (!code || code === '0x') {
        setNoSafe(purpose.noCode(ctx.safe));
        noSafeAt = head;
        return null;
      }
    }
    try {
      const state = await ctx.stateCache.read(head);
      if (!hashChecked) await checkHashing(state);
      noSafe = null;
      noSafeAt = null;
      return state;
    } catch (e) {
      // a contract answering getOwners/getThreshold with nothing or a revert is not a Safe; RPC trouble is thrown on
      const cause = (e as { cause?: unknown }).cause;
      const notASafe = cause instanceof BaseError && cause.walk((x) => x instanceof ContractFunctionZeroDataError || x instanceof ContractFunctionRevertedError) !== null;
      if (!notASafe) throw e;
      setNoSafe(`${ctx.safe} is a contract but not a Safe (getOwners/getThreshold fail): no ${noun} Safe transactions are planned`);
      noSafeAt = head;
      return null;
    }
  }

  /** The contract must agree with our EIP-712 hash, or no signature we collect could execute (once per desk). */
  async function checkHashing(state: SafeState): Promise<void> {
    const tx = purpose.buildTx(0n, BigInt(state.nonce));
    const onchain = await client.readContract({ address: ctx.safe, abi: safeAbi, functionName: 'getTransactionHash', args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce] });
    const ours = safeTxHash(ctx.domain, tx);
    if (onchain.toLowerCase() !== ours.toLowerCase()) throw new DeskError('SAFE_READ_FAILED', `the ${purpose.safeLabel} ${ctx.safe} hashes a Safe transaction as ${onchain}, not ${ours}: only Safe ≥ 1.3.0 is supported`);
    hashChecked = true;
  }

  async function reconcileOnce(): Promise<void> {
    const state = await detectSafe();
    if (!state) return;
    await reconcilePass(ctx, state);
  }

  const passes = serialPasses(reconcileOnce, (message) => logger.error({ err: message }, `${noun} reconcile failed`));
  const reconcile = () => passes.run();

  /** The Safe's state and plan: the last pass's, or a pass now. */
  async function ready(): Promise<{ state: SafeState; plan: NoncePlan }> {
    if (!ctx.last.state || !ctx.last.plan) await reconcile();
    if (!ctx.last.state || !ctx.last.plan) throw unavailableError(null);
    return { state: ctx.last.state, plan: ctx.last.plan };
  }

  const intake = createIntake(ctx, { ready, reconcile });
  const views = createViews(ctx, intake);

  function unavailableError(requestId: string | null): DeskError {
    const lastError = passes.lastError();
    const subject = requestId ? `request ${requestId}` : `the ${purpose.safeLabel}`;
    const why =
      noSafe ??
      (lastError ? `no ${noun} for ${subject} yet (the ${purpose.safeLabel} could not be read: ${lastError})` : `no ${noun} for ${subject}: one is served while the request is ${purpose.collects.join(' or ')}`);
    return new DeskError(purpose.unavailableCode, why, { retryable: !noSafe });
  }

  async function view(requestId: string): Promise<VetoView> {
    const v = (await views.vetoViews([requestId])).get(requestId);
    if (v) return v;
    const known = await ctx.findRequest(requestId);
    if (!known) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${requestId}`);
    throw unavailableError(requestId);
  }

  return {
    safe: ctx.safe,
    purpose: noun,
    reconcile,
    /** why this desk's Safe path is off (its address is no Safe the desk can read), null: on or not known yet */
    unavailable: (): string | null => noSafe,

    /**
     * Checks and stores one owner signature over the request's proposal (at the nonce the owner
     * signed), re-plans, and answers the request's proposal as it stands.
     *
     * @throws DeskError with a stable code for every refusal; nothing is stored then (but for a
     *   signature that met a proposal set aside or executed meanwhile: see intake.ts).
     */
    async submitSignature(requestId: string, input: SignatureInput): Promise<VetoView> {
      if (noSafe) throw unavailableError(requestId);
      const p = await intake.submitSignature(requestId, input);
      const v = (await views.vetoViews([requestId])).get(requestId);
      return v && v.nonce === p.nonce ? v : views.vetoViewAt(requestId, p.nonce).catch(() => v!);
    },
    vetoViews: views.vetoViews,
    view,
    /** the request's call at a chosen Safe nonce (to sign it there) */
    async viewAt(requestId: string, nonce: number): Promise<VetoView> {
      if (noSafe) throw unavailableError(requestId);
      await ready();
      return views.vetoViewAt(requestId, nonce);
    },
    async rejectionView(nonce: number): Promise<RejectionView> {
      await ready();
      return views.rejectionView(nonce);
    },
    async submitRejectionSignature(nonce: number, input: SignatureInput): Promise<RejectionView> {
      await intake.submitRejectionSignature(nonce, input);
      return views.rejectionView(nonce, true);
    },
    async plan(): Promise<SafePlanView> {
      await ready();
      return views.safePlan();
    },
    async proposeBatch(requestIds: string[]): Promise<BatchView> {
      return views.batchView(await intake.proposeBatch(requestIds));
    },
    async batchView(nonce: number, requestIds?: string[]): Promise<BatchView> {
      return views.batchView(await views.batchRow(nonce, requestIds));
    },
    async submitBatchSignature(nonce: number, input: SignatureInput & { requestIds?: string[] }): Promise<BatchView> {
      const row = await views.batchRow(nonce, input.requestIds).catch(async (e: unknown) => {
        // anyone may propose a batch, so the unsigned ones are bounded and the oldest set aside:
        // an owner's signature over one set aside brings it back from its requests and nonce
        if (!(e instanceof DeskError && e.code === 'BATCH_NOT_AVAILABLE') || !input.requestIds) throw e;
        const again = await intake.proposeBatch(input.requestIds);
        if (again.nonce !== nonce) throw e;
        return again;
      });
      await intake.submitBatchSignature(row, input);
      return views.batchView((await o.store.proposal(row.id)) ?? row);
    },

    /**
     * For the scheduler's decisions: the request's proposal in this Safe (`none` when the Safe
     * path runs but nobody signed yet), null when the path is off (no Safe).
     */
    async fulfilState(requestId: string): Promise<{ status: VetoView['status'] | 'none'; signatures: number; threshold: number; safe: `0x${string}`; executor: boolean } | null> {
      if (noSafe || !ctx.last.state) return null;
      const v = (await views.vetoViews([requestId])).get(requestId);
      const signatures = v ? v.signatures.filter((s) => !s.stale).length : 0;
      return { status: v && (v.signatures.length > 0 || v.status !== 'collecting') ? v.status : 'none', signatures, threshold: ctx.last.state.threshold, safe: ctx.safe, executor: o.executor !== null };
    },

    /**
     * Why the transaction signed for the request queued in `requestTxHash` must not execute now
     * (null: it may). Throws the route's error when it never will: the request is gone from the
     * index, its id now names a later request (V4), it is decided or closed. Otherwise, why it is
     * held as the desk's own key waits (a request under too few CONFIRMATIONS; a fulfil
     * before the window's end, after a lapse without FULFIL_AFTER_LAPSE, while its history is
     * read). The call a member's wallet would send is refused for the same reasons. Holds that
     * are the desk's own choices (VETO_EXECUTION_POLICY, DRY_RUN, standby) are not a member's.
     */
    async executionHold(requestId: string, requestTxHash: string): Promise<string | null> {
      const r = await ctx.findRequest(requestId);
      // what no later block changes is an error of its own code, not "not ready yet"
      if (!r) throw new DeskError(purpose.unavailableCode, `request ${requestId} is not in the desk's index (a reorg may have removed it): its ${noun} cannot execute`);
      // an id V4 reused: the call would act on the request queued later under it
      if (r.queuedTxHash.toLowerCase() !== requestTxHash.toLowerCase()) throw new DeskError(purpose.unavailableCode, `request ${requestId} is now the one queued in ${r.queuedTxHash}, not the one this ${noun} was signed for`);
      const done = purpose.done(r);
      if (done) throw new DeskError(purpose.unavailableCode, `request ${requestId} is already ${r.status}${done.txHash ? ` (${done.txHash})` : ''}`);
      // every status a purpose calls closed, its refusal refuses too
      const refused = purpose.refuse(r);
      if (refused) throw refused;
      // the plan's own hold; only a hard one is a member's too (a veto's policy is the desk's choice)
      const h = holdOf(ctx, r);
      return h?.hard ? h.reason : null;
    },

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
    /**
     * The chain said the Safe may have changed (one of its SAFE_STATE_TOPICS logs, a backfill, a
     * reorg, or another desk on the database ingested such a block): the next pass reads it again,
     * and an address found to be no Safe is asked again.
     */
    stateMayHaveChanged(): void {
      ctx.stateCache.invalidate();
      noSafeAt = null;
    },
    /** true once the Safe was read and is a Safe (the path is on) */
    active(): boolean {
      return noSafe === null && ctx.last.state !== null;
    },
    /** the nonce plan of the last pass (null before the first) */
    lastPlan(): NoncePlan | null {
      return ctx.last.plan;
    },
    /** for /api/health: who sends, and what the desk last read of the Safe */
    health() {
      const state = ctx.last.state;
      return {
        executor: o.executor?.address ?? null,
        sends: o.executor !== null,
        safe: ctx.safe,
        owners: state?.owners ?? [],
        threshold: state?.threshold ?? null,
        nonce: state?.nonce ?? null,
        ...(o.executor ? {} : { note: `EXECUTOR_PRIVATE_KEY is not set: the desk never sends a ${noun}; an owner must execute it from their wallet` }),
        ...(passes.lastError() ? { lastError: passes.lastError()! } : {}),
        ...(noSafe ? { note: noSafe } : {}),
        ...(o.txService?.() ? { txService: o.txService()!.status() } : {}),
      };
    },
  };
}

export type SafeDesk = ReturnType<typeof createSafeDesk>;
/** the committee's veto desk, by its older name */
export type VetoService = SafeDesk;
