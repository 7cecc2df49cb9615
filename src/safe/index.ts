/**
 * The desk's Safes: the committee's vetoes and, when the slasher role is a Safe, governance's
 * fulfils: signature intake, the nonce plan, Transaction Service sync, execution.
 * `createDeskSafes` is what the composition root calls.
 */
import { getAddress, isAddress, type Address, type PublicClient } from 'viem';
import type { Logger } from '../lib/logger';
import type { VetoStore } from '../store/vetoStore';
import type { SentTxStore } from '../store/sentTxStore';
import type { Sender } from '../sender/sender';
import { createExecutor } from './executor';
import { fulfilPurpose, vetoPurpose, type ProposalPurpose } from './proposalPurpose';
import type { FulfilFunction } from './safeTx';
import { createSafeDesk, type SafeDesk, type SafeDeskOptions } from './safeDesk';
import { createTxServiceSync, type TxServiceOptions, type TxServiceSync } from './txServiceSync';

export { createSafeDesk, type SafeDesk, type VetoService } from './safeDesk';
export type { RequestSnapshot, VetoEvent } from './types';
export type { VetoPolicy } from './holds';
export type { RejectionView, BatchView, SafePlanView } from '../requests/views';
export type { VetoView } from '../requests/views';

export interface DeskVetoOptions {
  /** sends execTransaction (vetoes and governance fulfils); absent: the desk never sends */
  executorPrivateKey?: `0x${string}`;
  /** protocol-kit contractNetworks (MultiSend etc. on chains the SDK does not know) */
  contractNetworks?: Record<string, Record<string, string>>;
  /** Safe Transaction Service (SAFE_TX_SERVICE_URL, SAFE_API_KEY) */
  txService?: TxServiceOptions;
}

export interface DeskSafes {
  /** the committee Safe's vetoes */
  vetoes: SafeDesk;
  /** governance's fulfils through the slasher role's Safe (off, with a note, when the role is no Safe) */
  fulfils: SafeDesk;
}

export function createDeskSafes(p: {
  client: PublicClient;
  /** a Safe's proposals and signatures (store/vetoStore.ts), and every transaction sent */
  stores: { proposals: (safe: Address) => VetoStore; sentTxs: SentTxStore };
  chainId: number;
  slasher: Address;
  committee: Address;
  /** the slasher's slasher() role: governance's Safe, or an EOA keeper (then fulfils are not planned here) */
  slasherRole: Address;
  /** the slasher's variant: FULFIL_FUNCTION's burn-or-redistribute exists on V4 only */
  variant: string;
  /** FULFIL_FUNCTION */
  fulfilFunction?: FulfilFunction;
  /** FULFIL_AFTER_LAPSE */
  fulfilAfterLapse?: boolean;
  /** the executor key's sender (shared with the slasher key's when they are one); null: the desk never executes */
  executorSender: Sender | null;
  logger: Logger;
  options?: DeskVetoOptions;
  /** the fulfils' gate when it differs (fulfils wait for what vetoes need not) */
  fulfilGate?: SafeDeskOptions['gate'];
  /** the part of the fulfils' gate every desk shares (see SafeDeskOptions.sharedGate) */
  fulfilSharedGate?: SafeDeskOptions['sharedGate'];
} & Pick<SafeDeskOptions, 'requests' | 'request' | 'onEvent' | 'onHistory' | 'gate' | 'standby' | 'vetoPolicy' | 'head' | 'now' | 'maxLogRange' | 'reorgDepth'>): DeskSafes {
  const committee = getAddress(p.committee);
  const role = getAddress(p.slasherRole);
  const executor = p.executorSender ? createExecutor({ client: p.client, sender: p.executorSender }) : null;
  const sentTxs = p.stores.sentTxs;
  let fn: FulfilFunction = p.fulfilFunction ?? 'fulfillSlashingRequest';
  if (fn === 'fulfillSlashingRequestAndBurnOrRedistribute' && p.variant !== 'V4') {
    p.logger.warn({ variant: p.variant }, 'FULFIL_FUNCTION=fulfillSlashingRequestAndBurnOrRedistribute exists on V4 only: governance fulfils call fulfillSlashingRequest');
    fn = 'fulfillSlashingRequest';
  }
  const desk = (safe: Address, purpose: ProposalPurpose, extra: Partial<SafeDeskOptions>): SafeDesk => {
    const store = p.stores.proposals(safe);
    let tx: TxServiceSync | null = null;
    const service = createSafeDesk({
      client: p.client,
      store,
      sentTxs,
      chainId: p.chainId,
      slasher: p.slasher,
      safe,
      purpose,
      requests: p.requests,
      request: p.request,
      executor,
      logger: p.logger,
      onProposalChange: () => void tx?.sync(),
      txService: () => tx,
      onEvent: p.onEvent,
      onHistory: p.onHistory,
      gate: p.gate,
      standby: p.standby,
      head: p.head,
      now: p.now,
      maxLogRange: p.maxLogRange,
      reorgDepth: p.reorgDepth,
      ...extra,
    });
    if (p.options?.txService && !extra.unavailable) {
      tx = createTxServiceSync({ options: p.options.txService, chainId: p.chainId, safe, store, intake: service, logger: p.logger });
      tx.start();
    }
    return service;
  };
  return {
    vetoes: desk(committee, vetoPurpose(p.slasher), { otherSafes: [role], vetoPolicy: p.vetoPolicy, multiSendCallOnly: multiSendCallOnlyOf(p.options?.contractNetworks, p.chainId) }),
    fulfils: desk(role, fulfilPurpose(p.slasher, fn, p.fulfilAfterLapse ?? false), {
      otherSafes: [committee],
      ...(p.fulfilGate ? { gate: p.fulfilGate } : {}),
      ...(p.fulfilSharedGate ? { sharedGate: p.fulfilSharedGate } : {}),
      // one Safe for both roles would plan vetoes and fulfils on the same nonces
      ...(role === committee ? { unavailable: `the slasher role is the veto committee Safe ${committee} itself: the desk plans its vetoes only, no fulfil Safe transactions` } : {}),
    }),
  };
}

function multiSendCallOnlyOf(networks: Record<string, Record<string, string>> | undefined, chainId: number): Address | undefined {
  const a = networks?.[String(chainId)]?.multiSendCallOnlyAddress;
  return a && isAddress(a, { strict: false }) ? getAddress(a) : undefined;
}
