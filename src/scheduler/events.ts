/**
 * What the deadline timers tell people: one event per milestone of a request (a fulfil due, sent,
 * landed, failed; a veto escalated; a transaction reorged out or priced at the cap). The desk turns
 * each into an alert (src/alerts/deskEvents.ts); the timers know nothing of channels or outboxes.
 */

export const SCHEDULER_EVENT_KINDS = [
  'fulfil_due',
  'fulfil_sent',
  'fulfil_landed',
  'fulfil_no_quorum',
  'veto_escalated',
  'action_failed',
  'request_slashable_again',
  'tx_reorged',
  'fee_cap_reached',
] as const;

export type SchedulerEventKind = (typeof SCHEDULER_EVENT_KINDS)[number];

export interface SchedulerEvent {
  kind: SchedulerEventKind;
  severity: 'info' | 'warning' | 'critical';
  requestId: string;
  /** with the id, names the request (V4 reuses ids) */
  queuedAtBlock: number;
  /** what tells this milestone apart from another of the same kind for the request (a tx hash, a block): '' for a once-only milestone */
  key: string;
  title: string;
  /** plain text, several lines */
  text: string;
  data: Record<string, unknown>;
}
