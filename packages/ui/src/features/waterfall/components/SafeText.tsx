/**
 * Span content is untrusted. It is rendered as text (React text nodes, never HTML); the
 * optional markdown view goes through a sanitizer (`markdown.ts`, loaded on first use: until
 * then the text shows as text), and the page's CSP forbids inline scripts besides.
 */
import { useEffect, useMemo, useState } from 'react';

type Sanitize = (text: string) => string;
let loaded: Sanitize | undefined;
let loading: Promise<Sanitize> | undefined;
// A failed load (network) is retried the next time; meanwhile the content stays text.
const loadSanitizer = (): Promise<Sanitize> =>
  (loading ??= import('./markdown.ts').then(
    (m) => (loaded = m.sanitizeMarkdown),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  ));

function useSanitizer(wanted: boolean): Sanitize | undefined {
  const [fn, setFn] = useState<Sanitize | undefined>(() => loaded);
  useEffect(() => {
    if (!wanted || fn) return;
    let live = true;
    loadSanitizer().then(
      (f) => live && setFn(() => f),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [wanted, fn]);
  return fn;
}

export function SafeText({
  text,
  markdown,
  className,
}: {
  text: string;
  markdown?: boolean;
  className?: string;
}) {
  const sanitize = useSanitizer(markdown === true);
  const html = useMemo(
    () => (markdown && sanitize ? sanitize(text) : ''),
    [text, markdown, sanitize],
  );
  if (markdown && sanitize)
    return (
      <div
        className={`md break-words ${className ?? ''}`}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    );
  return <div className={`whitespace-pre-wrap break-words ${className ?? ''}`}>{text}</div>;
}
