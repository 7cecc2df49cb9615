/**
 * The `execTransaction` call a member's wallet sends to execute a request's Safe transaction —
 * the committee's veto, or governance's fulfil when the slasher is a Safe — whose threshold is
 * met, when the desk does not send it itself (no key, DRY_RUN, policy). Built from the stored
 * signatures of current owners, re-checked against the Safe on chain now.
 */
import { encodeFunctionData, getAddress, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { DeskError } from '../errors';
import type { VetoStore } from '../store/vetoStore';
import { packSignatures } from './executor';
import { proposalOperation } from './proposalKinds';
import { safeAbi } from './safeTx';
import { readSafeState } from './safeState';

export interface SafeExecutionCall {
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
  threshold: number;
  /** the owners whose signatures are packed, ascending (the Safe's order) */
  signers: Address[];
  /** the transaction to send: to = the Safe, value 0, data = execTransaction(…, signatures) */
  to: Address;
  value: '0';
  data: Hex;
}

/**
 * `store` is the proposal store of the Safe concerned (the committee's for a veto, governance's
 * for a fulfil).
 *
 * @throws DeskError `VETO_NOT_AVAILABLE` / `FULFIL_NOT_AVAILABLE` (no Safe at that address,
 * already settled, the request gone or its id reused), `VETO_WINDOW_CLOSED` / `FULFIL_CLOSED` (the
 * request is closed) or `SAFE_TX_NOT_READY` (nobody signed yet, fewer valid owner signatures than
 * the threshold, another nonce must execute first, or it is held as the desk's own key would be)
 */
export async function buildSafeExecutionCall(p: {
  client: PublicClient;
  store: VetoStore;
  safe: Address;
  requestId: string;
  kind: 'veto' | 'fulfil';
  /** why it must not execute now (the desk's Safe desk decides: `executionHold`, which throws when it never will), null: it may */
  hold?: (requestId: string, requestTxHash: string) => Promise<string | null>;
  /** why the Safe path is off, as the Safe desk last read it (no Safe at that address) */
  off?: () => string | null;
}): Promise<SafeExecutionCall> {
  const proposals = (await p.store.currentProposals([p.requestId])).filter((x) => x.status !== 'abandoned');
  const code = p.kind === 'veto' ? 'VETO_NOT_AVAILABLE' : 'FULFIL_NOT_AVAILABLE';
  const off = p.off?.();
  if (off) throw new DeskError(code, off);
  // anyone may ask, for any id: nothing signed, nothing read from the chain
  if (proposals.length === 0) throw new DeskError('SAFE_TX_NOT_READY', `the ${p.kind} of request ${p.requestId} has no owner signature yet (nobody has signed it)`);
  const state = await readSafeState(p.client, getAddress(p.safe)).catch(() => null);
  if (!state) throw new DeskError(code, `${getAddress(p.safe)} is not a Safe the desk can read: no ${p.kind} Safe transaction for request ${p.requestId}`);
  // the one that can execute now: at the Safe's nonce; else the executed one, else the newest
  const proposal = proposals.find((x) => x.nonce === state.nonce && (x.status === 'ready' || x.status === 'collecting')) ?? proposals.find((x) => x.status === 'executed') ?? proposals[proposals.length - 1]!;
  if (proposal.status === 'executed') throw new DeskError(code, `the ${p.kind} of request ${p.requestId} is already executed`);
  if (proposal.status === 'failed') throw new DeskError(code, `the ${p.kind} of request ${p.requestId} failed: ${proposal.statusReason ?? 'unknown reason'}`);
  if (state.nonce !== proposal.nonce) {
    throw new DeskError('SAFE_TX_NOT_READY', `the ${p.kind} is planned at Safe nonce ${proposal.nonce} but the Safe is at nonce ${state.nonce}: ${proposal.nonce > state.nonce ? 'lower nonces must execute first (see /api/safe/plan)' : 'that nonce is used: its signers must sign again'}`);
  }
  const owners = new Set(state.owners);
  const valid = (await p.store.signatures([proposal.id])).filter((s) => !s.staleReason && owners.has(getAddress(s.signer)));
  if (valid.length < state.threshold) {
    throw new DeskError('SAFE_TX_NOT_READY', `the ${p.kind} of request ${p.requestId} has ${valid.length} of the ${state.threshold} owner signatures it needs`);
  }
  const held = await p.hold?.(p.requestId, proposal.requestTxHash);
  if (held) throw new DeskError('SAFE_TX_NOT_READY', `the ${p.kind} of request ${p.requestId} is held: ${held}`);
  const chosen = valid
    .map((s) => ({ signer: getAddress(s.signer), signature: s.signature as Hex }))
    .sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))
    .slice(0, state.threshold);
  const data = encodeFunctionData({
    abi: safeAbi,
    functionName: 'execTransaction',
    args: [getAddress(proposal.to), 0n, proposal.data as Hex, proposalOperation(proposal), 0n, 0n, 0n, zeroAddress, zeroAddress, packSignatures(chosen)],
  });
  return {
    safe: getAddress(proposal.safe),
    nonce: proposal.nonce,
    safeTxHash: proposal.safeTxHash as Hex,
    threshold: state.threshold,
    signers: chosen.map((c) => c.signer),
    to: getAddress(proposal.safe),
    value: '0',
    data,
  };
}
