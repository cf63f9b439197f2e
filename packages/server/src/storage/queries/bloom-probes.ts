/**
 * The Bloom probes of a search's attribute conditions (trace-filter-sql.ts, migration 0014).
 * The pair's hash comes from the engine, `cityHash64(key, value)` on bound values, so it is the
 * one `traces_mv` computed: the engine's CityHash is version 1.0.2 with its own combination of
 * several arguments, which a port here could silently diverge from. Hashes are kept for the
 * pairs searched recently, so a page and the pages after it cost no extra statement.
 */
import type { AttributeCondition } from '@pyflare/query';
import { z } from 'zod';
import type { Database } from '../database.ts';
import { bloomProbeOf, type BloomProbe } from './trace-filter-sql.ts';

/** Pairs whose hash is kept; the oldest is forgotten first. */
const CACHED_PAIRS = 512;
const cache = new Map<string, bigint>();

const hashesRow = z.object({ hashes: z.array(z.string().regex(/^\d+$/)) });

function cacheKey(condition: AttributeCondition): string {
  return JSON.stringify([condition.key, condition.value]);
}

/** The probe of each condition, in order. */
export async function bloomProbes(
  db: Database,
  conditions: readonly AttributeCondition[],
): Promise<BloomProbe[]> {
  const missing = conditions.filter((c) => !cache.has(cacheKey(c)));
  if (missing.length > 0) {
    const rows = await db.query(
      'SELECT arrayMap((k, v) -> toString(cityHash64(k, v)), {keys:Array(String)}, {values:Array(String)}) AS hashes',
      { keys: missing.map((c) => c.key), values: missing.map((c) => c.value) },
    );
    const { hashes } = hashesRow.parse(rows[0]);
    if (hashes.length !== missing.length) {
      throw new Error(`${missing.length} pairs hashed into ${hashes.length}`);
    }
    missing.forEach((c, i) => {
      cache.set(cacheKey(c), BigInt(hashes[i]!));
      if (cache.size > CACHED_PAIRS) cache.delete(cache.keys().next().value!);
    });
  }
  return conditions.map((c) => {
    const key = cacheKey(c);
    const hash = cache.get(key)!;
    // Recently used: moved to the end, forgotten last.
    cache.delete(key);
    cache.set(key, hash);
    return bloomProbeOf(hash);
  });
}
