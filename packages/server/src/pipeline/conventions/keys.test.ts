import { describe, expect, it } from 'vitest';
import { attrs } from '../testing/fixtures.ts';
import { Bucket, groupIndexed, scanKeys } from './keys.ts';

describe('scanKeys', () => {
  it('finds nothing relevant on plain HTTP spans', () => {
    const scan = scanKeys(attrs({ 'http.route': '/', 'url.path': '/', 'server.port': 1 }), true);
    expect(scan.relevant).toBe(false);
    expect(scan.contentKeys).toBeUndefined();
  });

  it('sorts indexed keys into buckets and lists content keys when asked', () => {
    const a = attrs({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'x',
      'retrieval.documents.0.document.id': 'd',
      'retrieval.documents.0.document.content': 'c',
      'pyflare.features.age': 3,
      'input.value': 'v',
      'input.mime_type': 'text/plain',
      'gen_ai.prompt.name': 'template',
    });
    const scan = scanKeys(a, true);
    expect(scan.relevant).toBe(true);
    expect(scan.buckets[Bucket.llmInputMessages]).toHaveLength(2);
    expect(scan.buckets[Bucket.retrievalDocuments]).toHaveLength(2);
    expect(scan.buckets[Bucket.features]).toEqual(['pyflare.features.age']);
    expect(scan.buckets[Bucket.genaiPrompt]).toBeUndefined();
    expect([...scan.contentKeys!].sort()).toEqual([
      'input.value',
      'llm.input_messages.0.message.content',
      'llm.input_messages.0.message.role',
      'retrieval.documents.0.document.content',
    ]);
    expect(scanKeys(a, false).contentKeys).toBeUndefined();
  });
});

describe('groupIndexed', () => {
  it('groups by index in numeric order and ignores malformed indexes', () => {
    const a = attrs({
      'p.10.x': 'ten',
      'p.2.x': 'two',
      'p.2.y': 'two-y',
      'p.x.y': 'no index',
      'p.3': 'no dot',
      'p.1234567.x': 'seven digits',
      'q.0.x': 'other prefix',
    });
    expect(groupIndexed(a, Object.keys(a), 'p.').map((g) => ({ ...g }))).toEqual([
      { x: 'two', y: 'two-y' },
      { x: 'ten' },
    ]);
  });
});
