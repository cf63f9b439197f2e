#!/usr/bin/env -S node --max-semi-space-size=32
// A 32 MiB young generation (also in package.json's scripts): ingest allocates megabytes per
// request that die young; with Node's default the decode rate varied up to 4x between
// processes (docs/architecture/ingest.md, "Young generation").
// The `pyflare` command. Sources are TypeScript run through tsx's loader, so the
// same files serve the CLI, the tests and the type checks with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
