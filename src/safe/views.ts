/**
 * What the API shows of a Safe desk: each request's proposal (the one to sign, or the one that
 * executed), a proposal at a chosen nonce, rejections, batches and the nonce plan. Read from the
 * stored proposals and the plan the last reconcile pass made; nothing here changes state.
 */
import { getAddress, type Hex } from 'viem';
import { DeskError } from '../errors';
import type { VetoProposalRow, VetoSignatureRow } from '../store/vetoStore';
import { ACTIVE, bySignatureProposal, isAlt, signatureView, type DeskContext } from './deskContext';
import type { Intake } from './intake';
import { batchRequestIds, proposalKind, storedSafeTx } from './proposalKinds';
import { blockedView, blockedWords } from './blockedView';
import { requestIdsOf } from './reconcile';
import { buildBatchVetoSafeTx, typedDataJson } from './safeTx';
import type { BatchView, RejectionView, SafePlanView } from '../requests/views';
import type { VetoView } from '../requests/views';

/** Reasons that mean "another transaction took this nonce": its signers must sign again. */
const NONCE_USED = /^Safe nonce \d+ was used by another transaction/;

const RANK: Record<string, number> = { executed: 5, ready: 4, collecting: 3, failed: 2, abandoned: 1 };

export function createViews(ctx: DeskContext, intake: Intake) {
  const { o, noun } = ctx;
  const { store } = o;

  const threshold = () => ctx.last.state?.threshold ?? 0;
  const safeNonce = () => ctx.last.state?.nonce ?? 0;

  function rowView(p: VetoProposalRow, sigs: VetoSignatureRow[], extra: Partial<VetoView> = {}): VetoView {
    const b = ctx.last.plan?.blocked.find((x) => x.proposalId === p.id);
    const blocked = b && p.status === 'ready' ? blockedView(ctx, b, threshold(), ctx.last.head) : null;
    return {
      safe: getAddress(p.safe),
      nonce: p.nonce,
      safeTxHash: p.safeTxHash as Hex,
      typedData: typedDataJson({ chainId: p.chainId, safe: getAddress(p.safe) }, storedSafeTx(p)),
      threshold: threshold(),
      signatures: sigs.map(signatureView),
      status: p.status as VetoView['status'],
      statusReason: p.statusReason ?? null,
      executionTxHash: (p.executionTxHash as Hex | null) ?? null,
      blockedByNonce: blocked?.nonce ?? (p.status === 'ready' && p.nonce > safeNonce() ? safeNonce() : null),
      blocked,
      signAgain: null,
      alternatives: [],
      superseded: [],
      ...extra,
    };
  }

  /** The request's call at `nonce`, unsigned (what the desk serves). */
  function virtualView(requestId: string, nonce: number, extra: Partial<VetoView> = {}): VetoView {
    const tx = ctx.purpose.buildTx(BigInt(requestId), BigInt(nonce));
    return {
      safe: ctx.safe,
      nonce,
      safeTxHash: ctx.callHash(requestId, nonce),
      typedData: typedDataJson(ctx.domain, tx),
      threshold: threshold(),
      signatures: [],
      status: 'collecting',
      statusReason: null,
      executionTxHash: null,
      blockedByNonce: null,
      blocked: null,
      signAgain: null,
      alternatives: [],
      superseded: [],
      ...extra,
    };
  }

  /** Each request's proposal: executed > the plan's current one > ready > collecting > failed > abandoned. */
  async function vetoViews(requestIds?: string[]): Promise<Map<string, VetoView>> {
    const all = await store.currentProposals();
    const wantedIds = requestIds ? new Set(requestIds) : null;
    const rows = all.filter((p) => !isAlt(p) && (!wantedIds || wantedIds.has(p.requestId)));
    // a request vetoed by a batch shows that batch as its veto
    const batchOf = new Map<string, VetoProposalRow>();
    for (const b of all) if (proposalKind(b) === 'batch' && b.status === 'executed') for (const id of batchRequestIds(b)) batchOf.set(id, b);
    const superseded = await store.supersededProposals(requestIds);
    const sigs = bySignatureProposal(await store.signatures([...rows, ...superseded, ...batchOf.values()].map((p) => p.id)));
    const plan = ctx.last.plan;
    const byRequest = new Map<string, VetoProposalRow[]>();
    for (const p of rows) byRequest.set(p.requestId, [...(byRequest.get(p.requestId) ?? []), p]);
    const lostBy = new Map<string, VetoProposalRow[]>();
    for (const s of superseded) lostBy.set(s.requestId, [...(lostBy.get(s.requestId) ?? []), s]);
    const wanted = requestIds ? new Set(requestIds) : null;
    const out = new Map<string, VetoView>();
    const ids = new Set([...byRequest.keys(), ...(plan ? [...plan.current.keys()] : []), ...batchOf.keys()]);
    for (const id of ids) {
      if (wanted && !wanted.has(id)) continue;
      const mine = byRequest.get(id) ?? [];
      const cur = plan?.current.get(id);
      const executed = mine.filter((p) => p.status === 'executed').pop() ?? batchOf.get(id);
      const best = [...mine].sort((a, b) => (RANK[b.status] ?? 0) - (RANK[a.status] ?? 0) || b.id - a.id)[0];
      const lost = (lostBy.get(id) ?? []).map((s) => ({ nonce: s.nonce, safeTxHash: s.safeTxHash as Hex, reason: s.statusReason ?? 're-planned', signatures: (sigs.get(s.id) ?? []).length }));
      const open = cur !== undefined;
      let view: VetoView;
      if (executed) view = rowView(executed, sigs.get(executed.id) ?? [], { superseded: lost });
      else if (cur && cur.proposalId !== null && mine.some((p) => p.id === cur.proposalId)) view = rowView(mine.find((p) => p.id === cur.proposalId)!, sigs.get(cur.proposalId) ?? [], { superseded: lost });
      else if (cur && best?.status !== 'failed') {
        // nobody has signed it (yet, or again): what to sign now (a failed execution is shown
        // instead: the chain refused it, and the request's status catches up on the next pass)
        const earlier = best && !ACTIVE.has(best.status) ? `the proposal at nonce ${best.nonce} is ${best.status}: ${best.statusReason ?? ''}` : null;
        view = virtualView(id, cur.nonce, { superseded: lost, statusReason: earlier });
      } else if (best) view = rowView(best, sigs.get(best.id) ?? [], { superseded: lost });
      else continue;
      view.alternatives = mine
        .filter((p) => ACTIVE.has(p.status) && p.nonce !== view.nonce)
        .sort((a, b) => a.nonce - b.nonce)
        .map((p) => ({ nonce: p.nonce, safeTxHash: p.safeTxHash as Hex, status: p.status as VetoView['status'], signatures: (sigs.get(p.id) ?? []).filter((s) => !s.staleReason).length }));
      // signatures made void by another transaction taking their nonce: those owners sign again
      if (open && view.status === 'collecting') {
        const gone = (lostBy.get(id) ?? []).filter((s) => NONCE_USED.test(s.statusReason ?? '')).pop();
        if (gone) {
          const already = new Set(view.signatures.map((s) => s.signer));
          const owners = new Set(ctx.last.state?.owners ?? []);
          const signers = (sigs.get(gone.id) ?? []).map((s) => getAddress(s.signer)).filter((s) => !already.has(s) && owners.has(s));
          if (signers.length > 0) view.signAgain = { signers, lostNonce: gone.nonce };
        }
      }
      out.set(id, view);
    }
    return out;
  }

  /** The request's call at a chosen nonce (the ways out of a blocked nonce point here). */
  async function vetoViewAt(requestId: string, nonce: number): Promise<VetoView> {
    const state = ctx.last.state;
    const plan = ctx.last.plan;
    if (!state || !plan) throw new DeskError(ctx.purpose.unavailableCode, `the ${ctx.purpose.safeLabel} has not been read yet`, { retryable: true });
    const far = intake.outOfRange(nonce, state, plan);
    if (far) throw far;
    const row = (await store.currentProposals([requestId])).find((p) => p.nonce === nonce && ACTIVE.has(p.status));
    if (row) return rowView(row, await store.signatures([row.id]));
    if (!plan.current.has(requestId)) throw new DeskError(ctx.purpose.unavailableCode, `request ${requestId} has no ${noun} to sign: one is served while the request is ${ctx.purpose.collects.join(' or ')}`);
    return virtualView(requestId, nonce);
  }

  /** `stored`: the answer to a signature just stored there, shown even if the nonce was used meanwhile */
  async function rejectionView(nonce: number, stored = false): Promise<RejectionView> {
    const state = ctx.last.state;
    const plan = ctx.last.plan;
    if (!state || !plan) throw new DeskError('VETO_NOT_AVAILABLE', 'the committee Safe has not been read yet', { retryable: true });
    if (nonce > plan.maxNonce) throw new DeskError('NONCE_OUT_OF_RANGE', `nonce ${nonce} is beyond anything planned (Safe nonces ${state.nonce}–${plan.maxNonce})`);
    const row = await intake.currentRejection(nonce);
    // a used nonce needs no rejection: one still collecting there is set aside by the next pass
    if (!stored && nonce < state.nonce && (!row || ACTIVE.has(row.status))) throw new DeskError('REJECTION_NOT_NEEDED', `Safe nonce ${nonce} is already used (the Safe is at nonce ${state.nonce})`);
    const { tx, hash } = intake.rejectionTx(nonce);
    const live = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status));
    const blocks = plan.blocked.filter((b) => b.blockingNonce === nonce);
    const holder = live.find((p) => p.nonce === nonce && !isAlt(p));
    const sigs = bySignatureProposal(await store.signatures([...(row ? [row.id] : []), ...(holder ? [holder.id] : [])]));
    return {
      safe: ctx.safe,
      nonce,
      safeTxHash: hash,
      typedData: typedDataJson(ctx.domain, tx),
      threshold: state.threshold,
      signatures: row ? (sigs.get(row.id) ?? []).map(signatureView) : [],
      status: (row?.status as VetoView['status'] | undefined) ?? 'collecting',
      statusReason: row?.statusReason ?? null,
      executionTxHash: (row?.executionTxHash as Hex | null | undefined) ?? null,
      blocking: holder ? { requestId: holder.requestId, status: holder.status, signatures: (sigs.get(holder.id) ?? []).filter((s) => !s.staleReason).length } : null,
      unblocks: [...new Set(blocks.flatMap((b) => b.requestIds))],
    };
  }

  async function batchRow(nonce: number, requestIds?: string[]): Promise<VetoProposalRow> {
    const all = (await store.currentProposals()).filter((p) => proposalKind(p) === 'batch' && p.nonce === nonce && p.status !== 'abandoned');
    const want = requestIds ? [...requestIds].map((x) => BigInt(x)).sort((a, b) => (a < b ? -1 : 1)).join(',') : null;
    const picked = want ? all.filter((p) => batchRequestIds(p).join(',') === want) : all;
    if (picked.length === 0) throw new DeskError('BATCH_NOT_AVAILABLE', `no batch veto at nonce ${nonce}${want ? ` for requests ${want}` : ''}: propose one with POST /api/safe/batches`);
    const sigs = bySignatureProposal(await store.signatures(picked.map((p) => p.id)));
    const signed = (p: VetoProposalRow) => sigs.get(p.id)?.length ?? 0;
    const ranked = [...picked].sort((a, b) => signed(b) - signed(a) || b.id - a.id);
    // anyone may propose a batch: among several, only owners' signatures single one out, never
    // which was proposed last (an anonymous batch must not be what an owner is served to sign)
    if (!want && ranked.length > 1 && (signed(ranked[0]!) === 0 || signed(ranked[0]!) === signed(ranked[1]!))) {
      const sets = ranked.map((p) => `[${batchRequestIds(p).join(', ')}]`).join(', ');
      throw new DeskError('BATCH_AMBIGUOUS', `${ranked.length} batch vetoes at nonce ${nonce} (requests ${sets}) and no one of them has the most signatures: name its requests (?requestIds=… or "requestIds" in the body)`);
    }
    return ranked[0]!;
  }

  async function batchView(row: VetoProposalRow): Promise<BatchView> {
    const ids = batchRequestIds(row);
    const tx = buildBatchVetoSafeTx(getAddress(row.to), ctx.slasher, ids.map(BigInt), BigInt(row.nonce));
    const sigs = await store.signatures([row.id]);
    return {
      safe: ctx.safe,
      nonce: row.nonce,
      requestIds: ids,
      to: getAddress(row.to),
      operation: 1,
      safeTxHash: row.safeTxHash as Hex,
      typedData: typedDataJson(ctx.domain, tx),
      threshold: threshold(),
      signatures: sigs.map(signatureView),
      status: row.status as VetoView['status'],
      statusReason: row.statusReason ?? null,
      executionTxHash: (row.executionTxHash as Hex | null) ?? null,
    };
  }

  async function safePlan(): Promise<SafePlanView> {
    const state = ctx.last.state;
    const plan = ctx.last.plan;
    if (!state || !plan) throw new DeskError(ctx.purpose.unavailableCode, `the ${ctx.purpose.safeLabel} has not been read yet`, { retryable: true });
    const live = (await store.currentProposals()).filter((p) => ACTIVE.has(p.status) && plan.live.has(p.id)).sort((a, b) => a.nonce - b.nonce || a.id - b.id);
    const sigs = bySignatureProposal(await store.signatures(live.map((p) => p.id)));
    const count = (id: number) => (sigs.get(id) ?? []).filter((x) => !x.staleReason).length;
    const entries = live.map((p) => ({
      nonce: p.nonce,
      kind: proposalKind(p),
      requestId: isAlt(p) ? null : p.requestId,
      ...(proposalKind(p) === 'batch' ? { requestIds: batchRequestIds(p) } : {}),
      status: p.status,
      signatures: count(p.id),
      safeTxHash: p.safeTxHash as Hex,
      holds: plan.live.get(p.id)?.holds ?? false,
    }));
    // one entry per blocking nonce, every proposal waiting behind it
    const byNonce = new Map<number, typeof plan.blocked>();
    for (const b of plan.blocked) byNonce.set(b.blockingNonce, [...(byNonce.get(b.blockingNonce) ?? []), b]);
    const blocked: SafePlanView['blocked'] = [];
    for (const [nonce, bs] of byNonce) {
      const v = blockedView(ctx, bs[0]!, state.threshold, ctx.last.head);
      const waiting = [...new Set(bs.flatMap((b) => b.requestIds))];
      blocked.push({
        nonce,
        blockingRequestId: v.blockingRequestId,
        waiting,
        explanation: `${blockedWords(ctx, v).replace(/^blocked: /, `the ${noun}${waiting.length > 1 ? 's' : ''} of request${waiting.length > 1 ? 's' : ''} ${waiting.join(', ')} ${waiting.length > 1 ? 'wait' : 'waits'}: `)}`,
        rejection: `/api/safe/rejections/${nonce}`,
        waysOut: v.waysOut,
      });
    }
    return { safe: ctx.safe, safeNonce: state.nonce, threshold: state.threshold, servedNonce: plan.servedNonce, entries, blocked };
  }

  return { vetoViews, vetoViewAt, rejectionView, batchRow, batchView, safePlan, requestIdsOf };
}

export type Views = ReturnType<typeof createViews>;
