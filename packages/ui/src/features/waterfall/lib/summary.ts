/** A trace summary computed from the waterfall model (for the compact route, which has none). */
import type { WaterfallModel } from './model.ts';
import { str } from './model.ts';

export interface ModelSummary {
  durationNs: number;
  spans: number;
  services: string[];
  errors: number;
  tokens: number;
  models: string[];
  depth: number;
}

export function summarize(model: WaterfallModel): ModelSummary {
  let errors = 0;
  let tokens = 0;
  const models = new Set<string>();
  for (let i = 0; i < model.n; i++) {
    errors += model.error[i]!;
    tokens += model.tokens[i]!;
    const m = str(model, model.model[i]!);
    if (m) models.add(m);
  }
  return {
    durationNs: model.durationNs,
    spans: model.n,
    services: model.services.map((s) => str(model, s)),
    errors,
    tokens,
    models: [...models],
    depth: model.maxDepth + 1,
  };
}
