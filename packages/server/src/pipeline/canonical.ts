import type { ChatMessage, RetrievalDocument, SpanRow } from '../storage/rows.ts';
import { messagesText } from './content.ts';
import * as genai from './conventions/genai.ts';
import type { SpanView } from './conventions/keys.ts';
import * as openinference from './conventions/openinference.ts';
import * as otel from './conventions/otel.ts';
import * as pyflare from './conventions/pyflare.ts';
import * as traceloop from './conventions/traceloop.ts';
import { toVector } from './conventions/values.ts';
import * as vercel from './conventions/vercel-ai.ts';

/**
 * The canonical columns of a span, read from whichever conventions it carries. Each `??`
 * chain below is the precedence of one concept, first match wins; the table in
 * docs/architecture/canonical-model.md is this file in prose.
 */
export type CanonicalColumns = Pick<
  SpanRow,
  | 'operation'
  | 'provider'
  | 'request_model'
  | 'response_model'
  | 'input_tokens'
  | 'output_tokens'
  | 'cached_tokens'
  | 'total_tokens'
  | 'user_id'
  | 'session_id'
  | 'tags'
  | 'input_text'
  | 'output_text'
  | 'input_messages'
  | 'output_messages'
  | 'retrieval_documents'
  | 'inference_id'
  | 'ml_features'
  | 'ml_prediction'
  | 'ml_label'
  | 'embedding'
>;

/** Writes the canonical columns into `row`, whose fields start empty. */
export function fillCanonical(
  row: CanonicalColumns,
  view: SpanView,
  captureContent: boolean,
): void {
  const a = view.attrs;
  const isVercel = vercel.isVercelSpan(a);

  row.operation =
    genai.operation(a) ??
    openinference.operation(a) ??
    traceloop.operation(a) ??
    vercel.operation(a) ??
    pyflare.operation(a) ??
    '';

  const provider =
    genai.provider(a) ?? openinference.provider(a) ?? vercel.provider(a) ?? traceloop.provider(a);
  if (provider !== undefined) {
    const lower = provider.toLowerCase();
    row.provider = isVercel ? vercel.providerName(lower) : lower;
  }

  const model = openinference.modelName(a);
  const pyflareModel = pyflare.modelId(a);
  row.request_model =
    genai.requestModel(a) ??
    model ??
    vercel.requestModel(a) ??
    traceloop.requestModel(a) ??
    pyflareModel ??
    '';
  row.response_model =
    genai.responseModel(a) ??
    model ??
    vercel.responseModel(a) ??
    traceloop.responseModel(a) ??
    pyflareModel ??
    '';

  const input =
    genai.inputTokens(a) ??
    openinference.inputTokens(a) ??
    genai.legacyInputTokens(a) ??
    traceloop.inputTokens(a) ??
    vercel.inputTokens(a);
  const output =
    genai.outputTokens(a) ??
    openinference.outputTokens(a) ??
    genai.legacyOutputTokens(a) ??
    traceloop.outputTokens(a) ??
    vercel.outputTokens(a);
  row.input_tokens = input ?? 0;
  row.output_tokens = output ?? 0;
  row.cached_tokens =
    genai.cachedTokens(a) ??
    openinference.cachedTokens(a) ??
    traceloop.cachedTokens(a) ??
    vercel.cachedTokens(a) ??
    0;
  row.total_tokens =
    genai.totalTokens(a) ??
    openinference.totalTokens(a) ??
    traceloop.totalTokens(a) ??
    vercel.totalTokens(a) ??
    row.input_tokens + row.output_tokens;

  row.user_id = otel.userId(a) ?? vercel.userId(a) ?? traceloop.userId(a) ?? '';
  row.session_id =
    otel.sessionId(a) ??
    genai.conversationId(a) ??
    vercel.sessionId(a) ??
    traceloop.sessionId(a) ??
    '';
  row.tags = pyflare.tags(a) ?? openinference.tags(a) ?? vercel.tags(a) ?? [];

  row.inference_id = pyflare.inferenceId(a) ?? '';
  row.ml_prediction = pyflare.prediction(a) ?? '';
  row.ml_label = pyflare.label(a) ?? '';
  row.ml_features = pyflare.features(view) ?? '';
  row.embedding =
    toVector(openinference.embedding(view)) ?? toVector(pyflare.embedding(a)) ?? row.embedding;

  if (captureContent) {
    try {
      fillContent(row, view);
    } catch {
      // A value too odd to read (e.g. nesting deeper than the JSON serializer allows): the
      // raw attributes are still stored; only the derived content columns stay empty.
      clearContent(row);
    }
  }
}

function fillContent(row: CanonicalColumns, view: SpanView): void {
  const a = view.attrs;
  const events = view.events.length > 0 ? genai.eventMessages(view.events) : undefined;
  const inputMessages = nonEmpty(
    genai.inputMessages(a) ??
      nonEmpty(events?.input) ??
      openinference.inputMessages(view) ??
      traceloop.inputMessages(view) ??
      vercel.inputMessages(a),
  );
  const outputMessages = nonEmpty(
    genai.outputMessages(a) ??
      nonEmpty(events?.output) ??
      openinference.outputMessages(view) ??
      traceloop.outputMessages(view) ??
      vercel.outputMessages(a),
  );
  if (inputMessages) row.input_messages = JSON.stringify(inputMessages);
  if (outputMessages) row.output_messages = JSON.stringify(outputMessages);

  row.input_text =
    nonEmptyText(inputMessages && messagesText(inputMessages)) ??
    genai.inputText(a) ??
    openinference.inputText(a) ??
    traceloop.inputText(a) ??
    (vercel.isVercelSpan(a) ? vercel.inputText(a) : undefined) ??
    '';
  row.output_text =
    nonEmptyText(outputMessages && messagesText(outputMessages)) ??
    genai.outputText(a) ??
    openinference.outputText(a) ??
    traceloop.outputText(a) ??
    (vercel.isVercelSpan(a) ? vercel.outputText(a) : undefined) ??
    '';

  const documents: RetrievalDocument[] | undefined =
    openinference.documents(view) ??
    genai.documents(a) ??
    openinference.rerankedDocuments(view) ??
    (view.events.length > 0 ? traceloop.documents(view.events) : undefined);
  if (documents) row.retrieval_documents = JSON.stringify(documents);
}

function clearContent(row: CanonicalColumns): void {
  row.input_text = '';
  row.output_text = '';
  row.input_messages = '';
  row.output_messages = '';
  row.retrieval_documents = '';
}

function nonEmpty(messages: ChatMessage[] | undefined): ChatMessage[] | undefined {
  return messages && messages.length > 0 ? messages : undefined;
}

function nonEmptyText(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
