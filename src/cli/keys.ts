/**
 * The owner's key for `sign` / `reject`: from an environment variable (default
 * `SIGNER_PRIVATE_KEY`, or `--key-env VAR`), or a v3 keystore (`--keystore file`, password from
 * `--password-env VAR` or a hidden prompt). The key never leaves this process.
 */
import fs from 'node:fs';
import type { Hex } from 'viem';
import { describeError } from '../errors';
import { decryptKeystore } from '../safe/keystore';
import type { ParsedArgs } from './args';
import { CliError } from './cliError';
import type { CliIo } from './io';

export const KEY_FLAGS = ['key-env', 'keystore', 'password-env'] as const;

export const KEY_HELP = `Key (one of):
  --key-env VAR          environment variable holding the owner's private key (default SIGNER_PRIVATE_KEY)
  --keystore FILE        a v3 keystore (geth, cast wallet, MetaMask export)
  --password-env VAR     the keystore's password from this variable (else asked, hidden)`;

export async function loadKey(p: ParsedArgs, io: CliIo): Promise<Hex> {
  const keystore = p.flags.keystore;
  if (keystore) {
    if (p.flags['key-env']) throw new CliError('USAGE', 'give --key-env or --keystore, not both');
    let json: string;
    try {
      json = fs.readFileSync(keystore, 'utf8');
    } catch (e) {
      throw new CliError('KEY_UNAVAILABLE', `cannot read keystore ${keystore}: ${describeError(e)}`);
    }
    const pwVar = p.flags['password-env'];
    const password = pwVar ? io.env[pwVar] : await io.secret(`password for ${keystore}: `);
    if (password === undefined) throw new CliError('KEY_UNAVAILABLE', `environment variable ${pwVar} is not set`);
    try {
      return decryptKeystore(json, password);
    } catch (e) {
      throw new CliError('KEY_UNAVAILABLE', `keystore ${keystore}: ${describeError(e)}`);
    }
  }
  const name = p.flags['key-env'] ?? 'SIGNER_PRIVATE_KEY';
  const raw = io.env[name]?.trim();
  if (!raw) throw new CliError('KEY_UNAVAILABLE', `environment variable ${name} is not set (or pass --keystore <file>)`);
  const key = (raw.startsWith('0x') ? raw : `0x${raw}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new CliError('KEY_UNAVAILABLE', `${name} is not a 32-byte hex private key`);
  return key;
}
