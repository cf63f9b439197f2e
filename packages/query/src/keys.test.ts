import { describe, expect, it } from 'vitest';
import { NUMBER_FIELDS, STRING_FIELDS } from './filter.ts';
import { attributePrefix, lookupKey, QUERY_KEYS, unknownKeyMessage } from './keys.ts';

describe('QUERY_KEYS', () => {
  it('has unique names and aliases', () => {
    const names = QUERY_KEYS.flatMap((k) => [k.name, ...k.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every filter field', () => {
    const fields = QUERY_KEYS.map((k) => k.field).filter((f) => f !== undefined);
    expect([...fields].sort()).toEqual([...STRING_FIELDS, ...NUMBER_FIELDS].sort());
  });

  it('lists the closed sets', () => {
    expect(lookupKey('kind')?.values).toEqual([
      'server',
      'client',
      'internal',
      'producer',
      'consumer',
    ]);
    expect(lookupKey('status')?.values).toEqual(['error', 'ok']);
  });

  it('has an example that starts with the key for every entry', () => {
    for (const key of QUERY_KEYS) {
      const head = key.example.replace(/^-/, '').split(/[:.]/)[0] ?? '';
      expect([key.name, ...key.aliases]).toContain(head);
    }
  });
});

describe('lookupKey', () => {
  it('finds names and aliases case-insensitively', () => {
    expect(lookupKey('SERVICE')?.name).toBe('service');
    expect(lookupKey('op')?.name).toBe('operation');
    expect(lookupKey('Environment')?.name).toBe('env');
    expect(lookupKey('traceid')?.field).toBe('trace');
  });

  it('does not find attribute keys or unknown names', () => {
    expect(lookupKey('attr')).toBeUndefined();
    expect(lookupKey('foo')).toBeUndefined();
  });
});

describe('attributePrefix', () => {
  it('recognises attr. and resource. in any case', () => {
    expect(attributePrefix('attr.http.route')).toEqual({ scope: 'span', length: 5 });
    expect(attributePrefix('ATTR.x')).toEqual({ scope: 'span', length: 5 });
    expect(attributePrefix('resource.k8s.pod.name')).toEqual({ scope: 'resource', length: 9 });
    expect(attributePrefix('attr')).toBeUndefined();
    expect(attributePrefix('attrs.x')).toBeUndefined();
  });
});

describe('unknownKeyMessage', () => {
  it('suggests the closest key', () => {
    expect(unknownKeyMessage('modle')).toBe("unknown key 'modle' — did you mean 'model'?");
    expect(unknownKeyMessage('Sevrice')).toBe("unknown key 'Sevrice' — did you mean 'service'?");
    expect(unknownKeyMessage('tokns')).toBe("unknown key 'tokns' — did you mean 'tokens'?");
  });

  it('suggests attribute keys, keeping the attribute name', () => {
    expect(unknownKeyMessage('atr.http.route')).toBe(
      "unknown key 'atr.http.route' — did you mean 'attr.http.route'?",
    );
    expect(unknownKeyMessage('resourse.host')).toBe(
      "unknown key 'resourse.host' — did you mean 'resource.host'?",
    );
    expect(unknownKeyMessage('attr')).toBe("unknown key 'attr' — did you mean 'attr.<name>'?");
  });

  it('lists the keys when nothing is close', () => {
    expect(unknownKeyMessage('foo')).toBe(
      "unknown key 'foo' (the keys are service, model, provider, user, session, name," +
        ' operation, kind, env, trace, status, duration, tokens, spans, time, attr.<name>,' +
        " resource.<name>; to search for 'foo:' as text, quote the term)",
    );
  });
});
