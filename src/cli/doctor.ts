/**
 * `npm run cli -- doctor`: checks what the desk will depend on, one line per check, reading the
 * desk's own configuration (environment, then .env, through src/config exactly as the desk
 * does). No desk needs to run. Exit 1 on any failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { formatEther, getAddress, type Address, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';
import { createChainClient } from '../chain/client';
import { readSlasherFacts, type SlasherFacts } from '../chain/slasherFacts';
import { loadConfig, redactUrl, type Config } from '../config';
import { isDeskError } from '../errors';
import { failure } from './text';
import { safeAbi } from '../safe/safeTx';
import { checkChannel, type Outcome, type Report } from './doctorChannels';
import { parseArgs } from './args';
import { EXIT } from './cliError';
import type { CliIo } from './io';

export const help = `usage: npm run cli -- doctor [--send-test]

Checks, one line each (ok / warn / FAIL / skip), everything the desk depends on:
  config     the desk's configuration from the environment and .env, validated by the desk's
             own rules (one line per bad value)
  database   SQLite file and folder, or a PostgreSQL connection (SELECT 1; no migration runs)
  rpc        every RPC_URL endpoint (URLs redacted): chain id, head block and its age
  slasher    SLASHER_ADDRESS: a VetoableSlasher? its variant, window, AllocationManager, AVS
  committee  the slasher's vetoCommittee(): the Safe's owners, threshold and nonce
  governance the slasher's slasher() role: a Safe (owners, threshold) or an account
  executor   EXECUTOR_PRIVATE_KEY's account and balance (vs ALERT_MIN_BALANCE)
  fulfiller  SLASHER_PRIVATE_KEY's account (must be the slasher role) and balance
  alerts     each channel: a dry check by default — TCP/TLS reachability of its host, or the
             SMTP server's greeting and login — nothing is posted; with --send-test a real
             alert of kind "test" goes through every channel
  txservice  SAFE_TX_SERVICE_URL: GET /v1/about
Needs no running desk. With RPC_URL unset (the embedded devnet) the chain checks are skipped.

  --send-test            send a real test alert through every channel instead of the dry check

Exit: 0 no failure (warnings allowed), 1 at least one check failed, 2 usage.`;

const TIMEOUT_MS = 5_000;

function reporter(io: CliIo): Report {
  const counts: Record<Outcome, number> = { ok: 0, warn: 0, FAIL: 0, skip: 0 };
  return {
    counts,
    line(outcome, area, text) {
      counts[outcome]++;
      io.out(`${outcome.padEnd(4)}  ${area.padEnd(10)}  ${text}\n`);
    },
  };
}

/**
 * The desk's config; when some values are bad, each is reported and the rest is loaded without
 * them, so one typo does not hide every other check.
 */
function checkConfig(env: Record<string, string | undefined>, r: Report): Config | null {
  let current = { ...env };
  for (let round = 0; round < 4; round++) {
    try {
      const config = loadConfig(current);
      if (round === 0) {
        r.line('ok', 'config', `valid (${config.devnet ? 'RPC_URL unset: the embedded devnet' : `${config.rpcUrls.length} RPC endpoint${config.rpcUrls.length === 1 ? '' : 's'}, slasher ${config.slasherAddress}`}; database ${config.database.kind}; read from the environment and ./.env)`);
      } else r.line('warn', 'config', 'the checks below use the configuration without the bad values above (as if unset)');
      return config;
    } catch (e) {
      if (!isDeskError(e, 'CONFIG_INVALID')) {
        r.line('FAIL', 'config', failure(e));
        return null;
      }
      const problems = e.message.split('\n').filter(Boolean);
      for (const p of problems) r.line('FAIL', 'config', p);
      const names = problems.map((p) => p.split(':')[0]!.trim());
      const next = { ...current };
      for (const n of names) delete next[n];
      if (names.every((n) => current[n] === undefined)) return null;
      current = next;
    }
  }
  return null;
}

async function checkDatabase(config: Config, r: Report): Promise<void> {
  const db = config.database;
  if (db.kind === 'sqlite') {
    const file = path.resolve(db.path);
    if (fs.existsSync(file)) {
      try {
        fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
        r.line('ok', 'database', `SQLite ${db.path} (${Math.round(fs.statSync(file).size / 1024)} KiB, readable and writable)`);
      } catch {
        r.line('FAIL', 'database', `SQLite ${db.path} is not readable and writable by this user`);
      }
      return;
    }
    let dir = path.dirname(file);
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      r.line('ok', 'database', `SQLite ${db.path} does not exist yet: the desk creates it (${dir} is writable)`);
    } catch {
      r.line('FAIL', 'database', `SQLite ${db.path} does not exist and ${dir} is not writable`);
    }
    return;
  }
  const client = new Client({ connectionString: db.url, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  try {
    await client.connect();
    const v = await client.query<{ v: string }>('select current_setting(\'server_version\') as v');
    r.line('ok', 'database', `PostgreSQL ${redactUrl(db.url)} answers (server ${v.rows[0]?.v ?? '?'})`);
  } catch (e) {
    r.line('FAIL', 'database', `PostgreSQL ${redactUrl(db.url)}: ${failure(e)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Each endpoint on its own: which one is down must be named. Resolves to the chain ids seen. */
async function checkRpcs(urls: string[], r: Report): Promise<string[]> {
  const answering: string[] = [];
  const ids = new Map<number, string[]>();
  for (const [i, url] of urls.entries()) {
    const label = `rpc[${i + 1}]`;
    const shown = redactUrl(url);
    const chain = createChainClient({ rpcUrls: [url], timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    try {
      const [chainId, block] = await Promise.all([chain.client.getChainId(), chain.client.getBlock({ blockTag: 'latest' })]);
      const age = Math.round(Date.now() / 1000 - Number(block.timestamp));
      const stale = age > 300;
      r.line(stale ? 'warn' : 'ok', label, `${shown}: chain ${chainId}, head ${block.number} (${age} s old${stale ? ': a stale node?' : ''}), ${Date.now() - started} ms`);
      ids.set(chainId, [...(ids.get(chainId) ?? []), shown]);
      answering.push(url);
    } catch (e) {
      // an error may quote the endpoint with its key: only the redacted form is printed
      r.line('FAIL', label, `${shown}: ${failure(e).split(url).join(shown)}`);
    } finally {
      await chain.close();
    }
  }
  if (ids.size > 1) r.line('FAIL', 'rpc', `the endpoints are on different chains: ${[...ids].map(([id, u]) => `${id} (${u.join(', ')})`).join(' vs ')}`);
  return answering;
}

async function readSafeFacts(client: PublicClient, safe: Address) {
  const [owners, threshold, nonce] = await Promise.all([
    client.readContract({ address: safe, abi: safeAbi, functionName: 'getOwners' }),
    client.readContract({ address: safe, abi: safeAbi, functionName: 'getThreshold' }),
    client.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' }),
  ]);
  return { owners, threshold, nonce };
}

async function checkRole(client: PublicClient, area: string, who: string, address: Address, r: Report, ifAccount: { outcome: Outcome; text: string }): Promise<boolean> {
  const code = await client.getCode({ address }).catch(() => undefined);
  if (!code || code === '0x') {
    r.line(ifAccount.outcome, area, `${who} ${address} is an account (no code): ${ifAccount.text}`);
    return false;
  }
  try {
    const s = await readSafeFacts(client, address);
    r.line('ok', area, `${who} ${address} is a Safe: ${s.threshold} of ${s.owners.length} owners (${s.owners.join(', ')}), nonce ${s.nonce}`);
    return true;
  } catch (e) {
    r.line('FAIL', area, `${who} ${address} has code but does not answer as a Safe (getOwners/getThreshold/nonce): ${failure(e)}`);
    return false;
  }
}

async function checkAccount(client: PublicClient, area: string, variable: string, key: `0x${string}`, minWei: bigint, r: Report, mustBe?: Address): Promise<void> {
  const address = privateKeyToAccount(key).address;
  if (mustBe && getAddress(mustBe) !== address) {
    r.line('FAIL', area, `${variable} is ${address}, but the slasher's slasher() role is ${mustBe}: its fulfils would revert (OnlySlasher)`);
    return;
  }
  try {
    const balance = await client.getBalance({ address });
    const text = `${variable} is ${address}, balance ${formatEther(balance)} ETH`;
    if (balance === 0n) r.line('FAIL', area, `${text}: it cannot pay for a transaction`);
    else if (balance < minWei) r.line('warn', area, `${text}: below ALERT_MIN_BALANCE ${formatEther(minWei)} (balance_low alerts fire)`);
    else r.line('ok', area, text);
  } catch (e) {
    r.line('FAIL', area, `${variable} is ${address}: balance unreadable (${failure(e)})`);
  }
}

const aboutSchema = z.object({ name: z.string().optional(), version: z.string().optional() });

async function checkTxService(config: Config, r: Report): Promise<void> {
  if (!config.safeTxServiceUrl) {
    r.line('skip', 'txservice', 'SAFE_TX_SERVICE_URL unset: the Safe Transaction Service is not used');
    return;
  }
  const url = `${config.safeTxServiceUrl.replace(/\/+$/, '')}/v1/about/`;
  const shown = redactUrl(config.safeTxServiceUrl);
  try {
    const res = await fetch(url, { headers: { accept: 'application/json', ...(config.safeApiKey ? { authorization: `Bearer ${config.safeApiKey}` } : {}) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) {
      r.line('FAIL', 'txservice', `${shown}: GET /v1/about answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (SAFE_API_KEY missing or refused?)' : ''}`);
      return;
    }
    const about = aboutSchema.safeParse(await res.json().catch(() => null));
    r.line(about.success ? 'ok' : 'FAIL', 'txservice', about.success ? `${shown}: ${about.data.name ?? 'Safe Transaction Service'} ${about.data.version ?? ''}`.trim() : `${shown}: /v1/about is not a Transaction Service answer`);
  } catch (e) {
    r.line('FAIL', 'txservice', `${shown}: ${failure(e)}`);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { booleans: ['send-test'] });
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const r = reporter(io);
  const config = checkConfig(io.env, r);
  if (!config) {
    r.line('skip', 'all', 'nothing else can be checked without a configuration');
    return finish(io, r);
  }
  await checkDatabase(config, r);

  if (config.devnet) {
    r.line('warn', 'rpc', 'RPC_URL unset: `npm start` starts the embedded devnet (a demo chain); chain checks skipped. Set RPC_URL and SLASHER_ADDRESS to check a chain.');
  } else {
    const answering = await checkRpcs(config.rpcUrls, r);
    if (answering.length === 0) r.line('skip', 'chain', 'no RPC endpoint answered: slasher, Safes and accounts not checked');
    else await checkChain(config, answering, r);
  }

  const channels = config.alerts.channels;
  if (channels.length === 0) r.line('warn', 'alerts', 'no alert channel configured: every alert is recorded but reaches nobody (set ALERT_WEBHOOK_URL or ALERT_ROUTES_FILE)');
  for (const c of channels) await checkChannel(c, p.bools.has('send-test'), config.slasherAddress, r);
  await checkTxService(config, r);
  return finish(io, r);
}

async function checkChain(config: Config & { devnet: false }, urls: string[], r: Report): Promise<void> {
  const chain = createChainClient({ rpcUrls: urls, timeoutMs: TIMEOUT_MS });
  try {
    const client = chain.client;
    let facts: SlasherFacts;
    try {
      facts = await readSlasherFacts(client, config.slasherAddress, config.avsAddress ?? null);
    } catch (e) {
      r.line('FAIL', 'slasher', `${config.slasherAddress}: ${failure(e)}`);
      return;
    }
    const window = facts.window.kind === 'blocks' ? `${facts.window.blocks} blocks` : `${facts.window.seconds} s`;
    r.line('ok', 'slasher', `${facts.slasher}: VetoableSlasher ${facts.variant}, veto window ${window}, AllocationManager ${facts.allocationManager} (DEALLOCATION_DELAY ${facts.deallocationDelay} blocks)`);
    if (facts.avs) r.line('ok', 'slasher', `AVS ${facts.avs}${config.avsAddress ? ' (AVS_ADDRESS)' : ' (from the slasher)'}`);
    else r.line('warn', 'slasher', 'the AVS is unknown: the last useful block cannot be computed (set AVS_ADDRESS)');

    await checkRole(client, 'committee', 'vetoCommittee()', facts.vetoCommittee, r, { outcome: 'warn', text: 'the desk plans no Safe vetoes (the committee signs with its own key)' });
    const roleIsSafe = await checkRole(client, 'governance', 'slasher() role', facts.slasherRole, r, { outcome: 'ok', text: 'fulfils are sent with SLASHER_PRIVATE_KEY' });

    const min = config.scheduler.minBalanceWei;
    if (config.executorPrivateKey) await checkAccount(client, 'executor', 'EXECUTOR_PRIVATE_KEY', config.executorPrivateKey, min, r);
    else r.line('warn', 'executor', 'EXECUTOR_PRIVATE_KEY unset: the desk never sends execTransaction; an owner executes each veto from a wallet');
    const slasherKey = config.scheduler.slasherPrivateKey;
    if (slasherKey) await checkAccount(client, 'fulfiller', 'SLASHER_PRIVATE_KEY', slasherKey, min, r, roleIsSafe ? undefined : facts.slasherRole);
    else if (roleIsSafe) r.line('ok', 'fulfiller', "SLASHER_PRIVATE_KEY unset: fulfils go through governance's Safe");
    else r.line('warn', 'fulfiller', `SLASHER_PRIVATE_KEY unset and the slasher role ${facts.slasherRole} is an account: nobody fulfils (fulfil_due alerts fire)`);
  } finally {
    await chain.close();
  }
}

function finish(io: CliIo, r: Report): number {
  const c = r.counts;
  io.out(`\ndoctor: ${c.ok} ok, ${c.warn} warning${c.warn === 1 ? '' : 's'}, ${c.FAIL} failure${c.FAIL === 1 ? '' : 's'}${c.skip ? `, ${c.skip} skipped` : ''}\n`);
  return c.FAIL > 0 ? EXIT.FAILED : EXIT.OK;
}
