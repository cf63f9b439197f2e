import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as query from './index.ts';

describe('@pyflare/query entry', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(query).sort()).toEqual([
      'BARE_DURATION_UNIT',
      'MAX_QUERY_LENGTH',
      'MAX_QUERY_TERMS',
      'NUMBER_FIELDS',
      'OPERATION_VALUES',
      'QUERY_ERROR_CODES',
      'QUERY_KEYS',
      'QuerySyntaxError',
      'SPAN_KINDS',
      'STATUS_VALUES',
      'STRING_FIELDS',
      'TIME_PRESETS',
      'emptyFilter',
      'filterToQuery',
      'formatDuration',
      'formatText',
      'formatTimestamp',
      'formatValue',
      'parseDuration',
      'parseQuery',
      'suggest',
      'tokenize',
    ]);
  });

  it('works end to end', () => {
    const { filter } = query.parseQuery('model:gpt-4o -status:error duration:>1s', { now: 0 });
    expect(query.filterToQuery(filter)).toBe('model:gpt-4o duration:>1s status:ok');
  });

  it('is pure: the sources import only each other and use no host APIs', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(
        (m) => m[1],
      );
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^\.\/[\w.-]+\.ts$/);
      expect(text, file).not.toMatch(/\b(process|Buffer|require|window|document|globalThis)\b/);
      expect(text, file).not.toMatch(/\bimport\(/);
    }
  });

  it('parses every example in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('### Examples')[1]?.split('```')[1] ?? '';
    const examples = block.split('\n').filter((line) => line.trim() !== '');
    const keyExamples = [...readme.matchAll(/\| `([a-z0-9.]+:[^`]+)` \|$/gm)].map(
      (m) => m[1] ?? '',
    );
    const timeForms = [...readme.matchAll(/^\| `(time:[^`]+)`/gm)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThan(5);
    expect(keyExamples).toHaveLength(17);
    expect(timeForms).toHaveLength(7);
    for (const example of [...examples, ...keyExamples, ...timeForms]) {
      expect(() => query.parseQuery(example, { now: 0 }), example).not.toThrow();
    }
  });
});
