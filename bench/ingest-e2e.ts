/**
 * Ingest phase (d), end to end: a real server (bench/server.ts, its own process, fresh data
 * directory) receives OTLP/HTTP protobuf POSTs from `concurrency` keep-alive connections until
 * `spans` spans are acknowledged; an acknowledgement means durable. The rate runs from the
 * first send to the last ack. A warm-up precedes it. Afterwards the server is stopped and the
 * directory reopened here to check that the stored count equals the acknowledged count.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeExportResponse } from '@pyflare/otlp';
import { openChdb } from '../packages/server/src/storage/chdb.ts';
import { childInput, childMain, sendToParent, startChild } from './lib/child.ts';
import { topFunctions, type ProfileEntry } from './lib/cpuprofile.ts';
import { post } from './lib/http-client.ts';
import type { BenchOptions } from './lib/options.ts';
import { buildPool, type Pool } from './lib/pool.ts';
import { now, summarize, type LatencySummary } from './lib/stats.ts';
import type { ServerInput, ServerReady } from './server.ts';

export interface E2eInput {
  options: BenchOptions;
  nowMs: number;
  /** Where `--cpu-prof` writes the server's profile (BENCH_PROFILE=1). */
  profileDir: string;
}

export interface E2eResult {
  spans: number;
  requests: number;
  seconds: number;
  spansPerSecond: number;
  concurrency: number;
  /** Request latency, send to ack, in ms. */
  latency: LatencySummary;
  /** 429 / 503 answers that were retried after Retry-After. */
  retries: number;
  /** Spans rejected through partial success. */
  rejected: number;
  warmupSpans: number;
  /** Acknowledged in total (warm-up included) and found in storage afterwards. */
  acknowledged: number;
  stored: number;
  storedTraces: number;
  /** From the server's /metrics over the measured run. */
  batches: {
    count: number;
    meanRows: number;
    writeSeconds: number;
    /** Share of the run with an insert in flight. */
    busyShare: number;
    /** Rows over the time spent inserting: the engine's insert rate during the run. */
    insertRowsPerSecond: number;
  };
  /**
   * The server's CPU time per span acknowledged in the run, µs (all its threads). Less
   * swayed by other load on the machine than the rate.
   */
  serverCpuMicrosPerSpan: number;
  profile?: { file: string; totalMs: number; top: ProfileEntry[] };
}

interface Load {
  spans: number;
  requests: number;
  seconds: number;
  latencies: number[];
  retries: number;
  rejected: number;
}

/**
 * Keeps `concurrency` requests in flight until `target` spans are claimed and every claimed
 * request is acknowledged. `seq` numbers the sends: request `seq % pool` as copy `seq / pool`
 * (fresh trace ids per copy).
 */
async function load(
  pool: Pool,
  target: number,
  concurrency: number,
  send: (body: Buffer) => Promise<{ status: number; body: Buffer; retryAfter?: number }>,
  firstSeq: number,
): Promise<Load & { nextSeq: number }> {
  let seq = firstSeq;
  let claimed = 0;
  const out: Load = { spans: 0, requests: 0, seconds: 0, latencies: [], retries: 0, rejected: 0 };
  const t0 = now();
  const worker = async () => {
    while (claimed < target) {
      const s = seq++;
      const req = pool.requests[s % pool.requests.length]!;
      claimed += req.spans;
      const body = req.encoded.copy(1 + Math.floor(s / pool.requests.length));
      const started = now();
      for (;;) {
        const res = await send(body);
        if (res.status === 200) {
          const partial = decodeExportResponse(res.body, 'traces');
          const rejected = partial?.rejected ?? 0;
          out.rejected += rejected;
          out.spans += req.spans - rejected;
          out.requests++;
          out.latencies.push(now() - started);
          break;
        }
        if (res.status === 429 || res.status === 503) {
          out.retries++;
          await new Promise((r) => setTimeout(r, Math.min(1000, (res.retryAfter ?? 1) * 1000)));
          continue;
        }
        throw new Error(`OTLP/HTTP answered ${res.status}: ${res.body.toString('utf8', 0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  out.seconds = (now() - t0) / 1000;
  return { ...out, nextSeq: seq };
}

interface BatchMetrics {
  count: number;
  rows: number;
  seconds: number;
  /** The server process's CPU time (all threads: event loop, chDB's inserts and merges). */
  cpuSeconds: number;
}

async function batchMetrics(apiUrl: string, key: string): Promise<BatchMetrics> {
  const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  const value = (name: string) => {
    const m = new RegExp(`^${name}\\{[^}]*table="spans"[^}]*\\} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return {
    count: value('pyflare_storage_batch_rows_count'),
    rows: value('pyflare_storage_batch_rows_sum'),
    seconds: value('pyflare_storage_batch_write_seconds_sum'),
    cpuSeconds: Number(/^\w*process_cpu_seconds_total (\S+)$/m.exec(text)?.[1] ?? 0),
  };
}

childMain(async () => {
  const { options, nowMs, profileDir } = childInput<E2eInput>();
  const pool = buildPool(options.poolSpans, nowMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'pyflare-bench-e2e-'));
  const apiKey = `pf_bench_${randomBytes(16).toString('hex')}`;
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const profilesBefore = options.profile ? new Set(readdirSync(profileDir)) : new Set<string>();
  const server = startChild('server.ts', { dataDir, apiKey } satisfies ServerInput, {
    execArgv: options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  try {
    const { ports } = await server.next<ServerReady>('ready');
    const url = new URL(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`);
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const headers = {
      'content-type': 'application/x-protobuf',
      authorization: `Bearer ${apiKey}`,
    };
    const send = (body: Buffer) => post(agent, url, body, headers);

    const warmupTarget = Math.min(50_000, Math.max(options.spans / 10, 5_000));
    const warm = await load(pool, warmupTarget, options.concurrency, send, 0);
    const before = await batchMetrics(apiUrl, apiKey);
    console.log(`  e2e: warm-up ${warm.spans} spans; sending ${options.spans} spans...`);
    const run = await load(pool, options.spans, options.concurrency, send, warm.nextSeq);
    const after = await batchMetrics(apiUrl, apiKey);
    agent.destroy();

    server.send('close');
    await server.next('closed');
    await server.exited;

    const db = openChdb(dataDir);
    let stored = 0;
    let storedTraces = 0;
    try {
      const [row] = await db.query<{ spans: number; traces: number }>(
        'SELECT (SELECT count() FROM spans) AS spans, (SELECT uniqExact(trace_id) FROM traces) AS traces',
      );
      stored = Number(row?.spans ?? 0);
      storedTraces = Number(row?.traces ?? 0);
    } finally {
      await db.close();
    }

    let profile: E2eResult['profile'];
    if (options.profile) {
      // One profile per thread (tsx's loader runs in a worker): the main thread's is the largest.
      const file = readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile') && !profilesBefore.has(f))
        .sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0];
      if (file) profile = { file: join(profileDir, file), ...topFunctions(join(profileDir, file)) };
    }

    const batchCount = after.count - before.count;
    const serverCpuMicrosPerSpan = ((after.cpuSeconds - before.cpuSeconds) * 1e6) / run.spans;
    console.log(`  e2e: server CPU ${serverCpuMicrosPerSpan.toFixed(1)} µs per span (all threads)`);
    const writeSeconds = after.seconds - before.seconds;
    const result: E2eResult = {
      spans: run.spans,
      requests: run.requests,
      seconds: run.seconds,
      spansPerSecond: run.spans / run.seconds,
      concurrency: options.concurrency,
      latency: summarize(run.latencies),
      retries: warm.retries + run.retries,
      rejected: warm.rejected + run.rejected,
      warmupSpans: warm.spans,
      acknowledged: warm.spans + run.spans,
      stored,
      storedTraces,
      batches: {
        count: batchCount,
        meanRows: batchCount > 0 ? (after.rows - before.rows) / batchCount : 0,
        writeSeconds,
        busyShare: writeSeconds / run.seconds,
        insertRowsPerSecond: writeSeconds > 0 ? (after.rows - before.rows) / writeSeconds : 0,
      },
      serverCpuMicrosPerSpan,
      profile,
    };
    await sendToParent('result', result);
  } finally {
    server.process.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
