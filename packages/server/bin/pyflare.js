#!/usr/bin/env node
// The `pyflare` command. Sources are TypeScript run through tsx's loader, so the
// same files serve the CLI, the tests and the type checks with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
