// Which run a page's link describes, for `npm run export`: each trainer page's
// own parameter table, cross check and run builder, exactly as the page calls
// them, so the command line exports what the button on that page exports.
import { parseParams, type ParamTable, type ValuesOf, type CrossRules } from '../../src/core/params';
import { ENCDEC_PARAMS, encdecCrossCheck, toEncDecRun } from '../../src/pages/encoder-decoder/params';
import { bertArm, ENCODER_PARAMS, encoderCrossCheck, toBertRun } from '../../src/pages/encoder-only/params';
import { parseAblations } from '../../src/pages/gpt3-recipe/ablations';
import { RECIPE_PARAMS, recipeCrossCheck, toRecipeRun } from '../../src/pages/gpt3-recipe/params';
import {
  RACE_PARAMS as INIT_PARAMS,
  raceCrossCheck as initCrossCheck,
  toInitRun,
} from '../../src/pages/initialization/params';
import { toWarmupRun, WARMUP_PARAMS, warmupCrossCheck } from '../../src/pages/learning-rates/params';
import { tinyRun, TRAINER_PARAMS, trainerCrossCheck } from '../../src/pages/memory/params';
import { MP_PARAMS, mixedCrossCheck, toMixedRun } from '../../src/pages/mixed-precision/params';
import { RACE_PARAMS, raceCrossCheck, toRaceRun } from '../../src/pages/sgd-adam/params';
import { DECODER_PARAMS, decoderCrossCheck, toRunSpec } from '../../src/pages/tinyGpt';
import type { DataSource, RunSpec } from '../../src/train/contract';

/** The bundled corpus as a page names it; the exported script reads <name>.json next to itself. */
export function corpusData(name: 'brown' | 'toy'): DataSource {
  return { kind: 'corpus', name, url: `corpus/${name}.json` };
}

export interface PageExport {
  /** The file stem of the exported files. */
  stem: string;
  /** The run the page trains for this query; notices say what of the link was ignored. */
  build(query: URLSearchParams): { run: RunSpec; notices: string[] };
}

/** A page whose run is its table's values and the Brown corpus. */
function tablePage<T extends ParamTable>(
  stem: string,
  table: T,
  cross: CrossRules<T>,
  toRun: (v: ValuesOf<T>, data: DataSource, query: URLSearchParams) => RunSpec,
): PageExport {
  return {
    stem,
    build(query) {
      const { values, notices } = parseParams(table, query, cross);
      return { run: toRun(values, corpusData('brown'), query), notices };
    },
  };
}

/** The trainer pages by the last segment of their route (#/objectives/decoder-only -> 'decoder-only'). */
export const PAGE_EXPORTS: Record<string, PageExport> = {
  'decoder-only': {
    stem: 'decoder-only',
    build(query) {
      const { values, notices } = parseParams(DECODER_PARAMS, query, decoderCrossCheck);
      if (values.corpus === 'custom') {
        throw new Error('A pasted text is not in the link: export it with the page’s Export to PyTorch button.');
      }
      return { run: toRunSpec(values, corpusData(values.corpus)), notices };
    },
  },
  // The page's main trainer (MLM + NSP, one BERT); its races have their own buttons.
  'encoder-only': tablePage('encoder-only', ENCODER_PARAMS, encoderCrossCheck, (v, d) => toBertRun(v, d, [bertArm(v)])),
  'encoder-decoder': tablePage('encoder-decoder', ENCDEC_PARAMS, encdecCrossCheck, (v, d) => toEncDecRun(v, d)),
  'learning-rates': tablePage('learning-rates', WARMUP_PARAMS, warmupCrossCheck, (v, d) => toWarmupRun(v, d)),
  'sgd-adam': tablePage('sgd-adam', RACE_PARAMS, raceCrossCheck, (v, d) => toRaceRun(v, d)),
  initialization: tablePage('initialization', INIT_PARAMS, initCrossCheck, (v, d) => toInitRun(v, d)),
  memory: tablePage('memory', TRAINER_PARAMS, trainerCrossCheck, (v, d) => tinyRun(v, d)),
  'mixed-precision': tablePage('mixed-precision', MP_PARAMS, mixedCrossCheck, (v, d) => toMixedRun(v, d)),
  'gpt3-recipe': tablePage('gpt3-recipe', RECIPE_PARAMS, recipeCrossCheck, (v, d, q) =>
    toRecipeRun(v, parseAblations(q.get('ablate')).ids, d),
  ),
};

/** The page and query a hash names ('#/objectives/decoder-only?lr=0.01', '#/decoder-only', 'decoder-only'). */
export function pageOfHash(hash: string): { page: PageExport; query: URLSearchParams } {
  const body = hash.trim().replace(/^#?\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  const key = path.split('/').filter(Boolean).at(-1) ?? '';
  const page = PAGE_EXPORTS[key];
  if (!page) {
    throw new Error(`No exportable trainer at '${path}'. Pages: ${Object.keys(PAGE_EXPORTS).join(', ')}.`);
  }
  return { page, query: new URLSearchParams(q === -1 ? '' : body.slice(q + 1)) };
}
