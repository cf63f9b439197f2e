/**
 * Benchmark settings: defaults, `--quick` for a one-minute smoke run, and BENCH_* variables.
 *
 * | variable              | default             | --quick  |
 * | --------------------- | ------------------- | -------- |
 * | BENCH_SPANS           | 300000              | 20000    | spans sent end to end (and inserted raw, up to 200000)
 * | BENCH_POOL_SPANS      | 60000               | 10000    | distinct spans generated and encoded
 * | BENCH_CONCURRENCY     | 8                   | 4        | OTLP/HTTP requests in flight
 * | BENCH_QUERY_SPANS     | 1000000,10000000    | 100000   | spans table sizes, ascending
 * | BENCH_QUERY_REQUESTS  | 200                 | 30       | requests per query kind and size
 * | BENCH_MIN_SECONDS     | 3                   | 0.5      | least time per codec measurement
 * | BENCH_PROFILE         | unset               |          | 1: --cpu-prof the e2e server
 */
export interface BenchOptions {
  quick: boolean;
  spans: number;
  poolSpans: number;
  concurrency: number;
  querySizes: number[];
  queryRequests: number;
  minSeconds: number;
  profile: boolean;
  /** Phases to run: 'ingest', 'query', 'ui', 'sdk'. */
  phases: string[];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number, got '${raw}'`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const phases = argv.filter((a) => !a.startsWith('--'));
  for (const p of phases) {
    if (p !== 'ingest' && p !== 'query' && p !== 'ui' && p !== 'sdk') {
      throw new Error(`unknown phase '${p}' (ingest, query, ui, sdk)`);
    }
  }
  const sizes = (env.BENCH_QUERY_SPANS ?? (quick ? '100000' : '1000000,10000000'))
    .split(',')
    .map((s) => Number(s.trim().replaceAll('_', '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 10 || n % 10 !== 0)) {
    throw new Error('BENCH_QUERY_SPANS: comma-separated multiples of 10');
  }
  return {
    quick,
    spans: int(env, 'BENCH_SPANS', quick ? 20_000 : 300_000),
    poolSpans: int(env, 'BENCH_POOL_SPANS', quick ? 10_000 : 60_000),
    concurrency: int(env, 'BENCH_CONCURRENCY', quick ? 4 : 8),
    querySizes: sizes.sort((a, b) => a - b),
    queryRequests: int(env, 'BENCH_QUERY_REQUESTS', quick ? 30 : 200),
    minSeconds: int(env, 'BENCH_MIN_SECONDS', quick ? 0.5 : 3),
    profile: env.BENCH_PROFILE === '1',
    phases: phases.length > 0 ? phases : ['ingest', 'query', 'ui', 'sdk'],
  };
}
