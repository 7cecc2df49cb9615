/**
 * What a command reads and writes besides the desk and the chain: the environment, stdout,
 * stderr and the questions it asks. Tests pass their own; `processIo()` is the real terminal.
 */
import readline from 'node:readline';
import { readProcessEnv } from '../config/env';

export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** a yes/no question; false when nothing (or anything but yes) is answered */
  confirm(question: string): Promise<boolean>;
  /** a secret typed without echo (a keystore password) */
  secret(question: string): Promise<string>;
}

function ask(question: string, hidden: boolean): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let answered = false;
    if (hidden) {
      // write the question, then swallow the echo of what is typed
      const w = rl as unknown as { _writeToOutput?: (s: string) => void };
      let asked = false;
      w._writeToOutput = (s: string) => {
        if (!asked) process.stderr.write(s);
      };
      rl.question(question, (a) => {
        answered = true;
        rl.close();
        process.stderr.write('\n');
        resolve(a);
      });
      asked = true;
    } else {
      rl.question(question, (a) => {
        answered = true;
        rl.close();
        resolve(a);
      });
    }
    // stdin closed without an answer (a pipe that ended): no
    rl.once('close', () => {
      if (!answered) resolve(null);
    });
  });
}

export function processIo(): CliIo {
  return {
    env: readProcessEnv(),
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    async confirm(question) {
      const a = await ask(question, false);
      return a !== null && /^\s*(y|yes)\s*$/i.test(a);
    },
    async secret(question) {
      return (await ask(question, true)) ?? '';
    },
  };
}

/** An io for tests and embedding: given env, collected output, scripted answers. */
export function bufferIo(o: { env?: Record<string, string | undefined>; answers?: string[] } = {}): CliIo & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const answers = [...(o.answers ?? [])];
  return {
    env: o.env ?? {},
    stdout,
    stderr,
    text: () => stdout.join('') + stderr.join(''),
    out: (s) => void stdout.push(s),
    err: (s) => void stderr.push(s),
    confirm: async (q) => {
      stderr.push(q);
      const a = answers.shift();
      return a !== undefined && /^\s*(y|yes)\s*$/i.test(a);
    },
    secret: async () => answers.shift() ?? '',
  };
}

/** A partial io completed with the terminal's parts (for callers that pass only env and out). */
export function completeIo(io: Partial<CliIo>): CliIo {
  const base: Partial<CliIo> = io.env && io.out && io.err && io.confirm && io.secret ? {} : processIo();
  return { ...(base as CliIo), ...io } as CliIo;
}
