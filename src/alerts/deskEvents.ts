/**
 * The desk's own milestones as alerts: the Safe desks' (veto and governance fulfil) and the
 * deadline timers'. Each carries the request key in its dedup key, so a milestone reported again
 * by a later pass, a restart or a second desk is stored once.
 */
import type { SchedulerEvent } from '../scheduler/events';
import type { VetoEvent } from '../safe/types';
import { requestKey } from './planner';
import type { AlertDraft } from './types';

/** A deadline timer's milestone as an alert: dedup key = request key + kind (+ what tells the milestone apart). */
export function schedulerAlert(chainId: number, slasher: string, e: SchedulerEvent): AlertDraft {
  const key = requestKey(chainId, slasher, e);
  return { dedupKey: `${key}:${e.kind}${e.key ? `:${e.key}` : ''}`, kind: e.kind, severity: e.severity, action: 'trigger', incidentKey: key, requestId: e.requestId, title: e.title, text: e.text, data: e.data };
}

/**
 * A veto (or governance fulfil) milestone as an alert. Dedup key = request (id and queue block) +
 * kind + safeTxHash (+ the execution block for an execution, the blocking nonce for a block): one
 * alert per milestone of each proposal, however many passes or restarts report it — and a new one
 * when a reorg made an execution happen again.
 */
export function vetoAlert(chainId: number, slasher: string, e: VetoEvent): AlertDraft {
  const key = requestKey(chainId, slasher, e);
  const who = e.signers.length ? e.signers.join(', ') : 'no desk signatures';
  const what = e.purpose === 'fulfil' ? 'Fulfil' : 'Veto';
  const left = e.blocksLeft != null ? ` (${e.blocksLeft} block(s) left)` : '';
  let severity: AlertDraft['severity'];
  let title: string;
  let text: string;
  let suffix = '';
  switch (e.kind) {
    case 'quorum_reached':
    case 'fulfil_quorum_reached':
      [severity, title, text] = ['info', `${what} of request ${e.requestId}: quorum reached (${e.signers.length}/${e.threshold})`, `Signed by ${who}.\nSafe ${e.safe}, nonce ${e.nonce}, safeTxHash ${e.safeTxHash}.${e.purpose === 'fulfil' ? '\nIt executes once the veto window has passed.' : ''}`];
      break;
    case 'veto_executed':
    case 'fulfil_landed':
      [severity, title, text] = ['info', `${what} of request ${e.requestId} ${e.purpose === 'fulfil' ? 'landed' : 'executed'}`, `execTransaction ${e.executionTxHash ?? '(executed by a member)'} on Safe ${e.safe} at nonce ${e.nonce}${e.executionBlock != null ? `, block ${e.executionBlock}` : ''}.`];
      suffix = e.executionBlock != null ? `:${e.executionBlock}` : '';
      break;
    case 'veto_blocked':
    case 'fulfil_blocked': {
      const b = e.blocked;
      [severity, title, text] = [
        'critical',
        `${what} of request ${e.requestId} has its signatures but is BLOCKED by Safe nonce ${b?.nonce ?? '?'}${b?.blockingRequestId ? ` (request ${b.blockingRequestId})` : ''}${left}`,
        `${e.reason ?? ''}\nSafe ${e.safe}; this ${what.toLowerCase()} is at nonce ${e.nonce} (${e.signers.length}/${e.threshold}: ${who}).\nWays out:\n${(b?.waysOut ?? []).map((w) => `- ${w.words} (${w.href})`).join('\n')}`,
      ];
      suffix = `:${b?.nonce ?? ''}`;
      break;
    }
    case 'veto_sign_again':
    case 'fulfil_sign_again':
      [severity, title, text] = ['critical', `${what} of request ${e.requestId}: ${e.signAgain?.signers.join(', ') ?? 'its signers'} must sign again`, `${e.reason ?? ''}\nSafe ${e.safe}.`];
      suffix = `:${e.signAgain?.lostNonce ?? ''}`;
      break;
    default:
      [severity, title, text] = ['critical', `${what} of request ${e.requestId} failed: ${e.reason ?? 'unknown reason'}`, `Safe ${e.safe}, nonce ${e.nonce}, safeTxHash ${e.safeTxHash}.${e.executionTxHash ? `\nTransaction ${e.executionTxHash}.` : ''}\nReason: ${e.reason ?? 'unknown'}`];
  }
  return {
    dedupKey: `${key}:${e.kind}:${e.safeTxHash.toLowerCase()}${suffix}`,
    kind: e.kind,
    severity,
    action: 'trigger',
    incidentKey: key,
    requestId: e.requestId,
    title,
    text,
    data: {
      purpose: e.purpose,
      safe: e.safe,
      nonce: e.nonce,
      safeTxHash: e.safeTxHash,
      threshold: e.threshold,
      signers: e.signers,
      executionTxHash: e.executionTxHash,
      ...(e.executionBlock != null ? { executionBlock: e.executionBlock } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.blocked ? { blockingNonce: e.blocked.nonce, blockingRequestId: e.blocked.blockingRequestId, waysOut: e.blocked.waysOut } : {}),
      ...(e.signAgain ? { mustSignAgain: e.signAgain.signers, lostNonce: e.signAgain.lostNonce } : {}),
      ...(e.blocksLeft != null ? { blocksLeft: e.blocksLeft } : {}),
    },
  };
}
