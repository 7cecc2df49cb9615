/**
 * `npm run cli -- <command> [args]`: the desk's command line.
 *   sign …            sign a request's veto (or fulfil) with a key and submit it to a running desk
 *   alerts test <ch>  send a test alert through one channel
 * Each command lives in its own module, loaded only when asked for.
 */
const COMMANDS: Record<string, { module: string; summary: string }> = {
  sign: { module: './sign', summary: "sign a request's Safe transaction and submit it to a desk" },
  alerts: { module: './alerts', summary: 'alert channel tools (alerts test <channel>)' },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const entry = command ? COMMANDS[command] : undefined;
  if (!entry) {
    process.stderr.write(`usage: npm run cli -- <command> [args]\n${Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(8)} ${v.summary}`).join('\n')}\n`);
    return command ? 2 : 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry.module) as { run(args: string[]): Promise<number> };
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
