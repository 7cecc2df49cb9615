/**
 * How `npm start` runs the desk, read from package.json's start script: the API bench starts its
 * desk process the same way (environment, node's flags), so the memory it measures is what an
 * operator's desk holds (the other benches run their desks inside the bench process). The
 * script's form: `[NAME=value …] exec node [flag …] <entry>`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DeskLaunch {
  env: Record<string, string>;
  /** node's flags before the entry (the TypeScript hook among them) */
  nodeArgs: string[];
  entry: string;
}

export function deskLaunchOf(startScript: string): DeskLaunch {
  const words = startScript.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[i]!); i++) {
    const [name, ...value] = words[i]!.split('=');
    env[name!] = value.join('=');
  }
  if (words[i] === 'exec') i++;
  if (words[i] !== 'node') throw new Error(`the start script does not run node: ${startScript}`);
  const rest = words.slice(i + 1);
  const entry = rest.pop();
  if (!entry || entry.startsWith('-')) throw new Error(`the start script names no entry: ${startScript}`);
  return { env, nodeArgs: rest, entry };
}

/** The desk's launch as package.json's start script has it. */
export function deskLaunch(): DeskLaunch {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  return deskLaunchOf(pkg.scripts.start);
}
