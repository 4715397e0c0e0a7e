// The memory page's URL-bound tables: the live tiny GPT (layers, width, heads
// and backend; the rest are the decoder page's defaults) and the calculator's
// model choice, custom count and custom GPT config. They are separate forms,
// so a bad custom field never blocks a preset button or the trainer.
import { defaultValues, pickRows, type ParamTable, type ValuesOf } from '../../core/params';
import {
  countParameters,
  gptDecoderShapes,
  MODEL_PRESETS,
  type ModelSize,
  type ParameterTensor,
} from '../../core/optim';
import type { BackendChoice, DataSource, GptRunSpec } from '../../train/contract';
import { DECODER_PARAMS, decoderCrossCheck, toRunSpec } from '../tinyGpt';

/** The decoder page's rows for what this page lets you change; same keys, limits and defaults. */
export const TRAINER_PARAMS = pickRows(DECODER_PARAMS, ['layers', 'width', 'heads', 'backend']);
export type TrainerValues = ValuesOf<typeof TRAINER_PARAMS>;

/** The decoder page's rules; the step budget's message (beside the batch there) goes beside the width here. */
export function trainerCrossCheck(v: TrainerValues): Record<string, string> {
  const { batch, ...errors } = decoderCrossCheck({ ...defaultValues(DECODER_PARAMS), ...v });
  return batch === undefined ? errors : { ...errors, width: batch };
}

export function backendOf(v: TrainerValues): BackendChoice {
  return v.backend;
}

/** The decoder page's default run with this page's layers, width and heads. */
export function tinyRun(v: TrainerValues, data: DataSource): GptRunSpec {
  // This page shows the factored second moment's error, so its run computes it.
  return { ...toRunSpec({ ...defaultValues(DECODER_PARAMS), ...v }, data), factorError: true };
}

export const MODEL_CHOICES = ['tiny', ...MODEL_PRESETS.map((p) => p.id), 'custom-gpt', 'custom-count'] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number];

/**
 * Largest parameter count the calculator takes: Adam's 16 bytes a parameter
 * must stay an exact integer in a double (2^53 / 16 is about 5.6e14).
 */
export const MAX_PARAMETERS = 100_000_000_000_000;

/** Which model the calculator prices: a preset button or one of the two custom forms. */
export const MODEL_PARAMS = [
  { kind: 'enum', key: 'model', label: 'Model', default: 'gpt2-xl', options: MODEL_CHOICES },
] as const satisfies ParamTable;

export const CALC_COUNT_PARAMS = [
  {
    kind: 'int',
    key: 'c_params',
    label: 'Parameter count',
    default: 1_000_000_000,
    min: 1,
    max: MAX_PARAMETERS,
    help: 'A whole number; 7e9 works',
  },
] as const satisfies ParamTable;

export const CALC_GPT_PARAMS = [
  { kind: 'int', key: 'c_layers', label: 'Layers L', default: 12, min: 1, max: 1000 },
  { kind: 'int', key: 'c_d', label: 'd_model', default: 768, min: 1, max: 100_000 },
  { kind: 'int', key: 'c_vocab', label: 'Vocabulary V', default: 50257, min: 1, max: 10_000_000 },
  {
    kind: 'int',
    key: 'c_ctx',
    label: 'Context T',
    default: 1024,
    min: 1,
    max: 1_000_000,
    help: 'Rows of the learned position table',
  },
] as const satisfies ParamTable;

type CalcGptValues = ValuesOf<typeof CALC_GPT_PARAMS>;
/** The three calculator tables' values, merged. */
export type CalcValues = ValuesOf<typeof MODEL_PARAMS> & ValuesOf<typeof CALC_COUNT_PARAMS> & CalcGptValues;

function customGpt(v: CalcGptValues): ParameterTensor[] {
  return gptDecoderShapes({ layers: v.c_layers, dModel: v.c_d, vocab: v.c_vocab, context: v.c_ctx });
}

function tooLarge(P: number): string {
  return `This configuration has ${P.toLocaleString('en-US')} parameters; the calculator stops at ${MAX_PARAMETERS.toLocaleString('en-US')} (1e14).`;
}

/** A custom GPT too large to price exactly gets its message beside d_model. */
export function calcGptCrossCheck(v: CalcGptValues): Record<string, string> {
  const P = countParameters(customGpt(v));
  return P > MAX_PARAMETERS ? { c_d: tooLarge(P) } : {};
}

export interface TinyShape {
  layers: number;
  width: number;
  context: number;
  /** Known once the worker has built the tokenizer. */
  vocab: number | null;
}

export type Selection =
  | {
      ready: true;
      choice: ModelChoice;
      label: string;
      model: ModelSize;
      tensors: ParameterTensor[] | null;
      parameterCount: number;
      nominal: number | null;
    }
  | { ready: false; choice: ModelChoice; label: string; waiting: string };

export const CHOICE_LABEL: Record<ModelChoice, string> = {
  tiny: 'Tiny GPT (this page)',
  ...(Object.fromEntries(MODEL_PRESETS.map((p) => [p.id, p.label])) as Record<
    (typeof MODEL_PRESETS)[number]['id'],
    string
  >),
  'custom-gpt': 'Custom GPT',
  'custom-count': 'Custom count',
};

/** The tiny GPT's shape: this page's layers and width, the decoder page's context. */
export function tinyShape(v: TrainerValues, vocab: number | null): TinyShape {
  return { layers: v.layers, width: v.width, context: defaultValues(DECODER_PARAMS).ctx, vocab };
}

/** The model the calculator prices, from the three calculator tables' values (merged) and the live tiny GPT's shape. */
export function selectModel(v: CalcValues, tiny: TinyShape): Selection {
  const choice = v.model;
  const label = CHOICE_LABEL[choice];
  const shaped = (tensors: ParameterTensor[], nominal: number | null): Selection => ({
    ready: true,
    choice,
    label,
    model: tensors,
    tensors,
    parameterCount: countParameters(tensors),
    nominal,
  });
  if (choice === 'tiny') {
    if (tiny.vocab === null)
      return {
        ready: false,
        choice,
        label,
        waiting: 'Waiting for the tiny GPT’s vocabulary: the training worker is building its tokenizer.',
      };
    return shaped(
      gptDecoderShapes({ layers: tiny.layers, dModel: tiny.width, vocab: tiny.vocab, context: tiny.context }),
      null,
    );
  }
  if (choice === 'custom-gpt') {
    // A link can carry a config that passes each field's range but not the size check.
    const tensors = customGpt(v);
    const P = countParameters(tensors);
    if (P > MAX_PARAMETERS) return { ready: false, choice, label, waiting: tooLarge(P) };
    return shaped(tensors, null);
  }
  if (choice === 'custom-count') {
    const P = v.c_params;
    return { ready: true, choice, label, model: P, tensors: null, parameterCount: P, nominal: null };
  }
  const preset = MODEL_PRESETS.find((p) => p.id === choice);
  if (!preset) throw new RangeError(`selectModel: unknown model ${JSON.stringify(choice)}`);
  return shaped(preset.tensors, preset.nominalParameters);
}
