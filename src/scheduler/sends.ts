/** What a sent transaction is, as the scheduler tells them apart. */
import type { SentTxRow } from '../store/sentTxStore';

/** the slasher key's fulfils (V4's burn-or-redistribute included) */
export const FULFILS = new Set(['fulfil', 'fulfil_burn']);
/** executions of the committee Safe that veto */
export const VETO_SENDS = new Set(['safe_veto', 'safe_batch']);

/** The request ids a sent transaction acts on (a batch names several). */
export function requestIdsOfSend(row: Pick<SentTxRow, 'requestId'>): string[] {
  if (row.requestId.startsWith('batch:')) return row.requestId.split(':')[2]?.split(',').filter(Boolean) ?? [];
  if (row.requestId.startsWith('rejection:')) return [];
  return [row.requestId];
}
