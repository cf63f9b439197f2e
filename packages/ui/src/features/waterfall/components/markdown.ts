/**
 * The opt-in markdown view of span content: marked, then DOMPurify with a strict allow-list
 * (no images, no styles, no event handlers; links open with rel=noopener). Loaded only when
 * a user turns the markdown view on (`SafeText`), so the trace page's code does not carry
 * both libraries.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

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
