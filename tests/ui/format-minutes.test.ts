import { expect, test } from 'vitest';
import { formatMinutes } from '@/components/ui/time-figures';

test.each([
  [null, '—'],
  [0, '0 min'],
  [42.4, '42 min'],
  [89, '89 min'],
  [90, '1.5 h'],
  [100, '1.7 h'],
  [480, '8 h'],
  [24 * 60, '24 h'],
  [48 * 60, '2 d'],
  [3 * 1440 + 144, '3.1 d'],
  [7 * 1440, '7 d'],
] as const)('formatMinutes(%s) is %s (one decimal at most, none when it is 0)', (minutes, text) => {
  expect(formatMinutes(minutes)).toBe(text);
});
