import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  compareScalars,
  compareVersions,
  equalsFolded,
  foldAscii,
  ipToBytes,
  millisToIso,
  normalizeIp,
  parseCidr,
  parseIsoDate,
  toEpochMillis,
} from './values';

describe('timestamps', () => {
  it('parses ISO dates like Date.parse for millisecond precision', () => {
    for (const s of ['2024-01-01T00:00:00.012Z', '1970-01-01T00:00:00.000Z', '2024-02-29T12:34:56.789Z', '1999-12-31T23:59:59Z', '2017-08-30']) {
      expect(parseIsoDate(s)).toBe(Date.parse(s));
    }
  });
  it('keeps the sub-millisecond part of nanosecond dates', () => {
    const v = parseIsoDate('1974-03-03T02:22:54.294365140Z');
    expect(v).not.toBeNull();
    expect(v! - Date.parse('1974-03-03T02:22:54.294Z')).toBeCloseTo(0.36514, 4);
  });
  it('applies offsets', () => {
    expect(parseIsoDate('2020-01-01T01:00:00+01:00')).toBe(Date.parse('2020-01-01T00:00:00Z'));
  });
  it('reads numbers and numeric strings as epoch millis', () => {
    expect(toEpochMillis(1234)).toBe(1234);
    expect(toEpochMillis('1234567891')).toBe(1234567891);
    expect(toEpochMillis('131485996510.000000')).toBe(131485996510);
    expect(toEpochMillis('not a date')).toBeNull();
    expect(toEpochMillis(null)).toBeNull();
  });
  it('formats ISO with milliseconds', () => {
    expect(millisToIso(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('ip addresses', () => {
  it('normalises IPv4 and IPv6', () => {
    expect(normalizeIp('10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normalizeIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeIp('::1')).toBe('::1');
    expect(normalizeIp('300.1.1.1')).toBeNull();
    expect(normalizeIp('abc')).toBeNull();
  });
  it('matches CIDR blocks', () => {
    const ip = ipToBytes('10.6.48.157')!;
    expect(cidrContains(parseCidr('10.6.48.157/8')!, ip)).toBe(true);
    expect(cidrContains(parseCidr('192.168.0.0/16')!, ip)).toBe(false);
    expect(cidrContains(parseCidr('10.6.48.156/31')!, ip)).toBe(true);
    expect(cidrContains(parseCidr('10.6.48.158/31')!, ip)).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32')!, ipToBytes('2001:db8:1::5')!)).toBe(true);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });
});

describe('versions', () => {
  it('orders semantic versions, invalid ones last', () => {
    expect(compareVersions('1.11.3', '1.5.0')).toBeGreaterThan(0);
    expect(compareVersions('1.2.4-SNAPSHOT', '1.5.0')).toBeLessThan(0);
    expect(compareVersions('1.2.4-SNAPSHOT', '1.2.4')).toBeLessThan(0);
    expect(compareVersions('bad', '1.5.0')).toBeGreaterThan(0);
    expect(compareVersions('1.5.0', '1.5.0')).toBe(0);
  });
});

describe('case folding and ordering', () => {
  it('folds ASCII letters only', () => {
    expect(foldAscii('CMD.EXE')).toBe('cmd.exe');
    expect(foldAscii('ÉCOLE')).toBe('École');
    expect(equalsFolded('LogonUI.exe', 'logonui.EXE')).toBe(true);
    expect(equalsFolded('É', 'é')).toBe(false);
  });
  it('puts null first, strings in code-unit order', () => {
    expect(compareScalars(null, 'a')).toBeLessThan(0);
    expect(compareScalars('GTA', 'doom')).toBeLessThan(0);
    expect(compareScalars(2, 10)).toBeLessThan(0);
  });
});
