import { test, expect } from 'vitest';
import { fillPlaceholders, readPath } from './placeholders';

const source = {
  '@timestamp': '2026-11-27T10:00:00Z',
  host: { name: 'ws-07', os: { type: 'windows' } },
  'process.pid': 4242,
  process: { entity_id: 'abc', args: ['cmd.exe', '/c'] },
};

test('reads dotted and nested paths', () => {
  expect(readPath(source, 'host.name')).toBe('ws-07');
  expect(readPath(source, 'host.os.type')).toBe('windows');
  expect(readPath(source, 'process.pid')).toBe(4242);
  expect(readPath(source, 'process.entity_id')).toBe('abc');
  expect(readPath(source, 'user.name')).toBeUndefined();
});

test('fills {{field}} placeholders and reports the missing ones', () => {
  const r = fillPlaceholders("SELECT * FROM processes WHERE pid = {{process.pid}} AND name = '{{ process.args }}' -- {{user.name}}", source);
  expect(r.text).toBe("SELECT * FROM processes WHERE pid = 4242 AND name = 'cmd.exe' -- {{user.name}}");
  expect(r.missing).toEqual(['user.name']);
});

test('text without placeholders is unchanged', () => {
  expect(fillPlaceholders('SELECT * FROM dns_cache', source)).toEqual({ text: 'SELECT * FROM dns_cache', missing: [] });
});
