import type { GuideSpan } from '@/lib/contracts/guide';

/** Guide text as React text nodes only: markup in the source shows as characters. */
export function Spans({ spans }: { spans: GuideSpan[] }) {
  return (
    <>
      {spans.map((span, i) => {
        switch (span.type) {
          case 'code':
            return <code key={i}>{span.value}</code>;
          case 'strong':
            return <strong key={i}>{span.value}</strong>;
          case 'emphasis':
            return <em key={i}>{span.value}</em>;
          case 'link':
            return safeHref(span.url) ? (
              <a key={i} href={span.url} target="_blank" rel="noopener noreferrer nofollow">
                {span.value}
              </a>
            ) : (
              <span key={i}>{span.value}</span>
            );
          default:
            return <span key={i}>{span.value}</span>;
        }
      })}
    </>
  );
}

/** Only http(s) links become anchors: `javascript:` and friends stay text. */
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
  return spans.map((s) => s.value).join('');
}
