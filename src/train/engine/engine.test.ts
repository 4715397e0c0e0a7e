// The engine on a task that is not a language model (least squares, one
// weight vector per arm), so what it does itself is visible: per-arm rates,
// token counts, the two divergence policies, NaN for a dropped arm, and no
// tensor left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { makeRng, type Rng } from '../../core';
import type { ArmMetrics, GptArmSpec, GptRunSpec } from '../contract';
import { constant, gptRun } from '../tasks/fixtures.testing';
import { Engine } from './engine';
import type { ArmInput, ArmModel, EngineArm, Task } from './task';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** x [4, 3] and y = x [1, 2, 3]^T [4, 1]. */
interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

const TRUE_W = tf.tensor2d([1, 2, 3], [3, 1]);

/** Least squares; a GPT run spec stands in for the run (the engine reads only its arms). */
class LeastSquares implements Task<GptRunSpec, ArmModel, Batch> {
  readonly name = 'gpt' as const;
  readonly paramCount = 3;
  readonly vocabSize = 0;
  readonly evalMetrics = ['total'];
  readonly referenceArm: number;
  private readonly rng: Rng = makeRng(1);
  private readonly evalBatch: Batch;

  constructor(
    readonly run: GptRunSpec,
    readonly divergence: 'drop' | 'stop',
  ) {
    this.referenceArm = run.referenceArm ?? 0;
    this.evalBatch = this.drawBatch();
  }

  makeArm(): ArmModel {
    // A weight matrix by name, so weight decay's name rules know it. [3, 1], from 0.
    const zeros = tf.zeros([3, 1]);
    const w = tf.variable(zeros);
    zeros.dispose(); // the variable holds its own copy
    return { params: { 'h0.mlp.w1': w } };
  }

  disposeArm(arm: ArmModel): void {
    tf.dispose(Object.values(arm.params));
  }

  drawBatch(): Batch {
    const x = tf.tensor2d(
      Array.from({ length: 12 }, () => this.rng() * 2 - 1),
      [4, 3],
    );
    return { x, y: tf.matMul(x, TRUE_W) };
  }

  disposeBatch(b: Batch): void {
    tf.dispose([b.x, b.y]);
  }

  private loss(w: tf.Tensor, b: Batch): tf.Scalar {
    return tf.mean(tf.square(tf.sub(tf.matMul(b.x, w as tf.Tensor2D), b.y)));
  }

  armInput(_arm: EngineArm, b: Batch): ArmInput {
    return { objective: (p) => ({ total: this.loss(p['h0.mlp.w1'], b) }), tokens: 4, metrics: { rows: 4 } };
  }

  stepTokens(): number {
    return 4;
  }

  async evaluate(arm: EngineArm): Promise<ArmMetrics> {
    const l = tf.tidy(() => this.loss(arm.model.params['h0.mlp.w1'], this.evalBatch));
    const total = (await l.data())[0];
    l.dispose();
    return { total };
  }

  dispose(): void {
    this.disposeBatch(this.evalBatch);
  }
}

const sgd = (label: string, lr: number, extra: Partial<GptArmSpec> = {}): GptArmSpec => ({
  label,
  optimizer: { kind: 'sgd' },
  schedule: constant(lr),
  clipNorm: null,
  ...extra,
});

async function train(e: Engine<LeastSquares>, steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) {
    const [p] = await e.trainSteps(1);
    if (e.isDiverged(p)) return p.step;
  }
  return 0;
}

describe('Engine', () => {
  it('steps each arm at its own schedule’s rate and counts tokens; frees everything it made', async () => {
    const before = tf.memory().numTensors;
    const e = new Engine(
      new LeastSquares(
        gptRun([sgd('slow', 0.01), sgd('warm', 0.1, { schedule: constant(0.1, { warmupSteps: 4 }) })], {
          referenceArm: 1,
        }),
        'drop',
      ),
    );
    await e.initialEval();
    const points = await e.trainSteps(4);
    expect(points.map((p) => p.arms![0].lr)).toEqual([0.01, 0.01, 0.01, 0.01]);
    expect(points.map((p) => p.lr)).toEqual([1, 2, 3, 4].map((s) => (0.1 * s) / 4));
    expect(points.map((p) => p.arms![1].tokens)).toEqual([4, 8, 12, 16]);
    expect(points.map((p) => p.tokensSeen)).toEqual([4, 8, 12, 16]);
    expect(points[0].arms![0].rows).toBe(4);
    // Arm 1 (the reference) learns faster: its rate is ten times arm 0's after warmup.
    const ev = await e.evaluate();
    expect(ev.heldOutLoss).toBe(ev.arms![1].total);
    expect(ev.arms![1].total).toBeLessThan(ev.arms![0].total);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'drop': a blown-up arm other than the reference ends its curve, the run goes on", async () => {
    const e = new Engine(new LeastSquares(gptRun([sgd('ok', 0.05), sgd('blows up', 50)]), 'drop'));
    await e.initialEval();
    expect(await train(e, 8)).toBe(0);
    const [p] = await e.trainSteps(1);
    expect(Number.isNaN(p.arms![1].total)).toBe(true);
    expect(Number.isNaN((await e.evaluate()).arms![1].total)).toBe(true);
    e.dispose();
  });

  it("'drop' stops the run when the reference arm blows up; 'stop' when any arm does", async () => {
    const ref = new Engine(
      new LeastSquares(gptRun([sgd('ok', 0.05), sgd('blows up', 50)], { referenceArm: 1 }), 'drop'),
    );
    const any = new Engine(new LeastSquares(gptRun([sgd('ok', 0.05), sgd('blows up', 50)]), 'stop'));
    for (const e of [ref, any]) {
      await e.initialEval();
      expect(await train(e, 8)).toBeGreaterThan(0);
      e.dispose();
    }
  });

  it('refuses a run without arms or with a reference arm it lacks, and frees what it built', () => {
    const before = tf.memory().numTensors;
    expect(() => new Engine(new LeastSquares(gptRun([]), 'stop'))).toThrow(/at least one arm/);
    expect(() => new Engine(new LeastSquares(gptRun([sgd('a', 0.1)], { referenceArm: 1 }), 'drop'))).toThrow(
      /reference arm 1/,
    );
    // Not even the tasks' held-out batches stay behind.
    expect(tf.memory().numTensors).toBe(before);
  });
});
