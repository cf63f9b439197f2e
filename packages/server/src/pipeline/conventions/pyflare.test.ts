import { describe, expect, it } from 'vitest';
import { attrs, parsed, rowOf } from '../testing/fixtures.ts';

/** PyFlare's own attributes, for classic ML as well as GenAI. */
describe('PyFlare conventions', () => {
  it('reads an ML inference span: features, prediction, label, inference id, embedding', () => {
    const row = rowOf({
      'pyflare.span.kind': 'ml.inference',
      'pyflare.model.id': 'fraud-xgb-v3',
      'pyflare.inference_id': 'inf-0001',
      'pyflare.features.amount': 129.5,
      'pyflare.features.country': 'FR',
      'pyflare.features.is_new_device': true,
      'pyflare.features.txn_count_24h': 3,
      'pyflare.prediction': 0.87,
      'pyflare.label': 'fraud',
      'pyflare.embedding': [0.25, -1, 3],
      'pyflare.tags': 'fraud, realtime , ',
    });
    expect(row).toMatchObject({
      operation: 'ml.inference',
      request_model: 'fraud-xgb-v3',
      response_model: 'fraud-xgb-v3',
      inference_id: 'inf-0001',
      ml_prediction: '0.87',
      ml_label: 'fraud',
      embedding: [0.25, -1, 3],
      tags: ['fraud', 'realtime'],
    });
    expect(parsed(row.ml_features)).toEqual({
      amount: 129.5,
      country: 'FR',
      is_new_device: true,
      txn_count_24h: 3,
    });
  });

  it('accepts features as one kvlist or JSON object, tags as an array, vectors as JSON', () => {
    const row = rowOf({
      'pyflare.span.kind': 'training',
      'pyflare.features': attrs({ a: 1, b: 'x' }),
      'pyflare.tags': ['a', 'b', 'a'],
      'pyflare.embedding': '[1, 2.5]',
    });
    expect(row.operation).toBe('training');
    expect(parsed(row.ml_features)).toEqual({ a: 1, b: 'x' });
    expect(row.tags).toEqual(['a', 'b']);
    expect(row.embedding).toEqual([1, 2.5]);
    expect(parsed(rowOf({ 'pyflare.features': '{"z": 0}' }).ml_features)).toEqual({ z: 0 });
  });

  it('ignores an unknown span kind and a malformed embedding', () => {
    const row = rowOf({ 'pyflare.span.kind': 'quantum', 'pyflare.embedding': [1, 'x'] });
    expect(row.operation).toBe('');
    expect(row.embedding).toEqual([]);
  });

  it('keeps feature names such as __proto__ as data', () => {
    const a = attrs();
    a['pyflare.features.__proto__'] = 1;
    a['pyflare.features.constructor'] = 2;
    const features = JSON.parse(rowOf(a).ml_features) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(features, '__proto__')).toBe(true);
    expect(features['constructor']).toBe(2);
  });
});
