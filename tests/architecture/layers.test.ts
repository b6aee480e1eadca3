import { expect, test } from 'vitest';
import { checkLayers, findCycles, type PackageGraph } from '../../scripts/check-layers';

const graphOf = (edges: [string, string][]): PackageGraph => {
  const g: PackageGraph = new Map();
  for (const [from, to] of edges) {
    if (!g.has(to)) g.set(to, new Map());
    const e = g.get(from) ?? new Map<string, string[]>();
    e.set(to, [`lib/${from}/x.ts`]);
    g.set(from, e);
  }
  return g;
};

test('a cycle of three packages is one component; a chain is none', () => {
  expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
});

test('a store → detection → store cycle fails, naming both imports', () => {
  const problems = checkLayers('/nowhere', graphOf([['store', 'detection'], ['detection', 'store'], ['detection', 'eql']]), []);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('detection, store');
  expect(problems[0]).toContain('store → detection (lib/store/x.ts)');
  expect(problems[0]).toContain('detection → store (lib/detection/x.ts)');
});

test('a known back edge is ignored, and one that is gone must leave the list', () => {
  const g = graphOf([['store', 'detection'], ['detection', 'store']]);
  expect(checkLayers('/nowhere', g, ['store → detection'])).toEqual([]);
  expect(checkLayers('/nowhere', graphOf([['detection', 'store']]), ['store → detection'])[0]).toMatch(/store → detection is gone/);
});

test('lib/eql importing the app, or lib/domain importing more than lib/eql, fails', () => {
  expect(checkLayers('/nowhere', graphOf([['eql', 'store']]), [])[0]).toMatch(/lib\/eql imports lib\/store .*nothing of the app/);
  expect(checkLayers('/nowhere', graphOf([['domain', 'eql']]), [])).toEqual([]);
  expect(checkLayers('/nowhere', graphOf([['domain', 'rules']]), [])[0]).toMatch(/lib\/domain imports lib\/rules/);
});
