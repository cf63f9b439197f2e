/**
 * Informal decode-speed check (not a test): a batch of 1000 LLM spans with 15 attributes
 * each, encoded once, decoded repeatedly.
 *
 *   npx tsx packages/otlp/test/bench-decode.ts
 */
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeTraceRequest,
  traceRequestToJson,
} from '../src/index.ts';
import { realisticTraceRequest } from './generate.ts';

const SPANS = 1000;
const bytes = encodeTraceRequest(realisticTraceRequest(SPANS));
const json = JSON.stringify(traceRequestToJson(realisticTraceRequest(SPANS)));

/**
 * Best of several rounds, timed in CPU time of this process (not wall time), so other
 * work on a busy machine disturbs the figure less.
 */
function measure(name: string, fn: () => unknown, rounds = 7, roundMs = 400): void {
  for (let i = 0; i < 30; i++) fn(); // warm up
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let n = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < roundMs) {
      fn();
      n++;
      const used = process.cpuUsage(start);
      elapsed = (used.user + used.system) / 1000;
    }
    best = Math.max(best, (n * SPANS) / (elapsed / 1000));
  }
  console.log(
    `${name.padEnd(38)} ${Math.round(best).toLocaleString('en-US').padStart(11)} spans/s`,
  );
}

console.log(`payload: ${SPANS} spans, ${bytes.length} bytes protobuf, ${json.length} bytes JSON`);
measure('decodeTraceRequest (protobuf)', () => decodeTraceRequest(bytes));
measure('decodeTraceRequestJson (+JSON.parse)', () => decodeTraceRequestJson(JSON.parse(json)));
const request = realisticTraceRequest(SPANS);
measure('encodeTraceRequest (protobuf)', () => encodeTraceRequest(request));
