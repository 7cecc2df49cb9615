/**
 * `npm run cli -- devnet queue`: DEVNET ONLY. Asks a desk running the embedded devnet to queue
 * a new slashing request (`POST /api/dev/requests`), so there is always something to practise
 * on. A desk on a real chain has no such route (404) and is named as such.
 */
import { isAddress } from 'viem';
import { parseArgs } from './args';
import { CliError, EXIT } from './cliError';
import { createDeskClient, deskErrorText, expectBody, resolveDeskUrl } from './deskClient';
import { devQueuedSchema } from './deskViews';
import type { CliIo } from './io';
import { DESK_HELP } from './signing';
import { untrusted } from './text';

export const help = `usage: npm run cli -- devnet queue [--operator 0x…] [--percent N] [--description "…"] [--desk URL]

DEVNET ONLY — like the board's dev signer, this exists only on a desk started by \`npm start\`
without RPC_URL (the embedded local devnet, public anvil keys). It queues a new slashing request
on the devnet's slasher through the desk (POST /api/dev/requests) and prints its id, transaction
and block. A desk on a real chain answers 404: "this desk is not running the devnet".

  --operator 0x…         the operator to slash (default: the desk picks a seeded operator)
  --percent N            share of the allocation to slash, 1 ≤ N ≤ 100 (default: the desk's)
  --description TEXT     the request's description (default: the desk's)

${DESK_HELP}

Exit: 0 queued, 1 the desk did not answer, is not a devnet, or refused, 2 usage.`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { booleans: ['insecure-http'], values: ['desk', 'operator', 'percent', 'description'], positionals: 1 });
  if (p.help) {
    io.out(`${help}\n`);
    return EXIT.OK;
  }
  const [sub] = p.positionals;
  if (sub !== 'queue') throw new CliError('USAGE', sub ? `unknown devnet command ${JSON.stringify(sub.slice(0, 40))} (only: devnet queue)` : 'usage: npm run cli -- devnet queue [--operator 0x…] [--percent N] [--description "…"]');
  const body: { operator?: string; percent?: number; description?: string } = {};
  if (p.flags.operator !== undefined) {
    if (!isAddress(p.flags.operator, { strict: false })) throw new CliError('USAGE', `--operator: not an address: ${JSON.stringify(p.flags.operator.slice(0, 60))}`);
    body.operator = p.flags.operator;
  }
  if (p.flags.percent !== undefined) {
    const n = Number(p.flags.percent);
    // the desk's own bounds (POST /api/dev/requests): refused here as a usage error, not by the desk
    if (!/^\d+(\.\d+)?$/.test(p.flags.percent) || !(n >= 1 && n <= 100)) throw new CliError('USAGE', '--percent must be a number from 1 to 100');
    body.percent = n;
  }
  if (p.flags.description !== undefined) body.description = p.flags.description;

  const desk = createDeskClient(resolveDeskUrl(p, io));
  const answer = await desk.post('/api/dev/requests', body);
  if (answer.status === 404) {
    io.err(`this desk is not running the devnet: ${desk.url} has no POST /api/dev/requests (it answered ${deskErrorText(answer)})\n`);
    return EXIT.FAILED;
  }
  const q = expectBody(answer, devQueuedSchema, 'devnet queue', desk.url);
  io.out(`queued request #${untrusted(q.requestId, 80)} in block ${q.block} (transaction ${untrusted(q.txHash, 70)}) on the devnet at ${desk.url}\n`);
  return EXIT.OK;
}
