/** Shapes of the PyFlare API the UI reads (docs/api-reference.md, docs/architecture/ui-api.md). */

export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  services: string[];
  spanCount: number;
  errorCount: number;
  hasError: boolean;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  users: string[];
  sessions: string[];
}

export interface TracePage {
  traces: TraceSummary[];
  nextCursor: string | null;
}

export interface ChatMessage {
  role: string;
  content: AttributeValue;
  name?: string;
  toolCalls?: { id?: string; name?: string; arguments?: AttributeValue; type?: string }[] | null;
  toolCallId?: string;
}

export interface RetrievalDocument {
  id?: string;
  content?: string;
  score?: number;
  metadata?: AttributeValue;
}

export interface SpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: string;
  serviceName: string;
  environment: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  status: { code: 'unset' | 'ok' | 'error'; message: string };
  attributes: Attributes;
  resource: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  scope?: { name: string; version: string };
  operation: string;
  provider: string;
  requestModel: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
  totalTokens: number;
  userId: string;
  sessionId: string;
  tags?: string[];
  inputText?: string;
  outputText?: string;
  inputMessages?: ChatMessage[] | null;
  outputMessages?: ChatMessage[] | null;
  retrievalDocuments?: RetrievalDocument[] | null;
  inferenceId?: string;
  mlFeatures?: Attributes | null;
  mlPrediction?: string;
  mlLabel?: string;
  embeddingDimensions?: number;
  dropped?: { attributes: number; events: number; links: number };
}

export interface TraceDetail {
  trace: TraceSummary;
  spans: Span[];
}

export interface FacetValue {
  value: string;
  count: number;
}
/** What `/attributes` counted: the newest part of the window when it holds many spans. */
export interface FacetSample {
  windowSpans: number;
  spans: number;
  from: string;
  partial: boolean;
}
export interface Facet {
  key: string;
  builtin: boolean;
  count: number;
  distinctValues: number;
  values: FacetValue[];
}

export type Role = 'viewer' | 'member' | 'admin';

export interface Preferences {
  theme?: 'light' | 'dark' | 'system';
  timeZone?: string;
  density?: 'comfortable' | 'compact';
}

export interface Me {
  user: { id: string; email: string; name: string };
  role: Role;
  project: { id: string; name: string };
  projects: { id: string; name: string; role: Role }[];
  csrfToken?: string;
  preferences?: Preferences;
}

export interface Project {
  id: string;
  name: string;
  retentionDays: number;
  captureContent: boolean;
  createdAt: string;
}

export type Scope = 'ingest' | 'read' | 'admin';

export interface ApiKey {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface SavedQuery {
  id: string;
  name: string;
  query: string;
  timeRange?: string | null;
  createdAt: string;
}

export interface OverviewPoint {
  t: string | number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  inputTokens: number;
  outputTokens: number;
}

export interface Overview {
  from: string;
  to: string;
  stepSeconds: number;
  series: OverviewPoint[];
  totals: {
    requests: number;
    errors: number;
    errorRate: number;
    p50Ms: number;
    p99Ms: number;
    inputTokens: number;
    outputTokens: number;
  };
  topModels: {
    model: string;
    provider: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
  }[];
  recentErrors: TraceSummary[];
}
