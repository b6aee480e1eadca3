import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import { AppHeader } from '@/components/shell/app-header';
import { SkipLink } from '@/components/shell/skip-link';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Guidepost', template: '%s · Guidepost' },
  description: 'Guided triage of Elastic detection-rule alerts',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <SkipLink />
          <AppHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
