import type { GuideSpan } from '@/lib/contracts/guide';

/** Guide text as React text nodes only: markup in the source shows as characters. */
export function Spans({ spans }: { spans: GuideSpan[] }) {
  return (
    <>
      {spans.map((span, i) => {
        switch (span.kind) {
          case 'code':
            return <code key={i}>{span.text}</code>;
          case 'strong':
            return <strong key={i}>{span.text}</strong>;
          case 'emphasis':
            return <em key={i}>{span.text}</em>;
          case 'link':
            return safeHref(span.href) ? (
              <a key={i} href={span.href} target="_blank" rel="noopener noreferrer nofollow">
                {span.text}
              </a>
            ) : (
              <span key={i}>{span.text}</span>
            );
          default:
            return <span key={i}>{span.text}</span>;
        }
      })}
    </>
  );
}

export function safeHref(href: string | undefined): href is string {
  if (!href) return false;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function spansToText(spans: GuideSpan[]): string {
  return spans.map((s) => s.text).join('');
}
