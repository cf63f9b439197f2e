/**
 * Span content is untrusted. It is rendered as text (React text nodes, never HTML); the
 * optional markdown view goes through marked and then DOMPurify with a strict allow-list
 * (no images, no styles, no event handlers; links open with rel=noopener), and the page's
 * CSP forbids inline scripts besides.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  'b',
  'i',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'del',
];

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Raw HTML inside the markdown is shown as the characters it is, never as markup. */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

export function sanitizeMarkdown(text: string): string {
  const html = markdown.parse(text, { async: false });
  const clean = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title'],
    ALLOW_DATA_ATTR: false,
  });
  // Links: only http(s) and mailto survive DOMPurify's URI check; make them safe to open.
  return clean.replace(/<a /g, '<a target="_blank" rel="noopener noreferrer nofollow" ');
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
  const html = useMemo(() => (markdown ? sanitizeMarkdown(text) : ''), [text, markdown]);
  if (markdown)
    return (
      <div
        className={`md break-words ${className ?? ''}`}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    );
  return <div className={`whitespace-pre-wrap break-words ${className ?? ''}`}>{text}</div>;
}
