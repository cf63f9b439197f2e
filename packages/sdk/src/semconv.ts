/**
 * Attribute names the SDK writes. The `gen_ai.*` names are the OpenTelemetry GenAI semantic
 * conventions as they stand today (copied, as `@opentelemetry/semantic-conventions` exports them
 * only from its unstable `incubating` entry, which asks to copy them). The `pyflare.*` names are
 * exactly the ones the PyFlare server reads (packages/server/src/pipeline/conventions/pyflare.ts).
 */

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  requestChoiceCount: 'gen_ai.request.choice.count',
  requestEncodingFormats: 'gen_ai.request.encoding_formats',
  outputType: 'gen_ai.output.type',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  usageReasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  toolDefinitions: 'gen_ai.tool.definitions',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolDescription: 'gen_ai.tool.description',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  dataSourceId: 'gen_ai.data_source.id',
  embeddingsDimensionCount: 'gen_ai.embeddings.dimension.count',
  retrievalDocuments: 'gen_ai.retrieval.documents',
  retrievalQueryText: 'gen_ai.retrieval.query.text',
} as const;

/** `gen_ai.operation.name` values. */
export type GenAiOperation =
  | 'chat'
  | 'text_completion'
  | 'generate_content'
  | 'embeddings'
  | 'execute_tool'
  | 'invoke_agent'
  | 'create_agent'
  | 'invoke_workflow'
  | 'retrieval';

export const GENERAL = {
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpStatusCode: 'http.response.status_code',
  userId: 'user.id',
  sessionId: 'session.id',
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  environment: 'deployment.environment.name',
} as const;

export const PYFLARE = {
  /** One of the server's canonical operations (ml.inference, training, reranker, guardrail, ...). */
  spanKind: 'pyflare.span.kind',
  tags: 'pyflare.tags',
  modelId: 'pyflare.model.id',
  modelVersion: 'pyflare.model.version',
  inferenceId: 'pyflare.inference_id',
  prediction: 'pyflare.prediction',
  predictionScore: 'pyflare.prediction.score',
  label: 'pyflare.label',
  /** Prefix of one attribute per feature: `pyflare.features.<name>`. */
  featuresPrefix: 'pyflare.features.',
  embedding: 'pyflare.embedding',
  /** What a span records that no convention names: 'prediction' or 'label'. */
  event: 'pyflare.ml.event',
  /** True when the SDK counted the tokens itself (the provider sent no usage). */
  usageEstimated: 'pyflare.usage.estimated',
  /** HTTP attempts the client made beyond the first (its own retries). */
  retryCount: 'pyflare.llm.retry_count',
  stream: 'pyflare.llm.stream',
  /** Set on spans whose content was cut to the configured size. */
  contentTruncated: 'pyflare.content.truncated',
} as const;
