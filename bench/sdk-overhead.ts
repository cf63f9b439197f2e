/**
 * `node --import tsx bench/sdk-overhead.ts [--quick]` (or `npm run bench -- sdk`): what
 * @pyflare/sdk adds to an application's calls, against the bare call measured in the same run.
 *
 * - LLM calls: the real `openai` client with a zero-latency fake (an in-process `fetch` that answers
 *   at once with a canned response), bare and instrumented, plain and streamed. The difference of
 *   their per-call times is the SDK's cost on the call path: span start and end, attributes,
 *   messages serialized (content capture on), the batch processor's enqueue.
 * - `trace()`: a trivial function, bare and inside `trace()`.
 *
 * Spans go to an exporter that drops them (the call path is what is measured); one row adds the
 * real OTLP/HTTP protobuf exporter to a local sink, to show the export cost amortized per call.
 * The bare calls of those rows run with the context manager's promise hooks on (Node 20 runs them
 * for every promise once an AsyncLocalStorage is in use), as in an application using the SDK; the
 * last row measures what those hooks cost the bare streamed call.
 * Rounds alternate bare and instrumented so drift on a shared machine hits both; the per-call time
 * of each is the median over rounds. Each round also records the process's CPU time
 * (`process.cpuUsage`, user + system, all threads): on a loaded machine wall time includes time the
 * process waited for a core, CPU time does not. The batch processor's timer-driven export of the
 * dropped spans runs during both kinds of rounds. Targets: < 20 µs per LLM call, < 2 µs per
 * trace() span (judged on wall time).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, type Span } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import { init, shutdown, trace } from '../packages/sdk/src/index.ts';
import { instrumentOpenAI } from '../packages/sdk/src/integrations/openai.ts';
import { childInput, sendToParent } from './lib/child.ts';
import { quantile, table } from './lib/stats.ts';

export interface SdkInput {
  quick: boolean;
}

export interface SdkRow {
  name: string;
  bareUs: number;
  instrumentedUs: number;
  overheadUs: number;
  ratio: number;
  /** Per-call CPU time (user + system) of the instrumented minus the bare rounds, median. */
  cpuOverheadUs: number;
  /**
   * For `trace()`: the overhead minus that of a bare OTel span (`startActiveSpan` + `end`) on
   * the same provider, measured in the same rounds: what PyFlare adds on top of OpenTelemetry.
   */
  overFloorUs?: number;
  targetUs?: number;
}

export interface SdkResult {
  rows: SdkRow[];
  exportedSpans: number;
}

class DropExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], cb: (r: { code: ExportResultCode }) => void): void {
    this.spans += spans.length;
    cb({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Paris is the capital of France.', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 },
});
const words = 'Paris is the capital of France and its largest city .'.split(' ');
const SSE =
  words
    .map(
      (w, i) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: w } : { content: ` ${w}` }, finish_reason: null }] })}\n\n`,
    )
    .join('') +
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n` +
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 24, completion_tokens: 11, total_tokens: 35 } })}\n\ndata: [DONE]\n\n`;

/** The zero-latency fake: answers every request at once, in process. */
const fakeFetch = async (_url: unknown, init?: { body?: unknown }): Promise<Response> => {
  const streamed = typeof init?.body === 'string' && init.body.includes('"stream":true');
  return new Response(streamed ? SSE : COMPLETION, {
    status: 200,
    headers: {
      'content-type': streamed ? 'text/event-stream' : 'application/json',
      'x-request-id': 'req_bench',
    },
  });
};

const client = () =>
  new OpenAI({
    apiKey: 'sk-bench',
    baseURL: 'http://fake.invalid/v1',
    fetch: fakeFetch as never,
    maxRetries: 0,
  });
const params = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'You are a geography assistant.' },
    { role: 'user' as const, content: 'What is the capital of France?' },
  ],
};

/** Median per-call µs of `a` and `b` (wall, then CPU), alternating rounds of `n` calls. */
type Times = [wallA: number, wallB: number, cpuA: number, cpuB: number];

async function compare(
  rounds: number,
  n: number,
  a: () => unknown,
  b: () => unknown,
): Promise<Times> {
  const [[wa, ca], [wb, cb]] = (await compareAll(rounds, n, [a, b])) as [
    [number, number],
    [number, number],
  ];
  return [wa, wb, ca, cb];
}

/**
 * Median per-call µs (wall, CPU) of each function, in rounds of `n` calls that visit the
 * functions in turn, forwards then backwards, so drift on a shared machine hits each alike.
 */
type WallCpu = [wall: number, cpu: number];

async function compareAll(
  rounds: number,
  n: number,
  fs: readonly (() => unknown)[],
): Promise<WallCpu[]> {
  const wall: number[][] = fs.map(() => []);
  const cpu: number[][] = fs.map(() => []);
  const run = async (i: number, record: boolean) => {
    const f = fs[i]!;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < n; k++) {
      const r = f();
      if (r instanceof Promise) await r;
    }
    const w = ((performance.now() - t0) * 1000) / n;
    const c = process.cpuUsage(c0);
    if (record) {
      wall[i]!.push(w);
      cpu[i]!.push((c.user + c.system) / n);
    }
  };
  // warm-up (JIT, lazy imports)
  for (let i = 0; i < fs.length; i++) await run(i, false);
  const forwards = fs.map((_, i) => i);
  const backwards = [...forwards].reverse();
  for (let r = 0; r < rounds; r++) {
    for (const i of r % 2 === 0 ? forwards : backwards) await run(i, true);
  }
  return fs.map((_, i): WallCpu => [quantile(wall[i]!, 0.5), quantile(cpu[i]!, 0.5)]);
}

const endSpan = (span: Span): void => span.end();

function row(name: string, [bare, instrumented, bareCpu, cpu]: Times, targetUs?: number): SdkRow {
  return {
    name,
    bareUs: bare,
    instrumentedUs: instrumented,
    overheadUs: instrumented - bare,
    ratio: instrumented / bare,
    cpuOverheadUs: cpu - bareCpu,
    targetUs,
  };
}

export async function runSdkBench(input: SdkInput): Promise<SdkResult> {
  const rounds = input.quick ? 8 : 20;
  const callsPerRound = input.quick ? 300 : 1000;
  const spansPerRound = input.quick ? 20_000 : 100_000;
  const consume = async (c: OpenAI) => {
    const stream = await c.chat.completions.create({
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream) {
      // drain
    }
  };
  const drop = new DropExporter();
  const sdk = init({
    exporter: drop,
    serviceName: 'bench',
    captureContent: true,
    scheduledDelayMillis: 200,
    maxQueueSize: 100_000,
    logger: () => undefined,
  });

  const bare = client();
  const instrumented = instrumentOpenAI(client());
  const rows: SdkRow[] = [];
  rows.push(
    row(
      'chat.completions.create',
      await compare(
        rounds,
        callsPerRound,
        () => bare.chat.completions.create(params),
        () => instrumented.chat.completions.create(params),
      ),
      20,
    ),
  );
  rows.push(
    row(
      'chat.completions.create, streamed (12 chunks)',
      await compare(
        rounds,
        callsPerRound,
        () => consume(bare),
        () => consume(instrumented),
      ),
      20,
    ),
  );
  const work = () => 1 + 1;
  // A span of a default OpenTelemetry provider (start + end, batch processor, no context).
  const plain = new NodeTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(new DropExporter(), {
        maxQueueSize: 100_000,
        scheduledDelayMillis: 200,
      }),
    ],
  });
  const plainTracer = plain.getTracer('floor');
  rows.push(
    row(
      'OTel span start + end, default provider',
      await compare(rounds, spansPerRound, work, () => plainTracer.startSpan('span').end()),
    ),
  );
  await plain.shutdown();
  // The reference for trace() ("floor"): the OTel SDK's own tracer on PyFlare's provider (its id
  // generator, sampler and processors), its span made active as trace() must do for the code
  // inside fn, with nothing of PyFlare's around it. trace() records with PyFlare's lean tracer of
  // the same provider. Measured in the same rounds as trace().
  const floor = () => sdk.tracer.startActiveSpan('span', endSpan);
  const [[bareW, bareC], [floorW, floorC], [traceW, traceC]] = (await compareAll(
    rounds,
    spansPerRound,
    [work, floor, () => trace('span', work)],
  )) as [WallCpu, WallCpu, WallCpu];
  rows.push(
    row('OTel startActiveSpan + end, PyFlare provider (floor)', [bareW, floorW, bareC, floorC]),
  );
  rows.push({
    ...row('trace() around a trivial function', [bareW, traceW, bareC, traceC], 2),
    overFloorUs: traceW - floorW,
  });
  const nested = () => trace('a', () => trace('b', () => trace('c', work)));
  const nestedFloor = () =>
    sdk.tracer.startActiveSpan('a', (a) => {
      sdk.tracer.startActiveSpan('b', (b) => {
        sdk.tracer.startActiveSpan('c', endSpan);
        b.end();
      });
      a.end();
    });
  const [[nb, nbc], [nf], [nt, ntc]] = (await compareAll(rounds, spansPerRound / 3, [
    work,
    nestedFloor,
    nested,
  ])) as [WallCpu, WallCpu, WallCpu];
  rows.push({
    ...row(
      'trace() nested 3 deep (per span)',
      [nb, nb + (nt - nb) / 3, nbc, nbc + (ntc - nbc) / 3],
      2,
    ),
    overFloorUs: (nt - nf) / 3,
  });
  await shutdown();

  // The same call with the real exporter to a local OTLP sink: export cost amortized per call.
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as AddressInfo).port;
  init({
    endpoint: `http://127.0.0.1:${port}`,
    serviceName: 'bench',
    captureContent: true,
    scheduledDelayMillis: 200,
    maxQueueSize: 100_000,
    logger: () => undefined,
  });
  const exporting = instrumentOpenAI(client());
  rows.push(
    row(
      'chat.completions.create + OTLP export',
      await compare(
        rounds,
        callsPerRound,
        () => bare.chat.completions.create(params),
        () => exporting.chat.completions.create(params),
      ),
    ),
  );
  await shutdown();
  sink.closeAllConnections();
  await new Promise<void>((r) => sink.close(() => r()));
  // What the other rows cannot show: on Node 20, once any AsyncLocalStorage store is in use (the
  // OpenTelemetry context manager's, from the first traced or instrumented call on), Node runs a
  // hook on every promise of the process, the bare calls' included. Measured last, with the
  // context manager disabled and a storage of its own switched on and off at the start of each
  // round, on the bare streamed call (~225 promises per call).
  context.disable();
  const storage = new AsyncLocalStorage<number>();
  let hooksOn = false;
  const hooks = (on: boolean) => {
    if (on !== hooksOn) {
      if (on) storage.run(1, () => undefined);
      else storage.disable();
      hooksOn = on;
    }
  };
  rows.push(
    row(
      'bare streamed call, promise hooks off → on (no SDK)',
      await compare(
        rounds,
        callsPerRound,
        () => (hooks(false), consume(bare)),
        () => (hooks(true), consume(bare)),
      ),
    ),
  );
  hooks(false);
  return { rows, exportedSpans: drop.spans };
}

export function printSdk(result: SdkResult): void {
  console.log('\nSDK overhead — per call, median of alternating rounds, same run\n');
  console.log(
    table(
      [
        'call',
        'bare',
        'instrumented',
        'overhead',
        'ratio',
        'CPU overhead',
        'over OTel floor',
        'target',
      ],
      result.rows.map((r) => [
        r.name,
        `${r.bareUs.toFixed(2)} µs`,
        `${r.instrumentedUs.toFixed(2)} µs`,
        `${r.overheadUs.toFixed(2)} µs`,
        `${r.ratio.toFixed(2)}×`,
        `${r.cpuOverheadUs.toFixed(2)} µs`,
        r.overFloorUs === undefined ? '' : `${r.overFloorUs.toFixed(2)} µs`,
        r.targetUs === undefined
          ? ''
          : `< ${r.targetUs} µs ${r.overheadUs < r.targetUs ? 'ok' : 'MISSED'}`,
      ]),
    ),
  );
}

const isChild = process.env.BENCH_CHILD_INPUT !== undefined && process.send !== undefined;
if (isChild) {
  const input = childInput<SdkInput>();
  runSdkBench(input)
    .then((r) => sendToParent('result', r))
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
} else if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  runSdkBench({ quick: process.argv.includes('--quick') }).then(printSdk, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
