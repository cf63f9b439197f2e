/**
 * SQL for the per-span conditions of a TraceFilter, over the `spans` table. Shared by the
 * trace search (inside `trace_id IN (SELECT ...)`) and the span search (directly). Every
 * value is bound; column names come from the fixed tables below.
 */
import type {
  AttributeCondition,
  NumberCondition,
  NumberOperator,
  StatusValue,
  StringCondition,
  StringField,
  TextCondition,
} from '@pyflare/query';
import { PyflareError } from '../../errors.ts';
import type { SqlParams } from './sql-params.ts';

/** The spans columns each string field compares (any of them may match). */
const SPAN_COLUMNS: Readonly<Record<StringField, readonly string[]>> = {
  service: ['service_name'],
  model: ['request_model', 'response_model'],
  provider: ['provider'],
  user: ['user_id'],
  session: ['session_id'],
  name: ['name'],
  operation: ['operation'],
  kind: ['kind'],
  environment: ['environment'],
  trace: ['trace_id'],
};

/** Fields whose stored values are lower case, so comparisons ignore the case given. */
const LOWER_CASE_FIELDS: ReadonlySet<StringField> = new Set(['kind', 'trace']);

/** Text search looks in these columns. */
const TEXT_COLUMNS = ['name', 'status_message', 'input_text', 'output_text'] as const;

const OPERATORS: Readonly<Record<NumberOperator, string>> = {
  '=': '=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

/** The SQL comparison for an operator from the filter, from a fixed table. */
export function sqlOperator(op: NumberOperator): string {
  const sql = OPERATORS[op];
  if (sql === undefined) throw new PyflareError('INVALID_QUERY', `unknown operator '${op}'`);
  return sql;
}

export function conditionValues(condition: StringCondition): string[] {
  return LOWER_CASE_FIELDS.has(condition.field)
    ? condition.values.map((v) => v.toLowerCase())
    : condition.values;
}

/** "This span has one of the values" (negation is left to the caller). */
export function spanStringSql(condition: StringCondition, params: SqlParams): string {
  const columns = SPAN_COLUMNS[condition.field];
  if (columns === undefined) {
    throw new PyflareError('INVALID_QUERY', `unknown field '${condition.field}'`);
  }
  const values = params.bind('Array(String)', conditionValues(condition));
  return `(${columns.map((c) => `${c} IN ${values}`).join(' OR ')})`;
}

/** "This span (or its resource) has the attribute with that text value". */
export function spanAttributeSql(condition: AttributeCondition, params: SqlParams): string {
  const map = condition.scope === 'resource' ? 'resource_attributes' : 'attributes';
  const key = params.bind('String', condition.key);
  const value = params.bind('String', condition.value);
  // A missing key reads as '', so only an empty value needs the key looked up as well
  // (looking it up twice doubled the cost of the condition at 10M spans).
  return condition.value === ''
    ? `(mapContains(${map}, ${key}) AND ${map}[${key}] = ${value})`
    : `(${map}[${key}] = ${value})`;
}

/** "This span's name, status message, prompt or completion contains the text" (any case). */
export function spanTextSql(condition: TextCondition, params: SqlParams): string {
  const text = params.bind('String', condition.text);
  return `(${TEXT_COLUMNS.map((c) => `positionCaseInsensitiveUTF8(${c}, ${text}) > 0`).join(' OR ')})`;
}

export function spanStatusSql(status: StatusValue): string {
  return status === 'error' ? `status_code = 'error'` : `status_code != 'error'`;
}

/** A number condition on one span: its duration or its total tokens. */
export function spanNumberSql(condition: NumberCondition, params: SqlParams): string {
  const op = sqlOperator(condition.op);
  switch (condition.field) {
    case 'duration':
      return `duration_ns ${op} ${params.bind('Int64', BigInt(Math.round(condition.value)))}`;
    case 'tokens':
      return `total_tokens ${op} ${params.bind('Int64', BigInt(Math.round(condition.value)))}`;
    default:
      throw new PyflareError(
        'INVALID_QUERY',
        `'${condition.field}' compares whole traces and cannot filter single spans`,
      );
  }
}

export function negate(sql: string, negated: boolean): string {
  return negated ? `NOT ${sql}` : sql;
}
