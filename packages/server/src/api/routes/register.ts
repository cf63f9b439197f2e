import type { ApiApp, ApiDeps } from '../types.ts';
import { registerCatalogRoutes } from './catalogs.ts';
import { registerLogRoutes } from './logs.ts';
import { registerMetricRoutes } from './metrics.ts';
import { registerSpanRoutes } from './spans.ts';
import { registerTraceRoutes } from './traces.ts';

/**
 * Every project-scoped read route: traces, spans, catalogs (services, models, attribute
 * facets), logs and metrics. Each reads only the caller's project.
 */
export function registerDataRoutes(app: ApiApp, deps: ApiDeps): void {
  registerTraceRoutes(app, deps);
  registerSpanRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerMetricRoutes(app, deps);
}
