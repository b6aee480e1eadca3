/**
 * The package graph of lib/: every lib/<package> (a folder, or a top-level file) with the
 * packages its files import (type-only imports count: a type ties packages as much as a value).
 * Fails when two packages reach each other (a cycle: a strongly connected component of more
 * than one package, apart from the known back edges listed below) or when lib/eql imports anything
 * of the app outside itself (lib/domain: only lib/eql).
 * Run: `npx tsx scripts/check-layers.ts` (a step of `npm test`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type PackageGraph = Map<string, Map<string, string[]>>;

const SOURCE = /\.(ts|tsx|mts)$/;
const TEST = /\.test\.(ts|tsx|mts)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE.test(name) && !TEST.test(name)) out.push(full);
  }
  return out;
}

/** `lib/store/alerts.ts` → `store`; `lib/errors.ts` → `errors`; outside lib/ → the top folder with a slash (`app/`). */
export function packageOf(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] !== 'lib') return `${rel[0]}/`;
  return rel.length === 2 ? rel[1]!.replace(SOURCE, '') : rel[1]!;
}

function resolveImport(root: string, from: string, spec: string): string | null {
  if (spec.startsWith('@/')) return path.join(root, spec.slice(2));
  if (spec.startsWith('.')) return path.resolve(path.dirname(from), spec);
  return null; // a package from node_modules or node:
}

/** The package graph: package → imported package → the importing files (relative). */
export function buildGraph(root: string): PackageGraph {
  const graph: PackageGraph = new Map();
  for (const file of sourceFiles(path.join(root, 'lib'))) {
    const from = packageOf(root, file);
    const edges = graph.get(from) ?? new Map<string, string[]>();
    graph.set(from, edges);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
    for (const ref of info.importedFiles) {
      const target = resolveImport(root, file, ref.fileName);
      if (!target) continue;
      const to = packageOf(root, target);
      if (to === from) continue;
      const files = edges.get(to) ?? [];
      files.push(path.relative(root, file));
      edges.set(to, files);
    }
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
export function findCycles(graph: Map<string, Iterable<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/**
 * Imports allowed to point up the layers, each with the area that owns it: none is left (the
 * last ones went with issue 16). The check ignores exactly these; one that is gone must leave
 * this list (the check says so), and any other import that closes a cycle fails. Keep it empty.
 */
export const KNOWN_BACK_EDGES: readonly string[] = [
];

/** lib/eql and lib/domain sit at the bottom: eql imports nothing of the app, domain only eql. */
const BOTTOM: Record<string, readonly string[]> = { eql: [], domain: ['eql'] };

export function checkLayers(root: string, graph: PackageGraph = buildGraph(root), known: readonly string[] = KNOWN_BACK_EDGES): string[] {
  const problems: string[] = [];
  const present = new Set([...graph].flatMap(([from, edges]) => [...edges.keys()].map((to) => `${from} → ${to}`)));
  for (const edge of known) if (!present.has(edge)) problems.push(`${edge} is gone: take it off KNOWN_BACK_EDGES in scripts/check-layers.ts`);
  const ignored = new Set(known);
  const names = new Map([...graph].map(([k, v]) => [k, [...v.keys()].filter((to) => !ignored.has(`${k} → ${to}`))]));
  for (const cycle of findCycles(names)) {
    const inCycle = new Set(cycle);
    const edges = cycle.flatMap((p) => [...(graph.get(p) ?? new Map<string, string[]>())].filter(([to]) => inCycle.has(to) && !ignored.has(`${p} → ${to}`)).map(([to, files]) => `    ${p} → ${to} (${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ''})`));
    problems.push(`import cycle between lib packages ${cycle.join(', ')}:\n${edges.join('\n')}`);
  }
  for (const [pkg, allowed] of Object.entries(BOTTOM)) {
    for (const [to, files] of graph.get(pkg) ?? []) {
      if (!allowed.includes(to)) problems.push(`lib/${pkg} imports lib/${to} (${files.join(', ')}): lib/${pkg} may import ${allowed.length ? allowed.map((a) => `lib/${a}`).join(', ') : 'nothing of the app'}`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const problems = checkLayers(path.resolve(__dirname, '..'));
  for (const p of problems) console.error(p);
  console.log(problems.length === 0 ? 'layers: no import cycle between lib packages; lib/eql imports nothing from the app' : `layers: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
