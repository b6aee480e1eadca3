/**
 * What the scan-once engine reads from a query: the routes (category + required literal
 * conditions) an event must pass to matter to the query. They must be conservative: an
 * event the query's filter accepts always passes one route.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '@/lib/eql/parser';
import { compileQuery } from '@/lib/eql/search';
import { compileCondition, mayHold, routesOf, type Route } from '@/lib/detection/engine/requirements';

function show(routes: Route[]) {
  return routes.map((r) => ({ category: r.category, conditions: r.conditions.map((c) => [c.field, c.values ? [...c.values].sort() : 'present']) }));
}

function passes(routes: Route[], category: string, src: Record<string, unknown>): boolean {
  return routes.some((r) => (r.category === null || r.category === category) && r.conditions.every((c) => mayHold(compileCondition(c), src)));
}

describe('routes of a query', () => {
  it('an event query: its category and the literals of `and`, folded; nothing from `not`', () => {
    const q = 'process where host.os.type == "windows" and process.name : ("CMD.exe", "powershell.exe") and not process.parent.name == "explorer.exe"';
    expect(show(routesOf(parse(q)))).toEqual([
      { category: 'process', conditions: [['host.os.type', ['windows']], ['process.name', ['cmd.exe', 'powershell.exe']]] },
    ]);
  });

  it('`or`: a field required by every branch, with the union of their literals; other fields dropped', () => {
    const q = 'file where (file.extension == "exe" and file.path : "C:\\\\*") or (file.extension in ("dll", "sys") and process.name == "x")';
    expect(show(routesOf(parse(q)))).toEqual([{ category: 'file', conditions: [['file.extension', ['dll', 'exe', 'sys']]] }]);
  });

  it('wildcards, regexes and non-string literals only require the field to be present', () => {
    const q = 'any where process.command_line : "*-enc*" and process.pid == 4 and dll.name regex~ ".*\\\\.dll"';
    expect(show(routesOf(parse(q)))).toEqual([
      { category: null, conditions: [['process.command_line', 'present'], ['process.pid', 'present'], ['dll.name', 'present']] },
    ]);
  });

  it('a sequence: one route per stage, missing stages and until included', () => {
    const q = 'sequence by host.id with maxspan=1m [process where process.name == "a.exe"] ![network where destination.port == 443] [file where true] until [process where event.type == "end"]';
    expect(show(routesOf(parse(q)))).toEqual([
      { category: 'process', conditions: [['process.name', ['a.exe']]] },
      { category: 'network', conditions: [['destination.port', 'present']] },
      { category: 'file', conditions: [] },
      { category: 'process', conditions: [['event.type', ['end']]] },
    ]);
  });

  it('is conservative: every event the filter accepts passes a route (case, arrays, numbers, dotted keys)', () => {
    const queries = [
      'process where process.name : ("lsass.exe", "csrss.exe") and host.os.type == "windows"',
      'process where process.name in~ ("LSASS.EXE") or process.name like~ "Csrss.exe"',
      'file where file.extension : "dll" and user.id == "0"',
      'sequence [process where process.name == "a"] [file where file.name : "B"]',
    ];
    const events: [string, Record<string, unknown>][] = [
      ['process', { process: { name: 'LSASS.EXE' }, host: { os: { type: 'windows' } } }],
      ['process', { 'process.name': 'csrss.exe', 'host.os.type': 'windows' }],
      ['process', { process: { name: ['other.exe', 'lsass.exe'] }, host: { os: { type: 'windows' } } }],
      ['file', { file: { extension: 'DLL' }, user: { id: 0 } }],
      ['file', { file: { extension: 'dll' }, user: { id: '0' } }],
      ['process', { process: { name: 'a' } }],
      ['file', { file: { name: 'b' } }],
      ['process', { process: { name: 'notepad.exe' }, host: { os: { type: 'windows' } } }],
      ['file', { file: { extension: 'txt' } }],
    ];
    let accepted = 0;
    for (const q of queries) {
      const stmt = parse(q);
      const compiled = compileQuery(stmt, { size: 100 });
      const routes = routesOf(stmt);
      for (const [category, body] of events) {
        const src = { event: { category }, ...body };
        if (compiled.filter(src)) {
          accepted++;
          expect(passes(routes, category, src), `${q} / ${JSON.stringify(src)}`).toBe(true);
        }
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(6);
    // and it does narrow: an event of the right category without the literals is left out
    const routes = routesOf(parse(queries[0]!));
    expect(passes(routes, 'process', { process: { name: 'notepad.exe' }, host: { os: { type: 'windows' } } })).toBe(false);
    expect(passes(routes, 'process', { process: { name: 'lsass.exe' }, host: { os: { type: 'linux' } } })).toBe(false);
    expect(passes(routes, 'process', { host: { os: { type: 'windows' } } })).toBe(false);
  });
});
