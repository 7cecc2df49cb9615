/**
 * `npm run cli -- sign --desk <url> --request <id> [--key-env VAR | --keystore <file> [--password-env VAR]]`
 *
 * Fetches the request's veto from a running desk, signs its EIP-712 typed data with the owner's
 * key and submits the signature (source `cli`). The key comes from an environment variable
 * (default `SIGNER_PRIVATE_KEY`), or a v3 keystore file whose password comes from an environment
 * variable or a prompt. The key never leaves this process.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';
import { privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { readProcessEnv } from '../config/env';
import { decryptKeystore } from '../safe/keystore';
import { typedDataFromJson, type TypedDataJson } from '../safe/safeTx';

const USAGE = 'usage: npm run cli -- sign --desk <url> --request <id> [--key-env VAR | --keystore <file> [--password-env VAR]] [--yes]';

const argsSchema = z.object({
  desk: z.string().url(),
  request: z.string().regex(/^\d+$/, 'must be a decimal request id'),
  'key-env': z.string().optional(),
  keystore: z.string().optional(),
  'password-env': z.string().optional(),
});

function parseArgs(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'yes') continue;
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
    out[name] = value;
  }
  return out;
}

function prompt(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // hide what is typed: write the question, then swallow echoes
  const out = rl as unknown as { _writeToOutput?: (s: string) => void };
  let asked = false;
  out._writeToOutput = (s: string) => {
    if (!asked) process.stderr.write(s);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

async function loadKey(a: z.infer<typeof argsSchema>, env: Record<string, string | undefined>): Promise<Hex> {
  if (a.keystore) {
    const password = a['password-env'] ? env[a['password-env']] : await prompt(`password for ${a.keystore}: `);
    if (password === undefined) throw new Error(`environment variable ${a['password-env']} is not set`);
    return decryptKeystore(fs.readFileSync(a.keystore, 'utf8'), password);
  }
  const name = a['key-env'] ?? 'SIGNER_PRIVATE_KEY';
  const raw = env[name]?.trim();
  if (!raw) throw new Error(`environment variable ${name} is not set (or pass --keystore <file>)`);
  const key = (raw.startsWith('0x') ? raw : `0x${raw}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${name} is not a 32-byte hex private key`);
  return key;
}

export async function run(args: string[], io: { env?: Record<string, string | undefined>; out?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const parsed = argsSchema.safeParse(parseArgs(args));
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const a = parsed.data;
  const account = privateKeyToAccount(await loadKey(a, io.env ?? readProcessEnv()));
  const base = a.desk.replace(/\/+$/, '');
  const res = await fetch(`${base}/api/requests/${a.request}`);
  const body = (await res.json()) as { veto?: { typedData: TypedDataJson; safeTxHash: string; nonce: number; status: string }; error?: { code: string; message: string } };
  if (!res.ok) {
    process.stderr.write(`desk refused: ${body.error?.code ?? res.status} ${body.error?.message ?? ''}\n`);
    return 1;
  }
  if (!body.veto) {
    process.stderr.write(`request ${a.request} has no veto proposal (not in its veto window?)\n`);
    return 1;
  }
  const signature = await account.signTypedData(typedDataFromJson(body.veto.typedData));
  out(`signing veto of request ${a.request} as ${account.address}: Safe ${body.veto.typedData.domain.verifyingContract} nonce ${body.veto.nonce} safeTxHash ${body.veto.safeTxHash}\n`);
  const post = await fetch(`${base}/api/requests/${a.request}/veto/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature, source: 'cli' }),
  });
  const reply = (await post.json()) as { status?: string; signatures?: unknown[]; threshold?: number; error?: { code: string; message: string } };
  if (!post.ok) {
    process.stderr.write(`desk refused the signature: ${reply.error?.code ?? post.status}: ${reply.error?.message ?? ''}\n`);
    return 1;
  }
  out(`accepted: ${reply.signatures?.length ?? '?'} of ${reply.threshold ?? '?'} signatures, veto ${reply.status}\n`);
  return 0;
}
