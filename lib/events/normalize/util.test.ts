import { describe, expect, it } from 'vitest';
import { utcIso } from './util';

// The suite runs under TZ=Asia/Shanghai (vitest.config.mts); the old utcIso handed anything it
// did not recognise to Date.parse, which reads its legacy dialects in the server's time zone.
describe('utcIso reads timestamps as lib/eql/document does (zone-less = UTC), whatever the server zone', () => {
  it('runs under a zone that is not UTC (so these tests can fail)', () => {
    expect(new Date(2024, 4, 21, 10).getTimezoneOffset()).not.toBe(0);
  });

  it.each([
    ['2024-05-21 10:00:00', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21T10:00:00.123', '2024-05-21T10:00:00.123Z'],
    ['2024-05-21T10:00:00,123', '2024-05-21T10:00:00.123Z'], // ISO comma fraction (strict_date_optional_time)
    ['2024-05-21T10', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21', '2024-05-21T00:00:00.000Z'],
    ['2024-05-21T12:00:00+02:00', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21 10:00:00.1234567', '2024-05-21T10:00:00.1234567Z'], // sub-ms digits kept
    ['2024-05-21T10:00:00.1234567Z', '2024-05-21T10:00:00.1234567Z'],
  ])('%s → %s', (input, iso) => {
    expect(utcIso(input)).toBe(iso);
  });

  it('is not a Date.parse dialect read in local time (was 02:00Z under Asia/Shanghai)', () => {
    expect(utcIso('2024/05/21 10:00:00')).toBeUndefined();
    expect(utcIso('May 21 2024 10:00')).toBeUndefined();
    expect(utcIso('2024-02-30T10:00:00')).toBeUndefined();
  });

  it('shifts by the offset and then drops the sub-ms digits', () => {
    expect(utcIso('2024-05-21 10:00:00.1234567', -2 * 3600_000)).toBe('2024-05-21T08:00:00.123Z');
  });
});
