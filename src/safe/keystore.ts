/**
 * Web3 Secret Storage (v3 keystore, as geth, Foundry `cast wallet` and MetaMask exports write it):
 * scrypt or pbkdf2 → AES-128-CTR, MAC = keccak256(derivedKey[16..32] ‖ ciphertext).
 */
import crypto from 'node:crypto';
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem';
import { z } from 'zod';

const keystoreSchema = z.object({
  version: z.literal(3),
  crypto: z.object({
    cipher: z.literal('aes-128-ctr'),
    ciphertext: z.string(),
    cipherparams: z.object({ iv: z.string() }),
    kdf: z.enum(['scrypt', 'pbkdf2']),
    kdfparams: z.object({
      dklen: z.number(),
      salt: z.string(),
      n: z.number().optional(),
      r: z.number().optional(),
      p: z.number().optional(),
      c: z.number().optional(),
      prf: z.string().optional(),
    }),
    mac: z.string(),
  }),
});

const hex = (s: string): Hex => (s.startsWith('0x') ? s : `0x${s}`) as Hex;

/** @throws Error with a short reason (bad file, wrong password) */
export function decryptKeystore(json: string, password: string): Hex {
  const parsed = keystoreSchema.safeParse(JSON.parse(json.replace(/"Crypto"/, '"crypto"')));
  if (!parsed.success) throw new Error('not a v3 keystore (aes-128-ctr, scrypt or pbkdf2)');
  const c = parsed.data.crypto;
  const k = c.kdfparams;
  const salt = Buffer.from(hexToBytes(hex(k.salt)));
  const derived =
    c.kdf === 'scrypt'
      ? crypto.scryptSync(password, salt, k.dklen, { N: k.n!, r: k.r!, p: k.p!, maxmem: 256 * k.n! * k.r! + 1024 * 1024 })
      : crypto.pbkdf2Sync(password, salt, k.c!, k.dklen, 'sha256');
  const ciphertext = hexToBytes(hex(c.ciphertext));
  const mac = keccak256(new Uint8Array([...derived.subarray(16, 32), ...ciphertext]));
  if (mac.slice(2).toLowerCase() !== c.mac.replace(/^0x/, '').toLowerCase()) throw new Error('wrong keystore password (MAC mismatch)');
  const decipher = crypto.createDecipheriv('aes-128-ctr', derived.subarray(0, 16), Buffer.from(hexToBytes(hex(c.cipherparams.iv))));
  const key = Buffer.concat([decipher.update(Buffer.from(ciphertext)), decipher.final()]);
  return bytesToHex(key);
}

/** Writes a v3 keystore (scrypt); for tests and for people preparing a key file. */
export function encryptKeystore(privateKey: Hex, password: string, params = { n: 1 << 12, r: 8, p: 1 }): string {
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const derived = crypto.scryptSync(password, salt, 32, { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r + 1024 * 1024 });
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
