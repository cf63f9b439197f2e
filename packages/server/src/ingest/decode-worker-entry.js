// Entry of an ingest decode worker thread (ingest/decode-pool.ts). The sources are
// TypeScript run through tsx's loader, as in bin/pyflare.js; a worker thread registers it
// for itself, so the pool works wherever the server runs (the CLI, tests, benchmarks).
import { register } from 'tsx/esm/api';

register();
await import('./decode-worker.ts');
