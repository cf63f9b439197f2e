/**
 * A small, varied set of traces for the read-side tests, written the way the pipeline
 * writes them: several projects, typed attributes, a trace without root, a trace split
 * across inserts (partial aggregates in `traces`), odd nanoseconds everywhere.
 */
import type { Database } from '../../src/storage/database.ts';
import type { SpanRow } from '../../src/storage/rows.ts';
import { insertRows, recentNs, spanRow, withAttributes } from './read-db.ts';

export const MINUTE = 60_000_000_000n;

export const ids = {
  checkout: 'c0'.repeat(16),
  search: '5e'.repeat(16),
  agent: 'a9'.repeat(16),
  orphan: '0f'.repeat(16),
  split: '5b'.repeat(16),
  hostile: 'bad0'.repeat(8),
  otherProject: 'ee'.repeat(16),
};

export const span = (n: number) => n.toString(16).padStart(16, '0');

export interface Fixture {
  base: bigint;
  /** Start of each trace (ns), by name. */
  starts: Record<keyof typeof ids, bigint>;
  rows: SpanRow[];
}

/** Inserts the fixture traces (proj-a, plus proj-b rows that must never leak). */
export async function insertFixture(db: Database): Promise<Fixture> {
  const base = recentNs(60 * 60_000) + 123_456_789n;
  const at = (minutes: bigint, extra = 0n) => (base + minutes * MINUTE + extra).toString();
  const starts = {
    checkout: base,
    search: base + MINUTE,
    agent: base + 2n * MINUTE,
    orphan: base + 3n * MINUTE,
    split: base + 4n * MINUTE,
    hostile: base + 5n * MINUTE,
    otherProject: base + 6n * MINUTE,
  };
  const rows: SpanRow[] = [
    spanRow({
      trace_id: ids.checkout,
      span_id: span(1),
      name: 'POST /checkout',
      kind: 'server',
      service_name: 'api',
      environment: 'prod',
      start_time: at(0n),
      duration_ns: 2_000_000_001,
      end_time: at(0n, 2_000_000_001n),
      status_code: 'ok',
      user_id: 'alice',
      session_id: 's1',
      ...withAttributes({ 'http.status_code': 200, 'app.tags': ['a', 'b'], 'app.flag': true }),
      resource_json: JSON.stringify({ 'service.name': 'api', 'process.pid': 4242 }),
    }),
    spanRow({
      trace_id: ids.checkout,
      span_id: span(2),
      parent_span_id: span(1),
      name: 'chat gpt-4o',
      kind: 'client',
      service_name: 'api',
      environment: 'prod',
      start_time: at(0n, 1_000n),
      duration_ns: 1_500_000_000,
      operation: 'chat',
      provider: 'openai',
      request_model: 'gpt-4o',
      response_model: 'gpt-4o-2024-08-06',
      input_tokens: 100,
      output_tokens: 20,
      total_tokens: 120,
      user_id: 'alice',
      session_id: 's1',
      input_text: 'What is the weather?',
      output_text: 'Sunny.',
      input_messages: JSON.stringify([{ role: 'user', content: 'What is the weather?' }]),
      output_messages: JSON.stringify([{ role: 'assistant', content: 'Sunny.' }]),
      events_json: JSON.stringify([
        {
          timeUnixNano: at(0n, 7_777n),
          name: 'gen_ai.content.note',
          attributes: { 'note.len': 12 },
          droppedAttributesCount: 0,
        },
      ]),
      links_json: JSON.stringify([
        {
          traceId: ids.agent,
          spanId: span(9),
          traceState: '',
          attributes: { 'link.reason': 'retry-of' },
          droppedAttributesCount: 0,
          flags: 1,
        },
      ]),
      ...withAttributes({ 'gen_ai.request.temperature': 0.2, 'http.status_code': 200 }),
    }),
    spanRow({
      trace_id: ids.search,
      span_id: span(3),
      name: 'GET /search',
      kind: 'server',
      service_name: 'web',
      environment: 'staging',
      start_time: at(1n),
      duration_ns: 500_000_000,
      ...withAttributes({ 'http.status_code': 500 }),
    }),
    spanRow({
      trace_id: ids.search,
      span_id: span(4),
      parent_span_id: span(3),
      name: 'retrieve docs',
      service_name: 'web',
      environment: 'staging',
      operation: 'retrieval',
      start_time: at(1n, 10n),
      duration_ns: 100_000_000,
      retrieval_documents: JSON.stringify([{ id: 'd1', content: 'Paris', score: 0.9 }]),
    }),
    spanRow({
      trace_id: ids.search,
      span_id: span(5),
      parent_span_id: span(3),
      name: 'db query',
      service_name: 'web',
      environment: 'staging',
      operation: 'tool',
      start_time: at(1n, 20n),
      duration_ns: 300_000_000,
      status_code: 'error',
      status_message: 'Timeout talking to DB',
    }),
    spanRow({
      trace_id: ids.agent,
      span_id: span(6),
      name: 'agent run',
      kind: 'internal',
      service_name: 'api',
      operation: 'agent',
      start_time: at(2n),
      duration_ns: 5_000_000_000,
      user_id: 'bob',
    }),
    spanRow({
      trace_id: ids.agent,
      span_id: span(7),
      parent_span_id: span(6),
      name: 'chat claude',
      kind: 'client',
      service_name: 'api',
      operation: 'chat',
      provider: 'anthropic',
      request_model: 'claude-3',
      input_tokens: 900,
      output_tokens: 100,
      total_tokens: 1000,
      start_time: at(2n, 5n),
      duration_ns: 4_000_000_000,
      user_id: 'bob',
      input_text: 'Tell me about PARIS in spring',
    }),
    spanRow({
      trace_id: ids.orphan,
      span_id: span(8),
      parent_span_id: 'f'.repeat(16),
      name: 'orphan child',
      service_name: 'worker',
      start_time: at(3n),
      duration_ns: 10_000_000,
    }),
    spanRow({
      trace_id: ids.hostile,
      span_id: span(12),
      name: "weird ' OR 1=1 --",
      service_name: 'worker',
      start_time: at(5n),
      duration_ns: 20_000_000,
      ...withAttributes({ "' OR 1=1 --": '{x:String}', '50%_off': 'yes', 'note.empty': '' }),
    }),
    spanRow({
      project_id: 'proj-b',
      trace_id: ids.otherProject,
      span_id: span(13),
      name: 'secret',
      service_name: 'api',
      start_time: at(6n),
      status_code: 'error',
      request_model: 'gpt-4o',
      total_tokens: 99_999,
    }),
    // Same trace id as proj-a's checkout, in another project.
    spanRow({
      project_id: 'proj-b',
      trace_id: ids.checkout,
      span_id: span(14),
      name: 'intruder',
      service_name: 'api',
      start_time: at(0n, 3n),
    }),
  ];
  // The split trace arrives in two inserts (two parts): the child first, the root later.
  const splitChild = spanRow({
    trace_id: ids.split,
    span_id: span(11),
    parent_span_id: span(10),
    name: 'split child',
    service_name: 'batch',
    start_time: at(4n, 1_000_000n),
    duration_ns: 1_000_000,
    status_code: 'error',
    total_tokens: 7,
  });
  const splitRoot = spanRow({
    trace_id: ids.split,
    span_id: span(10),
    name: 'split root',
    kind: 'server',
    service_name: 'batch',
    start_time: at(4n),
    duration_ns: 3_000_000_000,
    total_tokens: 5,
  });
  await insertRows(db, 'spans', rows);
  await insertRows(db, 'spans', [splitChild]);
  await insertRows(db, 'spans', [splitRoot]);
  return { base, starts, rows: [...rows, splitChild, splitRoot] };
}
