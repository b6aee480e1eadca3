import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGuide, classifyHeading, extractPluginBlocks, flattenSteps, type GuideStep } from './guide';
import { bundledRulesDir, loadRuleFile, parseRuleToml } from './load';
import { sharedRulesPath } from './testing/shared';

const seed = loadRuleFile(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'));
const seedGuide = buildGuide(seed.note ?? '');

describe('seed rule v111 guide', () => {
  it('has the four sections of the note, matched by heading', () => {
    expect(seedGuide.sections.map((s) => [s.kind, s.title])).toEqual([
      ['overview', 'Investigating Unusual Executable File Creation by a System Critical Process'],
      ['investigation', 'Possible investigation steps'],
      ['false_positive', 'False positive analysis'],
      ['response', 'Response and remediation'],
    ]);
  });
  it('turns bullets into nested steps', () => {
    const [, inv, fp, resp] = seedGuide.sections;
    expect(inv.steps).toHaveLength(5);
    expect(fp.steps).toHaveLength(1);
    expect(resp.steps).toHaveLength(7);
    // 5 top-level + 3 + 3 + 2 nested investigation steps, 1 FP, 7 + 4 response
    expect(seedGuide.stepCount).toBe(25);
    const examine = inv.steps[3];
    expect(examine.text).toBe('Examine the host for derived artifacts that indicate suspicious activities:');
    expect(examine.children.map((c) => c.text.slice(0, 20))).toEqual(['Analyze the process ', 'Observe and collect ', "Retrieve the files' "]);
    expect(examine.children[1].children.map((c) => c.depth)).toEqual([2, 2, 2]);
  });
  it('keeps inline code as a structured span', () => {
    const step = flattenSteps(seedGuide).find((s) => s.text.startsWith('Use the Elastic Defend network events'));
    expect(step?.spans).toEqual([
      { type: 'text', value: "Use the Elastic Defend network events to determine domains and addresses contacted by the subject process by filtering by the process' " },
      { type: 'code', value: 'process.entity_id' },
      { type: 'text', value: '.' },
    ]);
  });
  it('attaches the four osquery blocks to the steps that hold them', () => {
    const all = flattenSteps(seedGuide);
    const dns = all.find((s) => s.text.startsWith('Examine the DNS cache'));
    const services = all.find((s) => s.text.startsWith('Examine the host services'));
    expect(dns?.osquery.map((o) => [o.label, o.query])).toEqual([['Osquery - Retrieve DNS Cache', 'SELECT * FROM dns_cache']]);
    expect(services?.osquery.map((o) => o.label)).toEqual([
      'Osquery - Retrieve All Services',
      'Osquery - Retrieve Services Running on User Accounts',
      'Osquery - Retrieve Service Unsigned Executables with Virustotal Link',
    ]);
    expect(services?.osquery[1].query).toContain("NOT (user_account LIKE '%LocalSystem'");
    // the osquery bullets are blocks of their step, not steps of their own
    expect(all.some((s) => s.text.includes('osquery'))).toBe(false);
    expect(seedGuide.osqueryCount).toBe(4);
  });
  it('keeps the note blockquote and link as context', () => {
    const overview = seedGuide.sections[0];
    const quote = overview.context.find((b) => b.type === 'quote');
    expect(quote).toBeDefined();
    const json = JSON.stringify(quote);
    expect(json).toContain('"type":"link"');
    expect(json).toContain('https://www.elastic.co/guide/en/security/master/invest-guide-run-osquery.html');
  });
  it('gives every step a unique id', () => {
    const ids = flattenSteps(seedGuide).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^(investigation|false_positive|response)-[0-9a-z]{11}$/.test(id))).toBe(true);
  });
});

describe('step ids across rule versions', () => {
  const today = parseRuleToml(fs.readFileSync(sharedRulesPath('seed-rule.toml'), 'utf8'), 'seed-rule.toml');
  const todayGuide = buildGuide(today.note ?? '');

  it("today's version parses with its investigate blocks", () => {
    const steps = flattenSteps(todayGuide);
    expect(todayGuide.investigateCount).toBe(6); // $investigate_0 … $investigate_5
    const recur = steps.find((s) => s.text.startsWith('If local evidence remains suspicious'));
    expect(recur?.investigate.map((i) => i.label)).toEqual(['Alerts associated with the written file path', 'Alerts associated with the host']);
    expect(recur?.details.map((d) => d.label)).toEqual(['Focus', 'Hint', 'Implication']);
    expect(recur?.investigate[1].relativeFrom).toBe('now-48h/h');
    expect(recur?.investigate[1].providers[0].map((p) => p.field)).toEqual(['event.kind', 'host.id']);
  });

  it('steps with the same text keep their ids from 111 to today', () => {
    const before = new Map(flattenSteps(seedGuide).map((s) => [`${s.section}|${s.text}`, s.id]));
    const after = flattenSteps(todayGuide);
    for (const s of after) {
      const prev = before.get(`${s.section}|${s.text}`);
      if (prev) expect(s.id).toBe(prev);
    }
    // the 2026 rewrite changed every step's text: no id of 111 survives by accident
    const oldIds = new Set(before.values());
    expect(after.filter((s) => oldIds.has(s.id))).toEqual([]);
  });

  it('editing, adding and moving other steps keeps the unchanged ids', () => {
    const note = seed.note ?? '';
    const edited = note
      .replace('- Stop suspicious processes.', '- Stop suspicious processes and services.')
      .replace('- Isolate the involved host to prevent further post-compromise behavior.\n', '')
      .replace('### Response and remediation\n\n', '### Response and remediation\n\n- Isolate the involved host to prevent further post-compromise behavior.\n- A brand new first step.\n')
      .replace('#### Possible investigation steps', '#### Possible Investigation Steps:');
    const g2 = buildGuide(edited);
    const ids1 = new Map(flattenSteps(seedGuide).map((s) => [s.text, s.id]));
    const ids2 = new Map(flattenSteps(g2).map((s) => [s.text, s.id]));
    let same = 0;
    for (const [text, id] of ids1) {
      if (text === 'Stop suspicious processes.') {
        expect(ids2.has(text)).toBe(false);
        continue;
      }
      expect(ids2.get(text)).toBe(id);
      same++;
    }
    expect(same).toBe(24);
    expect(ids2.get('A brand new first step.')).toMatch(/^response-/);
  });

  it('whitespace and markup changes keep the id; identical steps get -2', () => {
    const a = buildGuide('### Response and remediation\n\n- Block the `IoCs`  now.\n- Do it.\n- Do it.\n');
    const b = buildGuide('### Response and Remediation:\n\n- Block the **IoCs**\n  now.\n');
    const [a1, a2, a3] = flattenSteps(a);
    expect(flattenSteps(b)[0].id).toBe(a1.id);
    expect(a3.id).toBe(`${a2.id}-2`);
  });
});

describe('markdown handling', () => {
  it('classifies headings case-insensitively, with a trailing colon', () => {
    expect(classifyHeading('Possible Investigation Steps:')).toBe('investigation');
    expect(classifyHeading('False Positive Considerations')).toBe('false_positive');
    expect(classifyHeading('False positives')).toBe('false_positive');
    expect(classifyHeading('Response and Remediation')).toBe('response');
    expect(classifyHeading('Related Rules')).toBe('related_rules');
    expect(classifyHeading('Triage and Analysis')).toBe('overview');
    expect(classifyHeading('Performance')).toBe('other');
  });

  it('cuts blocks out before markdown so JSON escapes survive', () => {
    const note =
      '### Investigation steps\n\n- Look at `x` !{investigate{"label":"L *a* _b_","providers":[[{"excluded":false,"field":"file.path","queryType":"phrase","value":"C:\\\\Windows\\\\*","valueType":"string"}]],"relativeFrom":"now-1h","relativeTo":"now"}}\n';
    const g = buildGuide(note);
    const [step] = flattenSteps(g);
    expect(step.text).toBe('Look at x');
    expect(step.investigate[0].label).toBe('L *a* _b_');
    expect(step.investigate[0].providers[0][0].value).toBe('C:\\Windows\\*');
  });

  it('reports a malformed block and keeps it as data', () => {
    const { blocks } = extractPluginBlocks('- !{osquery{"label": "x", "query": }}\n- !{custom{"a":1}}');
    expect(blocks.map((b) => b.kind)).toEqual(['invalid', 'invalid']);
    const g = buildGuide('### Investigation steps\n\n- Step one !{osquery{"label":1}}\n');
    expect(g.warnings[0]).toMatch(/invalid !\{osquery\} block: label/);
    expect(flattenSteps(g)[0].invalid).toHaveLength(1);
  });

  it('keeps HTML and angle brackets as plain text', () => {
    const g = buildGuide('### Investigation steps\n\n- Check <script>alert(1)</script> and `<pid>` <b>bold</b>\n');
    const [step] = flattenSteps(g);
    expect(step.text).toBe('Check <script>alert(1)</script> and <pid> <b>bold</b>');
    expect(step.spans.every((s) => ['text', 'code'].includes(s.type))).toBe(true);
  });

  it('labelled sub-bullets become details and their blocks go to the step', () => {
    const g = buildGuide(
      '### Possible investigation steps\n\n- Who ran it?\n  - Why: because.\n  - **Focus:** `user.id` !{investigate{"label":"U","providers":[]}}\n  - A real sub-step.\n',
    );
    const [step] = g.sections[0].steps;
    expect(step.question).toBe(true);
    expect(step.details).toEqual([
      { label: 'Why', spans: [{ type: 'text', value: 'because.' }] },
      { label: 'Focus', spans: [{ type: 'code', value: 'user.id' }] },
    ]);
    expect(step.investigate.map((i) => i.label)).toEqual(['U']);
    expect(step.children.map((c: GuideStep) => c.text)).toEqual(['A real sub-step.']);
  });

  it('a prose-only guide still yields steps', () => {
    const g = buildGuide('## Triage and analysis\n\nDecode the value and check the action.\n');
    expect(g.stepCount).toBe(1);
    expect(flattenSteps(g)[0].text).toBe('Decode the value and check the action.');
  });
});
