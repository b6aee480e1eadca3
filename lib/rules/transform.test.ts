import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from './load';
import { sharedRulesPath } from './testing/shared';
import { checkPlaceholders, pythonJsonDumps, renderNote, safeSubstitute } from './transform';

describe('pythonJsonDumps', () => {
  it('sorts keys at every level, compact separators, drops null', () => {
    expect(pythonJsonDumps({ b: 1, a: { d: [true, 'x'], c: null } })).toBe('{"a":{"d":[true,"x"]},"b":1}');
  });
  it('escapes non-ASCII like Python ensure_ascii', () => {
    expect(pythonJsonDumps('café ✓')).toBe('"caf\\u00e9 \\u2713"');
    expect(pythonJsonDumps('a\nb"\\')).toBe('"a\\nb\\"\\\\"');
  });
});

describe('safeSubstitute (Python string.Template semantics)', () => {
  const m = new Map([['osquery_0', 'Q0'], ['investigate_1', 'I1']]);
  it('fills $name and ${name}, leaves unknown names, turns $$ into $', () => {
    expect(safeSubstitute('- $osquery_0\n${investigate_1}; $env:TEMP $true $$x $', m)).toBe('- Q0\nI1; $env:TEMP $true $x $');
  });
  it('takes the longest identifier ($osquery_01 is not $osquery_0)', () => {
    expect(safeSubstitute('$osquery_01 $osquery_0.', m)).toBe('$osquery_01 Q0.');
  });
});

describe('renderNote', () => {
  it('renders an investigate entry the way the detection-rules build does', () => {
    const note = 'Check $investigate_0 now';
    const out = renderNote(note, {
      investigate: [
        {
          label: 'Alerts associated with the host',
          description: '',
          providers: [
            [
              { excluded: false, field: 'event.kind', queryType: 'phrase', value: 'signal', valueType: 'string' },
              { excluded: false, field: 'host.id', queryType: 'phrase', value: '{{host.id}}', valueType: 'string' },
            ],
          ],
          relativeFrom: 'now-48h/h',
          relativeTo: 'now',
        },
      ],
    });
    expect(out).toBe(
      'Check !{investigate{"description":"","label":"Alerts associated with the host","providers":[[{"excluded":false,"field":"event.kind","queryType":"phrase","value":"signal","valueType":"string"},{"excluded":false,"field":"host.id","queryType":"phrase","value":"{{host.id}}","valueType":"string"}]],"relativeFrom":"now-48h/h","relativeTo":"now"}} now',
    );
  });
  it('renders osquery entries, leaves a placeholder without an entry as text', () => {
    const out = renderNote('- $osquery_0\n- $osquery_1', { osquery: [{ label: 'Osquery - Retrieve DNS Cache', query: 'SELECT * FROM dns_cache' }] });
    expect(out).toBe('- !{osquery{"label":"Osquery - Retrieve DNS Cache","query":"SELECT * FROM dns_cache"}}\n- $osquery_1');
    expect(checkPlaceholders('- $osquery_0\n- $osquery_1', { osquery: [{ label: 'a', query: 'b' }, { label: 'c', query: 'd' }, { label: 'e', query: 'f' }] })).toEqual({
      unresolved: [],
      unused: ['osquery_2'],
    });
  });

  it('matches the reference build over the whole corpus (983 notes)', () => {
    // Expected figures computed with Python's string.Template + json.dumps(sort_keys=True,
    // separators=(",", ":")) over ../shared/rules/eql-rules.jsonl, i.e. the upstream build's own method.
    const { rules, errors } = loadCorpus(sharedRulesPath('eql-rules.jsonl'));
    expect(errors).toEqual([]);
    const h = createHash('sha256');
    let notes = 0;
    let osquery = 0;
    let investigate = 0;
    for (const r of rules) {
      if (!r.note) continue;
      notes++;
      osquery += r.note.split('!{osquery{').length - 1;
      investigate += r.note.split('!{investigate{').length - 1;
      h.update(r.note, 'utf8');
      h.update(Buffer.from([0]));
    }
    expect(notes).toBe(983);
    expect(osquery).toBe(366);
    expect(investigate).toBe(561);
    expect(h.digest('hex')).toBe('8f25db59010b436f8eab237edcd9f33d173e482f0c38738d11c986c4cd9cd3e2');
  });

  it('reports the corpus edge cases named in note-markdown-analysis.md', () => {
    const { rules } = loadCorpus(sharedRulesPath('eql-rules.jsonl'));
    const byPath = (p: string) => {
      const r = rules.find((x) => x.origin.endsWith(`(${p})`));
      if (!r) throw new Error(`missing ${p}`);
      return r;
    };
    const insmod = byPath('rules/linux/persistence_insmod_kernel_module_load.toml');
    expect(insmod.note).toContain('$osquery_6');
    expect(checkPlaceholders(insmod.note_source ?? '', insmod.transform)).toEqual({ unresolved: ['osquery_6'], unused: ['osquery_0'] });
    const pb = byPath('rules/macos/credential_access_high_volume_of_pbpaste.toml');
    expect(pb.note).toContain('$investigate_2');
  });
});
