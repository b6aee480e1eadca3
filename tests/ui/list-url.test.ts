import { expect, test } from 'vitest';
import { listUrl } from '@/lib/queries/list-url';

test('filters become the query string: lists joined by commas, values as text; empty ones are left out', () => {
  expect(listUrl('/api/x', {})).toBe('/api/x');
  expect(listUrl('/api/x', { status: ['open', 'acknowledged'], page: 2, mine: true, q: 'a b&c' })).toBe('/api/x?status=open%2Cacknowledged&page=2&mine=true&q=a+b%26c');
  expect(listUrl('/api/x', { status: [], host: '', user: undefined, rule: null, sort: 'time' })).toBe('/api/x?sort=time');
});
