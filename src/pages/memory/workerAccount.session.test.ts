// The page's account of the worker's memory, checked against a real one-arm
// GPT engine: after creation, after training steps and after an evaluation,
// tf.memory() must hold exactly the tensors and bytes the account lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCharTokenizer } from '../../core';
import { gptDecoderShapes } from '../../core/optim';
import { defaultValues } from '../../core/params';
import { Engine } from '../../train/engine';
import { GptTask } from '../../train/tasks/gpt';
import { tinyRun, TRAINER_PARAMS } from './params';
import { workerAccount } from './workerAccount';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TEXT = 'the mouse ate the cheese. the cat saw the mouse. '.repeat(40);

describe('workerAccount against a live engine', () => {
  const tokenizer = buildCharTokenizer(TEXT);
  const data = {
    tokenizer,
    train: Int32Array.from(tokenizer.encode(TEXT)),
    heldOut: Int32Array.from(tokenizer.encode(TEXT.slice(0, 600))),
  };
  const run = tinyRun(
    { ...defaultValues(TRAINER_PARAMS), layers: 1, width: 16, heads: 2 },
    { kind: 'text', train: TEXT, heldOut: TEXT.slice(0, 600) },
  );
  const before = tf.memory();
  const engine = new Engine(new GptTask(run, data));
  afterAll(() => engine.dispose());

  const shapes = gptDecoderShapes({
    layers: run.model.nLayers,
    dModel: run.model.dModel,
    vocab: tokenizer.vocab.length,
    context: run.model.contextLength,
  });
  const account = workerAccount(shapes, run.batchSize, run.model.contextLength);

  it('counts the parameters the engine reports', () => {
    expect(account.parameterCount).toBe(engine.paramCount);
  });

  it('lists every tensor and byte the engine holds, before and after steps', async () => {
    const held = () => {
      const m = tf.memory();
      return { tensors: m.numTensors - before.numTensors, bytes: m.numBytes - before.numBytes };
    };
    await engine.initialEval();
    expect(held()).toEqual(account.total);
    await engine.trainSteps(3);
    expect(held()).toEqual(account.total);
    await engine.evaluate();
    expect(held()).toEqual(account.total);
  });
});
