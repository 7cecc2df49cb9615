/**
 * `npm run cli -- <command> [flags]`: the desk's command line, the on-call person's tool.
 * Every command answers `--help`; each lives in its own module, loaded only when asked for.
 * Exit codes: see `EXIT` in ./cliError (0 ok, 1 failed, 2 usage, 3 needs a human, 4 refused).
 */
import { describeError } from '../errors';
import { CliError, EXIT } from './cliError';
import { processIo, type CliIo } from './io';

interface CommandModule {
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Summaries live here so the overview needs no module loaded. */
export const COMMANDS: Record<string, { summary: string; load: () => CommandModule }> = {
  status: { summary: 'health, open requests with deadlines and next steps, anything blocked (exit 3: a human is needed now)', load: () => require('./status') as CommandModule },
  plan: { summary: "the committee Safe's nonce plan and blocked nonces", load: () => require('./plan') as CommandModule },
  sign: { summary: "sign a request's veto (or --fulfil) after rebuilding and checking it", load: () => require('./sign') as CommandModule },
  reject: { summary: 'sign the rejection at a blocked Safe nonce', load: () => require('./reject') as CommandModule },
  doctor: { summary: 'check configuration, RPC endpoints, slasher, Safes, accounts, alert channels, Transaction Service', load: () => require('./doctor') as CommandModule },
  alerts: { summary: 'alert channel tools: alerts test <channel>', load: () => require('./alerts') as CommandModule },
  devnet: { summary: 'DEVNET ONLY: devnet queue — queue a new slashing request on the local devnet', load: () => require('./devnet') as CommandModule },
};

export const USAGE = `usage: npm run cli -- <command> [flags]      (npm run cli -- <command> --help for its flags)

Commands:
${Object.entries(COMMANDS)
  .map(([k, v]) => `  ${k.padEnd(8)} ${v.summary}`)
  .join('\n')}

The desk: --desk URL, else VETO_DESK_URL, else http://localhost:8080.
Exit codes: 0 ok · 1 failed · 2 usage · 3 status: a human is needed now · 4 sign/reject refused`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(`${USAGE}\n`);
    return EXIT.USAGE;
  }
  if (first === '--help' || first === '-h') {
    io.out(`${USAGE}\n`);
    return EXIT.OK;
  }
  // `help <command>` = `<command> --help`
  const [command, args] = first === 'help' && rest[0] ? [rest[0], ['--help']] : [first, rest];
  if (command === 'help') {
    io.out(`${USAGE}\n`);
    return EXIT.OK;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.err(`unknown command ${JSON.stringify(command.slice(0, 60))}\n\n${USAGE}\n`);
    return EXIT.USAGE;
  }
  try {
    return await entry.load().run([...args], io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.message}\n${e.code === 'USAGE' ? `(npm run cli -- ${command} --help)\n` : ''}`);
      return e.exitCode;
    }
    io.err(`${command} failed: ${describeError(e)}\n`);
    return EXIT.FAILED;
  }
}

if (require.main === module) {
  let io: CliIo;
  try {
    io = processIo();
  } catch (e) {
    process.stderr.write(`${describeError(e)}\n`);
    process.exit(EXIT.FAILED);
  }
  runCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${describeError(e)}\n`);
      process.exit(EXIT.FAILED);
    },
  );
}
