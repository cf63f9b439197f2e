/**
 * Enum value names accepted in OTLP/JSON beside the integers the spec asks senders to
 * use (proto3 JSON parsers accept both).
 */

function names(prefix: string, list: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  list.forEach((name, i) => {
    if (name !== '') out[`${prefix}${name}`] = i;
  });
  return out;
}

export const SPAN_KIND_NAMES = names('SPAN_KIND_', [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
]);

export const STATUS_CODE_NAMES = names('STATUS_CODE_', ['UNSET', 'OK', 'ERROR']);

export const AGGREGATION_TEMPORALITY_NAMES = names('AGGREGATION_TEMPORALITY_', [
  'UNSPECIFIED',
  'DELTA',
  'CUMULATIVE',
]);

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** SEVERITY_NUMBER_UNSPECIFIED = 0, SEVERITY_NUMBER_TRACE = 1, TRACE2..4, DEBUG = 5, … FATAL4 = 24 */
export const SEVERITY_NUMBER_NAMES = names('SEVERITY_NUMBER_', [
  'UNSPECIFIED',
  ...LEVELS.flatMap((level) => [level, `${level}2`, `${level}3`, `${level}4`]),
]);
