import { describe, expect, it } from 'vitest';
import { describeChange } from './history';

describe('describeChange', () => {
  it('lists only the fields that changed, without the version', () => {
    expect(
      describeChange({ status: 'open', assignee: null, version: 1 }, { status: 'acknowledged', assignee: 'ali', version: 2 }),
    ).toEqual(['status: open → acknowledged', 'assignee: — → ali']);
  });
  it('shows a one-sided entry field by field and scalars as they are', () => {
    expect(describeChange(null, { name: 'bo', role: 'analyst' })).toEqual(['name: bo', 'role: analyst']);
    expect(describeChange('<b>x</b>', 'y')).toEqual(['<b>x</b> → y']);
    expect(describeChange(undefined, undefined)).toEqual([]);
  });
});
