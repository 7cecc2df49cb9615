/**
 * One sender per account for everything the desk sends (a fulfil with the slasher key, the
 * execTransaction of a veto, rejection, batch or governance fulfil with the executor key; the
 * two keys may be one).
 *
 * - Exactly once: each attempt is signed and recorded (SentTx) BEFORE it is broadcast; after a
 *   crash the recorded bytes are rebroadcast or their outcome read back, never re-signed at a new
 *   nonce while an earlier attempt can still land.
 * - One nonce allocator per account: the larger of the chain's pending count and one past every
 *   attempt in flight or included within the reorg window, under one lock per account in this
 *   process (across processes the single-actor lease makes sure only one desk sends).
 * - Fees: re-priced only when actually underpriced or when the deadline is a few blocks away
 *   (domain/fees.ts), never above MAX_FEE_PER_GAS_GWEI; reaching the cap is reported.
 * - Reorgs: an included attempt whose block is no longer canonical goes back in flight; its same
 *   bytes are rebroadcast while its account nonce is free (same hash: never a second action).
 */
import { keccak256, parseTransaction, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { DEFAULT_REORG_DEPTH } from '../config';
import { describeError } from '../errors';
import type { Logger } from '../lib/logger';
import { describeRevert, isRevert } from '../chain/revert';
import { withAccountLock } from '../chain/accountLock';
import { deadlinesPassedDown, initialFees, replacementFees, underpricedReason, type FeeMarket, type Fees } from '../domain/fees';
import type { NewSentTx, SendPurpose, SentTxRow, SentTxStore } from '../store/sentTxStore';
import type { SendIntent, SendOutcome, Settlement, TendReport } from './types';
import { mapLimit } from '../lib/mapLimit';

export type { SentTxRow, SendPurpose } from '../store/sentTxStore';

export type { SendIntent, SendOutcome, Settlement, TendReport } from './types';

export interface SenderOptions {
  client: PublicClient;
  store: SentTxStore;
  chainId: number;
  privateKey: Hex;
  logger: Logger;
  /** MAX_FEE_PER_GAS_GWEI in wei; null: uncapped */
  maxFeePerGasWei?: bigint | null;
  /** FEE_BUMP_BLOCKS: patience before an attempt whose tip is below the market's is re-priced */
  feeBumpBlocks?: number;
  /** test hook: after the row is recorded, before broadcast (the kill -9 case) */
  afterRecord?: (row: SentTxRow) => Promise<void> | void;
  /** told of every send (sent, refused), settlement (mined, reverted, dropped), re-pricing (bumped) and cancellation (metrics) */
  observe?: (purpose: string, outcome: string) => void;
  /** REORG_DEPTH: how far back an included transaction of ours may still be removed by a reorg */
  reorgDepth?: number;
  /** why this desk may not send now (the actor lease), asked again right before anything is recorded */
  withheld?: () => string | null;
}

/** Gas headroom over the estimate: the state can change between estimate and inclusion. */
const gasWithHeadroom = (g: bigint) => (g * 13n) / 10n + 10_000n;
/** Simulations and settlements in flight at once: many fulfils fall due in the same block. */
const CONCURRENCY = 8;

export function createSender(o: SenderOptions) {
  const account: PrivateKeyAccount = privateKeyToAccount(o.privateKey);
  const { client, store, logger } = o;
  const cap = o.maxFeePerGasWei ?? null;
  const patience = o.feeBumpBlocks ?? 2;

  // the fee market moves once a block: one read of it serves every send and re-pricing of a block
  let marketCache: { head: number; at: number; value: Promise<FeeMarket> } | null = null;
  function market(head: number): Promise<FeeMarket> {
    if (marketCache && marketCache.head === head && Date.now() - marketCache.at < 15_000) return marketCache.value;
    const value = Promise.all([client.getBlock({ blockTag: 'latest' }), client.estimateMaxPriorityFeePerGas().catch(() => 1_000_000_000n)]).then(([block, tip]) => ({ baseFeePerGas: block.baseFeePerGas ?? 0n, priorityFeePerGas: tip }));
    value.catch(() => {
      if (marketCache?.value === value) marketCache = null;
    });
    marketCache = { head, at: Date.now(), value };
    return value;
  }

  /**
   * Above the node's pending count and every nonce of ours in flight or included within the reorg
   * window: a reorg the desk has not read yet may have removed one of ours (and the node dropped
   * it), and that nonce is its to land with again, never another transaction's. The window reaches
   * as far above the node's head as below it (a node behind, or a reorg to a lower height); beyond
   * that an inclusion is of a chain the node no longer serves.
   */
  async function nextNonce(head: number): Promise<number> {
    const depth = o.reorgDepth ?? DEFAULT_REORG_DEPTH;
    const [pending, ours] = await Promise.all([client.getTransactionCount({ address: account.address, blockTag: 'pending' }), store.highestUsedNonce(account.address, head - depth, head + depth)]);
    return Math.max(pending, (ours ?? -1) + 1);
  }

  async function signAndRecord(base: Omit<NewSentTx, 'account' | 'rawTx' | 'txHash' | 'gas' | 'maxFeePerGas' | 'maxPriorityFeePerGas'>, gas: bigint, fees: Fees): Promise<SentTxRow> {
    const rawTx = await account.signTransaction({ chainId: o.chainId, type: 'eip1559', to: base.to as Address, data: base.data as Hex, gas, nonce: base.txNonce, ...fees });
    const row = await store.record({ ...base, account: account.address, rawTx, txHash: keccak256(rawTx), gas: gas.toString(), maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString() });
    await o.afterRecord?.(row);
    return row;
  }

  async function broadcast(row: SentTxRow): Promise<void> {
    try {
      await client.sendRawTransaction({ serializedTransaction: row.rawTx as Hex });
    } catch (e) {
      // already known / nonce too low / underpriced: the next settle reads what happened
      logger.warn({ err: describeError(e), txHash: row.txHash, nonce: row.txNonce }, 'broadcast failed; will reconcile');
    }
  }

  /** Fees and call of a recorded attempt, from its signed bytes (the one source of truth). */
  function signedFields(row: SentTxRow) {
    const tx = parseTransaction(row.rawTx as Hex);
    return { to: tx.to as Address, data: (tx.data ?? '0x') as Hex, gas: tx.gas ?? BigInt(row.gas), fees: { maxFeePerGas: tx.maxFeePerGas ?? 0n, maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? 0n } };
  }

  /** null: this desk may no longer send (asked again here, as before every new attempt) */
  async function replace(last: SentTxRow, fees: Fees, head: number, call?: { to: Address; data: Hex; gas: bigint; purpose: SendPurpose; deadlineBlock: number | null }): Promise<SentTxRow | null> {
    if (o.withheld?.()) return null;
    const f = signedFields(last);
    const next = await signAndRecord(
      {
        chainId: o.chainId,
        slasher: last.slasher,
        requestId: last.requestId,
        requestTxHash: last.requestTxHash,
        purpose: (call?.purpose ?? last.purpose) as SendPurpose,
        // a cancellation is no execution of the proposal
        proposalId: call ? null : last.proposalId,
        // a cancellation's deadline is what it unblocks (the fulfil's last useful block), not the
        // passed one of what it cancels: that would re-price it as urgent on every block
        deadlineBlock: call ? call.deadlineBlock : last.deadlineBlock,
        txNonce: last.txNonce,
        to: call?.to ?? f.to,
        data: call?.data ?? f.data,
        replaces: last.id,
        sentAtBlock: head,
      },
      call?.gas ?? f.gas,
      fees,
    );
    await broadcast(next);
    return next;
  }

  /**
   * What the chain did with the attempts at `row`'s nonce. `send: false` only reads (a standby
   * desk settles what its predecessor sent, but never rebroadcasts).
   */
  async function settle(row: SentTxRow, opts: { send?: boolean } = {}): Promise<Settlement> {
    const attempts = await store.attemptsAt(row.account, row.txNonce);
    for (const a of attempts) {
      if (a.status === 'mined') return { kind: 'mined', row: a, blockNumber: a.blockNumber ?? 0, receipt: null };
      if (a.status === 'reverted') return { kind: 'reverted', row: a, blockNumber: a.blockNumber ?? 0, reason: a.error ?? 'reverted' };
    }
    for (const a of attempts) {
      if (a.status !== 'recorded' && a.status !== 'replaced') continue;
      const receipt = await client.getTransactionReceipt({ hash: a.txHash as Hex }).catch(() => null);
      if (!receipt) continue;
      const blockNumber = Number(receipt.blockNumber);
      let reason: string | null = null;
      if (receipt.status !== 'success') {
        const f = signedFields(a);
        // replay the call at the block it ran in for the reason
        reason = await client
          .call({ account: account.address, to: f.to, data: f.data, blockNumber: receipt.blockNumber })
          .then(() => 'reverted (no reason)')
          .catch((e: unknown) => describeRevert(e));
      }
      const done = await store.settleIncluded(a, { status: reason ? 'reverted' : 'mined', blockNumber, blockHash: receipt.blockHash, error: reason });
      return reason ? { kind: 'reverted', row: done, blockNumber, reason } : { kind: 'mined', row: done, blockNumber, receipt };
    }
    const newest = attempts[attempts.length - 1]!;
    const live = [...attempts].reverse().find((a) => a.status === 'recorded');
    if (!live) return { kind: 'dropped', row: newest, reason: newest.error ?? newest.status };
    const used = await client.getTransactionCount({ address: account.address, blockTag: 'latest' });
    if (used > live.txNonce) {
      // our nonce went to a transaction we did not record, or a receipt not served yet: look once
      // more before calling it dropped
      const seen = await Promise.all(attempts.map((a) => client.getTransaction({ hash: a.txHash as Hex }).catch(() => null)));
      if (seen.some((t) => t?.blockNumber != null)) return { kind: 'pending', row: live };
      const reason = `nonce ${live.txNonce} of ${account.address} was used by another transaction`;
      // not all dropped: one changed since they were read (another desk replaced or settled it): read again next pass
      const recorded = attempts.filter((a) => a.status === 'recorded').map((a) => a.id);
      if ((await store.dropAttempts(recorded, reason)) < recorded.length) return { kind: 'pending', row: live };
      return { kind: 'dropped', row: { ...live, status: 'dropped', error: reason }, reason };
    }
    if (opts.send !== false) {
      const known = await client.getTransaction({ hash: live.txHash as Hex }).catch(() => null);
      if (!known) await broadcast(live); // never sent (crash), evicted, or reorged out: the same bytes
    }
    return { kind: 'pending', row: live };
  }

  async function sendMany(intents: readonly SendIntent[]): Promise<SendOutcome[]> {
    if (intents.length === 0) return [];
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    // 'pending' executes in the next block's context, where e.g. a fulfil's window has passed
    const gases = await mapLimit(intents, CONCURRENCY, async (intent): Promise<bigint | { refused: string }> => {
      if (intent.gas !== undefined) return intent.gas;
      try {
        return gasWithHeadroom(await client.estimateGas({ account: account.address, to: intent.to, data: intent.data, blockTag: 'pending' }));
      } catch (e) {
        if (!isRevert(e)) throw e;
        o.observe?.(intent.purpose, 'refused');
        return { refused: describeRevert(e) };
      }
    });
    return withAccountLock(account.address, async () => {
      const [first, m] = await Promise.all([nextNonce(head), market(head)]);
      // the last word before anything is recorded: the reads above may have outlasted the lease
      const withheld = o.withheld?.();
      if (withheld) return intents.map((): SendOutcome => ({ kind: 'withheld', reason: withheld }));
      let nonce = first;
      const out: SendOutcome[] = [];
      const toBroadcast: SentTxRow[] = [];
      for (const [i, intent] of intents.entries()) {
        const gas = gases[i]!;
        if (typeof gas !== 'bigint') {
          out.push({ kind: 'refused', reason: gas.refused });
          continue;
        }
        const blocksLeft = intent.deadlineBlock === null ? null : intent.deadlineBlock - head;
        const fees = initialFees(m, blocksLeft, cap);
        if (fees.capped) logger.warn({ requestId: intent.requestId, purpose: intent.purpose, capWei: String(cap) }, 'MAX_FEE_PER_GAS_GWEI caps this transaction below what the market asks');
        const row = await signAndRecord(
          { chainId: o.chainId, slasher: intent.slasher, requestId: intent.requestId, requestTxHash: intent.requestTxHash, purpose: intent.purpose, proposalId: intent.proposalId ?? null, deadlineBlock: intent.deadlineBlock, txNonce: nonce++, to: intent.to, data: intent.data, replaces: null, sentAtBlock: head },
          gas,
          fees,
        );
        logger.info({ requestId: intent.requestId, purpose: intent.purpose, txHash: row.txHash, nonce: row.txNonce, maxFeePerGas: String(fees.maxFeePerGas) }, 'sending');
        o.observe?.(intent.purpose, 'sent');
        toBroadcast.push(row);
        out.push({ kind: 'sent', row });
      }
      // every one recorded first: a crash from here on rebroadcasts the same bytes, never re-signs
      await mapLimit(toBroadcast, CONCURRENCY, broadcast);
      return out;
    });
  }

  return {
    address: account.address,

    /**
     * Simulates against the next block (unless the caller simulated and passes `gas`), then signs,
     * records and broadcasts a first attempt. Refuses (sends nothing) when the call would revert.
     */
    async send(intent: SendIntent): Promise<SendOutcome> {
      return (await sendMany([intent]))[0]!;
    },

    /**
     * `send` for many at once (fulfils falling due in the same block): simulated concurrently,
     * then given consecutive nonces, each recorded before any is broadcast, then broadcast.
     */
    sendMany,

    settle: (row: SentTxRow) => settle(row),

    /**
     * Replaces the attempt in flight at `row`'s nonce with a 0-value transfer to ourselves: what
     * it would do can no longer happen (a veto past its window) and it must not hold the account's
     * nonce. `deadlineBlock`: what waits for it must land by then. Returns the cancellation, or
     * null when nothing was in flight there (or it is cancelled already, or the cap leaves no room).
     */
    async cancel(row: SentTxRow, why: string, deadlineBlock: number | null = null): Promise<SentTxRow | null> {
      return withAccountLock(account.address, async () => {
        const attempts = await store.attemptsAt(account.address, row.txNonce);
        const last = attempts[attempts.length - 1]!;
        // cancelled already: `tend` re-prices the cancellation like any attempt in flight (another
        // one here on every pass would only raise its fees by an eighth each time)
        if (last.status !== 'recorded' || last.purpose === 'cancel') return null;
        const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
        const fees = replacementFees(signedFields(last).fees, await market(head), 0, cap);
        if (!fees) {
          logger.warn({ requestId: last.requestId, nonce: last.txNonce, txHash: last.txHash, why, capWei: String(cap) }, 'cannot cancel: MAX_FEE_PER_GAS_GWEI leaves no room for a replacement of this transaction');
          return null;
        }
        logger.warn({ requestId: last.requestId, nonce: last.txNonce, txHash: last.txHash, why }, 'cancelling a transaction that can no longer do its job');
        o.observe?.(last.purpose, 'cancelled');
        return replace(last, fees, head, { to: account.address, data: '0x', gas: 21_000n, purpose: 'cancel', deadlineBlock });
      });
    },

    /**
     * One pass over this account's attempts: those a reorg removed go back in flight, every
     * nonce in flight is settled, and attempts that are underpriced (or about to miss their
     * deadline) are replaced with higher fees, up to the cap.
     *
     * @param canonical the indexed chain's block hashes from `fromBlock` up (a block not in it is
     *   below the kept history or not indexed yet: left alone)
     * @param opts.send false: only read and record what the chain did (a standby, DRY_RUN)
     */
    async tend(head: number, canonical?: { fromBlock: number; hashes: Map<number, string> }, opts: { send?: boolean } = {}): Promise<TendReport> {
      const send = opts.send !== false;
      const report: TendReport = { settled: [], bumped: [], capReached: [], reorged: [] };
      if (canonical) {
        for (const row of await store.includedSince(canonical.fromBlock)) {
          if (row.account !== account.address || row.blockNumber === null) continue;
          const hash = canonical.hashes.get(row.blockNumber);
          if (hash === undefined || hash === row.blockHash) continue;
          const reopened = await store.reopen(row);
          if (!reopened) continue; // moved since it was read (another desk reopened it and reports it, or it was mined again)
          logger.warn({ requestId: row.requestId, purpose: row.purpose, txHash: row.txHash, block: row.blockNumber }, 'a reorg removed our transaction: back in flight');
          report.reorged.push({ row: reopened, fromBlock: row.blockNumber });
          o.observe?.(row.purpose, 'reorged');
        }
      }
      const open = await store.inFlight(account.address);
      const byNonce = new Map<number, SentTxRow>();
      for (const r of open) byNonce.set(r.txNonce, r); // the newest attempt per nonce
      const deadlineOf = deadlinesPassedDown([...byNonce.values()]);
      const settled = await mapLimit([...byNonce.values()], CONCURRENCY, (row) => settle(row, { send }));
      for (const s of settled) {
        report.settled.push(s);
        if (s.kind !== 'pending') o.observe?.(s.row.purpose, s.kind);
        if (s.kind !== 'pending' || !send) continue;
        const waited = head - s.row.sentAtBlock;
        if (waited < 1) continue;
        const m = await market(head);
        const f = signedFields(s.row);
        // priced for the soonest deadline it stands in front of (its own, or a later nonce's)
        const driver = deadlineOf.get(s.row.txNonce) ?? s.row;
        const blocksLeft = driver.deadlineBlock === null ? null : driver.deadlineBlock - head;
        const own = underpricedReason(f.fees, m, waited, blocksLeft, patience);
        if (!own) continue;
        const why = driver === s.row ? own : `${own}, and ${driver.txHash} at account nonce ${driver.txNonce} waits behind it`;
        const fees = replacementFees(f.fees, m, blocksLeft, cap);
        const capReached = { row: s.row, reason: why, capWei: cap ?? 0n, ...(driver !== s.row ? { blocking: driver } : {}) };
        if (!fees || (fees.capped && fees.maxFeePerGas <= f.fees.maxFeePerGas)) {
          report.capReached.push(capReached);
          continue;
        }
        if (fees.capped) report.capReached.push(capReached);
        const next = await withAccountLock(account.address, async () => {
          const attempts = await store.attemptsAt(account.address, s.row.txNonce);
          const last = attempts[attempts.length - 1]!;
          return last.status === 'recorded' && last.id === s.row.id ? replace(last, fees, head) : null;
        });
        if (next) {
          logger.warn({ requestId: next.requestId, nonce: next.txNonce, from: s.row.txHash, to: next.txHash, maxFeePerGas: String(fees.maxFeePerGas), why }, 'replacing an underpriced transaction with higher fees');
          report.bumped.push({ from: s.row, to: next, reason: why });
          o.observe?.(next.purpose, 'bumped');
        }
      }
      return report;
    },
  };
}

export type Sender = ReturnType<typeof createSender>;

/**
 * The senders of a desk: one per distinct key, so a key used both as executor and as slasher
 * gets one nonce allocator and one record.
 */
export function createSenders(base: Omit<SenderOptions, 'privateKey'>) {
  const byAddress = new Map<string, Sender>();
  return {
    for(privateKey: Hex): Sender {
      const address = privateKeyToAccount(privateKey).address;
      let s = byAddress.get(address);
      if (!s) byAddress.set(address, (s = createSender({ ...base, privateKey })));
      return s;
    },
    all(): Sender[] {
      return [...byAddress.values()];
    },
    /** the sender of an account this desk holds the key of, if any */
    byAddress(address: string): Sender | null {
      for (const [a, s] of byAddress) if (a.toLowerCase() === address.toLowerCase()) return s;
      return null;
    },
  };
}

export type Senders = ReturnType<typeof createSenders>;
