/**
 * `guidepost rules import <file|dir> [--enable]`, `rules enable|disable <rule_id…> | --all | --matching-data`,
 * `rules list [--json]`.
 *
 * import prints exactly one summary line
 *   rules import: <a> added, <v> new version, <u> unchanged, <r> refused
 * then one line per refused rule (`refused <file>:<line> rule_id <id>: <reason>`); the time
 * taken goes to stderr. Exit code 0 when something was read (refusals included), 1 when every
 * rule was refused, 2 on bad arguments.
 */
import { cliCommand } from './args';
import { readImport } from '../rules/import';
import { applyImport, formatImportSummary, formatRefusal } from '../rules/import-apply';
import { listRulesWithStatus, loadRules, reloadRules, rulesMatchingData, setRulesEnabled, storedIndexNames } from '../detection/rules';

const usage = `usage:
  guidepost rules import <file|dir> [--enable]   Kibana export (.ndjson), corpus JSONL (.jsonl), TOML, or a directory of them
  guidepost rules enable <rule_id…> | --all | --matching-data
  guidepost rules disable <rule_id…> | --all
  guidepost rules list [--json]`;

const cli = cliCommand('rules', usage);

/** `rule_id<TAB>name<TAB>v<version><TAB>type<TAB>enabled|disabled` (type "<t> (not supported yet)" for non-EQL) */
export function formatListLine(r: { ruleId: string; name: string; version: number; type: string; supported: boolean; enabled: boolean }): string {
  const type = r.supported ? r.type : `${r.type} (not supported yet)`;
  return [r.ruleId, r.name, `v${r.version}`, type, r.enabled ? 'enabled' : 'disabled'].join('\t');
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = cli.parse(rest, { positionals: true, booleans: ['enable', 'all', 'matching-data', 'json'] });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  switch (sub) {
    case 'import': {
      if (positionals.length !== 1) return cli.fail(`give one file or directory`);
      const t0 = performance.now();
      const read = readImport(positionals[0]!);
      const tRead = performance.now();
      const catalogue = new Map(loadRules().rules.map((r) => [r.rule_id, r.version]));
      const report = applyImport(read, { actor: 'cli', enable: values.enable === true, catalogue });
      reloadRules();
      console.log(formatImportSummary(report));
      for (const r of report.refused) console.log(formatRefusal(r));
      console.error(
        `(read and checked ${read.candidates.length + read.refused.length} rules in ${Math.round(tRead - t0)} ms, stored in ${report.ms} ms in one transaction` +
          `${report.enabledIds.length ? `; ${report.enabledIds.length} enabled` : ''})`,
      );
      return read.candidates.length === 0 && read.refused.length > 0 ? 1 : 0;
    }
    case 'enable':
    case 'disable': {
      const enabled = sub === 'enable';
      const selectors = [positionals.length > 0, values.all === true, values['matching-data'] === true].filter(Boolean).length;
      if (selectors !== 1) return cli.fail(`give rule ids, or --all${enabled ? ', or --matching-data' : ''}`);
      let ids: string[];
      if (values.all) ids = loadRules().rules.map((r) => r.rule_id);
      else if (values['matching-data']) {
        if (!enabled) return cli.fail('--matching-data only enables', { usage: false });
        const indices = storedIndexNames();
        if (indices === null) return cli.fail('--matching-data needs the embedded event store (on Elasticsearch, give rule ids)', { usage: false });
        ids = rulesMatchingData(loadRules().rules, indices).map((r) => r.rule_id);
      } else ids = positionals;
      try {
        const res = setRulesEnabled(ids, enabled, 'cli');
        console.log(`rules ${sub}: ${res.changed.length} ${enabled ? 'enabled' : 'disabled'}, ${res.unchanged} already ${enabled ? 'enabled' : 'disabled'}`);
        return 0;
      } catch (e) {
        console.error(`guidepost rules: ${e instanceof Error ? e.message : String(e)}`);
        return 1;
      }
    }
    case 'list': {
      const rules = listRulesWithStatus().sort((a, b) => a.ruleId.localeCompare(b.ruleId));
      for (const r of rules) {
        if (values.json) {
          console.log(JSON.stringify({ rule_id: r.ruleId, name: r.name, version: r.version, type: r.type, supported: r.supported, enabled: r.enabled, deprecated: r.deprecated }));
        } else console.log(formatListLine(r));
      }
      return 0;
    }
    default:
      return cli.fail(usage, { usage: false });
  }
}
