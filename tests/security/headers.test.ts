/** Issue 13, item 8: security headers on pages (proxy.ts) and on every answer (next.config.js). */
import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { proxy, contentSecurityPolicy } from '@/proxy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nextConfig = require('../../next.config.js') as { headers: () => Promise<{ source: string; headers: { key: string; value: string }[]; has?: unknown[] }[]> };

const page = (path: string, headers: Record<string, string> = {}) => new NextRequest(`http://127.0.0.1:3000${path}`, { headers });

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('page Content-Security-Policy', () => {
  it('scripts only by a fresh nonce; no framing, no plugins, no foreign <base>', () => {
    const a = proxy(page('/alerts', { cookie: 'gp_session=x' }));
    const b = proxy(page('/alerts', { cookie: 'gp_session=x' }));
    const policy = a.headers.get('content-security-policy')!;
    expect(policy).toBeTruthy();
    const d = directives(policy);
    const nonce = d.get('script-src')!.find((v) => v.startsWith("'nonce-"));
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(b.headers.get('content-security-policy')).not.toBe(policy);
    // the page renders with the same policy, so Next can put the nonce on its scripts
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
  });

  it('no eval in production', () => {
    expect(contentSecurityPolicy('n', false)).not.toContain('unsafe-eval');
  });

  it('the sign-in page has the policy too and is not redirected; other pages without a session are', () => {
    const signin = proxy(page('/signin?next=/alerts'));
    expect(signin.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(signin.headers.get('location')).toBeNull();
    const redirected = proxy(page('/dashboard'));
    expect(redirected.status).toBe(307);
    expect(new URL(redirected.headers.get('location')!).pathname + new URL(redirected.headers.get('location')!).search).toBe('/signin?next=%2Fdashboard');
  });

  it('HSTS only when the request came over https', () => {
    expect(proxy(page('/alerts', { cookie: 'gp_session=x' })).headers.get('strict-transport-security')).toBeNull();
    expect(proxy(page('/alerts', { cookie: 'gp_session=x', 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });
});

describe('headers on every answer', () => {
  it('nosniff, a Referrer-Policy and no framing for all paths', async () => {
    const rules = await nextConfig.headers();
    const all = rules.find((r) => r.source === '/:path*' && !r.has)!;
    const h = Object.fromEntries(all.headers.map((x) => [x.key.toLowerCase(), x.value]));
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toMatch(/^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/);
    expect(h['x-frame-options']).toBe('DENY');
  });
});
