/**
 * Transactions that must land (issue 4): the desk's fulfils from the slasher account.
 *
 * - Exactly once: each attempt is signed and recorded (`SentTx`) BEFORE it is broadcast; after a
 *   crash the recorded bytes are rebroadcast or their outcome read back, never re-signed at a new
 *   nonce while an earlier one can still land.
 * - Nonces: the next nonce is the larger of the chain's pending count and one past every attempt
 *   still in flight, so neither a restart nor another sender of the same account makes it drift;
 *   all sends of one account in this process go through one lock (`accountLock`).
 * - Fee bumping: an attempt not mined after FEE_BUMP_BLOCKS blocks (sooner near L) is replaced at
 *   the same nonce with both fees raised by at least 12.5 % (the replacement rule of geth/reth/
 *   anvil) and at least the current estimate. Whichever attempt is mined wins; the others are
 *   marked `replaced`.
 * - RPC failover comes from the chain client (several RPC_URLs).
 */
import { keccak256, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Db } from '../store/database';
import type { Logger } from '../lib/logger';
import { describeError } from '../errors';
import { describeRevert, isRevert } from '../safe/revert';
import { withAccountLock } from '../chain/accountLock';

export interface SendRequest {
  slasher: string;
  requestId: string;
  requestTxHash: string;
  purpose: string;
  to: Address;
  data: Hex;
}

export type SentTxRow = Awaited<ReturnType<Db['sentTx']['findFirstOrThrow']>>;

export type SendOutcome =
  | { kind: 'sent'; row: SentTxRow }
  /** simulation says it would revert: nothing was sent */
  | { kind: 'refused'; reason: string };

export type Settlement =
  | { kind: 'mined'; row: SentTxRow; blockNumber: number }
  | { kind: 'reverted'; row: SentTxRow; blockNumber: number; reason: string }
  | { kind: 'dropped'; row: SentTxRow; reason: string }
  | { kind: 'pending'; row: SentTxRow };

export interface SenderOptions {
  client: PublicClient;
  db: Db;
  chainId: number;
  privateKey: Hex;
  logger: Logger;
  /** test hook: after the row is recorded, before broadcast (the kill -9 case) */
  afterRecord?: (row: SentTxRow) => Promise<void> | void;
}

const BUMP_NUM = 1125n; // +12.5 %
const BUMP_DEN = 1000n;

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function createSender(o: SenderOptions) {
  const account: PrivateKeyAccount = privateKeyToAccount(o.privateKey);
  const { client, db, logger } = o;

  async function nextNonce(): Promise<number> {
    const [pending, inflight] = await Promise.all([
      client.getTransactionCount({ address: account.address, blockTag: 'pending' }),
      db.sentTx.aggregate({ where: { account: account.address, status: 'recorded' }, _max: { txNonce: true } }),
    ]);
    return Math.max(pending, (inflight._max.txNonce ?? -1) + 1);
  }

  async function fees(floor?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }) {
    const est = await client.estimateFeesPerGas();
    let maxPriorityFeePerGas = est.maxPriorityFeePerGas;
    let maxFeePerGas = est.maxFeePerGas;
    if (floor) {
      maxPriorityFeePerGas = maxBig(maxPriorityFeePerGas, (floor.maxPriorityFeePerGas * BUMP_NUM) / BUMP_DEN + 1n);
      maxFeePerGas = maxBig(maxFeePerGas, (floor.maxFeePerGas * BUMP_NUM) / BUMP_DEN + 1n);
    }
    if (maxFeePerGas < maxPriorityFeePerGas) maxFeePerGas = maxPriorityFeePerGas;
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  async function signAndRecord(req: SendRequest, nonce: number, gas: bigint, f: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }, head: number, replaces: number | null): Promise<SentTxRow> {
    const rawTx = await account.signTransaction({ chainId: o.chainId, type: 'eip1559', to: req.to, data: req.data, gas, nonce, ...f });
    const row = await db.sentTx.create({
      data: {
        chainId: o.chainId,
        slasher: req.slasher,
        requestId: req.requestId,
        requestTxHash: req.requestTxHash,
        purpose: req.purpose,
        account: account.address,
        txNonce: nonce,
        to: req.to,
        data: req.data,
        rawTx,
        txHash: keccak256(rawTx),
        gas: gas.toString(),
        maxFeePerGas: f.maxFeePerGas.toString(),
        maxPriorityFeePerGas: f.maxPriorityFeePerGas.toString(),
        status: 'recorded',
        replaces,
        sentAtBlock: head,
      },
    });
    await o.afterRecord?.(row);
    return row;
  }

  async function broadcast(row: SentTxRow): Promise<void> {
    try {
      await client.sendRawTransaction({ serializedTransaction: row.rawTx as Hex });
    } catch (e) {
      // already known / nonce too low / underpriced: the next settle pass reads what happened
      logger.warn({ err: describeError(e), txHash: row.txHash, nonce: row.txNonce }, 'broadcast failed; will reconcile');
    }
  }

  /** The attempts of one (account, nonce), oldest first. */
  async function attemptsAt(nonce: number): Promise<SentTxRow[]> {
    return db.sentTx.findMany({ where: { account: account.address, txNonce: nonce }, orderBy: { id: 'asc' } });
  }

  return {
    address: account.address,

    /** Attempts of a request (newest last). */
    async attempts(slasher: string, requestId: string, purpose?: string): Promise<SentTxRow[]> {
      return db.sentTx.findMany({ where: { slasher, requestId, ...(purpose ? { purpose } : {}) }, orderBy: { id: 'asc' } });
    },

    /**
     * Simulates against the next block, then signs, records and broadcasts a first attempt.
     * Refuses (sends nothing) when the call would revert.
     */
    async send(req: SendRequest): Promise<SendOutcome> {
      return withAccountLock(account.address, async () => {
        const head = Number(await client.getBlockNumber());
        let gas: bigint;
        try {
          // 'pending' executes in the next block's context, where the window has passed
          gas = await client.estimateGas({ account: account.address, to: req.to, data: req.data, blockTag: 'pending' });
        } catch (e) {
          if (!isRevert(e)) throw e;
          return { kind: 'refused', reason: describeRevert(e) };
        }
        const nonce = await nextNonce();
        const row = await signAndRecord(req, nonce, (gas * 13n) / 10n + 10_000n, await fees(), head, null);
        logger.info({ requestId: req.requestId, purpose: req.purpose, txHash: row.txHash, nonce }, 'sending');
        await broadcast(row);
        return { kind: 'sent', row };
      });
    },

    /** Replaces the newest attempt at `row`'s nonce with higher fees (same nonce, same call). */
    async bump(row: SentTxRow): Promise<SentTxRow> {
      return withAccountLock(account.address, async () => {
        const attempts = await attemptsAt(row.txNonce);
        const last = attempts[attempts.length - 1]!;
        if (last.status !== 'recorded') return last;
        const head = Number(await client.getBlockNumber());
        const f = await fees({ maxFeePerGas: BigInt(last.maxFeePerGas), maxPriorityFeePerGas: BigInt(last.maxPriorityFeePerGas) });
        const next = await signAndRecord(
          { slasher: last.slasher, requestId: last.requestId, requestTxHash: last.requestTxHash, purpose: last.purpose, to: last.to as Address, data: last.data as Hex },
          last.txNonce,
          BigInt(last.gas),
          f,
          head,
          last.id,
        );
        logger.warn({ requestId: last.requestId, nonce: last.txNonce, from: last.txHash, to: next.txHash, maxFeePerGas: String(f.maxFeePerGas) }, 'replacing a stuck transaction with higher fees');
        await broadcast(next);
        return next;
      });
    },

    /**
     * What the chain did with the attempts at `row`'s nonce: one mined (success or revert), all
     * dropped (the nonce went to another transaction), or still pending (the newest attempt is
     * rebroadcast if the node has forgotten it).
     */
    async settle(row: SentTxRow): Promise<Settlement> {
      const attempts = await attemptsAt(row.txNonce);
      for (const a of attempts) {
        if (a.status === 'mined' || a.status === 'reverted') {
          return a.status === 'mined' ? { kind: 'mined', row: a, blockNumber: a.blockNumber ?? 0 } : { kind: 'reverted', row: a, blockNumber: a.blockNumber ?? 0, reason: a.error ?? 'reverted' };
        }
      }
      for (const a of attempts) {
        const receipt = await client.getTransactionReceipt({ hash: a.txHash as Hex }).catch(() => null);
        if (!receipt) continue;
        const blockNumber = Number(receipt.blockNumber);
        let reason: string | null = null;
        if (receipt.status !== 'success') {
          // replay the call at the block it ran in for the reason
          reason = await client
            .call({ account: account.address, to: a.to as Address, data: a.data as Hex, blockNumber: receipt.blockNumber })
            .then(() => 'reverted (no reason)')
            .catch((e: unknown) => describeRevert(e));
        }
        await db.$transaction([
          db.sentTx.update({ where: { id: a.id }, data: { status: reason ? 'reverted' : 'mined', blockNumber, error: reason } }),
          db.sentTx.updateMany({ where: { account: account.address, txNonce: a.txNonce, NOT: { id: a.id }, status: 'recorded' }, data: { status: 'replaced' } }),
        ]);
        const done = (await db.sentTx.findUnique({ where: { id: a.id } }))!;
        return reason ? { kind: 'reverted', row: done, blockNumber, reason } : { kind: 'mined', row: done, blockNumber };
      }
      const newest = attempts[attempts.length - 1]!;
      if (newest.status !== 'recorded') return { kind: 'dropped', row: newest, reason: newest.error ?? newest.status };
      const used = await client.getTransactionCount({ address: account.address, blockTag: 'latest' });
      if (used > newest.txNonce) {
        // our nonce went to a transaction we did not record here (or a receipt not yet served):
        // look once more next pass before calling it dropped
        const seen = await Promise.all(attempts.map((a) => client.getTransaction({ hash: a.txHash as Hex }).catch(() => null)));
        if (seen.some((t) => t?.blockNumber != null)) return { kind: 'pending', row: newest };
        const reason = `nonce ${newest.txNonce} of ${account.address} was used by another transaction`;
        await db.sentTx.updateMany({ where: { account: account.address, txNonce: newest.txNonce, status: 'recorded' }, data: { status: 'dropped', error: reason } });
        return { kind: 'dropped', row: { ...newest, status: 'dropped', error: reason }, reason };
      }
      const known = await client.getTransaction({ hash: newest.txHash as Hex }).catch(() => null);
      if (!known) await broadcast(newest); // never sent (crash) or evicted from the mempool
      return { kind: 'pending', row: newest };
    },

  };
}

export type Sender = ReturnType<typeof createSender>;
