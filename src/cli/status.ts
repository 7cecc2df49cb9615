/**
 * `npm run cli -- status`: what the person paged needs first — is the desk healthy, which
 * requests are open, when their deadlines fall (blocks and time, estimates marked), what each
 * needs next, and whether anything is blocked. Exit 3 when a human is needed now.
 */
import { parseArgs } from './args';
import { EXIT } from './cliError';
import { createDeskClient, deskErrorText, expectBody, resolveDeskUrl } from './deskClient';
import { healthSchema, planSchema, requestListSchema, type RequestAnswer } from './deskViews';
import type { CliIo } from './io';
import { DESK_HELP } from './signing';
import { blockWords, untrusted, when } from './text';

export const help = `usage: npm run cli -- status [--desk URL]

Prints the desk's health, every open request (in its veto window or fulfillable) with its
deadlines in blocks and time (estimates marked), what it needs next (nextAction: what, who,
when), its veto's signatures, and anything blocked (Safe nonces without quorum holding vetoes
back: sign them or \`npm run cli -- reject --nonce N\`).

It exits 3 when a human is needed now: the desk's health is error or degraded, a veto is blocked
or failed, an open request is at risk (its stake can leave before the slash can land), a due
fulfil has nobody to send it or lacks owner signatures, or a veto escalated.

${DESK_HELP}

Exit: 0 nothing needs a human now, 1 the desk did not answer, 2 usage, 3 a human is needed now.`;

const OPEN = 'in_veto_window,fulfillable';

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { booleans: ['insecure-http'], values: ['desk'] });
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const desk = createDeskClient(resolveDeskUrl(p, io));
  const healthAnswer = await desk.get('/api/health');
  const health = expectBody({ ...healthAnswer, ok: true }, healthSchema, 'health', desk.url);
  const { requests } = expectBody(await desk.get(`/api/requests?status=${OPEN}&limit=1000`), requestListSchema, 'open requests', desk.url);
  const planAnswer = await desk.get('/api/safe/plan');
  const plan = planAnswer.ok ? planSchema.safeParse(planAnswer.body) : null;
  const now = Date.now();
  const head = health.headBlock;
  const human: string[] = [];

  io.out(
    `desk ${desk.url}: ${untrusted(health.status, 20)} — chain ${health.chainId ?? '?'}, head ${head ?? '?'}, indexed ${health.indexedBlock ?? '?'}` +
      `${health.lagBlocks != null ? ` (lag ${health.lagBlocks} block${health.lagBlocks === 1 ? '' : 's'})` : ''}${health.slasher ? `, slasher ${untrusted(health.slasher, 60)} ${untrusted(health.variant ?? '', 10)}` : ''}\n`,
  );
  for (const problem of health.problems ?? []) io.out(`  problem: ${untrusted(problem, 300)}\n`);
  if (health.status === 'error' || health.status === 'degraded') human.push(`the desk is ${untrusted(health.status, 20)}${health.problems?.length ? `: ${untrusted(health.problems[0], 200)}` : ''}`);

  io.out(`\n${requests.length === 0 ? 'No open requests.' : `Open requests (${requests.length}):`}\n`);
  for (const r of [...requests].sort(byDeadline)) {
    io.out(describe(r, head, now));
    human.push(...needsHuman(r));
  }

  io.out('\n');
  if (plan?.success) {
    const blocked = plan.data.blocked;
    if (blocked.length === 0) io.out(`Safe ${plan.data.safe}: nonce ${plan.data.safeNonce}, threshold ${plan.data.threshold}, nothing blocked.\n`);
    else {
      io.out(`BLOCKED Safe nonces (Safe ${plan.data.safe}, at nonce ${plan.data.safeNonce}):\n`);
      for (const b of blocked) {
        io.out(`  nonce ${b.nonce}: ${untrusted(b.explanation, 500)}\n    sign the rejection: npm run cli -- reject --nonce ${b.nonce}\n`);
        human.push(`Safe nonce ${b.nonce} blocks the veto${b.waiting.length > 1 ? 's' : ''} of request${b.waiting.length > 1 ? 's' : ''} ${b.waiting.map((w) => `#${untrusted(w, 80)}`).join(', ')}`);
      }
    }
  } else {
    io.out(`Safe plan: ${planAnswer.ok ? 'unreadable answer' : deskErrorText(planAnswer)}\n`);
  }

  if (human.length === 0) {
    io.out('\nNothing needs a human now.\n');
    return EXIT.OK;
  }
  io.out(`\nNEEDS A HUMAN NOW (${human.length}):\n${[...new Set(human)].map((h) => `  - ${h}`).join('\n')}\n`);
  return EXIT.NEEDS_HUMAN;
}

function windowBlock(r: RequestAnswer): number {
  return r.vetoWindowEnd.block ?? r.vetoWindowEnd.timestamp ?? Number.MAX_SAFE_INTEGER;
}

function byDeadline(a: RequestAnswer, b: RequestAnswer): number {
  return windowBlock(a) - windowBlock(b);
}

function describe(r: RequestAnswer, head: number | null, now: number): string {
  const id = untrusted(r.requestId, 80);
  const w = r.vetoWindowEnd;
  const lines = [`  #${id}  ${untrusted(r.status, 30)}${r.atRisk ? '  AT RISK (the stake can leave before the slash can land)' : ''}${r.confirmed === false ? '  (unconfirmed)' : ''}  operator ${untrusted(r.operator, 60)}`];
  lines.push(`      veto window ends  ${w.block !== undefined ? blockWords(w.block, head) : w.timestamp !== undefined ? `unix time ${w.timestamp}` : '?'}, ${when(w.estimatedAt, w.estimated ?? true, now)}`);
  lines.push(`      last useful       ${r.lastUsefulBlock === null ? 'unbounded' : `${blockWords(r.lastUsefulBlock, head)}, ${when(r.lastUsefulBlockEstimatedAt, true, now)}`}`);
  const n = r.nextAction;
  if (n) {
    const due = n.dueBlock !== null ? `${blockWords(n.dueBlock, head)}, ${when(n.dueAt, n.estimated ?? true, now)}` : n.dueAt ? when(n.dueAt, n.estimated ?? true, now) : 'now';
    lines.push(`      next              ${untrusted(n.kind, 40)} by ${untrusted(n.actor, 20)}, due ${due}${n.note ? ` — ${untrusted(n.note, 300)}` : ''}`);
  } else if (n === null) lines.push('      next              nothing left to do');
  if (r.veto) {
    const v = r.veto;
    const sigs = v.signatures.filter((s) => !s.stale).length;
    lines.push(`      veto              ${untrusted(v.status, 20)}, ${sigs} of ${v.threshold} signatures at nonce ${v.nonce}${v.blockedByNonce != null ? `, BLOCKED by nonce ${v.blockedByNonce}` : ''}`);
    if (v.statusReason) lines.push(`                        ${untrusted(v.statusReason, 400)}`);
  }
  if (r.fulfil) {
    const f = r.fulfil;
    lines.push(`      fulfil (Safe)     ${untrusted(f.status, 20)}, ${f.signatures.filter((s) => !s.stale).length} of ${f.threshold} signatures at nonce ${f.nonce}`);
  }
  return lines.join('\n') + '\n';
}

/** Why this request needs a person now, if it does. */
export function needsHuman(r: RequestAnswer): string[] {
  const id = `#${untrusted(r.requestId, 80)}`;
  const out: string[] = [];
  if (r.atRisk) out.push(`request ${id} is at risk: its stake can leave (last useful block ${r.lastUsefulBlock ?? '?'}) before its window ends`);
  if (r.veto?.blockedByNonce != null) out.push(`the veto of request ${id} has quorum but is blocked by Safe nonce ${r.veto.blockedByNonce}`);
  if (r.veto?.status === 'failed') out.push(`the veto of request ${id} failed: ${untrusted(r.veto.statusReason ?? '', 200)}`);
  if (r.fulfil?.status === 'failed') out.push(`the fulfil of request ${id} failed: ${untrusted(r.fulfil.statusReason ?? '', 200)}`);
  const n = r.nextAction;
  if (r.status === 'fulfillable' && n) {
    if (n.actor === 'nobody') out.push(`request ${id} is due to be fulfilled and nobody can send it: ${untrusted(n.note ?? '', 200)}`);
    else if (n.kind === 'collect_fulfil_signatures') out.push(`request ${id} is due to be fulfilled and governance's fulfil lacks signatures`);
    else if (n.kind === 'fulfil' && n.actor === 'owners') out.push(`request ${id} is due to be fulfilled: an owner must execute it from a wallet`);
  }
  const escalated = r.actions?.some((a) => a.kind === 'veto_escalated');
  if (escalated && r.status === 'in_veto_window' && r.veto && r.veto.status === 'collecting') out.push(`the veto of request ${id} escalated: it lacks signatures and the window closes soon`);
  return out;
}
