#!/usr/bin/env node
// Builds the web UI (packages/ui/dist) when it is missing or older than its sources, so
// `npm start` serves the UI with no separate build step. A fresh build is a fast no-op.
// Exit code 0 even when vite is not installed (a production install without dev
// dependencies): the server then shows how to build the UI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const marker = join(root, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', '../query/src'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

export function isFresh() {
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  return sources.every((s) => newest(join(root, s)) <= built);
}

export function ensureBuilt({ quiet = false } = {}) {
  if (isFresh()) return true;
  let vite;
  try {
    vite = join(
      dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
  } catch {
    console.warn(
      'pyflare: the web UI is not built and vite is not installed (npm ci installs it); serving the API only.',
    );
    return false;
  }
  if (!quiet) console.log('pyflare: building the web UI (packages/ui/dist)…');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--logLevel', quiet ? 'error' : 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) {
    console.error('pyflare: building the web UI failed');
    return false;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ok = ensureBuilt({ quiet: process.argv.includes('--quiet') });
  process.exitCode = ok || !process.argv.includes('--strict') ? 0 : 1;
}
