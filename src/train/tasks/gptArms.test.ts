// The per-arm options of a GPT run: initialisation scheme, clipping, the
// batch-size ramp and simulated mixed precision, each checked by what it
// must change (and what it must leave alone) on a tiny model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { batchSizeAt, LOSS_SCALE_DEFAULTS, staticLossScaleConfig } from '../../core';
import type { GptArmSpec, GptRunSpec, PrecisionSpec } from '../contract';
import type { Engine } from '../engine';
import { gptArm, gptEngine, gptRun } from './fixtures.testing';
import type { GptTask } from './gpt';
import { gradientHistogram } from './gptQueries';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const adam = { kind: 'adam' as const };

function run(arms: GptArmSpec[], batchSize = 4): GptRunSpec {
  return gptRun(arms, { batchSize });
}

const engines: Engine<GptTask>[] = [];
function session(spec: GptRunSpec): Engine<GptTask> {
  const e = gptEngine(spec);
  engines.push(e);
  return e;
}
afterAll(() => engines.forEach((e) => e.dispose()));

/** An arm's live parameters. */
function armParams(s: Engine<GptTask>, i: number): Record<string, tf.Variable> {
  return s.arms[i].model.params;
}

/** Each arm's global weight norm, from an evaluation. */
async function weightNorms(s: Engine<GptTask>): Promise<number[]> {
  return (await s.evaluate()).arms!.map((a) => a.weightNorm);
}

describe('GPT arms: initialisation', () => {
  it('starts each scheme from its own weights, and arms of one scheme from the same ones', async () => {
    const s = session(
      run(
        ['gpt2', 'normal', 'xavier', 't5', 'gpt2'].map((init) =>
          gptArm(init, adam, 0.01, { init: init as GptArmSpec['init'] }),
        ),
      ),
    );
    const start = await s.initialEval();
    const norms = start.arms!.map((a) => a.weightNorm);
    expect(norms[4]).toBe(norms[0]);
    expect(new Set(norms.slice(0, 4)).size).toBe(4);
    // Xavier's std 1/sqrt(16) = 0.25 dwarfs 0.02 (the 48 layer-norm gains of 1 add sqrt(48) ~ 6.9 to every norm).
    expect(norms[2]).toBeGreaterThan(1.5 * norms[1]);
    const points = await s.trainSteps(3);
    for (const a of points[2].arms!) expect(Number.isFinite(a.total)).toBe(true);
  });
});

describe('GPT arms: clipping', () => {
  it('clips only the arm that asks for it', async () => {
    // Same init and batch: with a tiny threshold one arm barely moves.
    const s = session(
      run([gptArm('free', { kind: 'sgd' }, 0.5), gptArm('clipped', { kind: 'sgd' }, 0.5, { clipNorm: 1e-3 })]),
    );
    const before = await weightNorms(s);
    const [p] = await s.trainSteps(1);
    expect(p.arms![0].gradNorm).toBeCloseTo(p.arms![1].gradNorm, 5); // reported before clipping
    const after = await weightNorms(s);
    const moved = after.map((w, i) => Math.abs(w - before[i]));
    expect(moved[1]).toBeLessThan(moved[0] / 10);
  });
});

describe('GPT arms: batch-size ramp', () => {
  it('trains on batchSizeAt(tokens seen) rows and counts its own tokens', async () => {
    const ramp = { start: 1, rampTokens: 64 };
    const s = session(run([gptArm('full', adam, 0.01), gptArm('ramp', adam, 0.01, { batchRamp: ramp })], 4));
    const points = await s.trainSteps(6);
    let tokens = 0;
    for (const p of points) {
      const want = batchSizeAt(tokens, { start: 1, end: 4, rampTokens: 64 });
      expect(p.arms![1].rows).toBe(want);
      tokens += want * 8;
      expect(p.arms![1].tokens).toBe(tokens);
      expect(p.arms![0].rows).toBe(4);
    }
    expect(points.map((p) => p.arms![1].rows)).toEqual([1, 1, 1, 2, 2, 3]);
    // One row is a different batch: the first losses differ.
    expect(points[0].arms![1].total).not.toBeCloseTo(points[0].arms![0].total, 4);
  });

  it('refuses a ramp that starts above the batch size', () => {
    expect(() => session(run([gptArm('ramp', adam, 0.01, { batchRamp: { start: 9, rampTokens: 10 } })]))).toThrow(
      /batch ramp/,
    );
  });
});

const plain: PrecisionSpec = { fp16Grads: false, fp16Weights: false, masterWeights: false, lossScale: null };

describe('GPT arms: simulated mixed precision', () => {
  it('an arm with every option off trains exactly like an FP32 arm', async () => {
    const s = session(run([gptArm('fp32', adam, 0.01), gptArm('sim', adam, 0.01, { precision: plain })]));
    const points = await s.trainSteps(3);
    for (const p of points) expect(p.arms![1].total).toBeCloseTo(p.arms![0].total, 6);
    expect(points[0].arms![1].lossScale).toBe(1);
  });

  it('loss scaling with FP16 gradients tracks FP32 closely and reports its scale', async () => {
    const cfg = { ...LOSS_SCALE_DEFAULTS, growthInterval: 2 };
    const s = session(
      run([
        gptArm('fp32', adam, 0.01),
        gptArm('amp', adam, 0.01, { precision: { ...plain, fp16Grads: true, lossScale: cfg } }),
      ]),
    );
    const points = await s.trainSteps(4);
    // No overflow at 2^15 on this model: the scale doubles every 2 clean steps.
    expect(points.map((p) => p.arms![1].lossScale)).toEqual([2 ** 15, 2 ** 15, 2 ** 16, 2 ** 16]);
    expect(points.map((p) => p.arms![1].skipped)).toEqual([0, 0, 0, 0]);
    for (const p of points) {
      expect(Math.abs(p.arms![1].total - p.arms![0].total)).toBeLessThan(2e-3);
      expect(p.arms![1].gradNorm / p.arms![0].gradNorm).toBeCloseTo(1, 2);
    }
  });

  it('skips the step and backs off when the scaled gradients overflow', async () => {
    // A static 2^24 pushes the larger gradients past 65504: every step overflows, nothing changes.
    const over = { ...plain, fp16Grads: true, lossScale: staticLossScaleConfig(2 ** 24) };
    const dyn = { ...plain, fp16Grads: true, lossScale: { ...LOSS_SCALE_DEFAULTS, initScale: 2 ** 24 } };
    const s = session(
      run([
        gptArm('fp32', adam, 0.01),
        gptArm('static', adam, 0.01, { precision: over }),
        gptArm('dynamic', adam, 0.01, { precision: dyn }),
      ]),
    );
    const before = await weightNorms(s);
    const points = await s.trainSteps(3);
    const after = await weightNorms(s);
    expect(points.map((p) => p.arms![1].skipped)).toEqual([1, 1, 1]);
    expect(after[1]).toBe(before[1]);
    // The dynamic scaler halves on each overflow until the gradients fit.
    const scales = points.map((p) => p.arms![2].lossScale);
    expect(scales[0]).toBe(2 ** 24);
    expect(points[0].arms![2].skipped).toBe(1);
    expect(scales[1]).toBe(2 ** 23);
    expect(after[0]).not.toBe(before[0]);
  });

  it('FP16 weights without a master copy lose updates below half a spacing; with one they keep them', async () => {
    // Adam moves each weight by about lr = 1e-4 per step. The layer-norm gains sit at 1.0, where FP16's
    // spacing is 2^-11 below and 2^-10 above (half of it ~2.4e-4): rounded weights never leave 1.
    const s = session(
      run([
        gptArm('fp16 weights', adam, 1e-4, { precision: { ...plain, fp16Weights: true } }),
        gptArm('master weights', adam, 1e-4, { precision: { ...plain, fp16Weights: true, masterWeights: true } }),
      ]),
    );
    await s.trainSteps(3);
    const gains = (i: number) => Array.from(armParams(s, i)['lnf.g'].dataSync());
    expect(gains(0).every((g) => g === 1)).toBe(true);
    expect(gains(1).filter((g) => g !== 1).length).toBeGreaterThan(8);
  });

  it('a loss multiplier with eps and clipping scaled alike leaves FP32 training unchanged, and starves FP16 gradients', async () => {
    const m = 2 ** -14;
    const shrunkAdam = { kind: 'adam' as const, eps: 1e-8 * m };
    const s = session(
      run([
        gptArm('fp32', { ...adam, eps: 1e-8 }, 0.01, { clipNorm: 0.5 }),
        gptArm('fp32 shrunk', shrunkAdam, 0.01, { clipNorm: 0.5 * m, precision: { ...plain, lossMultiplier: m } }),
        gptArm('fp16 shrunk', shrunkAdam, 0.01, {
          clipNorm: 0.5 * m,
          precision: { ...plain, fp16Grads: true, lossMultiplier: m },
        }),
      ]),
    );
    const points = await s.trainSteps(4);
    for (const p of points) {
      expect(p.arms![1].total).toBeCloseTo(p.arms![0].total, 4);
      expect(p.arms![1].gradNorm / p.arms![0].gradNorm).toBeCloseTo(1, 3);
    }
    // FP16 sees gradients 2^14 times smaller than usual: most round to zero.
    const h = await gradientHistogram(s, 2);
    const fp32 = await gradientHistogram(s, 1);
    expect(h.count).toBe(fp32.count);
    const below = (x: typeof h) =>
      x.histogram!.counts.slice(0, -25 - x.histogram!.min).reduce((a, b) => a + b, 0) + x.histogram!.below;
    expect(below(h) / h.count).toBeGreaterThan(0.3);
  });

  it('reports gradients scaled by the current loss scale', async () => {
    const s = session(
      run([
        gptArm('fp32', adam, 0.01),
        gptArm('amp', adam, 0.01, { precision: { ...plain, fp16Grads: true, lossScale: LOSS_SCALE_DEFAULTS } }),
      ]),
    );
    const a = await gradientHistogram(s, 0);
    const b = await gradientHistogram(s, 1);
    expect(a.scale).toBe(1);
    expect(b.scale).toBe(2 ** 15);
    expect(a.count).toBe(b.count);
    // Same weights, gradients times 2^15: the histogram moves 15 buckets right.
    // (The smallest gradients fall below the histogram's 2^-40 floor, so compare the top bucket.)
    const top = (h: typeof a.histogram) => h!.counts.reduce((last, c, k) => (c > 0 ? k : last), -1) + h!.min;
    expect(top(b.histogram) - top(a.histogram)).toBe(15);
    expect(b.histogram!.zeros).toBe(a.histogram!.zeros);
  });

  it('keeps the tensor count flat over steps for every kind of arm', async () => {
    const s = session(
      run([
        gptArm('fp32', adam, 0.01, { batchRamp: { start: 1, rampTokens: 40 }, clipNorm: 1 }),
        gptArm('amp', adam, 0.01, {
          precision: { fp16Grads: true, fp16Weights: true, masterWeights: true, lossScale: LOSS_SCALE_DEFAULTS },
        }),
        gptArm('fp16', adam, 0.01, {
          init: 't5',
          precision: { fp16Grads: true, fp16Weights: true, masterWeights: false, lossScale: null },
        }),
      ]),
    );
    await s.trainSteps(2);
    await s.evaluate();
    const n = tf.memory().numTensors;
    await s.trainSteps(5);
    await s.evaluate();
    await gradientHistogram(s, 1);
    expect(tf.memory().numTensors).toBe(n);
  });
});
