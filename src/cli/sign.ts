/**
 * `npm run cli -- sign --desk <url> --request <id> [--fulfil] [--key-env VAR | --keystore <file> [--password-env VAR]]`
 *
 * Fetches the request's veto (or, with `--fulfil`, governance's fulfil Safe transaction) from a
 * running desk, signs its EIP-712 typed data with the owner's key and submits the signature
 * (source `cli`). The key comes from an environment variable
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

const USAGE = 'usage: npm run cli -- sign --desk <url> --request <id> [--fulfil] [--key-env VAR | --keystore <file> [--password-env VAR]] [--yes]';

/** Flags without a value. */
const FLAGS = new Set(['yes', 'fulfil']);

const argsSchema = z.object({
  desk: z.string().url(),
  request: z.string().regex(/^\d+$/, 'must be a decimal request id'),
  'key-env': z.string().optional(),
  keystore: z.string().optional(),
  'password-env': z.string().optional(),
  fulfil: z.literal('true').optional(),
  yes: z.literal('true').optional(),
});

function parseArgs(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (FLAGS.has(name)) {
      if (inline !== undefined) throw new Error(`--${name} takes no value\n${USAGE}`);
      out[name] = 'true';
      continue;
    }
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
  const what = a.fulfil ? 'fulfil' : 'veto';
  const res = await fetch(`${base}/api/requests/${a.request}`);
  type Proposal = { typedData: TypedDataJson; safeTxHash: string; nonce: number; status: string };
  const body = (await res.json()) as { veto?: Proposal; fulfil?: Proposal; error?: { code: string; message: string } };
  if (!res.ok) {
    process.stderr.write(`desk refused: ${body.error?.code ?? res.status} ${body.error?.message ?? ''}\n`);
    return 1;
  }
  const proposal = a.fulfil ? body.fulfil : body.veto;
  if (!proposal) {
    process.stderr.write(
      a.fulfil
        ? `request ${a.request} has no fulfil proposal (is the slasher role a Safe, and the request in its window or fulfillable?)\n`
        : `request ${a.request} has no veto proposal (not in its veto window?)\n`,
    );
    return 1;
  }
  const signature = await account.signTypedData(typedDataFromJson(proposal.typedData));
  out(`signing ${what} of request ${a.request} as ${account.address}: Safe ${proposal.typedData.domain.verifyingContract} nonce ${proposal.nonce} safeTxHash ${proposal.safeTxHash}\n`);
  const post = await fetch(`${base}/api/requests/${a.request}/${what}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature, source: 'cli' }),
  });
  const reply = (await post.json()) as { status?: string; signatures?: unknown[]; threshold?: number; error?: { code: string; message: string } };
  if (!post.ok) {
    process.stderr.write(`desk refused the signature: ${reply.error?.code ?? post.status}: ${reply.error?.message ?? ''}\n`);
    return 1;
  }
  out(`accepted: ${reply.signatures?.length ?? '?'} of ${reply.threshold ?? '?'} signatures, ${what} ${reply.status}\n`);
  return 0;
}
