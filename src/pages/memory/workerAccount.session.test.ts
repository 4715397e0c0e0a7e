// The page's account of the worker's memory, checked against a real GPT
// session: after creation, after training steps and after an evaluation,
// tf.memory() must hold exactly the tensors and bytes the account lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCharTokenizer } from '../../core';
import { gptDecoderShapes } from '../../core/optim';
import { Session } from '../../train/session';
import { tinyRun } from './params';
import { workerAccount } from './workerAccount';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TEXT = 'the mouse ate the cheese. the cat saw the mouse. '.repeat(40);

describe('workerAccount against a live session', () => {
  const tokenizer = buildCharTokenizer(TEXT);
  const data = {
    tokenizer,
    train: Int32Array.from(tokenizer.encode(TEXT)),
    heldOut: Int32Array.from(tokenizer.encode(TEXT.slice(0, 600))),
  };
  const run = tinyRun({ layers: 1, width: 16, heads: 2 }, { kind: 'text', train: TEXT, heldOut: TEXT.slice(0, 600) });
  const before = tf.memory();
  const session = new Session(run, data);
  afterAll(() => session.dispose());

  const shapes = gptDecoderShapes({
    layers: run.model.nLayers,
    dModel: run.model.dModel,
    vocab: tokenizer.vocab.length,
    context: run.model.contextLength,
  });
  const account = workerAccount(shapes, run.optim.batchSize, run.model.contextLength);

  it('counts the parameters the session reports', () => {
    expect(account.parameterCount).toBe(session.paramCount);
  });

  it('lists every tensor and byte the session holds, before and after steps', async () => {
    const held = () => {
      const m = tf.memory();
      return { tensors: m.numTensors - before.numTensors, bytes: m.numBytes - before.numBytes };
    };
    await session.initialEval();
    expect(held()).toEqual(account.total);
    await session.trainSteps(3);
    expect(held()).toEqual(account.total);
    await session.evaluate();
    expect(held()).toEqual(account.total);
  });
});
