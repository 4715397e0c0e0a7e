import { describe, expect, it } from 'vitest';
import type { BertRunSpec, GptRunSpec, RunSpec } from './run';
import { planShards, referenceArmOf, shardProblems, shardRun, workersFor } from './shards';

const arm = (label: string) => ({
  label,
  optimizer: { kind: 'sgd' as const },
  schedule: { kind: 'constant' as const, lr: 0.1, warmupSteps: 0, totalSteps: 10, minLrRatio: 1 },
  clipNorm: null,
});

function gpt(n: number, over: Partial<GptRunSpec> = {}): GptRunSpec {
  return {
    task: 'gpt',
    seed: 1,
    data: { kind: 'text', train: 'ab', heldOut: 'ab' },
    batchSize: 2,
    evalEvery: 10,
    model: { tokenizer: 'char', wordVocab: 10, nLayers: 1, dModel: 8, nHeads: 2, contextLength: 4 },
    arms: Array.from({ length: n }, (_, i) => arm(`arm ${i}`)),
    ...over,
  };
}

const bert = (n: number) => ({ ...gpt(n), task: 'bert', referenceArm: undefined }) as unknown as BertRunSpec;

describe('workersFor', () => {
  it('one worker per arm, up to the cores minus one, at least one', () => {
    expect(workersFor(5, 8)).toBe(5);
    expect(workersFor(5, 4)).toBe(3);
    expect(workersFor(5, 2)).toBe(1);
    expect(workersFor(5, 1)).toBe(1);
    expect(workersFor(1, 16)).toBe(1);
  });
  it('a forced count replaces the cores limit, still at most one per arm', () => {
    expect(workersFor(5, 2, 3)).toBe(3);
    expect(workersFor(2, 2, 4)).toBe(2);
    expect(workersFor(5, 16, 1)).toBe(1);
  });
});

describe('planShards', () => {
  it('splits evenly, larger parts first, every arm once', () => {
    expect(planShards(gpt(5), 2)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(planShards(gpt(5), 3)).toEqual([[0, 1], [2, 3], [4]]);
    expect(planShards(gpt(4), 4)).toEqual([[0], [1], [2], [3]]);
    expect(planShards(gpt(3), 1)).toEqual([[0, 1, 2]]);
    // Never more parts than arms, never fewer than one.
    expect(planShards(gpt(2), 5)).toEqual([[0], [1]]);
    expect(planShards(gpt(2), 0)).toEqual([[0, 1]]);
  });
  it('keeps the reference arm in part 0', () => {
    const run = gpt(5, { referenceArm: 3 });
    expect(referenceArmOf(run)).toBe(3);
    expect(planShards(run, 2)).toEqual([
      [0, 1, 3],
      [2, 4],
    ]);
    expect(planShards(run, 5)[0]).toEqual([3]);
    expect(referenceArmOf(bert(3))).toBe(0);
  });
});

describe('shardRun', () => {
  it('keeps the arms named, in order, and points the reference at its new place', () => {
    const run = gpt(5, { referenceArm: 3, track: [{ name: 'lnf.g', index: 0 }], factorError: true });
    const part = shardRun(run, [0, 1, 3]);
    expect(part.holdsReference).toBe(true);
    const r = part.run as GptRunSpec;
    expect(r.arms.map((a) => a.label)).toEqual(['arm 0', 'arm 1', 'arm 3']);
    expect(r.referenceArm).toBe(2);
    expect(r.track).toEqual(run.track);
    expect(r.factorError).toBe(true);
    expect(r.seed).toBe(run.seed);
  });
  it('a part without the reference tracks nothing and says so', () => {
    const run = gpt(5, { referenceArm: 3, track: [{ name: 'lnf.g', index: 0 }], factorError: true });
    const part = shardRun(run, [2, 4]);
    expect(part.holdsReference).toBe(false);
    const r = part.run as GptRunSpec;
    expect(r.arms.map((a) => a.label)).toEqual(['arm 2', 'arm 4']);
    expect(r.referenceArm).toBe(0);
    expect(r.track).toBeUndefined();
    expect(r.factorError).toBeUndefined();
  });
  it('BERT and encoder-decoder parts: arm 0 leads the part that holds it', () => {
    const part = shardRun(bert(3), [0, 2]);
    expect(part.holdsReference).toBe(true);
    expect(part.run.arms.map((a) => a.label)).toEqual(['arm 0', 'arm 2']);
    expect(shardRun(bert(3), [1]).holdsReference).toBe(false);
  });
});

describe('shardProblems', () => {
  const run: RunSpec = gpt(3);
  it('accepts a part of distinct arms of the run', () => {
    expect(shardProblems(run, [0, 2])).toEqual([]);
  });
  it('refuses an empty part, an arm out of range or not whole, an arm twice', () => {
    expect(shardProblems(run, [])).toHaveLength(1);
    expect(shardProblems(run, [3])[0]).toMatch(/from 0 to 2/);
    expect(shardProblems(run, [-1])).toHaveLength(1);
    expect(shardProblems(run, [0.5])).toHaveLength(1);
    expect(shardProblems(run, [1, 1])[0]).toMatch(/twice/);
  });
});
