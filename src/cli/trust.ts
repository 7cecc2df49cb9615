/**
 * What the CLI trusts when it signs: the chain id, the Safe and the slasher. Each comes from a
 * pin (`--chain-id` / `VETO_DESK_CHAIN_ID`, `--safe` / `VETO_DESK_SAFE`, `--slasher` /
 * `VETO_DESK_SLASHER`), from the chain (with `--rpc-url` / `RPC_URL`), or — failing both — from
 * the desk, and then it is shown as not verified. With an RPC the CLI also checks the slasher
 * names the Safe (`vetoCommittee()` for a veto, `slasher()` for a fulfil), the Safe's nonce, that
 * the signer is an owner, the Safe's own `getTransactionHash`, and the request itself.
 */
import { getAddress, isAddress, type Address, type Hex, type PublicClient } from 'viem';
import { createChainClient } from '../chain/client';
import { slasherAbi, decodeOnchainStatus } from '../chain/abis';
import { readSlasherFacts, type SlasherFacts } from '../chain/slasherFacts';
import { redactUrl } from '../lib/redact';
import { safeAbi, type SafeTx } from '../safe/safeTx';
import { flagOrEnv, type ParsedArgs } from './args';
import { CliError } from './cliError';
import { failure, untrusted } from './text';

export interface Anchored<T> {
  value: T;
  /** where the value comes from, in words: `pinned by --safe`, `on chain: slasher.vetoCommittee()`, `the desk's word (not verified)` */
  source: string;
  verified: boolean;
}

export interface Pins {
  chainId?: Anchored<number>;
  safe?: Anchored<Address>;
  slasher?: Anchored<Address>;
}

/** Pins from flags, then env. @throws CliError USAGE on a malformed value */
export function readPins(p: ParsedArgs, env: Record<string, string | undefined>): Pins {
  const pins: Pins = {};
  const c = flagOrEnv(p, 'chain-id', env, 'VETO_DESK_CHAIN_ID');
  if (c) {
    if (!/^\d{1,15}$/.test(c.value) || Number(c.value) === 0) throw new CliError('USAGE', `${c.from}: must be a positive decimal chain id, got ${JSON.stringify(c.value.slice(0, 40))}`);
    pins.chainId = { value: Number(c.value), source: `pinned by ${c.from}`, verified: true };
  }
  for (const [key, flag, variable] of [['safe', 'safe', 'VETO_DESK_SAFE'], ['slasher', 'slasher', 'VETO_DESK_SLASHER']] as const) {
    const v = flagOrEnv(p, flag, env, variable);
    if (!v) continue;
    if (!isAddress(v.value, { strict: false })) throw new CliError('USAGE', `${v.from}: not an address: ${JSON.stringify(v.value.slice(0, 60))}`);
    pins[key] = { value: getAddress(v.value), source: `pinned by ${v.from}`, verified: true };
  }
  return pins;
}

/** RPC endpoints from `--rpc-url`, else `RPC_URL` (comma-separated, like the desk's). */
export function readRpcUrls(p: ParsedArgs, env: Record<string, string | undefined>): string[] {
  const v = flagOrEnv(p, 'rpc-url', env, 'RPC_URL');
  if (!v) return [];
  const urls = v.value.split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    if (!/^(https?|wss?):\/\/[^/]/.test(u)) throw new CliError('USAGE', `${v.from}: not an http(s):// or ws(s):// URL: ${redactUrl(u)}`);
  }
  return urls;
}

export type Purpose = 'veto' | 'fulfil' | 'reject';

export interface TrustInput {
  purpose: Purpose;
  pins: Pins;
  rpcUrls: string[];
  /** what the desk says (never trusted on its own) */
  claims: { chainId: number | null; safe: Address | null; slasher: Address | null; variant?: string };
  signer: Address;
  /** the transactions to sign (first is the desk's nonce) */
  txs: { tx: SafeTx; hash: Hex }[];
  /** veto / fulfil: the request, and what the desk says it is */
  request?: { id: bigint; desk: { operator: string; strategies: string[] | null; wadsToSlash: string[]; description: string } };
}

export interface OnchainRequest {
  operator: Address;
  operatorSetId: number;
  strategies: Address[];
  wadsToSlash: bigint[];
  description: string;
  requestBlockOrTimestamp: bigint;
  status: string;
}

export interface Trust {
  chainId: Anchored<number>;
  safe: Anchored<Address>;
  slasher: Anchored<Address>;
  /** on-chain variant and veto window when read */
  variant: string | null;
  window: SlasherFacts['window'] | null;
  /** the chain's head when read */
  headBlock: bigint | null;
  /** one line per check made: ok, or why not */
  checks: { ok: boolean; text: string }[];
  /** what could not be checked */
  unverified: string[];
  safeState: { nonce: bigint; owners: Address[]; threshold: bigint } | null;
  request: OnchainRequest | null;
}

const ROLE: Record<Purpose, { fn: 'vetoCommittee' | 'slasher'; field: 'vetoCommittee' | 'slasherRole' }> = {
  veto: { fn: 'vetoCommittee', field: 'vetoCommittee' },
  reject: { fn: 'vetoCommittee', field: 'vetoCommittee' },
  fulfil: { fn: 'slasher', field: 'slasherRole' },
};

function anchorFrom<T>(pin: Anchored<T> | undefined, claim: T | null): Anchored<T> | null {
  if (pin) return pin;
  if (claim === null) return null;
  return { value: claim, source: `the desk's word (not verified)`, verified: false };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Settles the chain id, Safe and slasher and runs every check it can. Failed checks are listed
 * in `checks` with ok false; the caller refuses to sign on any.
 *
 * @throws CliError REFUSED_TO_SIGN when a value is neither pinned nor given by the desk
 */
export async function establishTrust(t: TrustInput): Promise<Trust> {
  const checks: Trust['checks'] = [];
  const unverified: string[] = [];
  const role = ROLE[t.purpose];

  // a pin the desk contradicts: the desk is on another chain / Safe / slasher than the signer means
  const contradict = (what: string, pin: Anchored<unknown> | undefined, claim: unknown) => {
    if (pin && claim !== null && claim !== undefined && !same(String(pin.value), String(claim))) {
      checks.push({ ok: false, text: `${what}: the desk says ${untrusted(String(claim), 60)}, ${pin.source} says ${String(pin.value)}` });
    } else if (pin && claim !== null && claim !== undefined) {
      checks.push({ ok: true, text: `${what} ${String(pin.value)} (${pin.source}) is the desk's` });
    }
  };
  contradict('chain id', t.pins.chainId, t.claims.chainId);
  contradict('Safe', t.pins.safe, t.claims.safe);
  contradict('slasher', t.pins.slasher, t.claims.slasher);

  let chainId = anchorFrom(t.pins.chainId, t.claims.chainId);
  let safe = anchorFrom(t.pins.safe, t.claims.safe);
  const slasher = anchorFrom(t.pins.slasher, t.claims.slasher);
  if (!chainId) throw new CliError('REFUSED_TO_SIGN', 'no chain id: the desk did not say one (it may be starting); pass --chain-id or --rpc-url');
  if (!safe) throw new CliError('REFUSED_TO_SIGN', 'no Safe: the desk did not say one; pass --safe or --rpc-url with --slasher');
  if (!slasher) throw new CliError('REFUSED_TO_SIGN', 'no slasher: the desk did not say one; pass --slasher');

  let variant: string | null = null;
  let window: Trust['window'] = null;
  let headBlock: bigint | null = null;
  let safeState: Trust['safeState'] = null;
  let request: OnchainRequest | null = null;

  if (t.rpcUrls.length === 0) {
    if (!chainId.verified) unverified.push('the chain id (the desk\'s word; pin it with --chain-id or check it with --rpc-url)');
    if (!safe.verified) unverified.push(`that ${safe.value} is the Safe you sign for (pin it with --safe, or give --rpc-url)`);
    if (!slasher.verified) unverified.push(`that ${slasher.value} is the slasher (pin it with --slasher)`);
    unverified.push(`that the slasher's ${role.fn}() is this Safe, the Safe's current nonce, and that ${t.signer} is an owner (give --rpc-url)`);
    if (t.request) unverified.push('the request\'s operator, amounts and description (shown as the desk says them; give --rpc-url to read them on chain)');
    return { chainId, safe, slasher, variant, window, headBlock, checks, unverified, safeState, request };
  }

  const shown = t.rpcUrls.map(redactUrl).join(', ');
  const chain = createChainClient({ rpcUrls: t.rpcUrls, timeoutMs: 10_000 });
  try {
    const client = chain.client;
    let rpcChainId: number;
    try {
      rpcChainId = await client.getChainId();
    } catch (e) {
      throw new CliError('RPC_FAILED', `the RPC ${shown} did not answer eth_chainId: ${failure(e)}`, { cause: e });
    }
    if (rpcChainId !== chainId.value) {
      checks.push({ ok: false, text: `chain id: the RPC ${shown} is on chain ${rpcChainId}, ${chainId.verified ? chainId.source : 'the desk says'} ${chainId.value}` });
    } else {
      checks.push({ ok: true, text: `chain id ${rpcChainId}: eth_chainId of ${shown} agrees` });
      if (!chainId.verified) chainId = { value: rpcChainId, source: `eth_chainId of ${shown}`, verified: true };
    }

    let facts: SlasherFacts | null = null;
    try {
      facts = await readSlasherFacts(client, slasher.value);
      variant = facts.variant;
      window = facts.window;
      headBlock = await client.getBlockNumber({ cacheTime: 0 }).catch(() => null);
      checks.push({ ok: true, text: `slasher ${slasher.value} is a VetoableSlasher (${facts.variant}) on this chain` });
    } catch (e) {
      checks.push({ ok: false, text: `slasher ${slasher.value}: ${failure(e)}` });
    }
    if (facts) {
      const onChainSafe = facts[role.field];
      if (!same(onChainSafe, safe.value)) {
        checks.push({ ok: false, text: `the slasher's ${role.fn}() is ${onChainSafe}, not ${safe.value} (${safe.source})` });
      } else {
        checks.push({ ok: true, text: `the slasher's ${role.fn}() is the Safe ${safe.value}` });
        if (!safe.verified) safe = { value: safe.value, source: `on chain: slasher.${role.fn}()`, verified: true };
      }
      if (!slasher.verified) unverified.push(`that ${slasher.value} is the slasher you mean (the desk's word; pin it with --slasher / VETO_DESK_SLASHER)`);
    }

    safeState = await readSafe(client, safe.value).catch((e: unknown) => {
      checks.push({ ok: false, text: `Safe ${safe!.value}: cannot read owners/threshold/nonce (${failure(e)}): not a Safe on this chain?` });
      return null;
    });
    if (safeState) {
      const first = t.txs[0]!.tx.nonce;
      if (first < safeState.nonce) checks.push({ ok: false, text: `nonce ${first} is already used: the Safe is at nonce ${safeState.nonce}` });
      else checks.push({ ok: true, text: `the Safe is at nonce ${safeState.nonce} (≤ ${first})` });
      if (safeState.owners.some((o) => same(o, t.signer))) checks.push({ ok: true, text: `${t.signer} is an owner (${safeState.threshold} of ${safeState.owners.length})` });
      else checks.push({ ok: false, text: `${t.signer} is not an owner of ${safe.value} (owners: ${safeState.owners.join(', ')})` });
      for (const { tx, hash } of t.txs) {
        const onChain = await client
          .readContract({ address: safe.value, abi: safeAbi, functionName: 'getTransactionHash', args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce] })
          .catch((e: unknown) => e as Error);
        if (onChain instanceof Error) checks.push({ ok: false, text: `the Safe's getTransactionHash at nonce ${tx.nonce} failed: ${failure(onChain)}` });
        else if (!same(onChain, hash)) checks.push({ ok: false, text: `the Safe's own getTransactionHash at nonce ${tx.nonce} is ${onChain}, the CLI computed ${hash}` });
        else checks.push({ ok: true, text: `the Safe's own getTransactionHash at nonce ${tx.nonce} equals ${hash}` });
      }
    }

    if (t.request && facts) {
      request = await readRequest(client, slasher.value, t.request.id, facts, t.claims.variant).catch((e: unknown) => {
        checks.push({ ok: false, text: `request ${t.request!.id}: cannot read it on chain (${failure(e)})` });
        return null;
      });
      if (request) checkRequest(t.request.id, request, t.request.desk, checks);
    }
  } finally {
    await chain.close();
  }
  return { chainId, safe, slasher, variant, window, headBlock, checks, unverified, safeState, request };
}

async function readSafe(client: PublicClient, safe: Address) {
  const [owners, threshold, nonce] = await Promise.all([
    client.readContract({ address: safe, abi: safeAbi, functionName: 'getOwners' }),
    client.readContract({ address: safe, abi: safeAbi, functionName: 'getThreshold' }),
    client.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' }),
  ]);
  return { owners: owners.map((o) => getAddress(o)), threshold, nonce };
}

async function readRequest(client: PublicClient, slasher: Address, id: bigint, facts: SlasherFacts, deskVariant: string | undefined): Promise<OnchainRequest> {
  const [params, at, rawStatus] = await client.readContract({ address: slasher, abi: slasherAbi, functionName: 'slashingRequests', args: [id] });
  // V1 and V2 answer the same getters but number their status enum differently: the first log
  // settles it, which only the desk has read
  const variant = facts.variant !== 'V1|V2' ? facts.variant : deskVariant === 'V1' || deskVariant === 'V2' ? deskVariant : null;
  return {
    operator: getAddress(params.operator),
    operatorSetId: params.operatorSetId,
    strategies: params.strategies.map((s) => getAddress(s)),
    wadsToSlash: [...params.wadsToSlash],
    description: params.description,
    requestBlockOrTimestamp: at,
    status: at === 0n ? 'none' : variant ? decodeOnchainStatus(variant, rawStatus) : `raw status ${rawStatus} (V1 or V2: layout unknown)`,
  };
}

function checkRequest(id: bigint, r: OnchainRequest, desk: NonNullable<TrustInput['request']>['desk'], checks: Trust['checks']): void {
  if (r.status === 'none') {
    checks.push({ ok: false, text: `request ${id} does not exist on chain` });
    return;
  }
  if (r.status === 'requested') checks.push({ ok: true, text: `request ${id} is pending on chain (status Requested)` });
  else if (r.status === 'cancelled' || r.status === 'completed') checks.push({ ok: false, text: `request ${id} is already ${r.status} on chain` });
  const off: string[] = [];
  if (!same(r.operator, desk.operator)) off.push(`operator (chain ${r.operator}, desk ${untrusted(desk.operator, 60)})`);
  if (desk.strategies && (desk.strategies.length !== r.strategies.length || desk.strategies.some((s, i) => !same(s, r.strategies[i]!)))) off.push('strategies');
  if (desk.wadsToSlash.length !== r.wadsToSlash.length || desk.wadsToSlash.some((w, i) => w !== r.wadsToSlash[i]!.toString())) off.push('amounts (wadsToSlash)');
  if (desk.description !== r.description) off.push('description');
  if (off.length) checks.push({ ok: false, text: `the desk's account of request ${id} differs from the chain's: ${off.join(', ')}` });
  else checks.push({ ok: true, text: `the desk's operator, strategies, amounts and description of request ${id} match the chain's` });
}
