/**
 * A classic ML model: `node --import tsx examples/ml-classifier.ts`
 * Logs 200 predictions of a churn classifier (features, prediction, probability, an embedding),
 * then, as ground truth "arrives later", labels for most of them, joined by inference id. With a
 * shift in the inputs halfway through, for drift monitoring.
 */
import { logLabel, logPrediction, trace } from '@pyflare/sdk';
import { setup } from './_setup.ts';

const env = await setup('example-ml-classifier');
const model = { id: 'churn-classifier', version: '2024-06-01' };
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const pending: { id: string; truth: string }[] = [];
for (let i = 0; i < 200; i++) {
  const shifted = i >= 100;
  const features = {
    tenure_months: Math.round(Math.random() * (shifted ? 12 : 60)),
    monthly_spend: Math.round((20 + Math.random() * (shifted ? 200 : 80)) * 100) / 100,
    plan: Math.random() < (shifted ? 0.7 : 0.3) ? 'basic' : 'pro',
    support_tickets: Math.floor(Math.random() * (shifted ? 8 : 3)),
  };
  const p = sigmoid(
    -1 +
      0.4 * features.support_tickets -
      0.05 * features.tenure_months +
      (features.plan === 'basic' ? 0.5 : 0),
  );
  await trace(
    'POST /predict',
    async () => {
      const id = logPrediction({
        modelId: model.id,
        modelVersion: model.version,
        features,
        prediction: p > 0.5 ? 'churn' : 'stay',
        score: Math.round(p * 1000) / 1000,
        embedding: [
          features.tenure_months / 60,
          features.monthly_spend / 300,
          features.support_tickets / 8,
        ],
      });
      if (Math.random() < 0.8) pending.push({ id, truth: Math.random() < p ? 'churn' : 'stay' });
    },
    { kind: 'server' },
  );
}
// Later (a nightly job, another process...): the truth for most predictions.
for (const { id, truth } of pending) logLabel(id, truth, { modelId: model.id });
console.log(`200 predictions, ${pending.length} labels`);
await env.done();
