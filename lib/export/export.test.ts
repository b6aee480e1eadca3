import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleToml } from '../rules/load';
import { buildGuide, flattenSteps } from '../rules/guide';
import type { CaseView } from '../cases';
import type { Alert } from '../detection/types';
import { buildCaseReport, processTreeLines } from './case';
import type { ProcessNode, ProcessTree } from '../investigation/process-tree';
import { processNode } from '../investigation/testing/process-node';
import { caseToHtml, caseToMarkdown, csvCell, PRINT_SCRIPT, PRINT_SCRIPT_CSP_SOURCE, QUEUE_CSV_HEADER, queueCsvLine } from './render';
import { createHash } from 'node:crypto';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes, Root, ListItem, Table } from 'mdast';

/** The Markdown as a GFM renderer reads it (an independent parser, not our serialiser). */
const readMd = (md: string): Root => unified().use(remarkParse).use(remarkGfm).parse(md) as Root;
const all = (n: Nodes): Nodes[] => [n, ...('children' in n ? (n.children as Nodes[]).flatMap(all) : [])];
const textOf = (n: Nodes): string => (n.type === 'text' || n.type === 'inlineCode' ? n.value : 'children' in n ? (n.children as Nodes[]).map(textOf).join('') : '');
/** A list item's own paragraph text (without its nested lists). */
const itemText = (li: ListItem) => li.children.filter((c) => c.type === 'paragraph').map(textOf).join(' ');

const shared = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const rule = parseRuleToml(readFileSync(path.join(shared, 'rules/seed-rule.v2024-05.toml'), 'utf8'), 'seed-rule.v2024-05.toml');
const guide = buildGuide(rule.note ?? '');
const steps = flattenSteps(guide);

const alert: Alert = {
  id: 'a1b2c3',
  ruleId: rule.rule_id,
  ruleVersion: rule.version,
  ruleName: rule.name,
  severity: 'high',
  riskScore: 73,
  mitre: [{ tacticId: 'TA0005', tacticName: 'Defense Evasion', techniqueId: 'T1211', techniqueName: 'Exploitation for Defense Evasion' }],
  event: { _index: 'logs-endpoint.events.file-demo', _id: 'ev1', _source: { file: { path: 'C:\\Windows\\evil<script>.dll' } } },
  sequenceEvents: null,
  timestamp: '2026-11-26T10:46:30.830Z',
  createdAt: '2026-11-26T10:47:00.000Z',
  runId: 'run1',
  status: 'closed',
  verdict: 'benign_true_positive',
  assignee: 'ana',
  hostName: 'ws-fin-01',
  userName: 'ACME\\jdoe',
  processName: 'lsass.exe',
  processEntityId: 'ent-1',
  filePath: 'C:\\Windows\\evil<script>.dll',
  version: 5,
};

const view: CaseView = {
  alert,
  steps: [
    { alertId: 'a1b2c3', stepId: steps[0]!.id, section: 'guide', state: 'done', reason: null, note: 'tree checked: <img src=x onerror=alert(1)>', owner: null, actor: 'ana', updatedAt: '2026-11-26T11:00:00.000Z', version: 1 },
    { alertId: 'a1b2c3', stepId: steps[1]!.id, section: 'guide', state: 'not_applicable', reason: 'no network sensor', note: null, owner: null, actor: 'ana', updatedAt: '2026-11-26T11:01:00.000Z', version: 1 },
  ],
  notes: [{ id: 1, alertId: 'a1b2c3', body: 'escalated to IR *now*', author: 'ana', createdAt: '2026-11-26T11:05:00.000Z' }],
  audit: [{ id: 1, at: '2026-11-26T11:00:00.000Z', actor: 'ana', entity: 'alert', entityId: 'a1b2c3', action: 'status', before: { status: 'open' }, after: { status: 'acknowledged' } }],
  progress: { all: { done: 2, total: steps.length, percent: 0 }, response: { done: 0, total: 0, percent: 0 } },
} as unknown as CaseView;

const report = buildCaseReport({ view, rule, guide, evidence: null, exportedBy: 'lee', now: new Date('2026-11-27T00:00:00Z') });

describe('case report', () => {
  it('carries every guide step with its state, and counts them', () => {
    const all = report.checklist.flatMap((s) => s.steps);
    expect(all).toHaveLength(steps.length);
    expect(all.find((s) => s.id === steps[0]!.id)).toMatchObject({ state: 'done', by: 'ana', note: 'tree checked: <img src=x onerror=alert(1)>' });
    expect(all.find((s) => s.id === steps[1]!.id)).toMatchObject({ state: 'not_applicable', reason: 'no network sensor' });
    expect(report.progress).toEqual({ done: 1, notApplicable: 1, total: steps.length });
    expect(report.rule.mitre[0]).toEqual({ tactic: 'TA0005 Defense Evasion', technique: 'T1211 Exploitation for Defense Evasion', subtechnique: null });
  });

  it('writes Markdown with every ticked step and its note, read back as text by a GFM parser', () => {
    const tree = readMd(caseToMarkdown(report));
    const nodes = all(tree);
    expect(nodes.filter((n) => n.type === 'html')).toEqual([]);
    expect(nodes.filter((n) => n.type === 'emphasis' || n.type === 'strong' || n.type === 'link')).toEqual([]);
    const items = nodes.filter((n): n is ListItem => n.type === 'listItem');
    expect(items.filter((li) => li.checked === true)).toHaveLength(1);
    expect(items.filter((li) => li.checked === false)).toHaveLength(steps.length - 2);
    const texts = items.map(itemText);
    expect(texts).toContain('note: tree checked: <img src=x onerror=alert(1)>');
    expect(texts.some((x) => x.startsWith('[~] not applicable: '))).toBe(true);
    expect(texts).toContain('reason: no network sensor');
    expect(texts.some((x) => x.endsWith('ana: escalated to IR *now*'))).toBe(true);
    const md = caseToMarkdown(report);
    expect(md).toContain('benign true positive');
    expect(md).toContain('The evidence could not be gathered at export time.');
  });

  it('keeps hostile values inside their table cell and list item: |, backticks, <, newlines', () => {
    const path = 'C:\\x|y`z`<b>bold</b>\nnext | `cell` .exe';
    const hostile = buildCaseReport({
      view: { ...view, alert: { ...alert, filePath: path, hostName: 'h|1 <i>', userName: '**u**\n# heading' } } as CaseView,
      rule,
      guide,
      evidence: null,
      exportedBy: 'lee|`x`',
      now: new Date('2026-11-27T00:00:00Z'),
    });
    const tree = readMd(caseToMarkdown(hostile));
    const nodes = all(tree);
    expect(nodes.filter((n) => n.type === 'html' || n.type === 'emphasis' || n.type === 'strong')).toEqual([]);
    expect(nodes.filter((n) => n.type === 'heading' && textOf(n) === 'heading')).toEqual([]);
    const alertTable = nodes.find((n): n is Table => n.type === 'table')!;
    for (const row of alertTable.children) expect(row.children).toHaveLength(2);
    const cell = (label: string) => textOf(alertTable.children.find((r) => textOf(r.children[0]!) === label)!.children[1]!);
    expect(cell('file')).toBe(path.replace(/\n/g, ' '));
    expect(cell('host')).toBe('h|1 <i>');
    expect(cell('user')).toBe('**u** # heading');
  });

  it('writes HTML that shows markup as text', () => {
    const html = caseToHtml(report);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('evil<script>');
    expect(html).toMatch(/tree checked: &lt;img src=x onerror=alert\(1\)(&gt;|>)/);
    expect(html).toContain('@media print');
    // one script only, the print button's, whose hash the export route allows
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toEqual([PRINT_SCRIPT]);
    expect(PRINT_SCRIPT_CSP_SOURCE).toBe(`'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`);
    expect(html).toContain('<h2>History</h2>');
  });

  it('speaks the exporting user\'s language in Markdown and the report; what users and guides wrote stays as written', () => {
    const md = caseToMarkdown(report, 'zh');
    expect(md).toContain('## 检查清单');
    expect(md).toContain(`共 ${steps.length} 步：已完成 1，不适用 1。`);
    const texts = all(readMd(md)).filter((n): n is ListItem => n.type === 'listItem').map(itemText);
    expect(texts).toContain('备注: tree checked: <img src=x onerror=alert(1)>');
    expect(texts).toContain('原因: no network sensor');
    expect(md).toMatch(/\| 结论 +\| 良性真阳性 +\|/);
    expect(md).toContain('导出时未能收集证据。');
    expect(md).not.toContain('## Checklist');
    expect(md.split('\n').filter((l) => l.includes('- [x] '))).toHaveLength(1);
    const html = caseToHtml(report, 'zh');
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain('<h2>历史</h2>');
    expect(html).toContain('>打印或另存为 PDF</button>');
    expect(html).toMatch(/tree checked: &lt;img src=x onerror=alert\(1\)(&gt;|>)/);
    expect([...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual([PRINT_SCRIPT]);
  });
});

describe('formats', () => {
  it('quotes CSV cells and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell(null)).toBe('');
    expect(QUEUE_CSV_HEADER.split(',')[0]).toBe('id');
    const row = queueCsvLine({ ...alert, source: { _index: alert.event._index, _id: alert.event._id } });
    expect(row.split(',')).toHaveLength(QUEUE_CSV_HEADER.split(',').length);
    expect(row).toContain('ACME\\jdoe');
    expect(row).toContain('benign_true_positive');
    expect(row.endsWith(alert.event._id)).toBe(true);
  });

});

describe('process tree as text', () => {
  const node = (name: string, entityId: string, role: ProcessNode['role'], depth: number, children: string[] = []): ProcessNode =>
    processNode({ name, entityId, role, depth, children });
  it('puts every descendant under its own parent, not just at its depth', () => {
    // breadth-first order lists b (a child of the subject) before c (a child of a)
    const tree: ProcessTree = {
      subjectEntityId: 's',
      hostName: 'h',
      ancestors: [node('wininit.exe', 'w', 'ancestor', -1, ['s'])],
      subject: node('services.exe', 's', 'subject', 0, ['a', 'b']),
      descendants: [node('a.exe', 'a', 'descendant', 1, ['c']), node('b.exe', 'b', 'descendant', 1), node('c.exe', 'c', 'descendant', 2)],
      cuts: [],
      window: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
    };
    const lines = processTreeLines({ processTree: tree }).map((l) => l.replace(/\s+—.*$/, ''));
    expect(lines.map((l) => l.match(/^ */)![0].length / 2)).toEqual([0, 1, 2, 3, 2]);
    expect(lines.map((l) => l.trim().split(/[ ,]/).find((w) => w.endsWith('.exe')))).toEqual(['wininit.exe', 'services.exe', 'a.exe', 'c.exe', 'b.exe']);
    expect(lines[1]).toContain('[subject]');
  });
});
