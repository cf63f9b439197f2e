import { logLabel, logPrediction, trace } from '../index.ts';
import { normal, pick } from './data.ts';
import type { Workload, WorkloadContext } from './workload.ts';
import { sleep } from './workload.ts';

/**
 * A classic ML model: a fraud classifier scoring card transactions. Each request logs the
 * features, the prediction, its probability and an embedding; the truth (chargeback or not)
 * arrives 3–15 s later as a label for about 80% of them. Halfway through, the input distribution
 * shifts (larger amounts, other countries, night-time traffic) and the model, trained on the old
 * distribution, gets worse: drift and a drop in accuracy.
 */

const MODEL = 'fraud-detector';
const VERSION = '3.2.0';
const CATEGORIES = ['grocery', 'electronics', 'travel', 'fuel', 'gaming', 'fashion'];

interface Tx {
  amount: number;
  merchant_category: string;
  country: string;
  hour: number;
  account_age_days: number;
  tx_last_24h: number;
  card_present: boolean;
}

function transaction(ctx: WorkloadContext): Tx {
  const drifted = ctx.progress() > 0.5;
  const r = ctx.rand;
  return {
    amount: Math.round(Math.exp(normal(r, drifted ? 4.6 : 3.6, drifted ? 1.1 : 0.9)) * 100) / 100,
    merchant_category:
      drifted && r() < 0.45 ? pick(r, ['electronics', 'gaming']) : pick(r, CATEGORIES),
    country: drifted
      ? pick(r, ['BR', 'NG', 'US', 'RO', 'VN', 'US'])
      : pick(r, ['US', 'US', 'US', 'GB', 'DE', 'FR']),
    hour: drifted ? Math.floor(r() * 6) : Math.floor(8 + r() * 14),
    account_age_days: Math.max(0, Math.round(normal(r, drifted ? 90 : 700, drifted ? 80 : 400))),
    tx_last_24h: Math.max(0, Math.round(normal(r, drifted ? 7 : 2, 2))),
    card_present: r() < (drifted ? 0.2 : 0.6),
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The model, fitted on the pre-drift world: it knows amounts and velocity, not countries. */
function score(tx: Tx): number {
  return sigmoid(
    -4.2 +
      0.55 * Math.log1p(tx.amount) +
      0.25 * tx.tx_last_24h -
      0.0015 * tx.account_age_days +
      (tx.card_present ? -0.8 : 0.4),
  );
}

/** The world: fraud also depends on things the model never learned. */
function isFraud(tx: Tx, r: () => number): boolean {
  const risky = ['NG', 'RO', 'VN'].includes(tx.country) ? 1.4 : 0;
  const night = tx.hour < 6 ? 0.9 : 0;
  const p = sigmoid(
    -4.6 +
      0.5 * Math.log1p(tx.amount) +
      0.22 * tx.tx_last_24h -
      0.002 * tx.account_age_days +
      risky +
      night +
      (tx.card_present ? -0.9 : 0.3),
  );
  return r() < p;
}

function embedding(tx: Tx): number[] {
  return [
    Math.log1p(tx.amount) / 8,
    tx.hour / 24,
    Math.min(tx.account_age_days / 2000, 1),
    Math.min(tx.tx_last_24h / 20, 1),
    tx.card_present ? 1 : 0,
    CATEGORIES.indexOf(tx.merchant_category) / CATEGORIES.length,
    ['US', 'GB', 'DE', 'FR'].includes(tx.country) ? 0 : 1,
    tx.amount > 500 ? 1 : 0,
  ].map((x) => Math.round(x * 1e4) / 1e4);
}

export function classifierWorkload(): Workload {
  const due: { at: number; inferenceId: string; label: string }[] = [];

  async function flushLabels(now: number): Promise<void> {
    due.sort((a, b) => a.at - b.at);
    while (due.length > 0 && due[0]!.at <= now) {
      const l = due.shift()!;
      logLabel(l.inferenceId, l.label, { modelId: MODEL });
    }
  }

  return {
    service: 'risk-scoring',
    weight: 0.25,
    async request(ctx) {
      await flushLabels(Date.now());
      const tx = transaction(ctx);
      await trace(
        'POST /v1/score',
        async (span) => {
          span.setAttribute('http.route', '/v1/score');
          await sleep(2 + ctx.rand() * 10);
          const p = score(tx);
          const prediction = p > 0.5 ? 'fraud' : 'legit';
          const inferenceId = logPrediction({
            modelId: MODEL,
            modelVersion: VERSION,
            features: { ...tx },
            prediction,
            score: Math.round(p * 1e4) / 1e4,
            embedding: embedding(tx),
          });
          if (ctx.rand() < 0.8) {
            due.push({
              at: Date.now() + 3000 + ctx.rand() * 12_000,
              inferenceId,
              label: isFraud(tx, ctx.rand) ? 'fraud' : 'legit',
            });
          }
          span.setAttribute('fraud.decision', prediction);
        },
        { kind: 'server' },
      ).then(
        () => ctx.count('ok'),
        () => ctx.count('error'),
      );
    },
    async finish() {
      // The run is over: the truth that was still on its way arrives now.
      await flushLabels(Number.POSITIVE_INFINITY);
    },
  };
}
