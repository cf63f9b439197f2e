/**
 * A structured trace filter: what the query language (`q=`) and the plain URL
 * parameters of `GET /api/v1/traces` both produce, and what the storage layer turns
 * into parameterized SQL.
 *
 * Semantics: a trace matches when every condition holds.
 * - `service`, `model`, `user`, `session`: the trace has a span with that value
 *   (negated: no span has it). Several values in one condition are alternatives (OR).
 * - `name`, `operation`, `kind`, `provider`, `environment`: same, per span.
 * - `trace`: the trace id (hex) is one of the values.
 * - attribute conditions: some span has the attribute with that value (string equality on
 *   the attribute's text form); `resource` scope looks in the resource attributes.
 * - `status`: `error` when any span has status error; `ok` when none has.
 * - `duration` (ns) and `tokens` compare the whole trace's duration and total tokens;
 *   `spans` compares the span count.
 * - text: some span's name, status message, prompt or completion contains the text
 *   (case-insensitive); negated: none does.
 * - time: the trace's start lies in [from, to] (epoch milliseconds, inclusive).
 */

export const STRING_FIELDS = [
  'service',
  'model',
  'provider',
  'user',
  'session',
  'name',
  'operation',
  'kind',
  'environment',
  'trace',
] as const;
export type StringField = (typeof STRING_FIELDS)[number];

export const NUMBER_FIELDS = ['duration', 'tokens', 'spans'] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

export type NumberOperator = '=' | '>' | '>=' | '<' | '<=';

export interface StringCondition {
  field: StringField;
  /** Alternatives: the condition holds when any of them matches. Never empty. */
  values: string[];
  negated: boolean;
}

export interface AttributeCondition {
  scope: 'span' | 'resource';
  key: string;
  value: string;
  negated: boolean;
}

export interface NumberCondition {
  field: NumberField;
  op: NumberOperator;
  /** duration: nanoseconds; tokens and spans: counts. */
  value: number;
}

export interface TextCondition {
  text: string;
  negated: boolean;
}

export interface TimeRange {
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, inclusive */
  to?: number;
}

export type StatusValue = 'error' | 'ok';

export interface TraceFilter {
  strings: StringCondition[];
  attributes: AttributeCondition[];
  numbers: NumberCondition[];
  text: TextCondition[];
  status?: StatusValue;
  time?: TimeRange;
}

export function emptyFilter(): TraceFilter {
  return { strings: [], attributes: [], numbers: [], text: [] };
}
