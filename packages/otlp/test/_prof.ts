import { decodeTraceRequest, encodeTraceRequest } from '/work/main/packages/otlp/src/index.ts';
import { realisticTraceRequest } from '/work/main/packages/otlp/test/generate.ts';
const bytes = encodeTraceRequest(realisticTraceRequest(1000));
const t = performance.now();
let n = 0;
while (performance.now() - t < 4000) {
  decodeTraceRequest(bytes);
  n++;
}
console.log((n * 1000) / 4, 'spans/s');
