import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { Providers } from './providers';
import { AppHeader } from '@/components/shell/app-header';
import { SkipLink } from '@/components/shell/skip-link';
import { authenticate } from '@/lib/auth/request';
import { meView } from '@/lib/auth/view';
import { htmlLang, languageFromAccept } from '@/lib/i18n';
import { messagesFor } from '@/lib/i18n/dictionaries';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Guidepost', template: '%s · Guidepost' },
  description: 'Guided triage of Elastic detection-rule alerts',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // who is signed in (null on the sign-in page): the client starts with it, so the language and
  // the role's controls are right at first paint; the page and API routes still check on their own.
  // Before sign-in the pages speak the browser's language.
  const requestHeaders = await headers();
  const principal = authenticate(requestHeaders);
  const me = principal ? meView(principal.user) : null;
  const guestLanguage = languageFromAccept(requestHeaders.get('accept-language'));
  const language = me?.user.language ?? guestLanguage;
  return (
    <html lang={htmlLang(language)}>
      <body>
        <Providers me={me} guestLanguage={guestLanguage} messages={{ language, messages: messagesFor(language) }}>
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
