/**
 * The one execution layer under every repository: parameterized SQL on ClickHouse's
 * engine. Parameters are bound by name and type (`{projectId:String}`) and never
 * interpolated into the SQL text.
 */

/** Values for `{name:Type}` placeholders. Pass `bigint` for 64-bit integers. */
export type QueryParams = Record<string, string | number | bigint | boolean | string[] | number[]>;

export interface Database {
  /** Runs a SELECT and returns its rows (JSONEachRow; 64-bit integers arrive as numbers). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, INSERT ... VALUES, ...). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /**
   * Inserts a JSONCompactEachRow payload: one JSON array per line, its values in the order
   * of `columns` (`INSERT INTO table (columns) FORMAT JSONCompactEachRow`, the same on
   * ClickHouse server). A `null` stores the column's default. An array of payloads is one
   * insert of their concatenation (each part ends with a newline); it is never copied into
   * one buffer.
   */
  insertRows(
    table: string,
    payload: Buffer | readonly Buffer[],
    columns: readonly string[],
  ): Promise<void>;
  /** Releases the engine. Idempotent. */
  close(): Promise<void>;
}
