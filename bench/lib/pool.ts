import { encodeTraceRequest } from '@pyflare/otlp';
import { createRandom } from './random.ts';
import { generateRequest, type GeneratedRequest } from './genai-traces.ts';
import { retraceableProtobuf, type Retraceable } from './requests.ts';
import { now } from './stats.ts';

/** The benchmark's distinct OTLP requests, generated once per process from a fixed seed. */
export interface Pool {
  requests: (GeneratedRequest & { encoded: Retraceable })[];
  spans: number;
  bytes: number;
  generateSeconds: number;
  encodeSeconds: number;
}

export const POOL_SEED = 20_251_122;
/** Requests hold whole traces, 500–2000 spans each. */
export const REQUEST_SPANS = { min: 500, max: 2000 } as const;

/**
 * Generates requests until they hold `spans` spans. Traces start within the hour before
 * `nowMs`; the same seed and `nowMs` give the same bytes in every process.
 */
export function buildPool(spans: number, nowMs: number): Pool {
  const rng = createRandom(POOL_SEED);
  const generated: GeneratedRequest[] = [];
  let total = 0;
  const t0 = now();
  while (total < spans) {
    const req = generateRequest(rng, {
      minSpans: REQUEST_SPANS.min,
      maxSpans: REQUEST_SPANS.max,
      nowMs,
      windowMs: 3_600_000,
    });
    generated.push(req);
    total += req.spans;
  }
  const t1 = now();
  const requests = generated.map((g) => ({
    ...g,
    encoded: retraceableProtobuf(encodeTraceRequest(g.request), g.spans, g.traceIds),
  }));
  const t2 = now();
  return {
    requests,
    spans: total,
    bytes: requests.reduce((a, r) => a + r.encoded.bytes.length, 0),
    generateSeconds: (t1 - t0) / 1000,
    encodeSeconds: (t2 - t1) / 1000,
  };
}
