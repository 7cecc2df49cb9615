/**
 * What an alert is, independent of where it goes. Kinds are documented in README "Alerts".
 */
import type { AlertSeverity } from '../config/alertRoutes';

export type { AlertSeverity };

/** Kinds the desk emits itself (planner) and kinds later work emits through `enqueueAlert`. */
export const ALERT_KINDS = [
  'request_queued',
  'request_at_risk',
  'veto_reminder',
  'request_vetoed',
  'request_fulfilled',
  'stake_escaped',
  'v4_request_overwritten',
  'desk_indexer_lagging',
  'desk_ingest_error',
  'desk_reorg_too_deep',
  // emitted by the Safe desks and the deadline timers through enqueueAlert
  'quorum_reached',
  'veto_executed',
  'fulfil_due',
  'fulfil_sent',
  'fulfil_landed',
  'fulfil_quorum_reached',
  'fulfil_no_quorum',
  'veto_escalated',
  'action_failed',
  'balance_low',
  'tx_service_unreachable',
  'veto_blocked',
  'fulfil_blocked',
  'veto_sign_again',
  'fulfil_sign_again',
  'request_slashable_again',
  'tx_reorged',
  'fee_cap_reached',
  // `alerts test <channel>`
  'test',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Desk-health kinds: numbered incidents with no request, triggered and resolved by the planner. */
export const HEALTH_ALERT_KINDS = ['desk_indexer_lagging', 'desk_ingest_error', 'desk_reorg_too_deep', 'balance_low', 'tx_service_unreachable'] as const satisfies readonly AlertKind[];

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** An alert before it is stored: the planner's output and `enqueueAlert`'s input. */
export interface AlertDraft {
  /** unique per (chain, slasher, request, kind, lead time | incident): inserting twice is a no-op */
  dedupKey: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** `resolve` closes the incident `incidentKey` (PagerDuty resolve; a message elsewhere) */
  action: 'trigger' | 'resolve';
  /** stable across the alerts of one request or one health incident (PagerDuty `dedup_key`) */
  incidentKey: string;
  /** absent only for desk-health alerts */
  requestId?: string;
  title: string;
  /** plain text, several lines */
  text: string;
  data: Record<string, unknown>;
}

/** A stored alert, as channels format it. */
export interface Alert extends AlertDraft {
  id: string;
  chainId: number;
  slasher: `0x${string}`;
  createdAt: Date;
  seenAt: Date;
}
