import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { SignInForm } from '@/components/auth/signin-form';
import { languageFromAccept } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

// before sign-in the page speaks the browser's language (the root layout reads it the same way)
export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(languageFromAccept((await headers()).get('accept-language')), 'signin.submit') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = typeof sp.next === 'string' ? sp.next : null;
  return (
    <div className="signin-page">
      <SignInForm next={next} />
    </div>
  );
}
