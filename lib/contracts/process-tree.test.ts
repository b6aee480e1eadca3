import { test, expect } from 'vitest';
import { nestTree } from './process-tree';
import type { ProcessNodeValue, ProcessTreeValue } from './evidence';
import { processNode } from '../investigation/testing/process-node';

const node = (name: string, role: ProcessNodeValue['role'], entityId: string | null, children: string[] = []): ProcessNodeValue =>
  processNode({ name, role, entityId, children, depth: 0 });

const tree: ProcessTreeValue = {
  subjectEntityId: 's',
  hostName: 'ws-01',
  ancestors: [node('wininit.exe', 'ancestor', 'root'), node('services.exe', 'ancestor', 'p')],
  subject: node('lsass.exe', 'subject', 's', ['c1', 'c2']),
  descendants: [node('a.exe', 'descendant', 'c1', ['g1']), node('b.exe', 'descendant', 'c2', ['g1']), node('g.exe', 'descendant', 'g1')],
  cuts: [],
  window: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
};

test('ancestors lead from the root down to the subject', () => {
  const root = nestTree(tree);
  expect(root.node.name).toBe('wininit.exe');
  expect(root.children.map((c) => c.node.name)).toEqual(['services.exe']);
  const subject = root.children[0]!.children[0]!;
  expect(subject.key).toBe('subject');
  expect(subject.node.role).toBe('subject');
});

test('descendants nest under their parents, each once', () => {
  const subject = nestTree(tree).children[0]!.children[0]!;
  expect(subject.children.map((c) => c.node.name)).toEqual(['a.exe', 'b.exe']);
  expect(subject.children[0]!.children.map((c) => c.node.name)).toEqual(['g.exe']);
  expect(subject.children[1]!.children).toEqual([]);
});

test('a tree without ancestors starts at the subject', () => {
  const root = nestTree({ ...tree, ancestors: [] });
  expect(root.key).toBe('subject');
});
