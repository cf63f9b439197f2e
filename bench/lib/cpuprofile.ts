import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  function: string;
  /** Share of all samples, 0..1. */
  selfShare: number;
  selfMs: number;
}

/** Top functions by self time, aggregated by function and location. */
export function topFunctions(file: string, limit = 15): { totalMs: number; top: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const n = node.hitCount ?? 0;
    if (n === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? ` ${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    hits.set(key, (hits.get(key) ?? 0) + n);
    all += n;
  }
  const top = [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, n]) => ({ function: fn, selfShare: n / all, selfMs: (n / all) * totalMs }));
  return { totalMs, top };
}
