/**
 * Decodes the slasher's raw logs with the layout of its variant. SlashingRequested has the same
 * topic0 in every variant: V1 indexes operatorSetId (4 topics), V2–V4 do not (3 topics), so the
 * topic count decides the layout of each log.
 */
import { decodeEventLog, getAddress, hexToNumber, type Address, type Hex } from 'viem';
import { slasherOperatorSlashed, slashingRequestCancelled, slashingRequestedV1, slashingRequestedV2, TOPIC } from './abis';
import type { RawLog } from './logs';

interface LogPosition {
  blockNumber: number;
  blockHash: Hex;
  txHash: Hex;
  logIndex: number;
}

export type SlasherLog =
  | (LogPosition & { kind: 'queued'; requestId: bigint; operator: Address; operatorSetId: number; wadsToSlash: bigint[]; description: string; topicCount: number })
  | (LogPosition & { kind: 'cancelled'; requestId: bigint })
  | (LogPosition & { kind: 'slashed'; id: bigint; operator: Address; operatorSetId: number });

function position(l: RawLog): LogPosition {
  return { blockNumber: hexToNumber(l.blockNumber), blockHash: l.blockHash, txHash: l.transactionHash, logIndex: hexToNumber(l.logIndex) };
}

/** Returns null for logs that are not the slasher's tracked events. */
export function decodeSlasherLog(l: RawLog): SlasherLog | null {
  const t0 = l.topics[0];
  if (t0 === TOPIC.SlashingRequested) {
    const abi = l.topics.length === 4 ? slashingRequestedV1 : slashingRequestedV2;
    const { args } = decodeEventLog({ abi: [abi], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return {
      ...position(l),
      kind: 'queued',
      requestId: args.requestId,
      operator: getAddress(args.operator),
      operatorSetId: Number(args.operatorSetId),
      wadsToSlash: [...args.wadsToSlash],
      description: args.description,
      topicCount: l.topics.length,
    };
  }
  if (t0 === TOPIC.SlashingRequestCancelled) {
    const { args } = decodeEventLog({ abi: [slashingRequestCancelled], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return { ...position(l), kind: 'cancelled', requestId: args.requestId };
  }
  if (t0 === TOPIC.OperatorSlashed) {
    const { args } = decodeEventLog({ abi: [slasherOperatorSlashed], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return { ...position(l), kind: 'slashed', id: args.slashingRequestId, operator: getAddress(args.operator), operatorSetId: Number(args.operatorSetId) };
  }
  return null;
}

export const SLASHER_TOPICS: Hex[] = [TOPIC.SlashingRequested, TOPIC.SlashingRequestCancelled, TOPIC.OperatorSlashed];
