// Structural checks of a run spec before the worker builds anything. A run
// arrives from a shareable link, so anything a hand-edited or stale link can
// break is caught here and named: an unknown task or optimiser, a size that
// is not a positive whole number within bounds, a width the heads do not
// divide, a rate that is not a finite number in range, a run whose training
// step would not fit the memory budget (core/stepBudget.ts). Pure (no tfjs),
// so either thread may call it.
import {
  ADAFACTOR_DEFAULTS,
  checkAdafactorConfig,
  checkLossScaleConfig,
  OBJECTIVES,
  SCHEDULE_KINDS,
  type LossScaleConfig,
} from '../../core';
import { runBudgetProblem } from './budget';
import { INIT_NAMES, type RunSpec } from './run';

/** Upper bounds far above any page's, low enough that a typo cannot ask for gigabytes. */
export const RUN_LIMITS = {
  batchSize: 1024,
  evalEvery: 1_000_000,
  arms: 32,
  nLayers: 64,
  dModel: 4096,
  nHeads: 256,
  length: 4096,
  wordVocab: 1_000_000,
  steps: 100_000_000,
} as const;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? 'an array' : String(v));

/** Collects problems, each as "path: what is wrong". */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, msg: string): void {
    this.errors.push(`${path}: ${msg}`);
  }

  int(o: Obj, key: string, path: string, min: number, max: number): void {
    const v = o[key];
    if (!(Number.isInteger(v) && (v as number) >= min && (v as number) <= max))
      this.fail(`${path}.${key}`, `must be a whole number from ${min} to ${max}, got ${show(v)}`);
  }

  /** A finite number in [min, max] (or (min, max] with `open`). */
  num(o: Obj, key: string, path: string, min: number, max = Infinity, open = false): void {
    const v = o[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (open ? v > min : v >= min) && v <= max;
    if (!ok)
      this.fail(
        `${path}.${key}`,
        `must be a finite number ${open ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}, got ${show(v)}`,
      );
  }

  optionalNum(o: Obj, key: string, path: string, min: number, max = Infinity, open = false): void {
    if (o[key] !== undefined) this.num(o, key, path, min, max, open);
  }

  /** Absent, or in [0, 1) (momentum, betas). */
  optionalBelowOne(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v < 1))
      this.fail(`${path}.${key}`, `must be a number in [0, 1), got ${show(v)}`);
  }

  bool(o: Obj, key: string, path: string, optional = false): void {
    if (optional && o[key] === undefined) return;
    if (typeof o[key] !== 'boolean') this.fail(`${path}.${key}`, `must be true or false, got ${show(o[key])}`);
  }

  oneOf(o: Obj, key: string, path: string, options: readonly string[]): void {
    if (!options.includes(o[key] as string))
      this.fail(`${path}.${key}`, `must be one of ${options.join(', ')}, got ${show(o[key])}`);
  }

  /** Runs a core check that throws, turning its message into an error. */
  core(path: string, check: () => void): void {
    try {
      check();
    } catch (err) {
      this.fail(path, err instanceof Error ? err.message : String(err));
    }
  }
}

function checkData(c: Checker, d: unknown): void {
  if (!isObj(d)) return c.fail('data', `must be an object, got ${show(d)}`);
  if (d.kind === 'corpus') {
    c.oneOf(d, 'name', 'data', ['brown', 'toy']);
    if (typeof d.url !== 'string' || d.url === '') c.fail('data.url', 'must be a non-empty string');
  } else if (d.kind === 'text') {
    if (typeof d.train !== 'string' || typeof d.heldOut !== 'string')
      c.fail('data', 'a text source needs train and heldOut strings');
  } else {
    c.fail('data.kind', `must be corpus or text, got ${show(d.kind)}`);
  }
}

/** The layer stack every task shares; `length` names the task's sequence-length field and its least value. */
function checkModel(c: Checker, m: unknown, length: [string, number]): void {
  if (!isObj(m)) return c.fail('model', `must be an object, got ${show(m)}`);
  c.int(m, 'wordVocab', 'model', 1, RUN_LIMITS.wordVocab);
  c.int(m, 'nLayers', 'model', 1, RUN_LIMITS.nLayers);
  c.int(m, 'dModel', 'model', 1, RUN_LIMITS.dModel);
  c.int(m, 'nHeads', 'model', 1, RUN_LIMITS.nHeads);
  c.int(m, length[0], 'model', length[1], RUN_LIMITS.length);
  const { dModel, nHeads } = m;
  if (
    Number.isInteger(dModel) &&
    Number.isInteger(nHeads) &&
    (nHeads as number) > 0 &&
    (dModel as number) % (nHeads as number) !== 0
  ) {
    c.fail('model', `dModel ${dModel} must be a multiple of nHeads ${nHeads}`);
  }
}

function checkOptimizer(c: Checker, o: unknown, path: string): void {
  if (!isObj(o)) return c.fail(path, `must be an object, got ${show(o)}`);
  switch (o.kind) {
    case 'sgd':
    case 'momentum':
      c.optionalBelowOne(o, 'momentum', path);
      c.optionalNum(o, 'weightDecay', path, 0);
      c.bool(o, 'nesterov', path, true);
      c.bool(o, 'decayAll', path, true);
      if (o.kind === 'momentum' && o.nesterov === true && o.momentum === 0) c.fail(path, 'nesterov needs momentum > 0');
      return;
    case 'adam':
    case 'adamw':
      c.optionalBelowOne(o, 'beta1', path);
      c.optionalBelowOne(o, 'beta2', path);
      c.optionalNum(o, 'eps', path, 0);
      c.optionalNum(o, 'weightDecay', path, 0);
      c.bool(o, 'biasCorrection', path, true);
      c.bool(o, 'decayAll', path, true);
      return;
    case 'adafactor': {
      for (const k of ['maxRelativeStep', 'decayRate', 'beta1', 'eps1', 'eps2', 'clipThreshold'])
        c.optionalNum(o, k, path, -Infinity);
      c.bool(o, 'relativeStep', path, true);
      const given = Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'kind' && v !== undefined));
      c.core(path, () => checkAdafactorConfig({ ...ADAFACTOR_DEFAULTS, ...given, lr: 0 }));
      return;
    }
    default:
      c.fail(`${path}.kind`, `must be one of sgd, momentum, adam, adamw, adafactor, got ${show(o.kind)}`);
  }
}

function checkSchedule(c: Checker, s: unknown, path: string): void {
  if (!isObj(s)) return c.fail(path, `must be an object, got ${show(s)}`);
  c.oneOf(s, 'kind', path, SCHEDULE_KINDS);
  c.num(s, 'lr', path, 0);
  c.int(s, 'warmupSteps', path, 0, RUN_LIMITS.steps);
  c.int(s, 'totalSteps', path, 0, RUN_LIMITS.steps);
  c.num(s, 'minLrRatio', path, 0, 1);
}

/** What every arm has: label, optimiser, schedule and clipping threshold. */
function checkArmBase(c: Checker, a: Obj, path: string): void {
  if (typeof a.label !== 'string') c.fail(`${path}.label`, `must be a string, got ${show(a.label)}`);
  checkOptimizer(c, a.optimizer, `${path}.optimizer`);
  checkSchedule(c, a.schedule, `${path}.schedule`);
  if (a.clipNorm !== null) c.num(a, 'clipNorm', path, 0, Infinity, true);
}

function checkGptArm(c: Checker, a: Obj, path: string, batchSize: number): void {
  if (a.init !== undefined) c.oneOf(a, 'init', path, INIT_NAMES);
  const ramp = a.batchRamp;
  if (ramp !== undefined) {
    if (!isObj(ramp)) c.fail(`${path}.batchRamp`, `must be an object, got ${show(ramp)}`);
    else {
      c.int(ramp, 'start', `${path}.batchRamp`, 1, Number.isInteger(batchSize) ? batchSize : RUN_LIMITS.batchSize);
      c.num(ramp, 'rampTokens', `${path}.batchRamp`, 0);
    }
  }
  const p = a.precision;
  if (p === undefined) return;
  if (!isObj(p)) return c.fail(`${path}.precision`, `must be an object, got ${show(p)}`);
  for (const k of ['fp16Grads', 'fp16Weights', 'masterWeights']) c.bool(p, k, `${path}.precision`);
  c.optionalNum(p, 'lossMultiplier', `${path}.precision`, 0, Infinity, true);
  if (p.lossScale === null) return;
  if (!isObj(p.lossScale))
    return c.fail(`${path}.precision.lossScale`, `must be null or an object, got ${show(p.lossScale)}`);
  c.core(`${path}.precision.lossScale`, () => checkLossScaleConfig(p.lossScale as unknown as LossScaleConfig));
}

function checkBertArm(c: Checker, a: Obj, path: string): void {
  for (const k of ['selectRate', 'maskProb', 'randomProb']) c.num(a, k, path, 0, 1);
  const { maskProb, randomProb } = a;
  if (typeof maskProb === 'number' && typeof randomProb === 'number' && maskProb + randomProb > 1) {
    c.fail(path, `maskProb + randomProb must be at most 1, got ${maskProb + randomProb}`);
  }
  c.bool(a, 'nsp', path);
  c.bool(a, 'dynamicMasking', path);
}

function checkEncDecArm(c: Checker, a: Obj, path: string): void {
  c.oneOf(
    a,
    'objective',
    path,
    OBJECTIVES.map((o) => o.id),
  );
  c.num(a, 'rate', path, 0, 1);
  c.num(a, 'span', path, 0);
}

/**
 * Every structural problem of `run` as "path: what is wrong" (empty when the
 * worker may build it). Problems that need the data (a vocabulary too small,
 * a tracked parameter the model lacks) are left to the task.
 */
export function validateRun(run: unknown): string[] {
  const c = new Checker();
  if (!isObj(run)) return [`run: must be an object, got ${show(run)}`];
  const task = run.task;
  if (task !== 'gpt' && task !== 'bert' && task !== 'encdec')
    return [`task: must be gpt, bert or encdec, got ${show(task)}`];
  if (!Number.isSafeInteger(run.seed)) c.fail('seed', `must be a whole number, got ${show(run.seed)}`);
  c.int(run, 'batchSize', 'run', 1, RUN_LIMITS.batchSize);
  c.int(run, 'evalEvery', 'run', 1, RUN_LIMITS.evalEvery);
  checkData(c, run.data);
  checkModel(
    c,
    run.model,
    task === 'gpt' ? ['contextLength', 1] : task === 'bert' ? ['maxLength', 3] : ['passageLength', 2],
  );
  if (task === 'gpt' && isObj(run.model)) c.oneOf(run.model, 'tokenizer', 'model', ['char', 'word']);
  const arms = run.arms;
  if (!Array.isArray(arms) || arms.length === 0 || arms.length > RUN_LIMITS.arms) {
    c.fail(
      'arms',
      `must be a list of 1 to ${RUN_LIMITS.arms} arms, got ${Array.isArray(arms) ? `${arms.length}` : show(arms)}`,
    );
    return c.errors;
  }
  arms.forEach((a: unknown, i) => {
    const path = `arms[${i}]`;
    if (!isObj(a)) return c.fail(path, `must be an object, got ${show(a)}`);
    checkArmBase(c, a, path);
    if (task === 'gpt') checkGptArm(c, a, path, run.batchSize as number);
    else if (task === 'bert') checkBertArm(c, a, path);
    else checkEncDecArm(c, a, path);
  });
  if (task === 'gpt') {
    if (run.referenceArm !== undefined) c.int(run, 'referenceArm', 'run', 0, arms.length - 1);
    if (run.factorError !== undefined) c.bool(run, 'factorError', 'run');
    if (run.track !== undefined) {
      if (!Array.isArray(run.track)) c.fail('track', `must be a list, got ${show(run.track)}`);
      else {
        run.track.forEach((t: unknown, k) => {
          if (!isObj(t) || typeof t.name !== 'string') return c.fail(`track[${k}]`, 'must name a parameter');
          c.int(t, 'index', `track[${k}]`, 0, Number.MAX_SAFE_INTEGER);
        });
      }
    }
  }
  if (task === 'bert' && run.trainDocuments !== undefined)
    c.int(run, 'trainDocuments', 'run', 2, Number.MAX_SAFE_INTEGER);
  // Only a structurally sound run has a shape to price: one step's tensors must fit the budget.
  if (c.errors.length === 0) {
    const problem = runBudgetProblem(run as unknown as RunSpec);
    if (problem !== null) c.fail('run', problem);
  }
  return c.errors;
}
