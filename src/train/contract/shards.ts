// How a multi-arm run is spread over training workers. Every arm is seeded
// from the run's seed alone (its weights, its noise, the shared batch stream),
// never from its neighbours, so a worker that builds a subset of the arms
// draws the same batches and trains those arms to the same numbers as one
// worker with all of them. The page merges the workers' numbers by step.
import type { RunSpec } from './run';

/** The arm whose numbers are the trainer's (GPT runs may name one; BERT and the encoder-decoder use arm 0). */
export function referenceArmOf(run: RunSpec): number {
  return run.task === 'gpt' ? (run.referenceArm ?? 0) : 0;
}

/**
 * Training workers for a run of `arms` arms: one per arm, at most the
 * machine's cores minus one (the page's own thread keeps a core), at least
 * one. `forced` (the `?workers=N` test flag) replaces the core count's limit.
 */
export function workersFor(arms: number, cores: number, forced?: number): number {
  const limit = forced ?? Math.max(1, Math.floor(cores) - 1);
  return Math.max(1, Math.min(arms, limit));
}

/**
 * The arms of each worker, by original index, ascending in each: `workers`
 * parts as even as they go (the larger ones first), the reference arm always
 * in part 0, which answers the trainer's own numbers and its questions.
 */
export function planShards(run: RunSpec, workers: number): number[][] {
  const n = run.arms.length;
  const parts = Math.max(1, Math.min(Math.floor(workers), n));
  const ref = referenceArmOf(run);
  const order = [ref, ...run.arms.map((_, i) => i).filter((i) => i !== ref)];
  const plan: number[][] = [];
  let next = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.ceil((n - next) / (parts - p));
    plan.push(order.slice(next, next + size).sort((a, b) => a - b));
    next += size;
  }
  return plan;
}

/** Why `arms` is not a part of `run` a worker can build (empty when it is). */
export function shardProblems(run: RunSpec, arms: readonly number[]): string[] {
  const n = run.arms.length;
  if (arms.length === 0) return ['arms: a worker needs at least one arm'];
  if (!arms.every((i) => Number.isInteger(i) && i >= 0 && i < n))
    return [`arms: each must be an arm from 0 to ${n - 1}`];
  if (new Set(arms).size !== arms.length) return ['arms: an arm is named twice'];
  return [];
}

/**
 * The run a worker builds for `arms` (original indices): the same run with
 * those arms alone. Only the part with the reference arm tracks elements and
 * reports AdaFactor's factoring error (both read the reference arm);
 * `holdsReference` false tells the engine that the run's fate (divergence
 * under GPT's 'drop' policy) is decided elsewhere.
 */
export function shardRun(run: RunSpec, arms: readonly number[]): { run: RunSpec; holdsReference: boolean } {
  const ref = referenceArmOf(run);
  const holdsReference = arms.includes(ref);
  if (run.task !== 'gpt') {
    // BERT and the encoder-decoder count the step's tokens from their first arm: arm 0 leads part 0.
    const part = { ...run, arms: arms.map((i) => run.arms[i]) } as RunSpec;
    return { run: part, holdsReference };
  }
  const { track, factorError, ...rest } = run;
  const part = {
    ...rest,
    arms: arms.map((i) => run.arms[i]),
    referenceArm: holdsReference ? arms.indexOf(ref) : 0,
    ...(holdsReference && track ? { track } : {}),
    ...(holdsReference && factorError !== undefined ? { factorError } : {}),
  };
  return { run: part, holdsReference };
}
