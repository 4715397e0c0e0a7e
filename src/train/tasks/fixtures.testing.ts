// Small data and run specs shared by the engine and task tests: a repeated
// sentence for the GPT, synthetic documents for BERT and the encoder-decoder,
// and arm builders that spell out the new contract's per-arm settings.
import {
  buildCharTokenizer,
  buildWordTokenizer,
  makeRng,
  sentinelName,
  tokenId,
  type OptimizerSpec,
  type ScheduleConfig,
} from '../../core';
import type {
  BertArmSpec,
  BertRunSpec,
  DataSource,
  EncDecArmSpec,
  EncDecRunSpec,
  GptArmSpec,
  GptRunSpec,
  ModelSpec,
} from '../contract';
import { BERT_SPECIALS, type BertData } from '../data/bert';
import { SENTINEL_COUNT, type EncDecData } from '../data/encdec';
import type { GptData } from '../data/gpt';
import { Engine } from '../engine';
import { BertTask } from './bert';
import { EncDecTask } from './encdec';
import { GptTask } from './gpt';

/** The data is handed to the task directly; the run's source is never read. */
export const UNUSED: DataSource = { kind: 'text', train: '', heldOut: '' };

export const GPT_TEXT = 'the mouse ate the cheese. the cat ate the mouse. the dog ate the bone. '.repeat(20);

/** Characters of GPT_TEXT, its first 400 held out. */
export function gptData(): GptData {
  const tokenizer = buildCharTokenizer(GPT_TEXT);
  return {
    tokenizer,
    train: Int32Array.from(tokenizer.encode(GPT_TEXT)),
    heldOut: Int32Array.from(tokenizer.encode(GPT_TEXT.slice(0, 400))),
  };
}

export const TINY_GPT: ModelSpec = {
  tokenizer: 'char',
  wordVocab: 100,
  nLayers: 1,
  dModel: 16,
  nHeads: 2,
  contextLength: 8,
};

/** A schedule at `lr` (constant unless `over` says otherwise). */
export function constant(lr: number, over: Partial<ScheduleConfig> = {}): ScheduleConfig {
  return { kind: 'constant', lr, warmupSteps: 0, totalSteps: 100, minLrRatio: 1, ...over };
}

/** A GPT arm: its optimiser at peak rate `lr`, no clipping unless `extra` sets it. */
export function gptArm(
  label: string,
  optimizer: OptimizerSpec,
  lr: number,
  extra: Partial<GptArmSpec> = {},
): GptArmSpec {
  return { label, optimizer, schedule: constant(lr), clipNorm: null, ...extra };
}

export function gptRun(arms: GptArmSpec[], over: Partial<GptRunSpec> = {}): GptRunSpec {
  return { task: 'gpt', seed: 3, model: TINY_GPT, batchSize: 4, evalEvery: 10, data: UNUSED, arms, ...over };
}

export function gptEngine(run: GptRunSpec, data: GptData = gptData()): Engine<GptTask> {
  return new Engine(new GptTask(run, data));
}

/** Documents with structure to learn: each repeats one subject, sentences follow one pattern. */
export function syntheticDocs(n: number, seed: number): string[][] {
  const rng = makeRng(seed);
  const subjects = ['cat', 'dog', 'bird', 'mouse', 'fox', 'cow'];
  const verbs = ['ate', 'saw', 'liked', 'found'];
  const objects = ['cheese', 'seed', 'bone', 'grass', 'fish'];
  return Array.from({ length: n }, () => {
    const s = subjects[Math.floor(rng() * subjects.length)];
    return Array.from({ length: 6 }, () => {
      const v = verbs[Math.floor(rng() * verbs.length)];
      const o = objects[Math.floor(rng() * objects.length)];
      return `the ${s} ${v} the ${o} .`;
    });
  });
}

const TRAIN_DOCS = syntheticDocs(30, 1);
const HELD_OUT_DOCS = syntheticDocs(6, 2);

export function bertData(): BertData {
  const tokenizer = buildWordTokenizer(TRAIN_DOCS.flat().join(' '), 100, { specials: BERT_SPECIALS });
  const ids = {
    pad: tokenId(tokenizer, '[PAD]'),
    cls: tokenId(tokenizer, '[CLS]'),
    sep: tokenId(tokenizer, '[SEP]'),
    mask: tokenId(tokenizer, '[MASK]'),
  };
  const enc = (docs: string[][]) => docs.map((d) => d.map((s) => tokenizer.encode(s)));
  return { tokenizer, ids, train: enc(TRAIN_DOCS), heldOut: enc(HELD_OUT_DOCS) };
}

export function encDecData(): EncDecData {
  const specials = [
    '[PAD]',
    '<s>',
    '</s>',
    '[MASK]',
    ...Array.from({ length: SENTINEL_COUNT }, (_, i) => sentinelName(i)),
  ];
  const tokenizer = buildWordTokenizer(TRAIN_DOCS.flat().join(' '), 100, { specials });
  const ids = {
    pad: tokenId(tokenizer, '[PAD]'),
    bos: tokenId(tokenizer, '<s>'),
    eos: tokenId(tokenizer, '</s>'),
    mask: tokenId(tokenizer, '[MASK]'),
    sentinels: Array.from({ length: SENTINEL_COUNT }, (_, i) => tokenId(tokenizer, sentinelName(i))),
  };
  const enc = (docs: string[][]) => docs.map((d) => d.map((s) => tokenizer.encode(s)));
  return { tokenizer, ids, train: enc(TRAIN_DOCS), heldOut: enc(HELD_OUT_DOCS) };
}

/** The objective pages' optimiser: AdamW (beta2 0.99, no decay), clipping at 1. */
export const DEMO_ADAMW: OptimizerSpec = { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };

type Masking = Omit<BertArmSpec, 'optimizer' | 'schedule' | 'clipNorm'>;

export function bertRun(arms: Masking[], lr = 3e-3, over: Partial<BertRunSpec> = {}): BertRunSpec {
  return {
    task: 'bert',
    seed: 5,
    model: { wordVocab: 100, nLayers: 1, dModel: 16, nHeads: 2, maxLength: 16 },
    batchSize: 8,
    evalEvery: 10,
    data: UNUSED,
    arms: arms.map((a) => ({ ...a, optimizer: DEMO_ADAMW, schedule: constant(lr, { totalSteps: 1000 }), clipNorm: 1 })),
    ...over,
  };
}

export function bertEngine(run: BertRunSpec, data: BertData = bertData()): Engine<BertTask> {
  return new Engine(new BertTask(run, data));
}

type Objective = Omit<EncDecArmSpec, 'optimizer' | 'schedule' | 'clipNorm'>;

export function encDecRun(arms: Objective[], lr = 3e-3, over: Partial<EncDecRunSpec> = {}): EncDecRunSpec {
  return {
    task: 'encdec',
    seed: 9,
    model: { wordVocab: 100, nLayers: 1, dModel: 16, nHeads: 2, passageLength: 12 },
    batchSize: 4,
    evalEvery: 10,
    data: UNUSED,
    arms: arms.map((a) => ({ ...a, optimizer: DEMO_ADAMW, schedule: constant(lr), clipNorm: 1 })),
    ...over,
  };
}

export function encDecEngine(run: EncDecRunSpec, data: EncDecData = encDecData()): Engine<EncDecTask> {
  return new Engine(new EncDecTask(run, data));
}
