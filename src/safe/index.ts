/**
 * The committee's Safe: veto proposals, signature intake, execution (issue 3). `createDeskVetoes`
 * is what the composition root calls.
 */
import { getAddress, isAddress, type Address, type Hex, type PublicClient } from 'viem';
import type { Logger } from '../lib/logger';
import type { Db } from '../store/database';
import { createVetoStore } from '../store/vetoStore';
import { createExecutor, type ExecutorOptions } from './executor';
import { createVetoService, type RequestSnapshot, type VetoEvent, type VetoService, type VetoServiceOptions } from './vetoService';
import { createTxServiceSync, type TxServiceOptions, type TxServiceSync } from './txServiceSync';

export { createVetoService, type VetoService, type RequestSnapshot, type VetoEvent } from './vetoService';
export type { VetoView } from './vetoView';

export interface DeskVetoOptions {
  /** sends execTransaction; absent: the desk never sends */
  executorPrivateKey?: Hex;
  /** protocol-kit contractNetworks (MultiSend etc. on chains the SDK does not know) */
  contractNetworks?: Record<string, Record<string, string>>;
  /** test hook, see ExecutorOptions.afterRecord */
  afterRecord?: ExecutorOptions['afterRecord'];
  receiptTimeoutMs?: number;
  /** Safe Transaction Service (SAFE_TX_SERVICE_URL, SAFE_API_KEY) */
  txService?: TxServiceOptions;
}

export function createDeskVetoes(p: {
  client: PublicClient;
  db: Db;
  chainId: number;
  slasher: Address;
  committee: Address;
  slasherRole: Address;
  requests: () => Promise<RequestSnapshot[]>;
  logger: Logger;
  options?: DeskVetoOptions;
  /** veto milestones (the desk routes them to alerting) */
  onEvent?: (e: VetoEvent) => Promise<unknown> | void;
  /** see VetoServiceOptions.gate */
  gate?: VetoServiceOptions['gate'];
}): VetoService {
  const store = createVetoStore(p.db, p.slasher);
  const executor = p.options?.executorPrivateKey
    ? createExecutor({ client: p.client, store, chainId: p.chainId, privateKey: p.options.executorPrivateKey, logger: p.logger, afterRecord: p.options.afterRecord, receiptTimeoutMs: p.options.receiptTimeoutMs })
    : null;
  let tx: TxServiceSync | null = null;
  const service = createVetoService({
    client: p.client,
    store,
    chainId: p.chainId,
    slasher: p.slasher,
    committee: p.committee,
    otherSafes: [p.slasherRole],
    requests: p.requests,
    executor,
    logger: p.logger,
    onProposalChange: () => void tx?.sync(),
    txService: () => tx,
    onEvent: p.onEvent,
    gate: p.gate,
    multiSendCallOnly: multiSendCallOnlyOf(p.options?.contractNetworks, p.chainId),
  });
  if (p.options?.txService) {
    tx = createTxServiceSync({ options: p.options.txService, chainId: p.chainId, safe: p.committee, store, intake: service, logger: p.logger });
    tx.start();
  }
  return service;
}

function multiSendCallOnlyOf(networks: Record<string, Record<string, string>> | undefined, chainId: number): Address | undefined {
  const a = networks?.[String(chainId)]?.multiSendCallOnlyAddress;
  return a && isAddress(a, { strict: false }) ? getAddress(a) : undefined;
}
