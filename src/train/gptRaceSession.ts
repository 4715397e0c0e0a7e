// An optimiser race: one tiny GPT per optimiser, same initialisation, same
// batches in the same order, trained in lockstep so their loss curves share a
// chart. One Adam arm can report chosen elements' g, m and v every step, and
// any arm's second moment (or effective step) can be read as a matrix.
import * as tf from '@tensorflow/tfjs-core';
import { histogramLog2, lrAt, makeRng, sampleBatch, type Log2Histogram, type Rng, type ScheduleConfig } from '../core';
import { countParams, disposeParams, gptLoss, gptParamInfo, initGptParams, type GptConfig, type GptParams } from '../models/gpt';
import type { PreparedData } from './data';
import { TensorAdam } from './optim/adam';
import { makeOptimizer, type TensorOptimizer } from './optim/optimizer';
import type { ArmMetrics, EvalPoint, GptRaceRunSpec, StepPoint, TrackedValue } from './protocol';
import { scheduleOf, STREAMS, Throughput } from './sessionParts';
import { makeStepper, type Stepper } from './step';
import { divergedLoss, type TrainingSession } from './trainingSession';

const EVAL_BATCHES = 4;

interface Arm {
  /** The run's schedule with this arm's peak rate and overrides. */
  schedule: ScheduleConfig;
  params: GptParams;
  optimizer: TensorOptimizer;
  step: Stepper;
  peakLr: number;
  startLoss: number | null;
  /** Set once the arm has blown up; it then stops training while the others go on. */
  diverged: boolean;
}

export class GptRaceSession implements TrainingSession {
  readonly cfg: GptConfig;
  readonly paramCount: number;
  readonly vocabSize: number;
  step = 0;
  private readonly arms: Arm[];
  private readonly batchRng: Rng;
  private readonly evalBatches: { ids: tf.Tensor2D; targets: tf.Tensor2D }[];
  private readonly throughput = new Throughput();

  constructor(
    readonly run: GptRaceRunSpec,
    readonly data: PreparedData,
  ) {
    if (run.arms.length === 0) throw new Error('An optimiser race needs at least one optimiser');
    const m = run.model;
    this.vocabSize = data.tokenizer.vocab.length;
    this.cfg = { vocabSize: this.vocabSize, contextLength: m.contextLength, dModel: m.dModel, nLayers: m.nLayers, nHeads: m.nHeads };
    this.paramCount = countParams(this.cfg);
    for (const t of run.track) {
      const size = this.sizeOf(t.name);
      if (!(t.index >= 0 && t.index < size)) throw new RangeError(`Tracked element ${t.name}[${t.index}] is outside the parameter (size ${size}).`);
    }
    this.arms = run.arms.map((a) => {
      const params = initGptParams(this.cfg, makeRng(run.seed ^ STREAMS.init));
      const optimizer = makeOptimizer(params, a.optimizer);
      const peakLr = a.optimizer.lr ?? run.optim.lr;
      const schedule = scheduleOf({ ...run.optim, ...a.schedule, lr: peakLr });
      return { schedule, params, optimizer, step: makeStepper(params, optimizer), peakLr, startLoss: null, diverged: false };
    });
    this.batchRng = makeRng(run.seed ^ STREAMS.data);
    const evalRng = makeRng(run.seed ^ STREAMS.eval);
    const B = run.optim.batchSize;
    this.evalBatches = Array.from({ length: EVAL_BATCHES }, () => this.toTensors(sampleBatch(data.heldOut, B, m.contextLength, evalRng), B));
  }

  private sizeOf(name: string): number {
    const info = gptParamInfo(this.cfg).find((p) => p.name === name);
    if (!info) throw new RangeError(`The model has no parameter '${name}'.`);
    return info.shape.reduce((a, b) => a * b, 1);
  }

  private toTensors(b: { inputs: Int32Array; targets: Int32Array }, rows: number) {
    const T = this.cfg.contextLength;
    return { ids: tf.tensor2d(b.inputs, [rows, T], 'int32'), targets: tf.tensor2d(b.targets, [rows, T], 'int32') };
  }

  /** g for each tracked element, as one [K] tensor. */
  private probe = (grads: Record<string, tf.Tensor>): tf.Tensor =>
    tf.stack(this.run.track.map((t) => tf.reshape(tf.slice(tf.reshape(grads[t.name], [-1]), [t.index], [1]), []))) as tf.Tensor1D;

  /** m and v after the update for each tracked element: [2, K]. */
  private moments(arm: Arm): tf.Tensor | null {
    if (!(arm.optimizer instanceof TensorAdam) || this.run.track.length === 0) return null;
    const { m, v } = arm.optimizer.state();
    const pick = (x: Record<string, tf.Variable>) => this.run.track.map((t) => tf.reshape(tf.slice(tf.reshape(x[t.name], [-1]), [t.index], [1]), []));
    return tf.tidy(() => tf.stack([tf.stack(pick(m)), tf.stack(pick(v))]));
  }

  async trainSteps(count: number): Promise<StepPoint[]> {
    const { batchSize, clipNorm } = this.run.optim;
    const T = this.cfg.contextLength;
    const sched = scheduleOf(this.run.optim);
    const trackArm = this.arms[this.run.trackArm];
    const pending: { step: number; lr: number; out: (ReturnType<Stepper> | null)[]; moments: tf.Tensor | null }[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const batch = this.toTensors(sampleBatch(this.data.train, batchSize, T, this.batchRng), batchSize);
      const lr = lrAt(this.step, sched);
      const out = this.arms.map((arm) => {
        if (arm.diverged) return null;
        const armLr = lrAt(this.step, arm.schedule);
        const probe = arm === trackArm && this.run.track.length > 0 ? this.probe : undefined;
        return arm.step(() => ({ total: gptLoss(arm.params, this.cfg, batch.ids, batch.targets) }), armLr, clipNorm, probe);
      });
      batch.ids.dispose();
      batch.targets.dispose();
      this.step += 1;
      pending.push({ step: this.step, lr, out, moments: trackArm && !trackArm.diverged ? this.moments(trackArm) : null });
    }
    const read = async (t: tf.Tensor | null | undefined) => (t ? Array.from(await t.data()) : null);
    const values = await Promise.all(
      pending.map(async (p) => ({
        arms: await Promise.all(
          p.out.map(async (o) => (o ? ({ total: (await o.loss.data())[0], gradNorm: (await o.gradNorm.data())[0] } as ArmMetrics) : null)),
        ),
        g: await read(p.out[this.run.trackArm]?.probe),
        mv: await read(p.moments),
      })),
    );
    const elapsed = performance.now() - started;
    this.throughput.note(elapsed / count);
    for (const p of pending) {
      for (const o of p.out) if (o) tf.dispose([o.loss, o.gradNorm, ...(o.probe ? [o.probe] : [])]);
      p.moments?.dispose();
    }
    const tps = this.throughput.tokensPerSecond(batchSize * T);
    const K = this.run.track.length;
    return pending.map((p, i) => {
      const v = values[i];
      // A diverged arm reports NaN from then on, so its curve simply ends.
      const arms = v.arms.map((a) => a ?? { total: Number.NaN, gradNorm: Number.NaN });
      const tracked: TrackedValue[] | undefined =
        v.g && v.mv ? this.run.track.map((_, k) => ({ g: v.g![k], m: v.mv![k], v: v.mv![K + k] })) : undefined;
      const ref = arms[this.run.trackArm] ?? arms[0];
      return {
        step: p.step,
        lr: p.lr,
        // The trainer's numbers follow the reference (tracked Adam) arm, which must not diverge for the race to go on.
        loss: ref.total,
        gradNorm: ref.gradNorm,
        tokensSeen: p.step * batchSize * T,
        tokensPerSecond: tps,
        stepMs: elapsed / count,
        arms,
        tracked,
      };
    });
  }

  async evaluate(): Promise<EvalPoint> {
    const arms = await Promise.all(
      this.arms.map(async (arm) => {
        if (arm.diverged) return { total: Number.NaN } as ArmMetrics;
        const sum = tf.tidy(() => tf.addN(this.evalBatches.map((b) => gptLoss(arm.params, this.cfg, b.ids, b.targets))));
        const total = (await sum.data())[0] / this.evalBatches.length;
        sum.dispose();
        return { total } as ArmMetrics;
      }),
    );
    return { step: this.step, heldOutLoss: (arms[this.run.trackArm] ?? arms[0]).total, arms };
  }

  async initialEval(): Promise<EvalPoint> {
    const point = await this.evaluate();
    this.arms.forEach((arm, i) => (arm.startLoss = point.arms![i].total));
    return point;
  }

  /**
   * The race goes on while the reference arm trains: an arm that blows up (a
   * far too large SGD rate, say) is dropped and its curve ends. The run stops
   * when the reference arm (`trackArm`, whose numbers the trainer shows)
   * diverges.
   */
  isDiverged(point: StepPoint): boolean {
    (point.arms ?? []).forEach((m, i) => {
      const arm = this.arms[i];
      if (arm && !arm.diverged && divergedLoss(m.total, arm.startLoss)) {
        arm.diverged = true;
      }
    });
    return (this.arms[this.run.trackArm] ?? this.arms[0]).diverged;
  }

  /**
   * A weight matrix's Adam second moment v, or its effective per-element step
   * lr_t * m_hat / (sqrt(v_hat) + eps) at the current step, for a heatmap.
   */
  async matrix(armIndex: number, name: string, what: 'v' | 'step'): Promise<{ shape: number[]; values: Float32Array | null; step: number }> {
    const arm = this.arms[armIndex];
    const param = arm?.params[name];
    if (!arm || !param || !(arm.optimizer instanceof TensorAdam)) return { shape: [], values: null, step: this.step };
    const opt = arm.optimizer;
    const { m, v, step } = opt.state();
    if (step === 0) return { shape: param.shape, values: null, step };
    const out = tf.tidy(() => {
      if (what === 'v') return tf.clone(v[name]);
      const { beta1, beta2, eps, biasCorrection } = opt.config;
      const bc1 = biasCorrection ? 1 - beta1 ** step : 1;
      const bc2 = biasCorrection ? 1 - beta2 ** step : 1;
      const lr = lrAt(step - 1, arm.schedule);
      return tf.div(tf.mul(m[name], lr / bc1), tf.add(tf.sqrt(tf.div(v[name], bc2)), eps));
    });
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return { shape: param.shape, values, step };
  }

  /**
   * Arm `armIndex`'s gradients on the first held-out batch at its current
   * weights, times its current loss scale, as a log2-magnitude histogram.
   * Nothing is updated.
   */
  async gradientHistogram(armIndex: number): Promise<{ histogram: Log2Histogram | null; scale: number; count: number; step: number }> {
    const arm = this.arms[armIndex];
    if (!arm || arm.diverged) return { histogram: null, scale: 1, count: 0, step: this.step };
    const scale = 1;
    const b = this.evalBatches[0];
    const flat = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.mul(gptLoss(arm.params, this.cfg, b.ids, b.targets), scale) as tf.Scalar, Object.values(arm.params));
      return tf.concat(Object.values(grads).map((g) => tf.reshape(g, [-1])));
    });
    const values = await flat.data();
    flat.dispose();
    return { histogram: histogramLog2(values, { min: -40, max: 20 }), scale, count: values.length, step: this.step };
  }

  dispose() {
    for (const arm of this.arms) {
      arm.optimizer.dispose();
      disposeParams(arm.params);
    }
    for (const b of this.evalBatches) {
      b.ids.dispose();
      b.targets.dispose();
    }
  }
}
