import type { ApiApp, ApiDeps } from './types.ts';

/** The project-scoped read API: traces, spans, catalogs, logs, metrics. */
export function registerReadRoutes(_app: ApiApp, _deps: ApiDeps): void {}
