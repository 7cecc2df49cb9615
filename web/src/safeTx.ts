/**
 * What a member signs, checked in the browser before anything reaches the wallet: the typed
 * data hashes (here, with viem) to the safeTxHash the desk shows, and its call is the expected
 * `cancelSlashingRequest(id)` (or fulfil) on this request's slasher, with no value and no
 * delegatecall, for this Safe, and pays no gas refund (a refund to a receiver of the desk's
 * choosing would be paid from the Safe when it executes).
 */
import { decodeFunctionData, getAddress, hashTypedData, type Hex } from 'viem';
import type { TypedDataJson } from './types';

// JSON ABI rather than parseAbi: the human-readable parser would weigh more than the rest of viem here
const byId = (name: string) => ({ type: 'function', name, stateMutability: 'nonpayable', inputs: [{ name: 'requestId', type: 'uint256' }], outputs: [] }) as const;
const slasherCalls = [byId('cancelSlashingRequest'), byId('fulfillSlashingRequest'), byId('fulfillSlashingRequestAndBurnOrRedistribute')] as const;

/** The JSON typed data (uint256 as decimal strings) in the form viem hashes and local accounts sign. */
export function typedDataForViem(td: TypedDataJson) {
  const { EIP712Domain: _domainType, ...types } = td.types;
  const m = td.message;
  return {
    domain: { chainId: Number(td.domain.chainId), verifyingContract: getAddress(td.domain.verifyingContract) },
    types,
    primaryType: td.primaryType,
    message: {
      ...m,
      to: getAddress(m.to),
      value: BigInt(m.value),
      safeTxGas: BigInt(m.safeTxGas),
      baseGas: BigInt(m.baseGas),
      gasPrice: BigInt(m.gasPrice),
      nonce: BigInt(m.nonce),
    },
  } as const;
}

export function safeTxHashOf(td: TypedDataJson): Hex {
  return hashTypedData(typedDataForViem(td) as Parameters<typeof hashTypedData>[0]);
}

export interface CallCheck {
  ok: boolean;
  text: string;
}

const ZERO = '0x0000000000000000000000000000000000000000';

/** No refund: safeTxGas, baseGas and gasPrice 0, no gas token, no refund receiver. */
function noRefund(td: TypedDataJson): CallCheck {
  const m = td.message;
  const ok = m.safeTxGas === '0' && m.baseGas === '0' && m.gasPrice === '0' && m.gasToken.toLowerCase() === ZERO && m.refundReceiver.toLowerCase() === ZERO;
  return { ok, text: ok ? 'pays no gas refund from the Safe' : `pays a gas refund from the Safe (safeTxGas ${m.safeTxGas}, baseGas ${m.baseGas}, gasPrice ${m.gasPrice}, gasToken ${m.gasToken}, refundReceiver ${m.refundReceiver}): NOT what the desk builds` };
}

/** The typed data is for this Safe (its EIP-712 domain). */
function forSafe(td: TypedDataJson, safe: Hex): CallCheck {
  const ok = td.domain.verifyingContract.toLowerCase() === safe.toLowerCase();
  return { ok, text: ok ? `for Safe ${getAddress(safe)}` : `for Safe ${td.domain.verifyingContract}, which is NOT ${getAddress(safe)}` };
}

/** Plain-words checks of a Safe transaction against what the page expects it to be. */
export function checkSafeTx(td: TypedDataJson, expected: { safeTxHash: Hex; safe: Hex; slasher: Hex; requestId: string; kind: 'veto' | 'fulfil'; chainId: number | null }): CallCheck[] {
  const checks: CallCheck[] = [];
  let hash: Hex | null = null;
  try {
    hash = safeTxHashOf(td);
  } catch {
    /* reported below */
  }
  const same = hash !== null && hash.toLowerCase() === expected.safeTxHash.toLowerCase();
  checks.push({ ok: same, text: same ? 'your browser computes the same safeTxHash as the desk' : hash ? `your browser computes safeTxHash ${hash}, but the desk says ${expected.safeTxHash}` : 'the typed data cannot be hashed' });
  let call: string | null = null;
  try {
    const d = decodeFunctionData({ abi: slasherCalls, data: td.message.data });
    call = `${d.functionName}(${String(d.args[0])})`;
    const wanted = expected.kind === 'veto' ? d.functionName === 'cancelSlashingRequest' : d.functionName !== 'cancelSlashingRequest';
    checks.push({ ok: wanted && d.args[0] === BigInt(expected.requestId), text: `calls ${call}` });
  } catch {
    checks.push({ ok: false, text: `calls unknown data ${td.message.data.slice(0, 10)}…` });
  }
  checks.push({ ok: getAddress(td.message.to) === getAddress(expected.slasher), text: `on ${getAddress(td.message.to)}${getAddress(td.message.to) === getAddress(expected.slasher) ? ' (this request’s slasher)' : ', which is NOT this request’s slasher'}` });
  checks.push({ ok: td.message.value === '0' && td.message.operation === 0, text: `value ${td.message.value}, operation ${td.message.operation === 0 ? 'CALL' : 'DELEGATECALL'}` });
  checks.push(noRefund(td), forSafe(td, expected.safe));
  if (expected.chainId !== null) checks.push({ ok: Number(td.domain.chainId) === expected.chainId, text: `for chain ${td.domain.chainId}, Safe ${td.domain.verifyingContract}, nonce ${td.message.nonce}` });
  return checks;
}

/** Checks of a rejection (the Safe calling itself with nothing, only to fill a nonce). */
export function checkRejection(td: TypedDataJson, expected: { safeTxHash: Hex; safe: Hex; nonce: number; chainId: number | null }): CallCheck[] {
  let hash: Hex | null = null;
  try {
    hash = safeTxHashOf(td);
  } catch {
    /* reported below */
  }
  const same = hash !== null && hash.toLowerCase() === expected.safeTxHash.toLowerCase();
  const toSafe = getAddress(td.message.to) === getAddress(expected.safe) && getAddress(td.domain.verifyingContract) === getAddress(expected.safe);
  const checks: CallCheck[] = [
    { ok: same, text: same ? 'your browser computes the same safeTxHash as the desk' : `your browser computes safeTxHash ${hash ?? '(none)'}, but the desk says ${expected.safeTxHash}` },
    { ok: toSafe && td.message.data === '0x', text: toSafe && td.message.data === '0x' ? 'the Safe calls itself with no data (it does nothing but use the nonce)' : `calls ${td.message.to} with data ${td.message.data.slice(0, 10)}…: NOT a rejection` },
    { ok: td.message.value === '0' && td.message.operation === 0, text: `value ${td.message.value}, operation ${td.message.operation === 0 ? 'CALL' : 'DELEGATECALL'}` },
    { ok: td.message.nonce === String(expected.nonce), text: `at Safe nonce ${td.message.nonce}` },
    noRefund(td),
  ];
  if (expected.chainId !== null) checks.push({ ok: Number(td.domain.chainId) === expected.chainId, text: `for chain ${td.domain.chainId}` });
  return checks;
}
