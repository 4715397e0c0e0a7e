// The races `race.measure.ts` can run: each page's parameter table and run builder.
import { asValues, type ParamSpec, type ParamTable, type ParamValues, type ValuesOf } from '../../src/core/params';
import type { DataSource, GptRunSpec, StepPoint } from '../../src/train/contract';
import { RECIPE_PARAMS, toRecipeRun, toWdRun, WD_PARAMS } from '../../src/pages/gpt3-recipe/params';
import { DEFAULT_ABLATIONS, parseAblations } from '../../src/pages/gpt3-recipe/ablations';
import { toWarmupRun, WARMUP_PARAMS } from '../../src/pages/learning-rates/params';
import { RACE_PARAMS as INIT_PARAMS, toInitRun } from '../../src/pages/initialization/params';
import { MP_PARAMS, toMixedRun } from '../../src/pages/mixed-precision/params';

export interface Race {
  name: string;
  params: readonly ParamSpec[];
  build(values: ParamValues, data: DataSource): GptRunSpec;
  /** Something more to print from the last chunk of steps. */
  extra?(points: StepPoint[]): string;
}

/** A race of one page's table, its values typed while it is declared; the record holds them untyped. */
function race<T extends ParamTable>(
  r: Omit<Race, 'params' | 'build'> & { params: T; build(values: ValuesOf<T>, data: DataSource): GptRunSpec },
): Race {
  return { ...r, build: (values, data) => r.build(asValues<T>(values), data) };
}

export const RACES: Record<string, Race> = {
  recipe: race({
    name: 'GPT-3 recipe ablations',
    params: RECIPE_PARAMS,
    build: (v, data) =>
      toRecipeRun(v, process.env.ABLATE ? parseAblations(process.env.ABLATE).ids : DEFAULT_ABLATIONS, data),
  }),
  init: race({ name: 'one arm per initialisation', params: INIT_PARAMS, build: toInitRun }),
  decay: race({ name: 'Adam + L2 against AdamW', params: WD_PARAMS, build: toWdRun }),
  warmup: race({ name: 'warmup against none', params: WARMUP_PARAMS, build: toWarmupRun }),
  fp16: race({
    name: 'FP32 against simulated FP16',
    params: MP_PARAMS,
    build: toMixedRun,
    extra: (points) => {
      const last = points.at(-1)!;
      return `loss scale ${last.arms!.map((a) => a.lossScale ?? '-').join(' ')}, skipped so far in this chunk ${points.reduce((n, p) => n + (p.arms![2]?.skipped ?? 0), 0)}`;
    },
  }),
};
