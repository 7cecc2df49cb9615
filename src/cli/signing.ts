/**
 * What `sign` and `reject` share: the trust flags, the rebuilt transaction shown field by field,
 * the refusal, the question, and reading back what the desk made of a signature.
 */
import { zeroAddress, type Hex } from 'viem';
import type { SafeDomain, SafeTx } from '../safe/safeTx';
import type { ParsedArgs } from './args';
import { CliError } from './cliError';
import type { CliIo } from './io';
import { describeDifferences, type Difference } from './safeTxCheck';
import type { Trust } from './trust';
import type { ProposalAnswer } from './deskViews';
import { untrusted } from './text';

export const TRUST_FLAGS = ['chain-id', 'safe', 'slasher', 'rpc-url'] as const;

export const TRUST_HELP = `Trust (what the CLI checks the desk against; see README "Command line"):
  --chain-id N           the chain you sign for            (env VETO_DESK_CHAIN_ID)
  --safe 0x…             the Safe you are an owner of      (env VETO_DESK_SAFE)
  --slasher 0x…          the VetoableSlasher               (env VETO_DESK_SLASHER)
  --rpc-url URL[,URL]    check on chain: eth_chainId, the slasher names the Safe, the Safe's
                         nonce and owners, the Safe's own getTransactionHash, the request
                         (env RPC_URL)
  Without pins or an RPC the CLI still rebuilds the transaction and refuses any difference,
  but takes the chain id, Safe and slasher from the desk and says so.`;

export const DESK_HELP = `Desk:
  --desk URL             the desk (env VETO_DESK_URL; default http://localhost:8080)
  --insecure-http        allow plain http:// to a desk that is not on this machine (loud warning)`;

export interface Rebuilt {
  nonce: bigint;
  tx: SafeTx;
  hash: Hex;
}

/** The rebuilt transaction(s), every field, with where the chain id and Safe came from. */
export function describeRebuilt(io: CliIo, o: { domain: SafeDomain; trust: Trust; txs: Rebuilt[]; toLabel: string; dataLabel: string }): void {
  const [first, ...extra] = o.txs;
  const t = first!.tx;
  const zeroGas = t.safeTxGas === 0n && t.baseGas === 0n && t.gasPrice === 0n && t.gasToken === zeroAddress && t.refundReceiver === zeroAddress;
  io.out(
    [
      'Safe transaction (rebuilt by this CLI from the request id, purpose and nonce):',
      `  chain id        ${o.domain.chainId}   (${o.trust.chainId.source})`,
      `  Safe            ${o.domain.safe}   (${o.trust.safe.source})`,
      `  to              ${t.to}   (${o.toLabel})`,
      `  value           ${t.value}`,
      `  data            ${o.dataLabel}   ${t.data}`,
      `  operation       ${t.operation} (${t.operation === 0 ? 'CALL' : 'DELEGATECALL'})`,
      `  gas and refund  ${zeroGas ? 'safeTxGas 0, baseGas 0, gasPrice 0, gasToken and refundReceiver the zero address (no refund)' : 'NOT ZERO'}`,
      `  nonce           ${first!.nonce}`,
      `  safeTxHash      ${first!.hash}`,
      ...extra.map((x) => `  also at nonce   ${x.nonce}   safeTxHash ${x.hash}`),
      '',
    ].join('\n'),
  );
}

export function describeChecks(io: CliIo, trust: Trust, extra: { ok: boolean; text: string }[] = []): void {
  const checks = [...extra, ...trust.checks];
  if (checks.length) io.out(`Checks:\n${checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`).join('\n')}\n`);
  if (trust.unverified.length) io.out(`NOT VERIFIED (the desk's word):\n${trust.unverified.map((u) => `  -  ${u}`).join('\n')}\n`);
  io.out('\n');
}

/**
 * Refuses (exit 4, nothing signed or sent) on any difference or failed check.
 * @throws CliError REFUSED_TO_SIGN
 */
export function refuseOnProblems(what: string, deskUrl: string, diffs: Difference[], hash: { desk: string; mine: Hex; equal: boolean }, trust: Trust, extra: { ok: boolean; text: string }[] = []): void {
  const failed = [...extra, ...trust.checks].filter((c) => !c.ok);
  if (diffs.length === 0 && hash.equal && failed.length === 0) return;
  const lines = [`REFUSED to sign the ${what}: nothing was signed or sent.`];
  if (diffs.length) lines.push(`The desk's typed data differs from the transaction this CLI rebuilt:\n${describeDifferences(diffs)}`);
  if (!hash.equal) lines.push(`The desk's safeTxHash ${untrusted(hash.desk, 80)} is not the rebuilt one ${hash.mine}.`);
  if (failed.length) lines.push(`Failed checks:\n${failed.map((c) => `  ${c.text}`).join('\n')}`);
  if (diffs.length || !hash.equal) lines.push(`The desk at ${deskUrl} asked for a signature over something else: it may be compromised or misconfigured. Tell the other owners before anyone signs there.`);
  throw new CliError('REFUSED_TO_SIGN', lines.join('\n'));
}

/** Asks unless `--yes`. @throws CliError NOT_CONFIRMED */
export async function confirmOrStop(p: ParsedArgs, io: CliIo, question: string): Promise<void> {
  if (p.bools.has('yes')) return;
  if (!(await io.confirm(`${question} [y/N] `))) throw new CliError('NOT_CONFIRMED', 'not signed: no confirmation (answer y, or pass --yes)');
}

export function validSignatures(v: Pick<ProposalAnswer, 'signatures'>): number {
  return v.signatures.filter((s) => !s.stale).length;
}

/** One line of what a proposal's state means for the person who just signed. */
export function proposalStateWords(v: ProposalAnswer, noun: string): string[] {
  const n = validSignatures(v);
  const lines = [`accepted: ${n} of ${v.threshold} signatures, ${noun} ${untrusted(v.status, 40)}`];
  if (v.status === 'collecting' && n < v.threshold) lines.push(`  ${v.threshold - n} more owner signature${v.threshold - n === 1 ? '' : 's'} needed at nonce ${v.nonce}`);
  if (v.status === 'ready') lines.push(v.blockedByNonce != null ? `  quorum met, but blocked: nonce ${v.blockedByNonce} must execute first` : '  quorum met: the desk executes it (or any owner can, from Safe{Wallet})');
  if (v.status === 'executed' && v.executionTxHash) lines.push(`  executed in transaction ${untrusted(v.executionTxHash, 70)}`);
  if (v.statusReason) lines.push(`  ${untrusted(v.statusReason, 400)}`);
  return lines;
}
