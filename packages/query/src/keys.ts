/**
 * The catalog of query keys: what the parser accepts and what autocompletion offers.
 * Keys are case-insensitive; `attr.<name>` and `resource.<name>` carry an attribute name
 * whose case is kept (OpenTelemetry attribute names are case-sensitive).
 */
import { closest } from './distance.ts';
import type { NumberField, StringField } from './filter.ts';

export type ValueKind =
  'string' | 'duration' | 'integer' | 'status' | 'time' | 'kind' | 'attribute';

export interface QueryKey {
  /** Canonical name, as `filterToQuery` prints it. */
  name: string;
  /** Other accepted spellings. */
  aliases: readonly string[];
  description: string;
  valueKind: ValueKind;
  /** A whole example term. */
  example: string;
  /** What autocompletion inserts: `service:`, or `attr.` for the attribute keys. */
  insert: string;
  /** Closed sets: the only values accepted (case-insensitive). */
  values?: readonly string[];
  /** Open sets: common values worth offering; any other value is accepted too. */
  suggestedValues?: readonly string[];
  /** Accepts several comma-separated alternatives (`model:a,b`). */
  alternatives: boolean;
  /** Accepts comparisons (`>`, `>=`, `<`, `<=`, `=`) and ranges (`a..b`). */
  comparisons: boolean;
  /** Accepts a leading `-` or `NOT`. */
  negatable: boolean;
  /** The filter field the key sets, for the string and number keys. */
  field?: StringField | NumberField;
}

export const SPAN_KINDS = ['server', 'client', 'internal', 'producer', 'consumer'] as const;
export const STATUS_VALUES = ['error', 'ok'] as const;
/** Offered by autocompletion for `time:`; any relative or absolute time is accepted. */
export const TIME_PRESETS = ['last-15m', 'last-1h', 'last-24h', 'last-7d', 'today', 'yesterday'];
/** The canonical AI/ML operation kinds of the storage model, offered for `operation:`. */
export const OPERATION_VALUES = [
  'llm',
  'chat',
  'embedding',
  'retrieval',
  'tool',
  'agent',
  'chain',
  'reranker',
  'guardrail',
  'evaluator',
  'ml.inference',
  'training',
];

function stringKey(
  name: StringField | 'env',
  description: string,
  example: string,
  extra: Partial<QueryKey> = {},
): QueryKey {
  return {
    name,
    aliases: [],
    description,
    valueKind: 'string',
    example,
    insert: `${name}:`,
    alternatives: true,
    comparisons: false,
    negatable: true,
    field: name === 'env' ? 'environment' : name,
    ...extra,
  };
}

function numberKey(
  name: NumberField,
  valueKind: 'duration' | 'integer',
  description: string,
  example: string,
): QueryKey {
  return {
    name,
    aliases: [],
    description,
    valueKind,
    example,
    insert: `${name}:`,
    alternatives: false,
    comparisons: true,
    negatable: true,
    field: name,
  };
}

export const QUERY_KEYS: readonly QueryKey[] = [
  stringKey(
    'service',
    'A span of the trace comes from this service (service.name).',
    'service:checkout',
  ),
  stringKey('model', 'A span of the trace calls this model.', 'model:gpt-4o,claude-3-5-sonnet'),
  stringKey('provider', 'A span of the trace calls this model provider.', 'provider:openai'),
  stringKey('user', 'A span of the trace belongs to this user id.', 'user:alice'),
  stringKey('session', 'A span of the trace belongs to this session id.', 'session:s-42'),
  stringKey('name', 'A span of the trace has this exact name.', 'name:"chat completion"'),
  stringKey('operation', 'A span of the trace has this AI/ML operation kind.', 'op:retrieval', {
    aliases: ['op'],
    suggestedValues: OPERATION_VALUES,
  }),
  {
    ...stringKey('kind', 'A span of the trace has this OpenTelemetry span kind.', 'kind:server'),
    valueKind: 'kind',
    values: SPAN_KINDS,
  },
  stringKey('env', 'A span of the trace comes from this deployment environment.', 'env:prod', {
    aliases: ['environment'],
  }),
  stringKey(
    'trace',
    'The trace id is one of these (32 hex characters).',
    'trace:4bf92f3577b34da6a3ce929d0e0e4736',
    {
      aliases: ['traceid'],
    },
  ),
  {
    name: 'status',
    aliases: [],
    description: '`error`: some span has status error; `ok`: no span has.',
    valueKind: 'status',
    example: 'status:error',
    insert: 'status:',
    values: STATUS_VALUES,
    alternatives: false,
    comparisons: false,
    negatable: true,
  },
  numberKey(
    'duration',
    'duration',
    'The whole trace lasts this long (a bare number is ms).',
    'duration:>1.5s',
  ),
  numberKey('tokens', 'integer', 'Total tokens used by the trace.', 'tokens:>=1000'),
  numberKey('spans', 'integer', 'Number of spans in the trace.', 'spans:100..500'),
  {
    name: 'time',
    aliases: [],
    description:
      'The trace started in this time range (relative to now, or absolute, UTC by default).',
    valueKind: 'time',
    example: 'time:last-1h',
    insert: 'time:',
    suggestedValues: TIME_PRESETS,
    alternatives: false,
    comparisons: true,
    negatable: false,
  },
  {
    name: 'attr',
    aliases: [],
    description: 'A span of the trace has this attribute value (`attr.<name>:value`).',
    valueKind: 'attribute',
    example: 'attr.http.route:/api/chat',
    insert: 'attr.',
    alternatives: false,
    comparisons: false,
    negatable: true,
  },
  {
    name: 'resource',
    aliases: [],
    description: 'A span of the trace has this resource attribute value (`resource.<name>:value`).',
    valueKind: 'attribute',
    example: 'resource.k8s.namespace.name:prod',
    insert: 'resource.',
    alternatives: false,
    comparisons: false,
    negatable: true,
  },
];

const ATTRIBUTE_SCOPES = { attr: 'span', resource: 'resource' } as const;
type AttributeKeyName = keyof typeof ATTRIBUTE_SCOPES;

const BY_NAME = new Map<string, QueryKey>();
for (const key of QUERY_KEYS) {
  if (key.valueKind === 'attribute') continue;
  for (const name of [key.name, ...key.aliases]) BY_NAME.set(name, key);
}

/** The catalog entry for a plain key name or alias (case-insensitive); not attribute keys. */
export function lookupKey(name: string): QueryKey | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The catalog entry of an attribute key by scope. */
export function attributeKey(scope: 'span' | 'resource'): QueryKey {
  const name = scope === 'span' ? 'attr' : 'resource';
  const key = QUERY_KEYS.find((k) => k.name === name);
  if (!key) throw new Error(`catalog has no ${name} key`);
  return key;
}

/**
 * When `keyText` starts with `attr.` or `resource.` (case-insensitive): the scope and the
 * length of that prefix.
 */
export function attributePrefix(
  keyText: string,
): { scope: 'span' | 'resource'; length: number } | undefined {
  const dot = keyText.indexOf('.');
  if (dot < 0) return undefined;
  const head = keyText.slice(0, dot).toLowerCase();
  if (head !== 'attr' && head !== 'resource') return undefined;
  return { scope: ATTRIBUTE_SCOPES[head as AttributeKeyName], length: dot + 1 };
}

/** "unknown key …" with the closest known key when it looks like a typo. */
export function unknownKeyMessage(key: string): string {
  const lower = key.toLowerCase();
  const dot = lower.indexOf('.');
  let suggestion: string | undefined;
  if (dot >= 0) {
    const head = closest(lower.slice(0, dot), Object.keys(ATTRIBUTE_SCOPES));
    if (head !== undefined) suggestion = `${head}${key.slice(dot)}`;
  }
  if (suggestion === undefined) {
    const plain = closest(lower, [...BY_NAME.keys()]);
    const scope = closest(lower, Object.keys(ATTRIBUTE_SCOPES));
    if (plain !== undefined) suggestion = plain;
    else if (scope !== undefined) suggestion = `${scope}.<name>`;
  }
  if (suggestion !== undefined) return `unknown key '${key}' — did you mean '${suggestion}'?`;
  const names = QUERY_KEYS.map((k) => (k.valueKind === 'attribute' ? `${k.name}.<name>` : k.name));
  return (
    `unknown key '${key}' (the keys are ${names.join(', ')};` +
    ` to search for '${key}:' as text, quote the term)`
  );
}
