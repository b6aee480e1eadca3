/**
 * Investigation guide (rule `note` markdown) → checklist model. Pure: no I/O, no HTML.
 *
 * The markdown is parsed with unified + remark-parse + remark-gfm into mdast, then walked:
 *  - every heading starts a section, classified by its text (case-insensitive, trailing ':' ignored);
 *  - list items in the investigation / false-positive / response / other sections become steps,
 *    nested lists become child steps; labelled sub-bullets (`Why:`, `Focus:`, `Hint:`,
 *    `Implication:`) become details of their step;
 *  - `!{osquery{…}}` and `!{investigate{…}}` blocks are cut out before markdown parsing (their
 *    JSON must not go through markdown escapes) and re-attached to the step they sit in;
 *  - everything else is context, kept as structured spans that the UI renders as text.
 */
import type { List, ListItem, PhrasingContent, Root, RootContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Guide, GuideBlock, GuideDetail, GuideSection, GuideSpan, GuideStep, InvalidBlock, InvestigateBlock, OsqueryBlock, PluginBlock, SectionKind } from '../domain/guide';
import { investigateEntrySchema, osqueryEntrySchema } from './model';

export type {
  GuideBlock,
  GuideDetail,
  GuideSection,
  GuideSpan,
  GuideStep,
  Guide,
  InvalidBlock,
  InvestigateBlock,
  OsqueryBlock,
  PluginBlock,
  SectionKind,
} from '../domain/guide';

// ------------------------------------------------------------ section matching

const SECTION_PATTERNS: [RegExp, SectionKind][] = [
  [/^(possible )?investigation steps$|^triage and analysis steps$|^triage checklist$|^investigation checklist$|^possible investigation steps/, 'investigation'],
  [/^false positive(s| analysis| considerations)?$|^false positive/, 'false_positive'],
  [/^response( and remediation)?$|^remediation$|^response and remediation/, 'response'],
  [/^related rules?$/, 'related_rules'],
  [/^setup$|^setup instructions$/, 'setup'],
  [/^investigating |^triage and analysis$|^additional information$|^key alert fields to review$/, 'overview'],
];

export function classifyHeading(title: string): SectionKind {
  const t = title.trim().toLowerCase().replace(/[:.\s]+$/, '').replace(/\s+/g, ' ');
  for (const [re, kind] of SECTION_PATTERNS) if (re.test(t)) return kind;
  return 'other';
}

const STEP_SECTIONS: ReadonlySet<SectionKind> = new Set(['investigation', 'false_positive', 'response', 'other']);

const DETAIL_LABELS = /^(why|focus|hint|implication|implications|note|example|examples|tip|context|look for|check|what to check|what to look for|how|how to check)\s*:\s*/i;

// ------------------------------------------------------------ plugin blocks

const TOKEN_PREFIX = 'GUIDEPOSTBLOCK';
const TOKEN_RE = /GUIDEPOSTBLOCK(\d+)X/g;

/** Find `!{name{…}}` blocks: brace matching that skips braces inside JSON strings. */
export function extractPluginBlocks(note: string): { text: string; blocks: PluginBlock[] } {
  const blocks: PluginBlock[] = [];
  let out = '';
  let i = 0;
  const start = /!\{([a-zA-Z]+)\{/g;
  for (;;) {
    start.lastIndex = i;
    const m = start.exec(note);
    if (!m) break;
    const jsonStart = m.index + 2 + m[1].length;
    const jsonEnd = matchBrace(note, jsonStart);
    if (jsonEnd < 0 || note[jsonEnd + 1] !== '}') {
      // not a complete block: keep it as text
      out += note.slice(i, m.index + 2);
      i = m.index + 2;
      continue;
    }
    const raw = note.slice(m.index, jsonEnd + 2);
    blocks.push(parsePluginBlock(m[1], note.slice(jsonStart, jsonEnd + 1), raw));
    out += note.slice(i, m.index) + `${TOKEN_PREFIX}${blocks.length - 1}X`;
    i = jsonEnd + 2;
  }
  out += note.slice(i);
  return { text: out, blocks };
}

function matchBrace(s: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let k = open; k < s.length; k++) {
    const c = s[k];
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

function parsePluginBlock(plugin: string, json: string, raw: string): PluginBlock {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return { kind: 'invalid', plugin, raw, error: `invalid JSON: ${(e as Error).message}` };
  }
  if (plugin === 'osquery') {
    const p = osqueryEntrySchema.safeParse(data);
    if (!p.success) return { kind: 'invalid', plugin, raw, error: p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    return { kind: 'osquery', label: p.data.label, query: p.data.query, raw };
  }
  if (plugin === 'investigate') {
    const p = investigateEntrySchema.safeParse(data);
    if (!p.success) return { kind: 'invalid', plugin, raw, error: p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    return {
      kind: 'investigate',
      label: p.data.label,
      description: p.data.description ?? null,
      providers: p.data.providers,
      relativeFrom: p.data.relativeFrom ?? null,
      relativeTo: p.data.relativeTo ?? null,
      raw,
    };
  }
  return { kind: 'invalid', plugin, raw, error: `unknown plugin "${plugin}"` };
}

// ------------------------------------------------------------ inline content

interface Inline {
  spans: GuideSpan[];
  blocks: PluginBlock[];
}

function phrasing(nodes: PhrasingContent[], blocks: PluginBlock[]): Inline {
  const spans: GuideSpan[] = [];
  const found: PluginBlock[] = [];
  const pushText = (type: GuideSpan['type'], value: string, url?: string) => {
    const last = spans[spans.length - 1];
    if (type === 'text' && last && last.type === 'text') last.value += value;
    else if (value !== '' || url) spans.push(url ? { type, value, url } : { type, value });
  };
  for (const n of nodes) {
    switch (n.type) {
      case 'text': {
        let last = 0;
        for (const m of n.value.matchAll(TOKEN_RE)) {
          pushText('text', n.value.slice(last, m.index));
          const b = blocks[Number(m[1])];
          if (b) found.push(b);
          last = (m.index ?? 0) + m[0].length;
        }
        pushText('text', n.value.slice(last));
        break;
      }
      case 'inlineCode':
        pushText('code', restoreTokens(n.value, blocks));
        break;
      case 'strong':
      case 'emphasis':
      case 'delete': {
        const inner = phrasing(n.children, blocks);
        found.push(...inner.blocks);
        pushText(n.type === 'delete' ? 'text' : n.type, plain(inner.spans));
        break;
      }
      case 'link': {
        const inner = phrasing(n.children, blocks);
        found.push(...inner.blocks);
        pushText('link', plain(inner.spans) || n.url, n.url);
        break;
      }
      case 'break':
        pushText('text', '\n');
        break;
      case 'html':
        pushText('text', restoreTokens(n.value, blocks));
        break;
      case 'image':
        pushText('text', n.alt ?? '');
        break;
      default: {
        const value = 'value' in n && typeof n.value === 'string' ? n.value : '';
        pushText('text', value);
      }
    }
  }
  // trim outer whitespace left by removed tokens
  if (spans.length > 0) {
    const first = spans[0];
    if (first.type === 'text') first.value = first.value.replace(/^\s+/, '');
    const lastSpan = spans[spans.length - 1];
    if (lastSpan.type === 'text') lastSpan.value = lastSpan.value.replace(/\s+$/, '');
  }
  return { spans: spans.filter((s) => s.value !== '' || s.url), blocks: found };
}

function restoreTokens(value: string, blocks: PluginBlock[]): string {
  return value.replace(TOKEN_RE, (_, n: string) => blocks[Number(n)]?.raw ?? '');
}

export function plain(spans: GuideSpan[]): string {
  return spans.map((s) => s.value).join('');
}

// ------------------------------------------------------------ block content

function toBlocks(node: RootContent, blocks: PluginBlock[]): GuideBlock[] {
  switch (node.type) {
    case 'paragraph': {
      const inl = phrasing(node.children, blocks);
      const out: GuideBlock[] = [];
      if (inl.spans.length > 0) out.push({ type: 'paragraph', spans: inl.spans });
      for (const b of inl.blocks) out.push({ type: 'plugin', block: b });
      return out;
    }
    case 'heading':
      return [{ type: 'heading', depth: node.depth, spans: phrasing(node.children, blocks).spans }];
    case 'blockquote':
      return [{ type: 'quote', blocks: node.children.flatMap((c) => toBlocks(c, blocks)) }];
    case 'code':
      return [{ type: 'code', lang: node.lang ?? null, value: restoreTokens(node.value, blocks) }];
    case 'list':
      return [{ type: 'list', ordered: node.ordered === true, items: node.children.map((li) => li.children.flatMap((c) => toBlocks(c, blocks))) }];
    case 'table':
      return [tableBlock(node, blocks)];
    case 'thematicBreak':
      return [{ type: 'rule' }];
    case 'html':
      return [{ type: 'paragraph', spans: [{ type: 'text', value: restoreTokens(node.value, blocks) }] }];
    default:
      return [];
  }
}

function tableBlock(node: Table, blocks: PluginBlock[]): GuideBlock {
  return { type: 'table', rows: node.children.map((row) => row.children.map((cell) => phrasing(cell.children, blocks).spans)) };
}

// ------------------------------------------------------------ steps

interface RawStep {
  section: SectionKind;
  depth: number;
  spans: GuideSpan[];
  details: GuideDetail[];
  extra: GuideBlock[];
  plugins: PluginBlock[];
  children: RawStep[];
}

function itemToStep(item: ListItem, section: SectionKind, depth: number, blocks: PluginBlock[]): RawStep | { pluginsOnly: PluginBlock[] } {
  const step: RawStep = { section, depth, spans: [], details: [], extra: [], plugins: [], children: [] };
  let haveText = false;
  for (const child of item.children) {
    if (child.type === 'paragraph') {
      const inl = phrasing(child.children, blocks);
      step.plugins.push(...inl.blocks);
      if (inl.spans.length === 0) continue;
      if (!haveText) {
        step.spans = inl.spans;
        haveText = true;
      } else step.details.push({ label: null, spans: inl.spans });
    } else if (child.type === 'list') {
      addListItems(child, step, section, depth + 1, blocks);
    } else {
      step.extra.push(...toBlocks(child, blocks));
    }
  }
  if (!haveText && step.children.length === 0 && step.details.length === 0 && step.extra.length === 0) {
    return { pluginsOnly: step.plugins };
  }
  if (!haveText && step.plugins.length > 0) {
    const first = step.plugins[0];
    step.spans = [{ type: 'text', value: first.kind === 'invalid' ? first.raw : first.label }];
  }
  return step;
}

function addListItems(list: List, parent: RawStep, section: SectionKind, depth: number, blocks: PluginBlock[]) {
  for (const li of list.children) {
    const s = itemToStep(li, section, depth, blocks);
    if ('pluginsOnly' in s) {
      parent.plugins.push(...s.pluginsOnly);
      continue;
    }
    const text = plain(s.spans);
    const label = DETAIL_LABELS.exec(text);
    if (label) {
      // a labelled sub-bullet: detail of the parent; its own sub-items flatten into details too
      const spans = stripLeading(s.spans, label[0]);
      parent.details.push({ label: label[1].replace(/^\w/, (c) => c.toUpperCase()), spans });
      parent.details.push(...s.details);
      parent.plugins.push(...s.plugins);
      parent.extra.push(...s.extra);
      for (const c of flattenRaw(s.children)) {
        parent.details.push({ label: null, spans: c.spans }, ...c.details);
        parent.plugins.push(...c.plugins);
      }
      continue;
    }
    parent.children.push(s);
  }
}

function flattenRaw(steps: RawStep[]): RawStep[] {
  return steps.flatMap((s) => [s, ...flattenRaw(s.children)]);
}

/** Remove a label prefix (which may span several spans, e.g. `**Focus:**`) from the spans. */
function stripLeading(spans: GuideSpan[], prefix: string): GuideSpan[] {
  let remaining = prefix.length;
  const out: GuideSpan[] = [];
  for (const s of spans) {
    if (remaining <= 0) {
      out.push(s);
      continue;
    }
    if (s.value.length <= remaining) {
      remaining -= s.value.length;
      continue;
    }
    out.push({ ...s, value: s.value.slice(remaining) });
    remaining = 0;
  }
  if (out[0] && out[0].type === 'text') out[0] = { ...out[0], value: out[0].value.replace(/^\s+/, '') };
  return out.filter((s) => s.value !== '' || s.url);
}

// ------------------------------------------------------------ ids

/** 53-bit FNV-1a style hash (two 32-bit lanes), as 10 base-36 chars. Pure, no node:crypto. */
export function stableHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const hi = (h2 >>> 0) & 0x1fffff;
  const n = hi * 0x100000000 + (h1 >>> 0);
  return n.toString(36).padStart(11, '0');
}

/** The text a step id is derived from: lower case, blocks and markup removed, whitespace collapsed. */
export function normaliseStepText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// ------------------------------------------------------------ build

const markdown = unified().use(remarkParse).use(remarkGfm).freeze();

export function buildGuide(note: string): Guide {
  const { text, blocks } = extractPluginBlocks(note);
  const tree = markdown.parse(text) as Root;
  const warnings: string[] = [];
  for (const b of blocks) if (b.kind === 'invalid') warnings.push(`invalid !{${b.plugin}} block: ${b.error}`);

  interface RawSection {
    kind: SectionKind;
    title: string;
    depth: number;
    nodes: RootContent[];
    context: GuideBlock[];
    steps: RawStep[];
  }
  const rawSections: RawSection[] = [];
  let current: RawSection = { kind: 'other', title: '', depth: 0, nodes: [], context: [], steps: [] };
  rawSections.push(current);
  for (const node of tree.children) {
    if (node.type === 'heading') {
      const title = plain(phrasing(node.children, blocks).spans);
      current = { kind: classifyHeading(title), title, depth: node.depth, nodes: [], context: [], steps: [] };
      rawSections.push(current);
      continue;
    }
    current.nodes.push(node);
  }

  /** Walk a section's nodes: lists → steps (when `lists`), paragraphs → steps (when `paragraphs`), the rest context. */
  const fill = (sec: RawSection, opts: { lists: boolean; paragraphs: boolean }) => {
    sec.context = [];
    sec.steps = [];
    for (const node of sec.nodes) {
      if (node.type === 'list' && opts.lists) {
        const holder: RawStep = { section: sec.kind, depth: -1, spans: [], details: [], extra: [], plugins: [], children: [] };
        addListItems(node, holder, sec.kind, 0, blocks);
        sec.steps.push(...holder.children);
        // labelled lines or plugin-only bullets at the top level have no step to attach to
        for (const d of holder.details) {
          sec.context.push({ type: 'paragraph', spans: d.label ? [{ type: 'strong', value: `${d.label}:` }, { type: 'text', value: ' ' }, ...d.spans] : d.spans });
        }
        const last = sec.steps[sec.steps.length - 1];
        for (const p of holder.plugins) {
          if (last) last.plugins.push(p);
          else sec.context.push({ type: 'plugin', block: p });
        }
        continue;
      }
      for (const b of toBlocks(node, blocks)) {
        const last = sec.steps[sec.steps.length - 1];
        if (b.type === 'paragraph' && opts.paragraphs) {
          sec.steps.push({ section: sec.kind, depth: 0, spans: b.spans, details: [], extra: [], plugins: [], children: [] });
        } else if (b.type === 'plugin' && last && (opts.lists || opts.paragraphs)) {
          // a block on its own line after a step belongs to that step
          last.plugins.push(b.block);
        } else sec.context.push(b);
      }
    }
  };
  for (const sec of rawSections) fill(sec, { lists: STEP_SECTIONS.has(sec.kind), paragraphs: false });

  const nonEmpty = rawSections.filter((s) => s.context.length > 0 || s.steps.length > 0);
  const noSteps = () => nonEmpty.every((s) => s.steps.length === 0);
  if (noSteps()) {
    // A guide whose steps sit in no list under a step heading: the lists of the overview
    // ("## Triage and analysis" followed directly by bullets) become steps.
    for (const sec of nonEmpty) if (sec.kind === 'overview') fill(sec, { lists: true, paragraphs: false });
  }
  if (noSteps()) {
    // prose only: paragraphs of the step sections become steps
    for (const sec of nonEmpty) if (STEP_SECTIONS.has(sec.kind)) fill(sec, { lists: true, paragraphs: true });
  }
  if (noSteps()) {
    // last resort: every paragraph outside setup / related rules
    for (const sec of nonEmpty) if (sec.kind !== 'setup' && sec.kind !== 'related_rules') fill(sec, { lists: true, paragraphs: true });
  }
  if (noSteps()) warnings.push('the guide has no steps');

  const usedIds = new Map<string, number>();
  const sectionIds = new Map<string, number>();
  let stepCount = 0;
  let osqueryCount = 0;
  let investigateCount = 0;
  const finish = (s: RawStep): GuideStep => {
    const text = plain(s.spans);
    const base = `${s.section}-${stableHash(`${s.section}\u0000${normaliseStepText(text)}`)}`;
    const n = (usedIds.get(base) ?? 0) + 1;
    usedIds.set(base, n);
    stepCount++;
    const osquery = s.plugins.filter((p): p is OsqueryBlock => p.kind === 'osquery');
    const investigate = s.plugins.filter((p): p is InvestigateBlock => p.kind === 'investigate');
    osqueryCount += osquery.length;
    investigateCount += investigate.length;
    return {
      id: n === 1 ? base : `${base}-${n}`,
      section: s.section,
      depth: s.depth,
      text,
      spans: s.spans,
      question: /\?\s*$/.test(text),
      details: s.details,
      extra: s.extra,
      osquery,
      investigate,
      invalid: s.plugins.filter((p): p is InvalidBlock => p.kind === 'invalid'),
      children: s.children.map(finish),
    };
  };
  const countContext = (bs: GuideBlock[]) => {
    for (const b of bs) {
      if (b.type === 'plugin') {
        if (b.block.kind === 'osquery') osqueryCount++;
        if (b.block.kind === 'investigate') investigateCount++;
      } else if (b.type === 'quote') countContext(b.blocks);
      else if (b.type === 'list') b.items.forEach(countContext);
    }
  };
  const sections: GuideSection[] = nonEmpty.map((s) => {
    const base = `${s.kind}-${stableHash(normaliseStepText(s.title))}`;
    const n = (sectionIds.get(base) ?? 0) + 1;
    sectionIds.set(base, n);
    countContext(s.context);
    return {
      id: n === 1 ? base : `${base}-${n}`,
      kind: s.kind,
      title: s.title,
      depth: s.depth,
      context: s.context,
      steps: s.steps.map(finish),
    };
  });
  return { sections, stepCount, osqueryCount, investigateCount, warnings };
}

/** Every step, depth-first, in document order. */
export function flattenSteps(guide: Guide): GuideStep[] {
  const out: GuideStep[] = [];
  const walk = (steps: GuideStep[]) => {
    for (const s of steps) {
      out.push(s);
      walk(s.children);
    }
  };
  for (const sec of guide.sections) walk(sec.steps);
  return out;
}

/** Find a step by id. */
export function findStep(guide: Guide, id: string): GuideStep | undefined {
  return flattenSteps(guide).find((s) => s.id === id);
}
