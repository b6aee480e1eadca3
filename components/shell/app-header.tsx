'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { healthQuery } from '@/lib/queries/health';
import { describeError } from '@/lib/queries/error-text';
import { UserMenu } from '@/components/auth/user-menu';
import { RoleNavItems } from '@/components/auth/role-nav';
import { useLanguage, useT } from '@/components/i18n/use-t';
import { htmlLang, type MessageKey } from '@/lib/i18n';

const nav: { href: string; label: MessageKey }[] = [
  { href: '/incidents', label: 'nav.incidents' },
  { href: '/alerts', label: 'nav.alerts' },
  { href: '/rules', label: 'nav.rules' },
];

export function AppHeader() {
  const pathname = usePathname();
  const t = useT();
  const lang = useLanguage();
  // the document's language follows the user's, so screen readers pronounce the page right
  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);
  return (
    <header className="app-header">
      <Link href="/alerts" className="brand">
        Guidepost
      </Link>
      <nav aria-label={t('nav.main')}>
        <ul className="nav-list">
          {nav.map((item) => {
            const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link href={item.href} aria-current={current ? 'page' : undefined} className="nav-link">
                  {t(item.label)}
                </Link>
              </li>
            );
          })}
          {pathname === '/signin' ? null : <RoleNavItems pathname={pathname} />}
        </ul>
      </nav>
      <SourceStatus />
      <UserMenu />
    </header>
  );
}

function SourceStatus() {
  const t = useT();
  const health = useQuery(healthQuery());
  // signed out (the sign-in page): /api/health says only ok/degraded, not which source
  if (health.data && !health.data.source) return null;
  let label: string;
  let tone: 'ok' | 'bad' | 'unknown';
  let title: string;
  if (health.isPending) {
    label = t('source.checking');
    tone = 'unknown';
    title = 'Asking /api/health';
  } else if (health.isError) {
    label = t('source.noAnswer');
    tone = 'bad';
    title = describeError(t, health.error);
  } else {
    // signed in: the source and whether it answers; admins also get its details
    const { source, status } = health.data;
    const ok = source ? source.ok : status === 'ok';
    const name = source?.kind === 'elasticsearch' ? t('source.elasticsearch') : t('source.embedded');
    label = t('source.state', { name, state: ok ? t('source.answering') : t('source.notAnswering') });
    tone = ok ? 'ok' : 'bad';
    title = source?.detail ?? '';
  }
  return (
    <div className="source-status" role="status" data-testid="source-status" data-tone={tone} title={title}>
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      <span>{label}</span>
      {health.data?.source?.detail ? <span className="muted source-detail">{health.data.source.detail}</span> : null}
    </div>
  );
}
