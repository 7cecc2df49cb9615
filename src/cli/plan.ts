/**
 * `npm run cli -- plan`: the committee Safe's nonce plan as the desk keeps it — which Safe
 * transaction sits at which nonce, its signatures, and the nonces that block vetoes with quorum.
 */
import { parseArgs } from './args';
import { EXIT } from './cliError';
import { createDeskClient, expectBody, resolveDeskUrl } from './deskClient';
import { planSchema } from './deskViews';
import type { CliIo } from './io';
import { DESK_HELP } from './signing';
import { table, untrusted } from './text';

export const help = `usage: npm run cli -- plan [--desk URL]

Prints the committee Safe's nonce plan (GET /api/safe/plan): the Safe, its current nonce and
threshold, every planned Safe transaction by nonce (veto, rejection or batch; request; status;
signatures; safeTxHash), and each blocked nonce with how to resolve it (sign the blocking veto,
or the rejection: \`npm run cli -- reject --nonce N\`).

${DESK_HELP}

Exit: 0 printed, 1 the desk did not answer or runs no veto service, 2 usage.`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { booleans: ['insecure-http'], values: ['desk'] });
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const desk = createDeskClient(resolveDeskUrl(p, io));
  const plan = expectBody(await desk.get('/api/safe/plan'), planSchema, 'the Safe plan', desk.url);
  io.out(`Committee Safe ${plan.safe}: at nonce ${plan.safeNonce}, threshold ${plan.threshold}\n\n`);
  // an unsigned veto holds no nonce, so requests waiting for their first signature are not here
  if (plan.entries.length === 0) io.out('No Safe transaction holds a nonce: no veto has a signature yet (a veto takes a nonce with its first signature; `npm run cli -- status` lists the requests in their window).\n');
  else {
    const rows = [['nonce', 'kind', 'request', 'status', 'signatures', 'safeTxHash']];
    for (const e of [...plan.entries].sort((a, b) => a.nonce - b.nonce)) {
      const req = e.requestIds?.length ? e.requestIds.map((r) => `#${untrusted(r, 80)}`).join(',') : e.requestId !== null ? `#${untrusted(e.requestId, 80)}` : '-';
      rows.push([`${e.nonce}${e.nonce === plan.safeNonce ? '*' : ''}`, untrusted(e.kind, 12), req, untrusted(e.status, 16), `${e.signatures}/${plan.threshold}`, untrusted(e.safeTxHash, 66)]);
    }
    io.out(table(rows));
    io.out('(* = the Safe\'s next nonce: only it can execute now)\n');
  }
  if (plan.blocked.length) {
    io.out(`\nBLOCKED (${plan.blocked.length}):\n`);
    for (const b of plan.blocked) {
      io.out(`  nonce ${b.nonce}${b.blockingRequestId ? ` (veto of #${untrusted(b.blockingRequestId, 80)})` : ''} holds back ${b.waiting.map((w) => `#${untrusted(w, 80)}`).join(', ')}\n`);
      io.out(`    ${untrusted(b.explanation, 600)}\n    npm run cli -- reject --nonce ${b.nonce}\n`);
    }
  } else io.out('\nNo nonce is blocked.\n');
  return EXIT.OK;
}
