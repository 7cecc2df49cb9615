/**
 * The shape of the code, checked: stages import only downward (a request's data flows one way:
 * chain → ingest → store → requests → sender/safe/scheduler → alerts → api → app), Prisma only in
 * the store, no import cycles, files a reader can hold in mind, comments that say why.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../src');

/** Each stage's rank: a file may import its own stage and lower ranks only. */
const RANK: Record<string, number> = {
  'errors.ts': 0,
  lib: 0,
  domain: 1,
  config: 2,
  chain: 3,
  store: 4,
  ingest: 5,
  requests: 6,
  sender: 7,
  safe: 8,
  scheduler: 9,
  alerts: 10,
  api: 11,
  app: 12,
  cli: 13,
  devnet: 13,
  'main.ts': 14,
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : walk(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const files = walk(SRC);
const stageOf = (file: string) => relative(SRC, file).split('/')[0]!;
const rel = (file: string) => relative(SRC, file);

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  test('every source file belongs to a stage', () => {
    expect(files.map(stageOf).filter((s) => RANK[s] === undefined)).toEqual([]);
  });

  test('stages import only their own stage and lower ones', () => {
    const wrong: string[] = [];
    for (const [file, specs] of graph) {
      for (const spec of specs) {
        const target = resolveLocal(file, spec);
        if (!target || target.includes('/generated/')) continue;
        const [a, b] = [stageOf(file), stageOf(target)];
        if (RANK[b]! > RANK[a]!) wrong.push(`${rel(file)} (${a}) imports ${rel(target)} (${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('Prisma and the generated clients are used only by the store', () => {
    const wrong = [...graph].filter(([file, specs]) => stageOf(file) !== 'store' && specs.some((s) => s.startsWith('@prisma/') || s.includes('/generated/'))).map(([f]) => rel(f));
    expect(wrong).toEqual([]);
  });

  test('no import cycles', () => {
    const edges = new Map([...graph].map(([f, specs]) => [f, specs.map((s) => resolveLocal(f, s)).filter((t): t is string => t !== null && graph.has(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of edges.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of edges.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  test('no source file over 400 lines (generated ones aside)', () => {
    const long = files.map((f) => ({ f: rel(f), lines: readFileSync(f, 'utf8').split('\n').length })).filter((x) => x.lines > 400);
    expect(long).toEqual([]);
  });

  test('comments say why, not which issue asked', () => {
    const everyTs = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'generated' || name === 'node_modules' ? [] : everyTs(path);
        return /\.tsx?$/.test(path) ? [path] : [];
      });
    const root = resolve(__dirname, '..');
    const all = ['src', 'test', 'bench', 'web/src'].flatMap((d) => everyTs(join(root, d)));
    const hits = all.filter((f) => /\b[Ii]ssue #?\d+\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(hits).toEqual([]);
  });
});
