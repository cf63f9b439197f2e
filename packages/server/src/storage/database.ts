/**
 * The one execution layer under every repository: parameterized SQL on ClickHouse's
 * engine. Parameters are bound by name and type (`{projectId:String}`) and never
 * interpolated into the SQL text.
 */

import type { ReadLane } from './read-queue.ts';

/** Values for `{name:Type}` placeholders. Pass `bigint` for 64-bit integers. */
export type QueryParams = Record<string, string | number | bigint | boolean | string[] | number[]>;

export interface QueryOptions {
  /**
   * `bulk` for whole-window scans nobody waits on row by row (facet counts, dashboard
   * aggregates): they yield to `interactive` statements (the default) waiting for the
   * engine. See storage/read-queue.ts.
   */
  lane?: ReadLane;
}

export interface Database {
  /** Runs a SELECT and returns its rows (JSONEachRow; 64-bit integers arrive as numbers). */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    options?: QueryOptions,
  ): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, INSERT ... VALUES, ...). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /**
   * Inserts rows whose values are in the order of `columns`. The column list names the
   * format: a RowBinary list from storage/row-binary.ts (`SPAN_BINARY_COLUMNS`, recognised by
   * identity) means RowBinary rows, to which the engine prepends the list's names and types
   * (`FORMAT RowBinaryWithNamesAndTypes`, so the table checks each column's type); any other
   * list means JSONCompactEachRow, one JSON array per line, where a `null` stores the
   * column's default. Both are the same on ClickHouse server. An array of payloads is one
   * insert of their concatenation; it is never copied into one buffer.
   */
  insertRows(
    table: string,
    payload: Buffer | readonly Buffer[],
    columns: readonly string[],
  ): Promise<void>;
  /** Releases the engine. Idempotent. */
  close(): Promise<void>;
}
