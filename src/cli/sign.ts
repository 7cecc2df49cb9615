/**
 * `npm run cli -- sign --request <id> [--fulfil] …`: an owner signs a request's veto (or
 * governance's fulfil) without trusting the desk. The CLI rebuilds the Safe transaction itself
 * from (chain id, Safe, slasher, request id, purpose, nonce) — `to` = slasher, value 0,
 * `cancelSlashingRequest(id)` (or the fulfil call), CALL, every gas and refund field zero — and
 * refuses when the desk's typed data or safeTxHash differs in anything. It signs its own
 * rebuilt typed data, never the desk's.
 */
import { getAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { buildCallSafeTx, fulfilCallData, safeTxHash, safeTxTypedData, vetoCallData, type FulfilFunction, type SafeDomain } from '../safe/safeTx';
import { parseArgs, type ParsedArgs } from './args';
import { CliError, EXIT } from './cliError';
import { createDeskClient, deskErrorText, expectBody, resolveDeskUrl, type DeskClient } from './deskClient';
import { healthSchema, proposalSchema, requestSchema, type ProposalAnswer, type RequestAnswer } from './deskViews';
import { completeIo, type CliIo } from './io';
import { KEY_FLAGS, KEY_HELP, loadKey } from './keys';
import { compareTypedData, checkHash } from './safeTxCheck';
import { confirmOrStop, describeChecks, describeRebuilt, DESK_HELP, proposalStateWords, refuseOnProblems, TRUST_FLAGS, TRUST_HELP, validSignatures, type Rebuilt } from './signing';
import { untrusted, wadPercent, blockWords, when } from './text';
import { establishTrust, readPins, readRpcUrls, type Trust } from './trust';

export const summary = "sign a request's veto (or fulfil) after rebuilding and checking it, and post the signature";

export const help = `usage: npm run cli -- sign --request <id> [--fulfil] [--nonces N] [--yes] [key] [trust] [desk]

Signs the committee's veto of a slashing request (with --fulfil: governance's fulfil) and posts
the signature to the desk (source "cli"). The CLI fetches the request from the desk, REBUILDS the
Safe transaction itself (to = slasher, value 0, data = cancelSlashingRequest(id) — fulfil:
fulfillSlashingRequest(id), or on V4 fulfillSlashingRequestAndBurnOrRedistribute(id) when the
desk plans that — operation CALL, safeTxGas/baseGas/gasPrice 0, gasToken and refundReceiver
the zero address, at the desk's nonce) and refuses, signing and posting nothing (exit 4), when
the desk's typed data differs in any field or its safeTxHash differs from the rebuilt one. It
shows what is signed and asks before signing.

  --request ID           the slashing request id (decimal)
  --fulfil               sign governance's fulfil instead of the committee's veto
  --nonces N             1-5 (default 1): also sign the same veto at the next N-1 Safe nonces,
                         each rebuilt and shown, each posted with its own safeTxHash.
                         Trade-off: if the desk has to move the veto to another nonce (a lower
                         one executed, a re-plan) no new signing round is needed. But a
                         signature at a nonce can be executed by anyone once the threshold is
                         met there: it can only cancel this same request, yet it spends that
                         nonce, so whatever else the Safe planned there must be signed again.
                         (Veto only; a desk that does not take them yet answers 4xx, reported
                         per nonce, without failing the command.)
  --yes                  do not ask before signing

${KEY_HELP}

${TRUST_HELP}

${DESK_HELP}

Exit: 0 signed and accepted, 1 failed (desk unreachable or refused, no confirmation),
      2 usage, 4 refused to sign (a difference or a failed check; nothing signed or sent).`;

const SPEC = {
  booleans: ['fulfil', 'yes', 'insecure-http'],
  values: ['request', 'nonces', 'desk', ...KEY_FLAGS, ...TRUST_FLAGS],
} as const;

const V4_FUNCTION: FulfilFunction = 'fulfillSlashingRequestAndBurnOrRedistribute';

export async function run(args: string[], partialIo: Partial<CliIo> = {}): Promise<number> {
  const io = completeIo(partialIo);
  const p = parseArgs(args, SPEC);
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const request = p.flags.request;
  if (!request || !/^\d{1,78}$/.test(request)) throw new CliError('USAGE', '--request <id> is required (a decimal request id)');
  const nonces = p.flags.nonces === undefined ? 1 : Number(p.flags.nonces);
  if (!Number.isInteger(nonces) || nonces < 1 || nonces > 5) throw new CliError('USAGE', '--nonces must be an integer from 1 to 5');
  const purpose = p.bools.has('fulfil') ? 'fulfil' : 'veto';
  if (purpose === 'fulfil' && nonces > 1) throw new CliError('USAGE', '--nonces is for vetoes only');
  const pins = readPins(p, io.env);
  const rpcUrls = readRpcUrls(p, io.env);
  const desk = createDeskClient(resolveDeskUrl(p, io));
  const id = BigInt(request);

  const health = await desk.get('/api/health');
  const h = healthSchema.safeParse(health.body);
  const req = expectBody(await desk.get(`/api/requests/${id}`), requestSchema, `request ${id}`, desk.url);
  const proposal = purpose === 'veto' ? req.veto : req.fulfil;
  if (!proposal) {
    throw new CliError(
      'DESK_REFUSED',
      purpose === 'fulfil'
        ? `the desk has no fulfil Safe transaction for request ${id} (is the slasher role a Safe, and the request in its window or fulfillable? status: ${untrusted(req.status, 40)})`
        : `the desk has no veto for request ${id} (status: ${untrusted(req.status, 40)}; a veto is planned only while the request is in its veto window)`,
    );
  }

  const account = privateKeyToAccount(await loadKey(p, io));
  const nonce = BigInt(proposal.nonce);
  const claimedChain = h.success && h.data.chainId !== null ? h.data.chainId : null;
  const slasherClaim = getAddress(req.slasher);
  const safeClaim = getAddress(proposal.safe);
  // the slasher and Safe the transaction is built from: settled by the trust step below
  const pre = { slasher: pins.slasher?.value ?? slasherClaim, safe: pins.safe?.value ?? safeClaim };
  const data = chooseData(purpose, id, proposal, req.variant);
  const build = (slasher: Address, n: bigint) => buildCallSafeTx(slasher, data.data, n);
  const pendingTxs = (slasher: Address, domain: SafeDomain): Rebuilt[] =>
    Array.from({ length: nonces }, (_, k) => {
      const tx = build(slasher, nonce + BigInt(k));
      return { nonce: tx.nonce, tx, hash: safeTxHash(domain, tx) };
    });
  const provisionalDomain: SafeDomain = { chainId: pins.chainId?.value ?? claimedChain ?? 0, safe: pre.safe };
  const trust = await establishTrust({
    purpose,
    pins,
    rpcUrls,
    claims: { chainId: claimedChain, safe: safeClaim, slasher: slasherClaim, variant: req.variant },
    signer: account.address,
    txs: pendingTxs(pre.slasher, provisionalDomain),
    request: { id, desk: { operator: req.operator, strategies: req.strategies, wadsToSlash: req.wadsToSlash, description: req.description } },
  });
  const domain: SafeDomain = { chainId: trust.chainId.value, safe: trust.safe.value };
  const txs = pendingTxs(trust.slasher.value, domain);

  const extraChecks: { ok: boolean; text: string }[] = [];
  if (data.fn === V4_FUNCTION && trust.variant !== null && trust.variant !== 'V4') extraChecks.push({ ok: false, text: `the desk plans ${V4_FUNCTION}, which only V4 slashers have; this slasher is ${trust.variant}` });
  if (proposal.nonce !== Number(txs[0]!.nonce)) extraChecks.push({ ok: false, text: 'the desk\'s nonce field disagrees with its typed data' });

  describeRequest(io, req, proposal, trust, purpose);
  describeRebuilt(io, { domain, trust, txs, toLabel: `the slasher, ${trust.slasher.source}`, dataLabel: `${data.fn}(${id})` });
  io.out(`Signer            ${account.address}\n\n`);
  describeChecks(io, trust, extraChecks);

  const diffs = compareTypedData(proposal.typedData, domain, txs[0]!.tx);
  const hash = checkHash(proposal.safeTxHash, domain, txs[0]!.tx);
  refuseOnProblems(`${purpose} of request ${id} at nonce ${nonce}`, desk.url, diffs, { desk: proposal.safeTxHash, mine: hash.hash, equal: hash.equal }, trust, extraChecks);
  io.out(`The desk's typed data equals the rebuilt transaction field by field, and its safeTxHash ${hash.hash} is the rebuilt one.\n`);

  await confirmOrStop(p, io, `Sign the ${purpose} of request ${id} at nonce ${nonce}${nonces > 1 ? ` (and nonces ${nonce + 1n}-${nonce + BigInt(nonces - 1)})` : ''} as ${account.address}?`);
  const signed: { nonce: bigint; hash: Hex; signature: Hex }[] = [];
  for (const t of txs) signed.push({ nonce: t.nonce, hash: t.hash, signature: await account.signTypedData(safeTxTypedData(domain, t.tx)) });

  const path = `/api/requests/${id}/${purpose}/signatures`;
  const [primary, ...extras] = signed;
  io.out(`signing ${purpose} of request ${id} as ${account.address}: Safe ${domain.safe} nonce ${primary!.nonce} safeTxHash ${primary!.hash}\n`);
  const answer = await desk.post(path, { signature: primary!.signature, source: 'cli', safeTxHash: primary!.hash });
  if (!answer.ok) {
    io.err(`desk refused the signature: ${deskErrorText(answer)}\n`);
    return EXIT.FAILED;
  }
  const reply = proposalSchema.safeParse(answer.body);
  const state = reply.success ? await settledState(desk, id, purpose, reply.data) : null;
  io.out(`${state ? proposalStateWords(state, purpose).join('\n') : 'accepted (the desk\'s answer could not be read)'}\n`);
  for (const x of extras) {
    const a = await desk.post(path, { signature: x.signature, source: 'cli', safeTxHash: x.hash });
    io.out(a.ok ? `nonce ${x.nonce}: accepted (safeTxHash ${x.hash})\n` : `nonce ${x.nonce}: the desk did not take it: ${deskErrorText(a)} (not stored; safeTxHash ${x.hash})\n`);
  }
  return EXIT.OK;
}

/**
 * The calldata the CLI will accept for this purpose. A fulfil may use V4's burn-or-redistribute
 * call when the desk plans it and says the slasher is V4 (checked on chain with an RPC).
 */
function chooseData(purpose: 'veto' | 'fulfil', id: bigint, proposal: ProposalAnswer, variant: string): { fn: string; data: Hex } {
  if (purpose === 'veto') return { fn: 'cancelSlashingRequest', data: vetoCallData(id) };
  const plain = fulfilCallData('fulfillSlashingRequest', id);
  const v4 = fulfilCallData(V4_FUNCTION, id);
  const deskData = (proposal.typedData as { message?: { data?: unknown } } | null)?.message?.data;
  if (variant === 'V4' && typeof deskData === 'string' && deskData.toLowerCase() === v4.toLowerCase()) return { fn: V4_FUNCTION, data: v4 };
  return { fn: 'fulfillSlashingRequest', data: plain };
}

function describeRequest(io: CliIo, req: RequestAnswer, proposal: ProposalAnswer, trust: Trust, purpose: 'veto' | 'fulfil'): void {
  const now = Date.now();
  const onChain = trust.request;
  const src = onChain ? 'as read on chain' : "as the desk says (NOT VERIFIED: give --rpc-url to read it on chain)";
  const operator = onChain?.operator ?? untrusted(req.operator, 60);
  const strategies = onChain?.strategies ?? req.strategies ?? [];
  const wads = onChain ? onChain.wadsToSlash.map(String) : req.wadsToSlash;
  const description = onChain?.description ?? req.description;
  const head = trust.headBlock !== null ? Number(trust.headBlock) : null;
  const lines = [
    `Sign the ${purpose === 'veto' ? 'VETO (cancelSlashingRequest)' : "governance's FULFIL"} of request #${untrusted(req.requestId, 80)}   (${src})`,
    `  operator        ${operator}   (operator set ${onChain?.operatorSetId ?? req.operatorSetId})`,
    ...(wads.length ? wads.map((w, i) => `  ${i === 0 ? 'slashes' : ''}`.padEnd(18) + `${wadPercent(w)} of strategy ${strategies[i] ? untrusted(strategies[i], 60) : '(not read yet)'}`) : ['  slashes         (no strategies)']),
    `  description     "${untrusted(description, 300)}"`,
  ];
  const w = req.vetoWindowEnd;
  const windowEnd =
    onChain && trust.window?.kind === 'blocks' ? blockWords(Number(onChain.requestBlockOrTimestamp) + trust.window.blocks, head) + ' (on chain)' : w.block !== undefined ? blockWords(w.block, head) : w.timestamp !== undefined ? `unix time ${w.timestamp}` : 'unknown';
  lines.push(`  veto window     ends at ${windowEnd}, ${when(w.estimatedAt, w.estimated ?? true, now)}`);
  lines.push(
    `  last useful     ${req.lastUsefulBlock === null ? 'unbounded (no stake deadline known)' : `${blockWords(req.lastUsefulBlock, head)}, ${when(req.lastUsefulBlockEstimatedAt, true, now)}`}${req.atRisk ? '   AT RISK: the slash cannot land before the stake can leave' : ''}`,
  );
  lines.push(`  desk status     ${untrusted(req.status, 40)}; ${purpose} ${untrusted(proposal.status, 40)} with ${validSignatures(proposal)} of ${proposal.threshold} signatures`, '');
  io.out(lines.join('\n') + '\n');
}

/**
 * The proposal's state after a signature. The desk answers with the state before its next pass
 * (a veto that just met its threshold still says `collecting`): read it again until it moves.
 */
async function settledState(desk: DeskClient, id: bigint, purpose: 'veto' | 'fulfil', reply: ProposalAnswer): Promise<ProposalAnswer> {
  if (!(reply.status === 'collecting' && validSignatures(reply) >= reply.threshold)) return reply;
  let last = reply;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const a = await desk.get(`/api/requests/${id}`).catch(() => null);
    const r = a?.ok ? requestSchema.safeParse(a.body) : null;
    const v = r?.success ? (purpose === 'veto' ? r.data.veto : r.data.fulfil) : undefined;
    if (v) last = v;
    if (v && v.status !== 'collecting') return v;
  }
  return last;
}
