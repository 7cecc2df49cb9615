/**
 * Web3 Secret Storage (v3 keystore, as geth, Foundry `cast wallet` and MetaMask exports write it):
 * scrypt or pbkdf2 (HMAC-SHA256) → AES-128-CTR, MAC = keccak256(derivedKey[16..32] ‖ ciphertext).
 *
 * A keystore file is input like any other: its KDF parameters decide how much memory and CPU
 * opening it costs, so they are checked against caps before any work, and a file that would
 * "decrypt" under any password (a derived key shorter than the MAC needs) is refused.
 */
import crypto from 'node:crypto';
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem';
import { z } from 'zod';
import { DeskError } from '../errors';

/**
 * Caps on the key derivation. geth's "standard" scrypt (n 2^18, r 8, p 1: 256 MiB, about 1 s)
 * and its pbkdf2 (c 262144) fit; anything that would take several seconds or more memory does not.
 */
export const KEYSTORE_LIMITS = {
  /** 128·n·r bytes of scrypt memory */
  scryptMaxMemoryBytes: 256 * 1024 * 1024,
  /** n·r·p, proportional to scrypt's CPU time */
  scryptMaxCost: 2 ** 22,
  pbkdf2MaxIterations: 2 ** 21,
  /** a keystore file is a few hundred bytes */
  maxJsonBytes: 64 * 1024,
} as const;

const hexString = (bytes?: { min: number; max: number }) =>
  z
    .string()
    .transform((s) => s.replace(/^0x/i, ''))
    .refine((s) => /^([0-9a-fA-F]{2})*$/.test(s), 'must be hex')
    .refine((s) => bytes === undefined || (s.length / 2 >= bytes.min && s.length / 2 <= bytes.max), bytes ? `must be ${bytes.min === bytes.max ? bytes.min : `${bytes.min} to ${bytes.max}`} bytes` : '');

const positiveInt = z.number().int().positive();

const kdfSchema = z.discriminatedUnion('kdf', [
  z.object({
    kdf: z.literal('scrypt'),
    kdfparams: z.object({ dklen: z.number(), salt: hexString({ min: 1, max: 128 }), n: positiveInt, r: positiveInt, p: positiveInt }),
  }),
  z.object({
    kdf: z.literal('pbkdf2'),
    kdfparams: z.object({ dklen: z.number(), salt: hexString({ min: 1, max: 128 }), c: positiveInt, prf: z.string().optional() }),
  }),
]);

const cryptoSchema = z
  .object({
    cipher: z.literal('aes-128-ctr'),
    ciphertext: hexString({ min: 32, max: 32 }),
    cipherparams: z.object({ iv: hexString({ min: 16, max: 16 }) }),
    mac: hexString({ min: 32, max: 32 }),
  })
  .and(kdfSchema);

const keystoreSchema = z.object({ version: z.literal(3), crypto: z.unknown().optional(), Crypto: z.unknown().optional() });

const invalid = (why: string) => new DeskError('KEYSTORE_INVALID', `not a usable v3 keystore: ${why}`);

/** Checks the KDF's work and output size before any is done. */
function checkKdf(k: z.infer<typeof kdfSchema>): void {
  if (k.kdfparams.dklen !== 32) {
    // with a shorter key the MAC covers nothing and any password "decrypts" to garbage
    throw invalid(`kdfparams.dklen must be 32 (got ${k.kdfparams.dklen})`);
  }
  if (k.kdf === 'scrypt') {
    const { n, r, p } = k.kdfparams;
    if (n < 2 || (n & (n - 1)) !== 0) throw invalid(`scrypt n must be a power of two (got ${n})`);
    // RFC 7914: n < 2^(128·r/8); OpenSSL refuses anything else, so say why in words
    if (Math.log2(n) >= 16 * r) throw invalid(`scrypt n must be below 2^(16·r) (RFC 7914); got n ${n} with r ${r}`);
    if (128 * n * r > KEYSTORE_LIMITS.scryptMaxMemoryBytes) {
      throw invalid(`scrypt n·r needs ${Math.round((128 * n * r) / 2 ** 20)} MiB, more than the ${KEYSTORE_LIMITS.scryptMaxMemoryBytes / 2 ** 20} MiB this desk allows (n ${n}, r ${r})`);
    }
    if (n * r * p > KEYSTORE_LIMITS.scryptMaxCost) throw invalid(`scrypt work n·r·p = ${n * r * p} is above the cap of ${KEYSTORE_LIMITS.scryptMaxCost} (n ${n}, r ${r}, p ${p})`);
    return;
  }
  const { c, prf } = k.kdfparams;
  if (prf !== 'hmac-sha256') throw invalid(`pbkdf2 prf must be hmac-sha256 (got ${prf === undefined ? 'none' : JSON.stringify(prf.slice(0, 40))})`);
  if (c > KEYSTORE_LIMITS.pbkdf2MaxIterations) throw invalid(`pbkdf2 c = ${c} iterations is above the cap of ${KEYSTORE_LIMITS.pbkdf2MaxIterations}`);
}

function deriveKey(k: z.infer<typeof kdfSchema>, password: string): Buffer {
  const salt = Buffer.from(k.kdfparams.salt, 'hex');
  if (k.kdf === 'scrypt') {
    const { n, r, p } = k.kdfparams;
    return crypto.scryptSync(password, salt, 32, { N: n, r, p, maxmem: 128 * n * r + 16 * 1024 * 1024 });
  }
  return crypto.pbkdf2Sync(password, salt, k.kdfparams.c, 32, 'sha256');
}

/**
 * The private key in a v3 keystore.
 *
 * @throws DeskError `KEYSTORE_INVALID` (not a v3 keystore, a parameter out of range or above the
 * caps) or `KEYSTORE_PASSWORD_WRONG` (the MAC does not match: wrong password or a damaged file).
 * @example
 * const key = decryptKeystore(fs.readFileSync('key.json', 'utf8'), password);
 */
export function decryptKeystore(json: string, password: string): Hex {
  if (json.length > KEYSTORE_LIMITS.maxJsonBytes) throw invalid(`the file is larger than ${KEYSTORE_LIMITS.maxJsonBytes / 1024} kB`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid('the file is not JSON');
  }
  const outer = keystoreSchema.safeParse(raw);
  if (!outer.success) throw invalid('version must be 3');
  const parsed = cryptoSchema.safeParse(outer.data.crypto ?? outer.data.Crypto);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`crypto.${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is malformed'} (aes-128-ctr with scrypt or pbkdf2 expected)`);
  }
  const c = parsed.data;
  checkKdf(c);
  const derived = deriveKey(c, password);
  const ciphertext = Buffer.from(c.ciphertext, 'hex');
  const mac = Buffer.from(hexToBytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]))));
  if (!crypto.timingSafeEqual(mac, Buffer.from(c.mac, 'hex'))) throw new DeskError('KEYSTORE_PASSWORD_WRONG', 'wrong keystore password (MAC mismatch), or the file is damaged');
  const decipher = crypto.createDecipheriv('aes-128-ctr', derived.subarray(0, 16), Buffer.from(c.cipherparams.iv, 'hex'));
  return bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

/** Writes a v3 keystore (scrypt); for tests and for people preparing a key file. */
export function encryptKeystore(privateKey: Hex, password: string, params = { n: 1 << 12, r: 8, p: 1 }): string {
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const derived = crypto.scryptSync(password, salt, 32, { N: params.n, r: params.r, p: params.p, maxmem: 128 * params.n * params.r + 16 * 1024 * 1024 });
  const cipher = crypto.createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(hexToBytes(privateKey))), cipher.final()]);
  const mac = keccak256(new Uint8Array([...derived.subarray(16, 32), ...ciphertext]));
  return JSON.stringify({
    version: 3,
    id: crypto.randomUUID(),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: ciphertext.toString('hex'),
      cipherparams: { iv: iv.toString('hex') },
      kdf: 'scrypt',
      kdfparams: { dklen: 32, salt: salt.toString('hex'), n: params.n, r: params.r, p: params.p },
      mac: mac.slice(2),
    },
  });
}
