'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { meQuery } from '@/lib/queries/auth';
import { useT } from '@/components/i18n/use-t';

/** Header links only some roles get: ingest and users (admin), the dashboard (lead+). */
export function RoleNavItems({ pathname }: { pathname: string }) {
  const me = useQuery(meQuery());
  const t = useT();
  if (!me.data) return null;
  const items = [
    ...(me.data.can.ingest ? [{ href: '/ingest', label: t('nav.ingest') }] : []),
    ...(me.data.can.dashboard ? [{ href: '/dashboard', label: t('nav.dashboard') }] : []),
    ...(me.data.can.manageUsers ? [{ href: '/admin/users', label: t('nav.users') }] : []),
  ];
  return (
    <>
      {items.map((item) => {
        const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link href={item.href} aria-current={current ? 'page' : undefined} className="nav-link">
              {item.label}
            </Link>
          </li>
        );
      })}
    </>
  );
}
