/**
 * Owner signatures over a safeTxHash: parsing (65 bytes, r‖s‖v), signer recovery for the two
 * forms the Safe accepts from an EOA, and the diagnosis of a signature that recovers to a
 * non-owner (it was made over another chain's, Safe's, nonce's or request's hash).
 */
import { getAddress, hexToNumber, recoverAddress, recoverMessageAddress, sliceHex, concatHex, numberToHex, type Address, type Hex } from 'viem';
import { DeskError, type ErrorCode } from '../errors';

export type SignatureKind = 'eip712' | 'eth_sign';

export interface ParsedSignature {
  /** lowercase 0x + 130 hex digits */
  hex: Hex;
  v: number;
  kind: SignatureKind;
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const SECP256K1_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/**
 * Whether `x` is the x coordinate of a point on secp256k1 (y² = x³ + 7 has a solution mod p: Euler's
 * criterion). ecrecover with v 27/28 takes R's x from r as is; an r off the curve recovers nothing,
 * and viem throws on it, so it is refused here as malformed input. About 0.1 ms.
 */
function isCurveX(x: bigint): boolean {
  const rhs = (modPow(x, 3n, SECP256K1_P) + 7n) % SECP256K1_P;
  return rhs === 0n || modPow(rhs, (SECP256K1_P - 1n) / 2n, SECP256K1_P) === 1n;
}

/**
 * @throws DeskError `SIGNATURE_MALFORMED` (not 65-byte hex, unknown v, high s) or
 * `SIGNER_IS_CONTRACT` (v = 0: an EIP-1271 contract signature, not supported yet).
 */
export function parseSignature(raw: unknown): ParsedSignature {
  if (typeof raw !== 'string') throw new DeskError('SIGNATURE_MALFORMED', 'signature must be a 0x-prefixed hex string');
  const text = raw.trim();
  if (!/^0x[0-9a-fA-F]*$/.test(text)) throw new DeskError('SIGNATURE_MALFORMED', 'signature must be 0x-prefixed hex');
  if (text.length !== 132) {
    throw new DeskError('SIGNATURE_MALFORMED', `signature must be 65 bytes (r, s, v); got ${Math.floor((text.length - 2) / 2)} bytes`);
  }
  const hex = text.toLowerCase() as Hex;
  const v = hexToNumber(sliceHex(hex, 64, 65));
  const r = BigInt(sliceHex(hex, 0, 32));
  const s = BigInt(sliceHex(hex, 32, 64));
  if (v === 0) {
    throw new DeskError('SIGNER_IS_CONTRACT', 'v = 0 is a contract (EIP-1271) signature: owners that are contracts are not supported yet; sign with an EOA owner');
  }
  if (v === 1) throw new DeskError('SIGNATURE_MALFORMED', 'v = 1 is an on-chain approved hash, not a signature: sign the typed data instead');
  const kind: SignatureKind | undefined = v === 27 || v === 28 ? 'eip712' : v === 31 || v === 32 ? 'eth_sign' : undefined;
  if (!kind) throw new DeskError('SIGNATURE_MALFORMED', `v must be 27/28 (EIP-712) or 31/32 (eth_sign); got ${v}`);
  if (s > SECP256K1_HALF_N) throw new DeskError('SIGNATURE_MALFORMED', 'signature s value is in the upper half of the curve order (malleable)');
  if (r === 0n || r >= SECP256K1_N || s === 0n) throw new DeskError('SIGNATURE_MALFORMED', 'signature r and s must be between 1 and the curve order');
  if (!isCurveX(r)) throw new DeskError('SIGNATURE_MALFORMED', 'signature r is not the x coordinate of a point on secp256k1: no signer can be recovered from it');
  return { hex, v, kind };
}

/**
 * The address that produced `sig` over `hash`, the way the Safe contract recovers it.
 *
 * @throws DeskError `SIGNATURE_MALFORMED` when no signer can be recovered (a signature `parseSignature`
 * did not check, or one the curve library refuses): bad input, never an internal error.
 */
export async function recoverSigner(hash: Hex, sig: ParsedSignature): Promise<Address> {
  try {
    if (sig.kind === 'eip712') return getAddress(await recoverAddress({ hash, signature: sig.hex }));
    // eth_sign: v was raised by 4; the owner signed "\x19Ethereum Signed Message:\n32" ‖ hash
    const original = concatHex([sliceHex(sig.hex, 0, 64), numberToHex(sig.v - 4, { size: 1 })]);
    return getAddress(await recoverMessageAddress({ message: { raw: hash }, signature: original }));
  } catch (e) {
    throw new DeskError('SIGNATURE_MALFORMED', 'no signer can be recovered from this signature (r or s is not a valid secp256k1 value)', { cause: e });
  }
}

/** A hash the signer may have signed by mistake, and the code that explains it. */
export interface CandidateHash {
  hash: Hex;
  code: Extract<ErrorCode, 'SIGNATURE_WRONG_CHAIN' | 'SIGNATURE_WRONG_SAFE' | 'SIGNATURE_WRONG_NONCE' | 'SIGNATURE_WRONG_REQUEST'>;
  /** e.g. "chain 1", "nonce 4" */
  label: string;
}

/**
 * Explains a signature that did not recover to an owner over the expected hash: the first
 * candidate over which it recovers to an owner names the mistake; otherwise `SIGNER_NOT_OWNER`.
 */
export async function diagnoseForeignSignature(
  sig: ParsedSignature,
  recovered: Address,
  owners: readonly Address[],
  candidates: readonly CandidateHash[],
  /** what was to be signed, for the message: "veto" of the "committee Safe" unless told */
  subject: { noun: string; safeLabel: string } = { noun: 'veto', safeLabel: 'committee Safe' },
): Promise<DeskError> {
  const ownerSet = new Set(owners.map((o) => getAddress(o)));
  for (const c of candidates) {
    const signer = await recoverSigner(c.hash, sig).catch(() => null);
    if (signer && ownerSet.has(signer)) {
      return new DeskError(c.code, `the signature is owner ${signer}'s over another transaction (${c.label}); sign this ${subject.noun}'s typed data (GET the request for it)`);
    }
  }
  return new DeskError(
    'SIGNER_NOT_OWNER',
    `the signature recovers to ${recovered}, which is not an owner of the ${subject.safeLabel} (owners: ${owners.join(', ')}); an owner's signature over a different transaction also recovers to an unknown address`,
  );
}
