// An optimiser race: one tiny GPT per optimiser, same initialisation, same
// batches in the same order, trained in lockstep so their loss curves share a
// chart. One Adam arm can report chosen elements' g, m and v every step, and
// any arm's second moment (or effective step) can be read as a matrix.
import * as tf from '@tensorflow/tfjs-core';
import { batchSizeAt, histogramLog2, lrAt, makeRng, sampleBatch, type Log2Histogram, type Rng, type ScheduleConfig } from '../core';
import {
  countParams,
  disposeParams,
  GPT2_INIT,
  gptLoss,
  gptParamInfo,
  initGptParams,
  NORMAL_INIT,
  paramView,
  T5_INIT,
  XAVIER_INIT,
  type GptConfig,
  type GptParams,
  type InitScheme,
} from '../models/gpt';
import type { PreparedData } from './data';
import { TensorAdam } from './optim/adam';
import { decaysFor, paramGroup } from './optim/decay';
import { decaysAll, makeOptimizer, type TensorOptimizer } from './optim/optimizer';
import { globalNorm } from './optim/clip';
import { PrecisionStepper, type PrecisionStepResult } from './precision/precisionStepper';
import { fp16RoundingMismatches } from './precision/roundFp16';
import type { ArmMetrics, EvalPoint, GptRaceArmSpec, GptRaceRunSpec, InitName, StepPoint, TrackedValue } from './contract';
import { scheduleOf, STREAMS, Throughput } from './sessionParts';
import { makeStepper, type Stepper } from './step';
import { divergedLoss, type TrainingSession } from './trainingSession';

const EVAL_BATCHES = 4;

const INIT_SCHEMES: Record<InitName, InitScheme> = { gpt2: GPT2_INIT, normal: NORMAL_INIT, xavier: XAVIER_INIT, t5: T5_INIT };

interface Arm {
  spec: GptRaceArmSpec;
  /** The run's model, with T5's folded attention scale when the arm uses T5's init. */
  cfg: GptConfig;
  /** The run's schedule with this arm's peak rate and overrides. */
  schedule: ScheduleConfig;
  params: GptParams;
  optimizer: TensorOptimizer;
  step: Stepper;
  /** Simulated mixed precision, when the arm asks for it (then `step` is not used). */
  precision: PrecisionStepper | null;
  clipNorm: number | null;
  /** Tokens this arm has trained on (differs between arms with a batch-size ramp). */
  tokens: number;
  peakLr: number;
  startLoss: number | null;
  /** Set once the arm has blown up; it then stops training while the others go on. */
  diverged: boolean;
}

/** What one arm's step leaves for the read-back: device scalars and host-side numbers. */
interface ArmStep {
  loss: tf.Scalar;
  gradNorm: tf.Scalar;
  probe: tf.Tensor | null;
  metrics: ArmMetrics;
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
    this.arms = run.arms.map((a) => this.makeArm(a));
    this.batchRng = makeRng(run.seed ^ STREAMS.data);
    const evalRng = makeRng(run.seed ^ STREAMS.eval);
    const B = run.optim.batchSize;
    this.evalBatches = Array.from({ length: EVAL_BATCHES }, () => this.toTensors(sampleBatch(data.heldOut, B, m.contextLength, evalRng), B));
  }

  private makeArm(a: GptRaceArmSpec): Arm {
    const run = this.run;
    const init = a.init ?? 'gpt2';
    if (!(init in INIT_SCHEMES)) throw new RangeError(`Unknown initialisation '${init}'.`);
    if (a.batchRamp) {
      const { start, rampTokens } = a.batchRamp;
      if (!(Number.isInteger(start) && start >= 1 && start <= run.optim.batchSize)) {
        throw new RangeError(`The batch ramp's first batch (${start}) must be a whole number from 1 to the batch size ${run.optim.batchSize}.`);
      }
      if (!(rampTokens >= 0 && Number.isFinite(rampTokens))) throw new RangeError(`The batch ramp's length must be 0 or more tokens, got ${rampTokens}.`);
    }
    const cfg: GptConfig = { ...this.cfg, foldedAttentionScale: init === 't5' };
    // Every arm draws from the same stream: arms with the same scheme start identical.
    const params = initGptParams(cfg, makeRng(run.seed ^ STREAMS.init), INIT_SCHEMES[init]);
    const optimizer = makeOptimizer(params, a.optimizer, decaysFor(Object.keys(params), decaysAll(a.optimizer)));
    const peakLr = a.optimizer.lr ?? run.optim.lr;
    const schedule = scheduleOf({ ...run.optim, ...a.schedule, lr: peakLr });
    return {
      spec: a,
      cfg,
      schedule,
      params,
      optimizer,
      step: makeStepper(params, optimizer),
      precision: a.precision ? new PrecisionStepper(params, optimizer, a.precision) : null,
      clipNorm: a.clipNorm !== undefined ? a.clipNorm : run.optim.clipNorm,
      tokens: 0,
      peakLr,
      startLoss: null,
      diverged: false,
    };
  }

  /** Rows of the shared batch this arm trains on now (all of them without a ramp). */
  private rowsFor(arm: Arm): number {
    const B = this.run.optim.batchSize;
    const ramp = arm.spec.batchRamp;
    return ramp ? batchSizeAt(arm.tokens, { start: ramp.start, end: B, rampTokens: ramp.rampTokens }) : B;
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
    const { batchSize } = this.run.optim;
    const T = this.cfg.contextLength;
    const sched = scheduleOf(this.run.optim);
    const trackArm = this.arms[this.run.trackArm];
    const pending: { step: number; lr: number; out: (ArmStep | null)[]; moments: tf.Tensor | null }[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const batch = this.toTensors(sampleBatch(this.data.train, batchSize, T, this.batchRng), batchSize);
      const lr = lrAt(this.step, sched);
      const out: (ArmStep | null)[] = [];
      for (const arm of this.arms) out.push(arm.diverged ? null : await this.armStep(arm, batch, arm === trackArm));
      batch.ids.dispose();
      batch.targets.dispose();
      this.step += 1;
      pending.push({ step: this.step, lr, out, moments: trackArm && !trackArm.diverged ? this.moments(trackArm) : null });
    }
    const read = async (t: tf.Tensor | null | undefined) => (t ? Array.from(await t.data()) : null);
    const values = await Promise.all(
      pending.map(async (p) => ({
        arms: await Promise.all(
          p.out.map(async (o) => (o ? { ...o.metrics, total: (await o.loss.data())[0], gradNorm: (await o.gradNorm.data())[0] } : null)),
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

  /**
   * One arm's update on (the first rows of) the shared batch. Plain arms only
   * queue work; a loss-scaled arm reads one number back to decide whether to skip.
   */
  private async armStep(arm: Arm, batch: { ids: tf.Tensor2D; targets: tf.Tensor2D }, tracked: boolean): Promise<ArmStep> {
    const T = this.cfg.contextLength;
    const rows = this.rowsFor(arm);
    const part =
      rows === this.run.optim.batchSize
        ? batch
        : { ids: tf.slice(batch.ids, [0, 0], [rows, T]) as tf.Tensor2D, targets: tf.slice(batch.targets, [0, 0], [rows, T]) as tf.Tensor2D };
    const lr = lrAt(this.step, arm.schedule);
    const metrics: ArmMetrics = { lr, rows, tokens: 0 };
    let result: Pick<PrecisionStepResult, 'loss' | 'gradNorm'> & { probe?: tf.Tensor | null };
    if (arm.precision) {
      const r = await arm.precision.step((p) => gptLoss(paramView(arm.params, p), arm.cfg, part.ids, part.targets), lr, arm.clipNorm);
      metrics.lossScale = r.scale;
      metrics.skipped = r.skipped ? 1 : 0;
      result = r;
    } else {
      const probe = tracked && this.run.track.length > 0 ? this.probe : undefined;
      result = arm.step(() => ({ total: gptLoss(arm.params, arm.cfg, part.ids, part.targets) }), lr, arm.clipNorm, probe);
    }
    if (part !== batch) tf.dispose([part.ids, part.targets]);
    arm.tokens += rows * T;
    metrics.tokens = arm.tokens;
    return { loss: result.loss, gradNorm: result.gradNorm, probe: result.probe ?? null, metrics };
  }

  async evaluate(): Promise<EvalPoint> {
    const arms = await Promise.all(
      this.arms.map(async (arm) => {
        if (arm.diverged) return { total: Number.NaN, weightNorm: Number.NaN, matrixNorm: Number.NaN } as ArmMetrics;
        // [held-out loss (mean over the eval batches), global weight norm, norm of the weight matrices alone]
        const three = tf.tidy(() => {
          const view = arm.precision ? paramView(arm.params, arm.precision.view()) : arm.params;
          const sum = tf.addN(this.evalBatches.map((b) => gptLoss(view, arm.cfg, b.ids, b.targets)));
          const matrices = Object.fromEntries(Object.entries(arm.params).filter(([name]) => paramGroup(name) === 'matrix'));
          return tf.stack([tf.div(sum, this.evalBatches.length), globalNorm(arm.params), globalNorm(matrices)]);
        });
        const [total, weightNorm, matrixNorm] = await three.data();
        three.dispose();
        return { total, weightNorm, matrixNorm } as ArmMetrics;
      }),
    );
    return { step: this.step, heldOutLoss: (arms[this.run.trackArm] ?? arms[0]).total, arms };
  }

  async initialEval(): Promise<EvalPoint> {
    if (this.arms.some((a) => a.precision)) {
      const wrong = await fp16RoundingMismatches();
      if (wrong.length > 0) {
        throw new Error(`This backend cannot simulate FP16 exactly (${wrong.length} test values rounded wrongly, e.g. ${wrong[0]}); pick another backend.`);
      }
    }
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
   * weights, times its current loss scale (and loss multiplier), as a
   * log2-magnitude histogram.
   * Nothing is updated.
   */
  async gradientHistogram(armIndex: number): Promise<{ histogram: Log2Histogram | null; scale: number; count: number; step: number }> {
    const arm = this.arms[armIndex];
    if (!arm || arm.diverged) return { histogram: null, scale: 1, count: 0, step: this.step };
    const b = this.evalBatches[0];
    const scale = arm.precision?.scale ?? 1;
    const factor = scale * (arm.precision?.multiplier ?? 1);
    const flat = tf.tidy(() => {
      const grads = arm.precision
        ? // Scaled (and multiplied), before any FP16 rounding: where the values fall relative to FP16's range.
          tf.variableGrads(() => tf.mul(gptLoss(paramView(arm.params, arm.precision!.view()), arm.cfg, b.ids, b.targets), factor) as tf.Scalar, Object.values(arm.params)).grads
        : tf.variableGrads(() => gptLoss(arm.params, arm.cfg, b.ids, b.targets), Object.values(arm.params)).grads;
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
