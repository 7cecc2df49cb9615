/**
 * Flag parsing shared by every command: `--name value`, `--name=value`, boolean `--flag`,
 * positionals, and `--help` / `-h` anywhere. An unknown flag is a usage error, never ignored:
 * a mistyped `--chain-id` must not silently sign unpinned.
 */
import { CliError } from './cliError';

export interface FlagSpec {
  /** flags without a value */
  booleans?: readonly string[];
  /** flags taking one value */
  values?: readonly string[];
  /** largest number of positionals accepted */
  positionals?: number;
}

export interface ParsedArgs {
  help: boolean;
  flags: Record<string, string | undefined>;
  bools: Set<string>;
  positionals: string[];
}

export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values ?? []);
  const out: ParsedArgs = { help: false, flags: {}, bools: new Set(), positionals: [] };
  // help wins over everything else on the line: `sign --chian-id 1 --help` shows the flags
  if (args.includes('--help') || args.includes('-h')) return { ...out, help: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : a.slice(eq + 1);
    if (booleans.has(name)) {
      if (inline !== undefined) throw new CliError('USAGE', `--${name} takes no value`);
      out.bools.add(name);
      continue;
    }
    if (!values.has(name)) throw new CliError('USAGE', `unknown flag --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new CliError('USAGE', `--${name} needs a value`);
    if (out.flags[name] !== undefined) throw new CliError('USAGE', `--${name} given twice`);
    out.flags[name] = value;
  }
  if (out.positionals.length > (spec.positionals ?? 0)) {
    throw new CliError('USAGE', `unexpected argument ${JSON.stringify(out.positionals[spec.positionals ?? 0])}`);
  }
  return out;
}

/** A flag, else the first set environment variable, else undefined (blank counts as unset). */
export function flagOrEnv(p: ParsedArgs, flag: string, env: Record<string, string | undefined>, ...vars: string[]): { value: string; from: string } | undefined {
  const f = p.flags[flag];
  if (f !== undefined && f.trim() !== '') return { value: f.trim(), from: `--${flag}` };
  for (const v of vars) {
    const e = env[v]?.trim();
    if (e) return { value: e, from: v };
  }
  return undefined;
}
