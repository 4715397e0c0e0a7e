// What a page can ask a GPT run besides training: text sampled from and
// scored by the reference arm, and any arm's optimiser state or gradients
// for a heatmap or a histogram. Nothing here changes the weights.
import * as tf from '@tensorflow/tfjs-core';
import { histogramLog2, lrAt, makeRng, sampleFromLogits, type Log2Histogram } from '../../core';
import { gptLogits, gptLoss, gptTokenNll } from '../../models/gpt';
import type { TokenScore } from '../contract';
import type { Engine } from '../engine';
import { TensorAdam } from '../optim/adam';
import { weightsOf, type GptTask } from './gpt';

export type GptEngine = Engine<GptTask>;

/** Autoregressive sampling from the reference arm: each new token from softmax(E phi(x_{1:i})_i / temperature). */
export async function sampleText(
  e: GptEngine,
  prompt: string,
  length: number,
  temperature: number,
  seed: number,
): Promise<string> {
  const { data } = e.task;
  const arm = e.reference;
  const tok = data.tokenizer;
  const rng = makeRng(seed);
  const ids = tok.encode(prompt);
  if (ids.length === 0) ids.push(data.train[Math.floor(rng() * data.train.length)]);
  const T = arm.model.cfg.contextLength;
  const generated: number[] = [];
  for (let i = 0; i < length; i++) {
    const window = ids.slice(-T);
    // Logits of the last position: [V].
    const last = tf.tidy(() => {
      const logits = gptLogits(weightsOf(arm), arm.model.cfg, tf.tensor2d([window], [1, window.length], 'int32'));
      return tf.reshape(tf.slice(logits, [0, window.length - 1, 0], [1, 1, -1]), [-1]);
    });
    const values = await last.data();
    last.dispose();
    const next = sampleFromLogits(values, temperature, rng);
    ids.push(next);
    generated.push(next);
  }
  return tok.decode(generated);
}

/**
 * Per-token -log p(x_i | x_{1:i-1}) of a text under the reference arm. Long
 * texts are scored in windows of length T with stride T/2, so every token
 * after the first window still sees at least T/2 tokens of context; all
 * windows go in one batch.
 */
export async function scoreText(e: GptEngine, text: string): Promise<{ tokens: TokenScore[]; total: number }> {
  const tok = e.task.data.tokenizer;
  const arm = e.reference;
  const ids = tok.encode(text);
  const pieces = ids.map((id) => tok.decode([id]));
  const nll: (number | null)[] = ids.map(() => null);
  if (ids.length >= 2) {
    const T = arm.model.cfg.contextLength;
    const stride = Math.max(1, Math.floor(T / 2));
    const starts: number[] = [];
    for (let s = 0; ; s += stride) {
      starts.push(s);
      if (s + T >= ids.length - 1) break;
    }
    const width = Math.min(T, ids.length - 1);
    const inputs: number[] = [];
    const targets: number[] = [];
    for (const s0 of starts) {
      const s = Math.min(s0, ids.length - 1 - width);
      inputs.push(...ids.slice(s, s + width));
      targets.push(...ids.slice(s + 1, s + 1 + width));
    }
    // [windows, width]
    const out = tf.tidy(() =>
      gptTokenNll(
        weightsOf(arm),
        arm.model.cfg,
        tf.tensor2d(inputs, [starts.length, width], 'int32'),
        tf.tensor2d(targets, [starts.length, width], 'int32'),
      ),
    );
    const values = await out.data();
    out.dispose();
    starts.forEach((s0, w) => {
      const s = Math.min(s0, ids.length - 1 - width);
      // The earliest window holding a position sees it near its end, with the
      // most context; later windows only fill positions not yet scored.
      for (let j = 0; j < width; j++) {
        const pos = s + 1 + j;
        if (nll[pos] === null) nll[pos] = values[w * width + j];
      }
    });
  }
  const tokens = pieces.map((p, i) => ({ text: p, nll: nll[i] }));
  const total = nll.reduce<number>((a, b) => a + (b ?? 0), 0);
  return { tokens, total };
}

/**
 * A weight matrix's Adam second moment v, or its effective per-element step
 * lr_t * m_hat / (sqrt(v_hat) + eps) at the current step, for a heatmap.
 * values null for an arm without Adam, or before its first step.
 */
export async function optimizerMatrix(
  e: GptEngine,
  armIndex: number,
  name: string,
  what: 'v' | 'step',
): Promise<{ shape: number[]; values: Float32Array | null; step: number }> {
  const arm = e.arms[armIndex];
  const param = arm?.model.params[name];
  if (!arm || !param || !(arm.optimizer instanceof TensorAdam)) return { shape: [], values: null, step: e.step };
  const opt = arm.optimizer;
  const { m, v, step } = opt.state();
  if (step === 0) return { shape: param.shape, values: null, step };
  const out = tf.tidy(() => {
    if (what === 'v') return tf.clone(v[name]);
    const { beta1, beta2, eps, biasCorrection } = opt.config;
    const bc1 = biasCorrection ? 1 - beta1 ** step : 1;
    const bc2 = biasCorrection ? 1 - beta2 ** step : 1;
    const lr = lrAt(step - 1, arm.spec.schedule);
    return tf.div(tf.mul(m[name], lr / bc1), tf.add(tf.sqrt(tf.div(v[name], bc2)), eps));
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return { shape: param.shape, values, step };
}

/**
 * Arm `armIndex`'s gradients on the first held-out batch at its current
 * weights, times its current loss scale (and loss multiplier), as a
 * log2-magnitude histogram. Nothing is updated.
 */
export async function gradientHistogram(
  e: GptEngine,
  armIndex: number,
): Promise<{ histogram: Log2Histogram | null; scale: number; count: number; step: number }> {
  const arm = e.arms[armIndex];
  if (!arm || arm.dropped) return { histogram: null, scale: 1, count: 0, step: e.step };
  const b = e.task.evalBatches[0];
  const { params, cfg } = arm.model;
  const scale = arm.precision?.scale ?? 1;
  const factor = scale * (arm.precision?.multiplier ?? 1);
  // Every gradient element, flattened: [P].
  const flat = tf.tidy(() => {
    const grads = arm.precision
      ? // Scaled (and multiplied), before any FP16 rounding: where the values fall relative to FP16's range.
        tf.variableGrads(
          () => tf.mul(gptLoss(weightsOf(arm), cfg, b.ids, b.targets), factor) as tf.Scalar,
          Object.values(params),
        ).grads
      : tf.variableGrads(() => gptLoss(params, cfg, b.ids, b.targets), Object.values(params)).grads;
    return tf.concat(Object.values(grads).map((g) => tf.reshape(g, [-1])));
  });
  const values = await flat.data();
  flat.dispose();
  return { histogram: histogramLog2(values, { min: -40, max: 20 }), scale, count: values.length, step: e.step };
}
