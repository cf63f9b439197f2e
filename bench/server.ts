/**
 * A PyFlare server in its own process, driven by a benchmark over IPC: optionally fills the
 * data directory first (query benchmark), then `startServer` on random loopback ports with
 * a seeded admin key; 'ready' reports the ports, 'close' stops it gracefully.
 */
import { loadConfig } from '../packages/server/src/config/config.ts';
import { startServer } from '../packages/server/src/server.ts';
import { openChdb } from '../packages/server/src/storage/chdb.ts';
import { migrate } from '../packages/server/src/storage/migrate.ts';
import { childInput, childMain, fromParent, sendToParent } from './lib/child.ts';
import { fillSpans, TRACE_ID_SQL, SPANS_PER_TRACE } from './lib/fill.ts';
import { now, summarize, type LatencySummary } from './lib/stats.ts';

export interface ServerInput {
  dataDir: string;
  apiKey: string;
  /** Settings passed to loadConfig as flags (ports, host, key and log level are set here). */
  flags?: Record<string, unknown>;
  fill?: { from: number; count: number; nowMs: number; sampleTraces: number };
}

export interface FillReport {
  seconds: number;
  totalSpans: number;
  traceIds: string[];
  /** In-process `SELECT 1` on the Database, no HTTP. */
  rawSelect1: LatencySummary;
  /** In-process full scan of one column of every span. */
  rawScan: LatencySummary;
  /** Seconds waited after the fill for the engine's merges of the new rows to finish. */
  settleSeconds: number;
  /** Whether they finished within SETTLE_MAX_MS (else timing starts with merges running). */
  settled: boolean;
}

/** Longest wait for the fill's merges before timing anyway. */
const SETTLE_MAX_MS = 240_000;

/**
 * Waits until no merge of `spans` or `traces` has run for two polls in a row. A bulk fill
 * leaves the engine merging millions of fresh rows for minutes, which a table that grew to
 * the same size over a day would not be doing; timing queries during that merge measures
 * the bulk load, not the table.
 */
async function settle(
  db: ReturnType<typeof openChdb>,
): Promise<{ seconds: number; settled: boolean }> {
  const started = now();
  let quiet = 0;
  while (now() - started < SETTLE_MAX_MS) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count() AS n FROM system.merges WHERE table IN ('spans', 'traces')`,
    );
    quiet = row?.n === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return { seconds: (now() - started) / 1000, settled: true };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { seconds: (now() - started) / 1000, settled: false };
}

export interface ServerReady {
  ports: { api: number; otlpHttp: number; otlpGrpc: number };
  pid: number;
}

async function fill(
  input: ServerInput,
  spec: NonNullable<ServerInput['fill']>,
): Promise<FillReport> {
  const db = openChdb(input.dataDir);
  try {
    await migrate(db);
    const started = now();
    let last = started;
    await fillSpans(db, {
      from: spec.from,
      count: spec.count,
      nowMs: spec.nowMs,
      onProgress: (done) => {
        if (now() - last > 10_000 || done === spec.count) {
          last = now();
          console.log(
            `    filled ${spec.from + done} spans (${((last - started) / 1000).toFixed(0)} s)`,
          );
        }
      },
    });
    const seconds = (now() - started) / 1000;
    const totalSpans = spec.from + spec.count;
    const traceIds = (
      await db.query<{ id: string }>(
        `SELECT ${TRACE_ID_SQL} AS id
         FROM (SELECT cityHash64('pick', number, {salt:UInt64}) % {traces:UInt64} AS t
               FROM numbers({n:UInt64}))`,
        {
          traces: BigInt(totalSpans / SPANS_PER_TRACE),
          n: BigInt(spec.sampleTraces),
          salt: BigInt(totalSpans),
        },
      )
    ).map((r) => r.id);
    const time = async (sql: string, times: number): Promise<LatencySummary> => {
      const samples: number[] = [];
      for (let i = 0; i < times + 2; i++) {
        const t0 = now();
        await db.query(sql);
        if (i >= 2) samples.push(now() - t0);
      }
      return summarize(samples);
    };
    const merges = await settle(db);
    return {
      seconds,
      totalSpans,
      traceIds,
      settleSeconds: merges.seconds,
      settled: merges.settled,
      rawSelect1: await time('SELECT 1', 50),
      rawScan: await time('SELECT count() FROM spans WHERE duration_ns > 0', 7),
    };
  } finally {
    await db.close();
  }
}

childMain(async () => {
  const input = childInput<ServerInput>();
  if (input.fill) await sendToParent('filled', await fill(input, input.fill));
  const config = loadConfig({
    flags: {
      logLevel: 'warn',
      rateLimitPerMinute: 0,
      ...input.flags,
      host: '127.0.0.1',
      port: 0,
      otlpHttpPort: 0,
      otlpGrpcPort: 0,
      dataDir: input.dataDir,
      apiKey: input.apiKey,
    },
    env: {},
    cwd: input.dataDir,
  });
  const server = await startServer(config);
  await sendToParent('ready', { ports: server.ports, pid: process.pid } satisfies ServerReady);
  await fromParent('close');
  await server.close();
  await sendToParent('closed');
});
