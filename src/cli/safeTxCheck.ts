/**
 * The CLI never signs what a desk hands it. It rebuilds the Safe transaction from what it trusts
 * (chain id, Safe, slasher, request id, purpose, nonce) and compares the desk's typed data with
 * it field by field: any difference — another chain, DELEGATECALL, value, other calldata, gas
 * price, refund receiver, an extra field — is a refusal. Pure: no I/O.
 */
import { toFunctionSelector, type Hex } from 'viem';
import { safeTxHash, typedDataJson, type SafeDomain, type SafeTx } from '../safe/safeTx';
import { untrusted } from './text';

export interface Difference {
  /** dotted path in the typed data, e.g. `message.operation` */
  field: string;
  desk: string;
  expected: string;
  /** what the difference would do, when it is a known danger */
  danger?: string;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DECIMAL = /^\d+$/;

/** Safe admin calls a tampered `data` may carry: named so the refusal says what was attempted. */
const SAFE_ADMIN = new Map<string, string>(
  [
    'addOwnerWithThreshold(address,uint256)',
    'removeOwner(address,address,uint256)',
    'swapOwner(address,address,address)',
    'changeThreshold(uint256)',
    'enableModule(address)',
    'disableModule(address,address)',
    'setGuard(address)',
    'setFallbackHandler(address)',
    'execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)',
    'multiSend(bytes)',
    'approveHash(bytes32)',
    'transfer(address,uint256)',
    'approve(address,uint256)',
  ].map((sig) => [toFunctionSelector(sig), sig]),
);

function show(v: unknown): string {
  if (typeof v === 'string') return untrusted(v, 90);
  if (v === undefined) return '(absent)';
  try {
    return untrusted(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)), 90);
  } catch {
    return untrusted(String(v), 90);
  }
}

function asBigInt(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && DECIMAL.test(v) && v.length <= 78) return BigInt(v);
  return null;
}

function danger(field: string, got: unknown): string | undefined {
  if (field === 'message.operation' && asBigInt(got) === 1n) return 'DELEGATECALL: the Safe would run the target\'s code as itself (a full takeover)';
  if (field === 'message.value') return 'moves ether out of the Safe';
  if (field === 'message.gasPrice' || field === 'message.refundReceiver' || field === 'message.gasToken' || field === 'message.baseGas') return 'pays a refund out of the Safe to the executor or a receiver';
  if (field === 'domain.chainId') return 'a signature for another chain';
  if (field === 'domain.verifyingContract') return 'a signature for another Safe';
  if (field === 'message.to') return 'calls another contract';
  if (field === 'message.data' && typeof got === 'string' && got.length >= 10) {
    const admin = SAFE_ADMIN.get(got.slice(0, 10).toLowerCase());
    return admin ? `calls ${admin}` : 'other calldata';
  }
  return undefined;
}

function scalarEqual(got: unknown, want: unknown): boolean {
  if (typeof want === 'number') return asBigInt(got) === BigInt(want);
  if (typeof want === 'string') {
    if (ADDRESS.test(want)) return typeof got === 'string' && ADDRESS.test(got) && got.toLowerCase() === want.toLowerCase();
    if (DECIMAL.test(want)) return asBigInt(got) === BigInt(want);
    if (want.startsWith('0x')) return typeof got === 'string' && got.toLowerCase() === want.toLowerCase();
    return got === want;
  }
  return got === want;
}

function walk(path: string, got: unknown, want: unknown, out: Difference[]): void {
  const field = path || '(typed data)';
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      out.push({ field, desk: show(got), expected: show(want) });
      return;
    }
    want.forEach((w, i) => walk(`${path}[${i}]`, got[i], w, out));
    return;
  }
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) {
      out.push({ field, desk: show(got), expected: show(want) });
      return;
    }
    const w = want as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    for (const k of Object.keys(w)) walk(path ? `${path}.${k}` : k, g[k], w[k], out);
    for (const k of Object.keys(g)) {
      if (!(k in w)) out.push({ field: path ? `${path}.${untrusted(k, 40)}` : untrusted(k, 40), desk: show(g[k]), expected: '(no such field)' });
    }
    return;
  }
  if (!scalarEqual(got, want)) {
    const d = danger(path, got);
    out.push({ field, desk: show(got), expected: show(want), ...(d ? { danger: d } : {}) });
  }
}

/**
 * Every field where the desk's typed data differs from the rebuilt transaction's (empty: equal).
 * Numbers may come as JSON numbers or decimal strings and addresses in any case; nothing else
 * is lenient, and a field the rebuilt one lacks is a difference too.
 *
 * @example
 * compareTypedData(view.typedData, { chainId: 1, safe }, buildVetoSafeTx(slasher, 3n, 7n)); // []
 */
export function compareTypedData(desk: unknown, domain: SafeDomain, tx: SafeTx): Difference[] {
  const out: Difference[] = [];
  walk('', desk, typedDataJson(domain, tx), out);
  return out;
}

/** The safeTxHash of the rebuilt transaction and whether the desk's equals it. */
export function checkHash(deskHash: string, domain: SafeDomain, tx: SafeTx): { hash: Hex; equal: boolean } {
  const hash = safeTxHash(domain, tx);
  return { hash, equal: typeof deskHash === 'string' && deskHash.toLowerCase() === hash.toLowerCase() };
}

/** Lines for a refusal: one per difference, dangers named. */
export function describeDifferences(diffs: readonly Difference[]): string {
  return diffs.map((d) => `  ${d.field}: the desk says ${d.desk}, rebuilt ${d.expected}${d.danger ? `  <- ${d.danger}` : ''}`).join('\n');
}
