// The GPT session reports the factored-v error only when its run asks for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCharTokenizer } from '../core';
import type { PreparedData } from './data';
import type { GptRunSpec } from './contract';
import { Session } from './session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const text = 'the mouse ate the cheese. the cat ate the mouse. the dog ate the bone. '.repeat(20);
const tokenizer = buildCharTokenizer(text);
const data: PreparedData = { tokenizer, train: Int32Array.from(tokenizer.encode(text)), heldOut: Int32Array.from(tokenizer.encode(text.slice(0, 400))) };

function run(factorError?: boolean): GptRunSpec {
  return {
    task: 'gpt',
    seed: 3,
    model: { tokenizer: 'char', wordVocab: 100, nLayers: 1, dModel: 16, nHeads: 2, contextLength: 8 },
    optim: { batchSize: 4, lr: 0.01, schedule: 'constant', warmupSteps: 0, totalSteps: 100, minLrRatio: 1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, clipNorm: 1 },
    data: { kind: 'text', train: '', heldOut: '' },
    evalEvery: 10,
    ...(factorError === undefined ? {} : { factorError }),
  };
}

const sessions: Session[] = [];
afterAll(() => sessions.forEach((s) => s.dispose()));

describe('Session evaluation', () => {
  it('adds the factored second moment’s relative error only when asked', async () => {
    const plain = new Session(run(), data);
    const asked = new Session(run(true), data);
    sessions.push(plain, asked);
    await plain.trainSteps(3);
    await asked.trainSteps(3);
    const a = await plain.evaluate();
    const b = await asked.evaluate();
    expect(a.heldOutLoss).toBeCloseTo(b.heldOutLoss, 6);
    expect(a.arms![0].factorError).toBeUndefined();
    // A relative error of a rank-1 fit: finite, above 0 (v is not exactly rank 1), below 1 here.
    expect(b.arms![0].factorError).toBeGreaterThan(0);
    expect(b.arms![0].factorError).toBeLessThan(1);
  });
});
