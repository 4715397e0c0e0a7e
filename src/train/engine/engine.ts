// The training engine: trains a run's arms in lockstep, whatever the task.
// Every step it draws the shared batch once (the task's data stream), and for
// each live arm takes lr = lrAt(step, arm.schedule) and runs loss, gradients,
// global-norm clipping and the arm's optimiser update on the device. Numbers
// are read back once per chunk, which keeps GPU pipelines full. Everything is
// seeded from the run's seed (core's seedFor), so a run replays from its link.
import * as tf from '@tensorflow/tfjs-core';
import { lrAt } from '../../core';
import type { ArmMetrics, EvalPoint, StepPoint } from '../contract';
import { optimizerFor } from '../optim/optimizer';
import type { TensorOptimizer } from '../optim/tensorOptimizer';
import { PrecisionStepper } from '../precision/precisionStepper';
import { fp16RoundingMismatches } from '../precision/roundFp16';
import { makeStepper, type GradProbe, type StepResult } from '../step';
import { divergedLoss } from './divergence';
import { Throughput } from './throughput';
import { trackedValues, trackMoments, trackProbe } from './track';
import type { AnyTask, ArmOf, BatchOf, EngineArm } from './task';

/** One arm's step before the read-back: device scalars, and numbers known on the host. */
interface ArmStep {
  result: StepResult;
  metrics: ArmMetrics;
  /** Tokens the arm trained on in this step. */
  tokens: number;
}

/** A step of the chunk in flight. */
interface PendingStep {
  step: number;
  /** The reference arm's rate at this step. */
  lr: number;
  tokensSeen: number;
  /** Per arm; null for a dropped arm. */
  out: (ArmStep | null)[];
  /** The tracked elements' m and v after the update, [2, K]; null when not tracking. */
  moments: tf.Tensor | null;
}

async function scalar(t: tf.Tensor): Promise<number> {
  return (await t.data())[0];
}

export class Engine<T extends AnyTask = AnyTask> {
  /** The task's name (= run.task), so a union of engines narrows on it. */
  readonly kind: T['name'];
  readonly run: T['run'];
  readonly arms: EngineArm<ArmOf<T>>[];
  /** Optimiser steps taken. */
  step = 0;
  private tokensSeen = 0;
  private readonly throughput = new Throughput();
  private readonly probe: GradProbe | undefined;
  /**
   * Whether this engine trains the run's reference arm. A worker given some
   * of a run's arms (contract/shards.ts) without it drops its blown-up arms
   * under the 'drop' policy but never stops the run: the reference decides.
   */
  readonly holdsReference: boolean;

  constructor(
    readonly task: T,
    options: { holdsReference?: boolean } = {},
  ) {
    this.holdsReference = options.holdsReference ?? true;
    this.kind = task.name;
    this.run = task.run;
    const track = task.track ?? [];
    this.probe = track.length > 0 ? trackProbe(track) : undefined;
    this.arms = [];
    // A refused run frees what its task and arms made so far (held-out batches, weights).
    try {
      const n = task.run.arms.length;
      if (n === 0) throw new Error('A run needs at least one arm.');
      if (!(Number.isInteger(task.referenceArm) && task.referenceArm >= 0 && task.referenceArm < n)) {
        throw new RangeError(`The reference arm ${task.referenceArm} is not one of the run's ${n} arms.`);
      }
      task.run.arms.forEach((spec, index) => this.arms.push(this.makeArm(spec, index)));
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  get paramCount(): number {
    return this.task.paramCount;
  }

  get vocabSize(): number {
    return this.task.vocabSize;
  }

  /** The arm whose numbers the trainer shows. */
  get reference(): EngineArm<ArmOf<T>> {
    return this.arms[this.task.referenceArm];
  }

  private makeArm(spec: T['run']['arms'][number], index: number): EngineArm<ArmOf<T>> {
    const model = this.task.makeArm(spec, index) as ArmOf<T>;
    let optimizer: TensorOptimizer | null = null;
    try {
      optimizer = optimizerFor(model.params, spec.optimizer);
      return {
        index,
        spec,
        model,
        optimizer,
        stepper: makeStepper(model.params, optimizer),
        // Weights kept in FP16 are rounded here, before the first evaluation.
        precision: model.precision ? new PrecisionStepper(model.params, optimizer, model.precision) : null,
        tokens: 0,
        startLoss: null,
        dropped: false,
      };
    } catch (err) {
      // A spec the optimiser or the precision simulation refuses: free the arm's weights.
      optimizer?.dispose();
      this.task.disposeArm(model);
      throw err;
    }
  }

  /** Runs `count` steps of every live arm and reads their numbers back once. */
  async trainSteps(count: number): Promise<StepPoint[]> {
    if (count < 1) return [];
    const started = performance.now();
    const pending: PendingStep[] = [];
    for (let i = 0; i < count; i++) pending.push(await this.stepAll());
    const read = await Promise.all(pending.map((p) => this.readBack(p)));
    const stepMs = (performance.now() - started) / count;
    this.throughput.note(stepMs);
    // Tokens per step, averaged over the run (BERT's and the encoder-decoder's vary from step to step).
    const tokensPerSecond = this.throughput.tokensPerSecond(this.tokensSeen / this.step);
    return pending.map((p, i) => {
      const { arms, tracked } = read[i];
      const ref = arms[this.task.referenceArm];
      return {
        step: p.step,
        lr: p.lr,
        loss: ref.total,
        gradNorm: ref.gradNorm,
        tokensSeen: p.tokensSeen,
        tokensPerSecond,
        stepMs,
        arms,
        ...(tracked ? { tracked } : {}),
      };
    });
  }

  /** One step of every live arm on one shared batch; queues device work, reads back only what precision arms need. */
  private async stepAll(): Promise<PendingStep> {
    const batch = this.task.drawBatch() as BatchOf<T>;
    const out: (ArmStep | null)[] = [];
    try {
      for (const arm of this.arms) out.push(arm.dropped ? null : await this.armStep(arm, batch));
    } finally {
      this.task.disposeBatch(batch);
    }
    const ref = this.reference;
    const lr = lrAt(this.step, ref.spec.schedule);
    this.step += 1;
    this.tokensSeen += this.task.stepTokens(
      batch,
      out.map((o) => (o ? o.tokens : null)),
    );
    const track = this.task.track ?? [];
    const moments = track.length > 0 && !ref.dropped ? trackMoments(track, ref.optimizer) : null;
    return { step: this.step, lr, tokensSeen: this.tokensSeen, out, moments };
  }

  /**
   * One arm's update: its rate from its own schedule, its objective on its
   * share of the batch, its clipping threshold. A loss-scaled arm reads one
   * number back (whether the scaled gradients overflowed) to decide whether to skip.
   */
  private async armStep(arm: EngineArm<ArmOf<T>>, batch: BatchOf<T>): Promise<ArmStep> {
    const lr = lrAt(this.step, arm.spec.schedule);
    const input = this.task.armInput(arm, batch);
    const metrics: ArmMetrics = { lr, ...input.metrics };
    let result: StepResult;
    try {
      if (arm.precision) {
        const r = await arm.precision.step((p) => input.objective(p).total, lr, arm.spec.clipNorm);
        metrics.lossScale = r.scale;
        metrics.skipped = r.skipped ? 1 : 0;
        result = { loss: r.loss, gradNorm: r.gradNorm, parts: {}, probe: null };
      } else {
        const probe = arm.index === this.task.referenceArm ? this.probe : undefined;
        result = arm.stepper(() => input.objective(arm.model.params), lr, arm.spec.clipNorm, probe);
      }
    } finally {
      input.dispose?.();
    }
    arm.tokens += input.tokens;
    metrics.tokens = arm.tokens;
    return { result, metrics, tokens: input.tokens };
  }

  /** A pending step's numbers from the device; frees its scalars. */
  private async readBack(p: PendingStep): Promise<{ arms: ArmMetrics[]; tracked: ReturnType<typeof trackedValues> }> {
    const arms = await Promise.all(
      p.out.map(async (o): Promise<ArmMetrics> => {
        // A dropped arm reports NaN from then on, so its curve simply ends.
        if (!o) return { total: Number.NaN, gradNorm: Number.NaN };
        const { loss, gradNorm, parts } = o.result;
        const named = await Promise.all(Object.entries(parts).map(async ([k, t]) => [k, await scalar(t)] as const));
        return {
          total: await scalar(loss),
          gradNorm: await scalar(gradNorm),
          ...Object.fromEntries(named),
          ...o.metrics,
        };
      }),
    );
    const probed = p.out[this.task.referenceArm]?.result.probe ?? null;
    const g = probed ? await probed.data() : null;
    const mv = p.moments ? await p.moments.data() : null;
    for (const o of p.out) {
      if (o)
        tf.dispose([
          o.result.loss,
          o.result.gradNorm,
          ...Object.values(o.result.parts),
          ...(o.result.probe ? [o.result.probe] : []),
        ]);
    }
    p.moments?.dispose();
    return { arms, tracked: trackedValues(g, mv, this.task.track?.length ?? 0) };
  }

  /** Every arm's held-out metrics at the current step (NaN for a dropped arm). */
  async evaluate(): Promise<EvalPoint> {
    const gone = (): ArmMetrics => Object.fromEntries(this.task.evalMetrics.map((k) => [k, Number.NaN]));
    const arms = await Promise.all(this.arms.map((arm) => (arm.dropped ? gone() : this.task.evaluate(arm))));
    return { step: this.step, heldOutLoss: arms[this.task.referenceArm].total, arms };
  }

  /** The untrained models' evaluation (the curves' step 0); also each arm's divergence baseline. */
  async initialEval(): Promise<EvalPoint> {
    if (this.arms.some((a) => a.precision)) {
      const wrong = await fp16RoundingMismatches();
      if (wrong.length > 0) {
        throw new Error(
          `This backend cannot simulate FP16 exactly (${wrong.length} test values rounded wrongly, e.g. ${wrong[0]}); pick another backend.`,
        );
      }
    }
    const point = await this.evaluate();
    this.arms.forEach((arm, i) => (arm.startLoss = point.arms![i].total));
    return point;
  }

  /**
   * Whether the run must stop at this step (see Task.divergence). Under
   * 'drop', a blown-up arm other than the reference is dropped here and the
   * others race on.
   */
  isDiverged(point: StepPoint): boolean {
    const blown = (m: ArmMetrics, i: number) => {
      const arm = this.arms[i];
      return arm !== undefined && !arm.dropped && divergedLoss(m.total, arm.startLoss);
    };
    const metrics = point.arms ?? [];
    if (this.task.divergence === 'stop') return metrics.some(blown);
    metrics.forEach((m, i) => {
      if (blown(m, i)) this.arms[i].dropped = true;
    });
    return this.holdsReference && this.reference.dropped;
  }

  dispose(): void {
    for (const arm of this.arms) {
      arm.optimizer.dispose();
      this.task.disposeArm(arm.model);
    }
    this.arms.length = 0;
    this.task.dispose();
  }
}
