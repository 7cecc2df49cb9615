/** Revert data → words for people: slasher custom errors, Safe `GSxxx` codes, revert strings. */
import { BaseError, decodeErrorResult, parseAbi, type Hex } from 'viem';
import { slasherAbi } from './abis';

const revertAbi = [...slasherAbi.filter((item) => item.type === 'error'), ...parseAbi(['error Error(string)'])];

const WORDS: Record<string, string> = {
  OnlySlasher: 'only the slasher role may do this',
  OnlyVetoCommittee: 'only the veto committee may cancel (is this Safe still the vetoCommittee?)',
  VetoPeriodPassed: 'the veto window has passed',
  VetoPeriodNotPassed: 'the veto window has not passed yet',
  SlashingRequestIsCancelled: 'the request is already cancelled',
  SlashingRequestNotRequested: 'the request is not in status Requested',
};

/** Safe 1.4.1 error codes the desk can run into (safe-contracts docs/error_codes.md). */
const SAFE_CODES: Record<string, string> = {
  GS013: 'the vetoed call itself failed inside the Safe',
  GS020: 'signatures data too short',
  GS021: 'invalid contract signature location (inside static part)',
  GS024: 'invalid contract signature provided',
  GS025: 'hash has not been approved',
  GS026: 'invalid owner provided (signatures not from owners, or not in ascending owner order)',
};

function findRevertData(e: unknown): Hex | undefined {
  if (e instanceof BaseError) {
    const found = e.walk((x) => typeof (x as { data?: unknown }).data === 'string' && /^0x[0-9a-f]*$/i.test((x as { data: string }).data)) as { data?: Hex } | null;
    if (found?.data) return found.data;
    const nested = e.walk((x) => typeof ((x as { data?: { data?: unknown } }).data as { data?: unknown } | undefined)?.data === 'string') as { data?: { data?: Hex } } | null;
    if (nested?.data?.data) return nested.data.data;
  }
  return undefined;
}

/** A short reason: `VetoPeriodPassed: the veto window has passed`, `GS026: …`, or the error's first line. */
export function describeRevert(e: unknown): string {
  const data = findRevertData(e);
  if (data && data !== '0x') {
    try {
      const decoded = decodeErrorResult({ abi: revertAbi, data });
      if (decoded.errorName === 'Error') {
        const text = String(decoded.args?.[0] ?? '');
        return SAFE_CODES[text] ? `${text}: ${SAFE_CODES[text]}` : text;
      }
      return `${decoded.errorName}: ${WORDS[decoded.errorName] ?? decoded.errorName}`;
    } catch {
      return `reverted with unknown data ${data.slice(0, 74)}`;
    }
  }
  const message = e instanceof BaseError ? e.shortMessage : e instanceof Error ? e.message : String(e);
  const gs = /GS0\d\d/.exec(message)?.[0];
  if (gs) return `${gs}: ${SAFE_CODES[gs] ?? 'Safe error'}`;
  for (const name of Object.keys(WORDS)) if (message.includes(name)) return `${name}: ${WORDS[name]}`;
  return message.split('\n')[0] ?? 'reverted';
}

/** true when the chain answered "reverted" (a fact about the transaction), false for transport trouble. */
export function isRevert(e: unknown): boolean {
  const data = findRevertData(e);
  if (data !== undefined && data !== '0x') return true;
  const message = e instanceof BaseError ? `${e.shortMessage} ${e.details ?? ''}` : e instanceof Error ? e.message : String(e);
  return /revert|GS0\d\d|invalid opcode|out of gas/i.test(message);
}
