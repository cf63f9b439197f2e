import type { QueryParams } from '../database.ts';

/** ClickHouse types a repository may bind. Identifiers never come from here. */
export type ParamType =
  | 'String'
  | 'Array(String)'
  | 'Array(UInt32)'
  | 'Int64'
  | 'UInt64'
  | 'UInt32'
  | 'UInt8'
  | 'Float64';

/**
 * Collects the parameters of one statement. `bind` stores a value under a fresh name and
 * returns its `{name:Type}` placeholder, so user input only ever reaches the engine as a
 * bound value, never as SQL text.
 */
export class SqlParams {
  readonly values: QueryParams = {};
  #next = 0;

  constructor(initial: QueryParams = {}) {
    Object.assign(this.values, initial);
  }

  bind(type: ParamType, value: string | number | bigint | string[] | number[]): string {
    const name = `p${this.#next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

/** Nanoseconds since the epoch as a DateTime64(9) expression on a bound Int64. */
export function nsTime(params: SqlParams, ns: bigint): string {
  return `fromUnixTimestamp64Nano(${params.bind('Int64', ns)}, 'UTC')`;
}

/** An inclusive time window in nanoseconds since the epoch; `toNs` undefined is open-ended. */
export interface TimeWindow {
  fromNs: bigint;
  toNs: bigint | undefined;
}

/** A window with both ends. */
export interface ClosedWindow {
  fromNs: bigint;
  toNs: bigint;
}

/** `column` within the window, as SQL. */
export function windowSql(params: SqlParams, column: string, window: TimeWindow): string {
  const from = `${column} >= ${nsTime(params, window.fromNs)}`;
  return window.toNs === undefined
    ? from
    : `${from} AND ${column} <= ${nsTime(params, window.toNs)}`;
}
