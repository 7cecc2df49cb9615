/**
 * `npm run cli -- reject --nonce N`: an owner signs the rejection at a blocked Safe nonce — the
 * Safe calling itself with nothing (to = the Safe, value 0, data 0x, CALL, every gas and refund
 * field zero). Executing it only uses up nonce N, so the vetoes with quorum waiting behind it can
 * execute. Rebuilt, checked and confirmed exactly like `sign`.
 */
import { getAddress, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { buildRejectionSafeTx, safeTxHash, safeTxTypedData, type SafeDomain } from '../safe/safeTx';
import { parseArgs } from './args';
import { CliError, EXIT } from './cliError';
import { createDeskClient, deskErrorText, expectBody, resolveDeskUrl } from './deskClient';
import { healthSchema, rejectionSchema } from './deskViews';
import type { CliIo } from './io';
import { KEY_FLAGS, KEY_HELP, loadKey } from './keys';
import { checkHash, compareTypedData } from './safeTxCheck';
import { confirmOrStop, describeChecks, describeRebuilt, DESK_HELP, proposalStateWords, refuseOnProblems, TRUST_FLAGS, TRUST_HELP, type Rebuilt } from './signing';
import { untrusted } from './text';
import { establishTrust, readPins, readRpcUrls } from './trust';

export const summary = 'sign the rejection at a blocked Safe nonce (unblocks the vetoes waiting behind it)';

export const help = `usage: npm run cli -- reject --nonce N [--yes] [key] [trust] [desk]

A Safe executes strictly by nonce: a veto without quorum at a lower nonce blocks every veto with
quorum above it (\`npm run cli -- status\` and \`plan\` show it). The rejection at that nonce is the
Safe calling itself with nothing: executing it only uses up the nonce, so the waiting vetoes
execute; the veto that was blocking is re-planned at a later nonce and needs fresh signatures.

The CLI fetches GET /api/safe/rejections/N, REBUILDS the rejection itself (to = the Safe,
value 0, data 0x, operation CALL, safeTxGas/baseGas/gasPrice 0, gasToken and refundReceiver the
zero address, nonce N), refuses on any difference (exit 4, nothing signed or sent), shows it,
asks, signs and posts it (source "cli").

  --nonce N              the blocked Safe nonce (decimal)
  --yes                  do not ask before signing

${KEY_HELP}

${TRUST_HELP}

${DESK_HELP}

Exit: 0 signed and accepted, 1 failed (desk unreachable or refused, no confirmation),
      2 usage, 4 refused to sign.`;

const SPEC = { booleans: ['yes', 'insecure-http'], values: ['nonce', 'desk', ...KEY_FLAGS, ...TRUST_FLAGS] } as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, SPEC);
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const raw = p.flags.nonce;
  if (!raw || !/^\d{1,15}$/.test(raw)) throw new CliError('USAGE', '--nonce N is required (a decimal Safe nonce)');
  const nonce = BigInt(raw);
  const pins = readPins(p, io.env);
  const rpcUrls = readRpcUrls(p, io.env);
  const desk = createDeskClient(resolveDeskUrl(p, io));

  const health = healthSchema.safeParse((await desk.get('/api/health')).body);
  const view = expectBody(await desk.get(`/api/safe/rejections/${nonce}`), rejectionSchema, `the rejection at nonce ${nonce}`, desk.url);
  const account = privateKeyToAccount(await loadKey(p, io));
  const claimedChain = health.success ? health.data.chainId : null;
  const slasherClaim = health.success && health.data.slasher ? getAddress(health.data.slasher) : null;
  const safeClaim = getAddress(view.safe);
  const rebuild = (safe: Address, domain: SafeDomain): Rebuilt => {
    const tx = buildRejectionSafeTx(safe, nonce);
    return { nonce, tx, hash: safeTxHash(domain, tx) };
  };
  const provisional = { chainId: pins.chainId?.value ?? claimedChain ?? 0, safe: pins.safe?.value ?? safeClaim };
  const trust = await establishTrust({
    purpose: 'reject',
    pins,
    rpcUrls,
    claims: { chainId: claimedChain, safe: safeClaim, slasher: slasherClaim },
    signer: account.address,
    txs: [rebuild(provisional.safe, provisional)],
  });
  const domain: SafeDomain = { chainId: trust.chainId.value, safe: trust.safe.value };
  const rebuilt = rebuild(domain.safe, domain);
  const extra = view.nonce === Number(nonce) ? [] : [{ ok: false, text: `the desk answered for nonce ${view.nonce}, not ${nonce}` }];

  const blocking = view.blocking;
  io.out(
    [
      `Sign the REJECTION at Safe nonce ${nonce}`,
      `  blocking        ${blocking ? `the veto of request #${untrusted(blocking.requestId, 80)} (${untrusted(blocking.status, 30)}, ${blocking.signatures} of ${view.threshold} signatures)` : 'no veto planned at this nonce'}`,
      `  unblocks        ${view.unblocks?.length ? view.unblocks.map((r) => `#${untrusted(r, 80)}`).join(', ') : 'no veto with quorum is waiting (the desk may refuse: REJECTION_NOT_NEEDED)'}`,
      `  rejection       ${untrusted(view.status, 30)}, ${view.signatures.filter((s) => !s.stale).length} of ${view.threshold} signatures`,
      '',
    ].join('\n') + '\n',
  );
  describeRebuilt(io, { domain, trust, txs: [rebuilt], toLabel: 'the Safe itself', dataLabel: '(empty)' });
  io.out(`Signer            ${account.address}\n\n`);
  describeChecks(io, trust, extra);
  const diffs = compareTypedData(view.typedData, domain, rebuilt.tx);
  const hash = checkHash(view.safeTxHash, domain, rebuilt.tx);
  refuseOnProblems(`rejection at nonce ${nonce}`, desk.url, diffs, { desk: view.safeTxHash, mine: hash.hash, equal: hash.equal }, trust, extra);
  io.out(`The desk's typed data equals the rebuilt rejection field by field, and its safeTxHash ${hash.hash} is the rebuilt one.\n`);

  await confirmOrStop(p, io, `Sign the rejection at nonce ${nonce} as ${account.address}?`);
  const signature = await account.signTypedData(safeTxTypedData(domain, rebuilt.tx));
  io.out(`signed the rejection at nonce ${nonce} as ${account.address}: Safe ${domain.safe} safeTxHash ${rebuilt.hash}\n`);
  const answer = await desk.post(`/api/safe/rejections/${nonce}/signatures`, { signature, source: 'cli', safeTxHash: rebuilt.hash });
  if (!answer.ok) {
    io.err(`desk refused the signature: ${deskErrorText(answer)}\n`);
    return EXIT.FAILED;
  }
  const reply = rejectionSchema.safeParse(answer.body);
  io.out(`${reply.success ? proposalStateWords({ ...reply.data, blockedByNonce: null }, 'rejection').join('\n') : 'accepted'}\n`);
  return EXIT.OK;
}
