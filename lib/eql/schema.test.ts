import { describe, expect, it } from 'vitest';
import { makeRawAccessor } from './compile';
import { resolveAlias, schemaFromMappings, withDynamicFields } from './schema';

describe('schema from mappings', () => {
  const schema = schemaFromMappings({
    mappings: {
      properties: {
        event_type: { type: 'keyword' },
        event: { properties: { category: { type: 'alias', path: 'event_type' } } },
        hostname: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        opt: { type: 'keyword', null_value: 'NULL' },
        odd: { type: 'something_new' },
      },
      runtime: { broken: { type: 'long' } },
    },
  });
  it('walks properties, sub-fields, aliases and runtime fields', () => {
    expect(schema.get('event.category')).toEqual({ type: 'alias', path: 'event_type' });
    expect(resolveAlias(schema, 'event.category')).toBe('event_type');
    expect(schema.get('hostname')?.keywordSubfield).toBe(true);
    expect(schema.get('hostname.keyword')?.type).toBe('keyword');
    expect(schema.get('opt')?.nullValue).toBe('NULL');
    expect(schema.get('odd')?.type).toBe('keyword');
    expect(schema.get('broken')?.type).toBe('long');
  });
  it('adds dynamic mappings for unmapped document fields', () => {
    const s = withDynamicFields(schema, [{ a: 'x', n: 1, f: 1.5, b: true, o: { p: 2 }, 'd.e': 'y', event_type: 3 }]);
    expect(s.get('a')).toEqual({ type: 'text', keywordSubfield: true });
    expect(s.get('n')?.type).toBe('long');
    expect(s.get('f')?.type).toBe('float');
    expect(s.get('b')?.type).toBe('boolean');
    expect(s.get('o.p')?.type).toBe('long');
    expect(s.get('d.e')?.type).toBe('text');
    expect(s.get('event_type')?.type).toBe('keyword');
  });
});

describe('field accessors', () => {
  it('reach nested objects, dotted keys and mixes of both', () => {
    const get = makeRawAccessor('process.parent.pid');
    expect(get({ process: { parent: { pid: 1 } } })).toBe(1);
    expect(get({ 'process.parent.pid': 2 })).toBe(2);
    expect(get({ process: { 'parent.pid': 3 } })).toBe(3);
    expect(get({ 'process.parent': { pid: 4 } })).toBe(4);
    expect(get({ process: {} })).toBeUndefined();
  });
  it('collect values through arrays of objects', () => {
    expect(makeRawAccessor('a.b')({ a: [{ b: 1 }, { b: 2 }, {}] })).toEqual([1, 2]);
  });
  it('do not see inherited properties', () => {
    expect(makeRawAccessor('constructor')({})).toBeUndefined();
    expect(makeRawAccessor('a.toString')({ a: {} })).toBeUndefined();
  });
});
