/**
 * The desk's Safes: the committee's vetoes (issue 3) and, when the slasher role is a Safe,
 * governance's fulfils (issue 4): proposals, signature intake, Transaction Service sync,
 * execution. `createDeskSafes` is what the composition root calls.
 */
import { getAddress, isAddress, type Address, type Hex, type PublicClient } from 'viem';
import type { Logger } from '../lib/logger';
import type { Db } from '../store/database';
import { createVetoStore } from '../store/vetoStore';
import { createExecutor, type Executor, type ExecutorOptions } from './executor';
import { fulfilPurpose, vetoPurpose, type ProposalPurpose } from './proposalPurpose';
import type { FulfilFunction } from './safeTx';
import { createVetoService, type RequestSnapshot, type VetoEvent, type VetoService, type VetoServiceOptions } from './vetoService';
import { createTxServiceSync, type TxServiceOptions, type TxServiceSync } from './txServiceSync';

export { createVetoService, type VetoService, type RequestSnapshot, type VetoEvent } from './vetoService';
export type { VetoView } from './vetoView';

export interface DeskVetoOptions {
  /** sends execTransaction (vetoes and governance fulfils); absent: the desk never sends */
  executorPrivateKey?: Hex;
  /** protocol-kit contractNetworks (MultiSend etc. on chains the SDK does not know) */
  contractNetworks?: Record<string, Record<string, string>>;
  /** test hook, see ExecutorOptions.afterRecord */
  afterRecord?: ExecutorOptions['afterRecord'];
  receiptTimeoutMs?: number;
  /** Safe Transaction Service (SAFE_TX_SERVICE_URL, SAFE_API_KEY) */
  txService?: TxServiceOptions;
}

export interface DeskSafes {
  /** the committee Safe's vetoes */
  vetoes: VetoService;
  /** governance's fulfils through the slasher role's Safe (off, with a note, when the role is no Safe) */
  fulfils: VetoService;
}

export function createDeskSafes(p: {
  client: PublicClient;
  db: Db;
  chainId: number;
  slasher: Address;
  committee: Address;
  /** the slasher's slasher() role: governance's Safe, or an EOA keeper (then fulfils are not planned here) */
  slasherRole: Address;
  /** the slasher's variant: FULFIL_FUNCTION's burn-or-redistribute exists on V4 only */
  variant: string;
  /** FULFIL_FUNCTION */
  fulfilFunction?: FulfilFunction;
  requests: () => Promise<RequestSnapshot[]>;
  logger: Logger;
  options?: DeskVetoOptions;
  /** veto and fulfil milestones (the desk routes them to alerting) */
  onEvent?: (e: VetoEvent) => Promise<unknown> | void;
  /** see VetoServiceOptions.gate: asked before a ready veto (or rejection, batch) executes */
  gate?: VetoServiceOptions['gate'];
  /** asked before a ready fulfil executes, once its window has passed */
  fulfilGate?: VetoServiceOptions['gate'];
}): DeskSafes {
  const committee = getAddress(p.committee);
  const role = getAddress(p.slasherRole);
  const executor = p.options?.executorPrivateKey
    ? oneAtATime(createExecutor({ client: p.client, store: createVetoStore(p.db, p.slasher, committee), chainId: p.chainId, privateKey: p.options.executorPrivateKey, logger: p.logger, afterRecord: p.options.afterRecord, receiptTimeoutMs: p.options.receiptTimeoutMs }))
    : null;
  let fn: FulfilFunction = p.fulfilFunction ?? 'fulfillSlashingRequest';
  if (fn === 'fulfillSlashingRequestAndBurnOrRedistribute' && p.variant !== 'V4') {
    p.logger.warn({ variant: p.variant }, 'FULFIL_FUNCTION=fulfillSlashingRequestAndBurnOrRedistribute exists on V4 only: governance fulfils call fulfillSlashingRequest');
    fn = 'fulfillSlashingRequest';
  }
  const desk = (safe: Address, purpose: ProposalPurpose, extra: Partial<VetoServiceOptions>): VetoService => {
    const store = createVetoStore(p.db, p.slasher, safe);
    let tx: TxServiceSync | null = null;
    const service = createVetoService({
      client: p.client,
      store,
      chainId: p.chainId,
      slasher: p.slasher,
      safe,
      purpose,
      requests: p.requests,
      executor,
      logger: p.logger,
      onProposalChange: () => void tx?.sync(),
      txService: () => tx,
      onEvent: p.onEvent,
      ...extra,
    });
    if (p.options?.txService && !extra.unavailable) {
      tx = createTxServiceSync({ options: p.options.txService, chainId: p.chainId, safe, store, intake: service, logger: p.logger });
      tx.start();
    }
    return service;
  };
  return {
    vetoes: desk(committee, vetoPurpose(p.slasher), { otherSafes: [role], gate: p.gate, multiSendCallOnly: multiSendCallOnlyOf(p.options?.contractNetworks, p.chainId) }),
    fulfils: desk(role, fulfilPurpose(p.slasher, fn), {
      otherSafes: [committee],
      gate: p.fulfilGate,
      // one Safe for both roles would plan vetoes and fulfils on the same nonces
      ...(role === committee ? { unavailable: `the slasher role is the veto committee Safe ${committee} itself: the desk plans its vetoes only, no fulfil Safe transactions` } : {}),
    }),
  };
}

/**
 * The two desks share one executor account: its sends go one at a time, or both could sign with
 * the same account nonce. (Settling a recorded action sends nothing new and is not serialised.)
 */
function oneAtATime(executor: Executor): Executor {
  let last: Promise<unknown> = Promise.resolve();
  return {
    ...executor,
    execute(...args) {
      const run = last.then(() => executor.execute(...args));
      last = run.catch(() => undefined);
      return run;
    },
  };
}

function multiSendCallOnlyOf(networks: Record<string, Record<string, string>> | undefined, chainId: number): Address | undefined {
  const a = networks?.[String(chainId)]?.multiSendCallOnlyAddress;
  return a && isAddress(a, { strict: false }) ? getAddress(a) : undefined;
}
