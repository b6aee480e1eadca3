import { describe, expect, it } from 'vitest';
import { buildProcessTree, processSiblings, treeEntityIds } from './process-tree';
import { alertEvent, at, events, SYS } from './testing/fixture';
import { MemorySource } from './testing/memory-source';

describe('buildProcessTree', () => {
  it('walks ancestors to the root, with a stub for the parent outside the data', async () => {
    const tree = await buildProcessTree(new MemorySource(events), alertEvent, at(0));
    expect(tree.subject.entityId).toBe('E2');
    expect(tree.subject.role).toBe('subject');
    expect(tree.subject.name).toBe('lsass.exe');
    expect(tree.ancestors.map((a) => [a.entityId, a.name, a.stub, a.depth])).toEqual([
      ['E0', 'smss.exe', true, -2],
      ['E1', 'wininit.exe', false, -1],
    ]);
    expect(tree.ancestors[0].children).toEqual(['E1']);
    expect(tree.ancestors[1].children).toEqual(['E2']);
    const cut = tree.cuts.find((c) => c.why === 'parent_outside_data');
    expect(cut?.where).toBe('E0');
    expect(cut?.detail).toContain('smss.exe (pid 400)');
  });

  it('reads the per-node facts from the start events', async () => {
    const tree = await buildProcessTree(new MemorySource(events), alertEvent, at(0));
    const s = tree.subject;
    expect(s.pid).toBe(640);
    expect(s.executable).toBe('C:\\Windows\\System32\\lsass.exe');
    expect(s.commandLine).toBe('C:\\Windows\\system32\\lsass.exe');
    expect(s.user).toBe('NT AUTHORITY\\SYSTEM');
    expect(s.startTime).toBe(at(-59));
    expect(s.codeSignature).toEqual({ subjectName: 'Microsoft Windows', trusted: true, exists: null, status: null });
    expect(s.hashes).toEqual({ md5: 'c'.repeat(32), sha256: 'b'.repeat(64) });
    expect(s.event).toEqual({ _index: SYS, _id: 'p-lsass' });
    // lsass.exe ran on ws-01 and ws-02
    expect(s.hostPrevalence).toBe(2);
    expect(tree.ancestors[1].hostPrevalence).toBe(1);
  });

  it('lists descendants breadth-first and links them', async () => {
    const tree = await buildProcessTree(new MemorySource(events), alertEvent, at(0));
    expect(tree.descendants.map((d) => [d.entityId, d.depth])).toEqual([
      ['E3', 1],
      ['E4', 2],
    ]);
    expect(tree.subject.children).toEqual(['E3']);
    expect(tree.descendants[0].children).toEqual(['E4']);
    // untrusted text stays a plain string
    expect(tree.descendants[1].commandLine).toBe('cmd.exe /c whoami <script>alert(1)</script>');
    expect(treeEntityIds(tree).sort()).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
  });

  it('says where and why the descendants are cut (depth, count)', async () => {
    const src = new MemorySource(events);
    const shallow = await buildProcessTree(src, alertEvent, at(0), { maxDepth: 1 });
    expect(shallow.descendants.map((d) => d.entityId)).toEqual(['E3']);
    // the cut names the process (fixture: E3 is rundll32.exe, pid 700), not its raw entity id
    expect(shallow.cuts.find((c) => c.why === 'depth')?.where).toBe('rundll32.exe (pid 700)');
    expect(shallow.cuts.find((c) => c.why === 'depth')?.detail).toBe('child processes of this process are not shown (deeper than 1 generations)');
    const few = await buildProcessTree(src, alertEvent, at(0), { maxDescendants: 1 });
    expect(few.descendants).toHaveLength(1);
    expect(few.cuts.find((c) => c.why === 'limit')?.detail).toContain('first 1 descendants');
  });

  it('an alert without process.entity_id gives a one-node tree and says why', async () => {
    const bare = { ...alertEvent, _source: { ...alertEvent._source, process: { name: 'lsass.exe', pid: 640, parent: { name: 'wininit.exe' } } } };
    const tree = await buildProcessTree(new MemorySource(events), bare, at(0));
    expect(tree.subjectEntityId).toBeNull();
    expect(tree.ancestors.map((a) => a.name)).toEqual(['wininit.exe']);
    expect(tree.cuts.map((c) => c.why)).toEqual(['no_entity_id']);
  });

  it('siblings on demand', async () => {
    const src = new MemorySource(events);
    const tree = await buildProcessTree(src, alertEvent, at(0));
    const sib = await processSiblings(src, tree);
    expect(sib.items.map((n) => [n.entityId, n.name, n.role])).toEqual([['E5', 'services.exe', 'sibling']]);
    expect(sib.truncated).toBe(false);
  });

  it('a parent that started before the searched window is cut by the window', async () => {
    const old = events.map((e) =>
      e._id === 'p-wininit'
        ? { ...e, _source: { ...e._source, process: { ...(e._source.process as object), parent: { entity_id: 'E0', pid: 400, name: 'smss.exe', start: at(-3 * 24 * 60) } } } }
        : e,
    );
    const tree = await buildProcessTree(new MemorySource(old), alertEvent, at(0), { lookbackHours: 24 });
    expect(tree.cuts.find((c) => c.where === 'E0')?.why).toBe('window');
  });
});
