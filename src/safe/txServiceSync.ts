/**
 * Safe{Wallet} through the Safe Transaction Service (api-kit), for one Safe (the committee's, or
 * governance's when it fulfils): each active veto or fulfil is proposed to
 * the service once it has a first signature, our signatures are pushed as confirmations, and
 * confirmations made in Safe{Wallet} are pulled into the desk (checked like any other signature).
 * The service is slow and rate limited: every call retries with backoff, the sync runs on its own
 * timer, and nothing on the deadline path waits for it.
 */
import type * as ApiKitModule from '@safe-global/api-kit';
import { getAddress, zeroAddress, type Address } from 'viem';
import { z } from 'zod';
import { DeskError, describeError, isDeskError } from '../errors';
import type { Logger } from '../lib/logger';
import { retry } from '../lib/retry';
import type { VetoStore } from '../store/vetoStore';
import type { SignatureSource } from '../store/vetoStore';

export interface TxServiceOptions {
  /** base URL ending in /api */
  url: string;
  apiKey?: string;
  /** period of the background sync; default 15 s */
  intervalMs?: number;
  /** retries per call; default 4 */
  attempts?: number;
  baseDelayMs?: number;
}

/** What the sync hands confirmations to: the desk's own intake (same checks as HTTP). */
export interface SignatureIntake {
  submitSignature(requestId: string, input: { signature: unknown; source: SignatureSource; safeTxHash?: `0x${string}` }): Promise<unknown>;
}

const confirmationSchema = z.object({ owner: z.string(), signature: z.string().nullable() });
const multisigTxSchema = z.object({
  safeTxHash: z.string(),
  nonce: z.union([z.string(), z.number()]),
  isExecuted: z.boolean(),
  confirmations: z.array(confirmationSchema).optional().default([]),
});

/** 429, 5xx and network failures are worth another try; 4xx are answers. */
function retryable(e: unknown): boolean {
  const status = (e as { statusCode?: unknown }).statusCode;
  return typeof status !== 'number' || status === 429 || status >= 500;
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: unknown }).statusCode === 404;
}

export function createTxServiceSync(o: {
  options: TxServiceOptions;
  chainId: number;
  safe: Address;
  store: VetoStore;
  intake: SignatureIntake;
  logger: Logger;
}) {
  // loaded here, not at start: api-kit brings protocol-kit and every chain viem knows (≈ 40 MB
  // resident), which a desk without a Transaction Service never uses
  const { default: SafeApiKit } = require('@safe-global/api-kit') as typeof ApiKitModule;
  const api = new SafeApiKit({ chainId: BigInt(o.chainId), txServiceUrl: o.options.url, ...(o.options.apiKey ? { apiKey: o.options.apiKey } : {}) });
  const safe = getAddress(o.safe);
  const { store, logger } = o;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let lastError: string | null = null;

  const call = <T>(what: string, fn: () => Promise<T>) =>
    retry(fn, {
      attempts: o.options.attempts ?? 4,
      baseMs: o.options.baseDelayMs ?? 1_000,
      maxMs: 30_000,
      retryable,
      onRetry: (e, attempt, delayMs) => logger.debug({ what, attempt, delayMs, err: describeError(e) }, 'transaction service call failed; retrying'),
    }).catch((e) => {
      throw new DeskError('TX_SERVICE_ERROR', `transaction service: ${what}: ${describeError(e)}`, { cause: e, retryable: retryable(e) });
    });

  async function syncOnce(): Promise<void> {
    const proposals = (await store.currentProposals()).filter((p) => (p.status === 'collecting' || p.status === 'ready') && !/^(rejection|batch):/.test(p.requestId)); // rejections and batches: HTTP intake only (for now)
    const sigs = await store.signatures(proposals.map((p) => p.id));
    for (const p of proposals) {
      const mine = sigs.filter((s) => s.proposalId === p.id && !s.staleReason);
      let remote: z.infer<typeof multisigTxSchema> | null = null;
      try {
        remote = multisigTxSchema.parse(await call('get transaction', () => api.getTransaction(p.safeTxHash)));
      } catch (e) {
        if (!(isDeskError(e, 'TX_SERVICE_ERROR') && isNotFound(e.cause))) throw e;
      }
      if (!remote) {
        const first = mine[0];
        if (!first) continue; // the service wants a proposer's signature: wait for the first one
        await call('propose', () =>
          api.proposeTransaction({
            safeAddress: safe,
            safeTransactionData: { to: getAddress(p.to), value: '0', data: p.data, operation: 0, safeTxGas: '0', baseGas: '0', gasPrice: '0', gasToken: zeroAddress, refundReceiver: zeroAddress, nonce: p.nonce },
            safeTxHash: p.safeTxHash,
            senderAddress: getAddress(first.signer),
            senderSignature: first.signature,
            origin: 'Veto Desk',
          }),
        );
        logger.info({ requestId: p.requestId, safeTxHash: p.safeTxHash }, 'proposed to the Safe Transaction Service');
        remote = { safeTxHash: p.safeTxHash, nonce: p.nonce, isExecuted: false, confirmations: [{ owner: first.signer, signature: first.signature }] };
      }
      const theirs = new Set(remote.confirmations.map((c) => getAddress(c.owner)));
      const ours = new Set(sigs.filter((s) => s.proposalId === p.id).map((s) => getAddress(s.signer)));
      // desk → service
      for (const s of mine) {
        if (theirs.has(getAddress(s.signer))) continue;
        await call('confirm', () => api.confirmTransaction(p.safeTxHash, s.signature));
      }
      // service → desk: a Safe{Wallet} confirmation goes through the same checks as any other
      for (const c of remote.confirmations) {
        if (!c.signature || ours.has(getAddress(c.owner))) continue;
        try {
          await o.intake.submitSignature(p.requestId, { signature: c.signature, source: 'tx-service', safeTxHash: p.safeTxHash as `0x${string}` });
        } catch (e) {
          if (isDeskError(e, 'SIGNATURE_DUPLICATE')) continue;
          logger.warn({ requestId: p.requestId, owner: c.owner, err: describeError(e) }, 'a Transaction Service confirmation was refused');
        }
      }
    }
  }

  /** One pass at a time; errors are kept for /api/health and never thrown at callers. */
  function sync(): Promise<void> {
    if (running) return running;
    running = syncOnce()
      .then(() => {
        lastError = null;
      })
      .catch((e) => {
        const message = describeError(e);
        if (message !== lastError) logger.warn({ err: message }, 'Transaction Service sync failed; will retry');
        lastError = message;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    sync,
    start() {
      timer ??= setInterval(() => void sync(), o.options.intervalMs ?? 15_000);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      while (running) await running;
    },
    status: () => ({ url: o.options.url, lastError }),
  };
}

export type TxServiceSync = ReturnType<typeof createTxServiceSync>;
