import { decodeBase64 } from './base64.ts';
import { OtlpDecodeError, WideJsonNumberError } from './errors.ts';

/**
 * Typed access to an already-parsed OTLP/JSON value, following the OTLP/JSON mapping
 * (proto3 JSON with hex ids and lowerCamelCase keys): an absent or null field is the
 * default value, unknown keys are ignored, 64-bit integers are decimal strings or
 * numbers, doubles may be "NaN" / "Infinity" / "-Infinity", bytes are base64.
 *
 * The reader keeps the path to the value being read (e.g.
 * `resourceSpans[0].scopeSpans[1].spans[3]`) on a stack and only turns it into text
 * when it throws, so a valid request pays one push and pop per nested value.
 */

export type JsonObject = Record<string, unknown>;

const INT_RE = /^-?\d+$/;
const MAX_UINT64 = 2n ** 64n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class JsonReader {
  readonly maxDepth: number;
  /** Whether a JSON number beyond 2^53 in an integer field throws (`wideJsonNumbers`). */
  private readonly refuseWide: boolean;
  /** Current AnyValue array / kvlist nesting. */
  anyDepth = 0;
  private readonly path: (string | number)[] = [];

  constructor(maxDepth: number, refuseWide = false) {
    this.maxDepth = maxDepth;
    this.refuseWide = refuseWide;
  }

  /** Throws an `OtlpDecodeError` naming the path of `key` (or of the current value). */
  fail(problem: string, key?: string | number): never {
    const where = this.pathText(key);
    throw new OtlpDecodeError(`${where}: ${problem}`, { path: where });
  }

  /** The path of `key` (or of the current value) as text, `(root)` when empty. */
  private pathText(key?: string | number): string {
    const segments = key === undefined ? this.path : [...this.path, key];
    let path = '';
    for (const s of segments) {
      path += typeof s === 'number' ? `[${s}]` : path === '' ? s : `.${s}`;
    }
    return path === '' ? '(root)' : path;
  }

  /** Enters one more AnyValue array / kvlist level, failing beyond `maxDepth`. */
  deeper(): void {
    if (++this.anyDepth > this.maxDepth) {
      this.fail(`AnyValue nesting deeper than the limit of ${this.maxDepth}`);
    }
  }

  /** The value itself as an object (the request root, or an array element). */
  root(v: unknown): JsonObject {
    if (!isObject(v)) this.fail('expected an object');
    return v;
  }

  /** An embedded message; undefined when absent or null. */
  object(obj: JsonObject, key: string): JsonObject | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail('expected an object', key);
    return v;
  }

  /** Decodes each element of the repeated message field `key` with `decode`. */
  list<T>(obj: JsonObject, key: string, decode: (this: void, o: JsonObject) => T): T[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail('expected an array', key);
    const out: T[] = [];
    const path = this.path;
    path.push(key);
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (!isObject(item)) this.fail('expected an object', i);
      path.push(i);
      out.push(decode(item));
      path.pop();
    }
    path.pop();
    return out;
  }

  /** Puts `key` on the path of the values read until the matching `pop`. */
  push(key: string | number): void {
    this.path.push(key);
  }

  pop(): void {
    this.path.pop();
  }

  /** Runs `fn` with `key` on the path (for embedded messages). */
  within<T>(key: string | number, fn: () => T): T {
    this.path.push(key);
    const result = fn();
    this.path.pop();
    return result;
  }

  string(obj: JsonObject, key: string): string {
    const v = obj[key];
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return '';
    return this.fail('expected a string', key);
  }

  /** A trace or span id: hex text, lowercased; not validated (the pipeline rejects bad ids). */
  id(obj: JsonObject, key: string): string {
    const v = obj[key];
    if (typeof v === 'string') return v.toLowerCase();
    if (v === undefined || v === null) return '';
    return this.fail('expected a hex string', key);
  }

  bool(obj: JsonObject, key: string): boolean {
    const v = obj[key];
    if (typeof v === 'boolean') return v;
    if (v === undefined || v === null) return false;
    return this.fail('expected a boolean', key);
  }

  /** An integer of at most 64 bits as a bigint (number or decimal string), range-checked. */
  private integer(v: unknown, key: string | number, signed: boolean): bigint {
    let n: bigint;
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (this.refuseWide && !Number.isSafeInteger(v)) {
        const where = this.pathText(key);
        throw new WideJsonNumberError(
          `${where}: a JSON number beyond 2^53, rounded by the JSON parser (send 64-bit integers as decimal strings)`,
          { path: where },
        );
      }
      n = BigInt(v);
    } else if (typeof v === 'string' && INT_RE.test(v)) n = BigInt(v);
    else return this.fail('expected an integer', key);
    if (signed ? n < MIN_INT64 || n > MAX_INT64 : n < 0n || n > MAX_UINT64) {
      this.fail(`integer out of range for ${signed ? 'int64' : 'uint64'}`, key);
    }
    return n;
  }

  /** uint64 / fixed64 as bigint (timestamps); 0n when absent. */
  uint64(obj: JsonObject, key: string): bigint {
    const v = obj[key];
    if (v === undefined || v === null) return 0n;
    return this.integer(v, key, false);
  }

  /** uint64 / fixed64 as a number (counts), exact below 2^53; 0 when absent. */
  uint64Number(obj: JsonObject, key: string): number {
    const v = obj[key];
    if (v === undefined || v === null) return 0;
    return this.countValue(v, key);
  }

  /** A uint64 element or field value as a number (counts), exact below 2^53. */
  countValue(v: unknown, key: string | number): number {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    return Number(this.integer(v, key, false));
  }

  /** int64 / sfixed64 element or field value: a number when safe, else a bigint. */
  int64(v: unknown, key: string | number): number | bigint {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    const n = this.integer(v, key, true);
    return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
  }

  /** A 32-bit integer field (uint32, int32, sint32); 0 when absent. */
  int32(obj: JsonObject, key: string, unsigned: boolean): number {
    const v = obj[key];
    if (v === undefined || v === null) return 0;
    const n = typeof v === 'number' && Number.isInteger(v) ? v : Number(this.integer(v, key, true));
    if (unsigned ? n < 0 || n > 0xffffffff : n < -0x80000000 || n > 0x7fffffff) {
      this.fail(`integer out of range for ${unsigned ? 'uint32' : 'int32'}`, key);
    }
    return n;
  }

  /** An enum field: an integer, or one of the value names in `names`. */
  enumeration(obj: JsonObject, key: string, names: Record<string, number>, what: string): number {
    const v = obj[key];
    if (typeof v === 'string' && Object.hasOwn(names, v)) return names[v]!;
    if (typeof v === 'string' && !INT_RE.test(v)) this.fail(`expected a ${what} value`, key);
    return this.int32(obj, key, false);
  }

  /** A double element or field value: a number, or "NaN" / "Infinity" / "-Infinity" / numeric text. */
  doubleValue(v: unknown, key: string | number): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      const n = Number(v);
      if (v.trim() !== '' && Number.isFinite(n)) return n;
    }
    return this.fail('expected a number', key);
  }

  double(obj: JsonObject, key: string): number {
    const v = obj[key];
    if (v === undefined || v === null) return 0;
    return this.doubleValue(v, key);
  }

  optionalDouble(obj: JsonObject, key: string): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    return this.doubleValue(v, key);
  }

  /** A repeated scalar field, each element read by `read`. */
  scalars<T>(obj: JsonObject, key: string, read: (v: unknown, i: number) => T): T[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail('expected an array', key);
    this.path.push(key);
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) out.push(read(v[i], i));
    this.path.pop();
    return out;
  }

  /** A bytes value as base64 (standard or URL-safe). */
  bytes(v: unknown, key: string): Uint8Array {
    const b = typeof v === 'string' ? decodeBase64(v) : undefined;
    if (b === undefined) this.fail('expected base64 text', key);
    return b;
  }
}
