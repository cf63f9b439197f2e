import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { PyflareError } from '../errors.ts';
import type { ApiApp } from './types.ts';

/** packages/ui/dist, beside this package. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

/**
 * Only the UI's own scripts run; styles may be inline (components set style attributes);
 * the page talks only to its own origin (fetch and the WebSocket).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const;

/** Vite puts content-hashed files under assets/: they never change, so cache them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PyFlare</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>PyFlare is running, but its web UI is not built</h1>
<p>The API is at <code>/api/v1</code> (see <a href="/api/v1/openapi.json">the OpenAPI document</a>).</p>
<p>To get the UI, build it from the repository root and restart the server:</p>
<pre>npm run build -w packages/ui
npm start</pre>
<p>or point <code>PYFLARE_UI_DIR</code> at a directory holding a built UI.</p>
</body></html>
`;

/** Paths that are never the UI's: the API and the self-metrics. */
const isServerPath = (path: string) =>
  path === '/api' || path.startsWith('/api/') || path === '/metrics';

/** The last segment has an extension: a file, not a client-side route. */
const looksLikeFile = (path: string) => /\.[\w-]+$/.test(path.slice(path.lastIndexOf('/') + 1));

/**
 * The web UI on the API port: files of `dir`, `index.html` for any other path that is not
 * the API (client-side routes), long-cache headers on hashed assets, no-cache on
 * index.html, a CSP on everything. Without a built UI, `/` explains how to build it.
 */
export async function registerStaticRoutes(app: ApiApp, dir = DEFAULT_UI_DIR): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      serve: false,
      cacheControl: false,
      index: false,
      dotfiles: 'deny',
      setHeaders: (reply, path) => {
        const r = reply as unknown as { header(name: string, value: string): void };
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) r.header(name, value);
        const relative = path.slice(dir.length).replaceAll('\\', '/').replace(/^\/+/, '');
        r.header(
          'cache-control',
          relative.startsWith('assets/')
            ? IMMUTABLE
            : relative === 'index.html'
              ? 'no-cache'
              : 'public, max-age=3600',
        );
      },
    });
  }

  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (isServerPath(path)) {
      throw new PyflareError('NOT_FOUND', `no route ${request.method} ${path}`);
    }
    if (!built) {
      return reply
        .headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' })
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT_PAGE);
    }
    if (looksLikeFile(path)) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        throw new PyflareError('BAD_REQUEST', 'malformed path');
      }
      if (decoded.includes('\0') || decoded.split('/').includes('..')) {
        throw new PyflareError('NOT_FOUND', `no file ${path}`);
      }
      return reply.sendFile(decoded.replace(/^\/+/, ''));
    }
    return reply.sendFile('index.html');
  });
}
