/** Builds compact traces for tests and benchmarks from a terse description. */
import type { CompactTrace } from './compact.ts';

export interface SpanSpec {
  id: string;
  parent?: string;
  name?: string;
  service?: string;
  start: number;
  dur: number;
  error?: boolean;
}

export function compactOf(specs: readonly SpanSpec[], traceId = 't'.repeat(32)): CompactTrace {
  const sorted = [...specs].sort((x, y) => x.start - y.start);
  const strings: string[] = [''];
  const sid = (s: string) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const index = new Map(sorted.map((s, i) => [s.id, i]));
  const spans: CompactTrace['spans'] = {
    spanId: [],
    parent: [],
    name: [],
    service: [],
    kind: [],
    operation: [],
    model: [],
    startNs: [],
    durationNs: [],
    error: [],
    tokens: [],
  };
  let end = 0;
  for (const s of sorted) {
    spans.spanId.push(s.id);
    spans.parent.push(s.parent === undefined ? -1 : (index.get(s.parent) ?? -1));
    spans.name.push(sid(s.name ?? s.id));
    spans.service.push(sid(s.service ?? 'svc'));
    spans.kind.push(0);
    spans.operation.push(0);
    spans.model.push(0);
    spans.startNs.push(s.start);
    spans.durationNs.push(s.dur);
    spans.error.push(s.error ? 1 : 0);
    spans.tokens.push(0);
    end = Math.max(end, s.start + s.dur);
  }
  return {
    traceId,
    spanCount: sorted.length,
    startTimeUnixNano: '0',
    durationNs: end,
    strings,
    spans,
  };
}

/** A synthetic trace of `n` spans: a root, fan-out of `fanout` per level, sequential children. */
export function syntheticCompact(n: number, fanout = 10, seed = 1): CompactTrace {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  const services = ['gateway', 'agent', 'retriever', 'llm-proxy', 'tools', 'vector-db'];
  const names = [
    'GET /chat',
    'invoke_agent',
    'chat gpt-4o',
    'retrieve',
    'embeddings',
    'tool search',
    'SELECT',
    'HTTP POST',
  ];
  const strings = ['', ...services, ...names, 'server', 'client', 'internal', 'llm', 'gpt-4o'];
  const parent = new Array<number>(n);
  const start = new Array<number>(n);
  const dur = new Array<number>(n);
  parent[0] = -1;
  start[0] = 0;
  dur[0] = 10_000_000_000;
  // Breadth-first: span i's parent is floor((i-1)/fanout); children split the parent's time.
  for (let i = 1; i < n; i++) {
    const p = Math.floor((i - 1) / fanout);
    const k = (i - 1) % fanout;
    const slot = dur[p]! / fanout;
    parent[i] = p;
    start[i] = start[p]! + k * slot + slot * 0.05 * rand();
    dur[i] = slot * (0.5 + 0.45 * rand());
  }
  // Contract order: sorted by start, parents re-indexed.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => start[a]! - start[b]! || a - b,
  );
  const newIndex = new Int32Array(n);
  order.forEach((old, i) => (newIndex[old] = i));
  const spans: CompactTrace['spans'] = {
    spanId: [],
    parent: [],
    name: [],
    service: [],
    kind: [],
    operation: [],
    model: [],
    startNs: [],
    durationNs: [],
    error: [],
    tokens: [],
  };
  for (const old of order) {
    spans.spanId.push(old.toString(16).padStart(16, '0'));
    spans.parent.push(parent[old]! < 0 ? -1 : newIndex[parent[old]!]!);
    spans.name.push(1 + services.length + (old % names.length));
    spans.service.push(1 + (old % services.length));
    spans.kind.push(strings.indexOf(old === 0 ? 'server' : 'internal'));
    spans.operation.push(old % names.length === 2 ? strings.indexOf('llm') : 0);
    spans.model.push(old % names.length === 2 ? strings.indexOf('gpt-4o') : 0);
    spans.startNs.push(Math.round(start[old]!));
    spans.durationNs.push(Math.round(dur[old]!));
    spans.error.push(old % 997 === 13 ? 1 : 0);
    spans.tokens.push(old % names.length === 2 ? 900 : 0);
  }
  return {
    traceId: 'ab'.repeat(16),
    spanCount: n,
    startTimeUnixNano: '1700000000000000000',
    durationNs: dur[0]!,
    strings,
    spans,
  };
}
