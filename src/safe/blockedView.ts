/**
 * A proposal with its signatures behind a Safe nonce nothing can execute at, as people read it:
 * who holds that nonce, the blocks left, and the ways past it (the view and the alert's words).
 */
import { getAddress } from 'viem';
import type { BlockedProposal } from '../domain/noncePlan';
import type { BlockedView, WayOutView } from '../requests/views';
import type { DeskContext } from './deskContext';

/** Blocked proposal → what people read and the ways past it. */
export function blockedView(ctx: DeskContext, b: BlockedProposal, threshold: number, head: number | null): BlockedView {
  const lead = b.holders.find((h) => h.held) ?? b.holders[0]; // the holder blockedWords leads with
  const first = lead?.kind === 'call' ? lead : (b.holders.find((h) => h.kind === 'call') ?? null);
  const waitingId = b.requestIds.length === 1 ? b.requestIds[0]! : null;
  const waitingReq = waitingId ? ctx.last.requests.get(waitingId) : undefined;
  const deadline = waitingReq ? ctx.purpose.deadlineBlock(waitingReq) : null;
  const waysOut: WayOutView[] = [];
  for (const h of b.holders) {
    if (h.kind !== 'call' || h.held) continue;
    const id = h.requestIds[0]!;
    waysOut.push({ kind: 'sign_blocking', nonce: b.blockingNonce, requestId: id, missing: h.missing, href: `/api/requests/${id}/${ctx.noun}?nonce=${b.blockingNonce}`, words: `sign the ${ctx.noun} of request ${id} at nonce ${b.blockingNonce} (${h.missing} more signature${h.missing === 1 ? '' : 's'}): it executes first, then this one` });
  }
  if (ctx.noun === 'veto') {
    waysOut.push({ kind: 'sign_rejection', nonce: b.blockingNonce, requestId: null, missing: threshold, href: `/api/safe/rejections/${b.blockingNonce}`, words: `sign the rejection at nonce ${b.blockingNonce} (${threshold} signatures): it only fills that nonce, then this one executes` });
  }
  if (waitingId) {
    waysOut.push({ kind: 'sign_here', nonce: b.blockingNonce, requestId: waitingId, missing: threshold, href: `/api/requests/${waitingId}/${ctx.noun}?nonce=${b.blockingNonce}`, words: `sign this ${ctx.noun} again at nonce ${b.blockingNonce} (${threshold} signatures): it executes there at once` });
  }
  return {
    nonce: b.blockingNonce,
    blockingRequestId: first?.requestIds[0] ?? null,
    holders: b.holders.map((h) => ({ kind: h.kind === 'call' ? ctx.noun : h.kind, requestIds: [...h.requestIds], signers: h.signers.map((s) => getAddress(s)), missing: h.missing, held: h.held })),
    blocksLeft: deadline !== null && head !== null ? Math.max(0, deadline - head) : null,
    waysOut: waysOut.sort((a, c) => a.missing - c.missing),
  };
}

export function blockedWords(ctx: DeskContext, v: BlockedView): string {
  // a ready holder that waits is what the block waits for: said first
  const holder = v.holders.find((h) => h.held) ?? v.holders[0];
  const what = holder
    ? holder.held
      ? `nonce ${v.nonce} holds a ${holder.kind} of request ${holder.requestIds.join(', ')} that waits: ${holder.held}`
      : `nonce ${v.nonce} is held by the ${holder.kind} of request${holder.requestIds.length === 1 ? '' : 's'} ${holder.requestIds.join(', ')} with ${holder.signers.length} signature(s), ${holder.missing} short of the threshold`
    : `nonce ${v.nonce} holds no signed transaction that can still execute`;
  const left = v.blocksLeft !== null ? ` ${v.blocksLeft} block(s) left.` : '';
  return `blocked: the Safe executes by nonce and ${what}.${left} Ways out: ${v.waysOut.map((w) => `${w.words} (${w.href})`).join("; or ")}`;
}
