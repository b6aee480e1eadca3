import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import { AppHeader } from '@/components/shell/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Guidepost', template: '%s · Guidepost' },
  description: 'Guided triage of Elastic detection-rule alerts',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers>
          <AppHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
