import { expect, it } from 'vitest';

// vitest.config.mts runs the suite in a zone that is not UTC (GUIDEPOST_TEST_TZ, default Asia/Shanghai)
it('the suite runs in a time zone other than UTC', () => {
  expect(new Date('2024-05-21T10:00:00Z').getTimezoneOffset()).not.toBe(0);
});
