// The stacked bars of the memory picture: one bar per optimiser x precision,
// one segment per part of the training state, widths relative to the longest
// bar. Pure, so the arithmetic behind the picture is tested without a DOM.
import {
  OPTIMIZER_KINDS,
  trainingMemory,
  type ModelSize,
  type OptimizerKind,
  type PrecisionMode,
} from '../../core/optim';

export type SegmentKind = 'weights' | 'gradients' | 'master' | 'state';

export interface BarSegment {
  kind: SegmentKind;
  bytes: number;
  /** Width as a share of the longest bar, in [0, 1]. */
  share: number;
  /** What the segment holds, e.g. "θ FP16" or "m, v FP32". */
  label: string;
}

export interface MemoryBar {
  id: string;
  optimizer: OptimizerKind;
  precision: PrecisionMode;
  title: string;
  total: number;
  bytesPerParameter: number;
  /** Numbers stored per parameter (2 for SGD in FP32, 4 for Adam). */
  valuesPerParameter: number;
  /** total / longest total, in (0, 1]. */
  share: number;
  segments: BarSegment[];
}

/** A bar that cannot be priced (AdaFactor from a bare parameter count), with the reason. */
export interface MissingBar {
  id: string;
  optimizer: OptimizerKind;
  precision: PrecisionMode;
  title: string;
  missing: string;
}

export const PRECISIONS: readonly PrecisionMode[] = ['fp32', 'mixed'];

export const OPTIMIZER_LABEL: Record<OptimizerKind, string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  adam: 'Adam',
  adafactor: 'AdaFactor',
};

export const PRECISION_LABEL: Record<PrecisionMode, string> = {
  fp32: 'FP32',
  mixed: 'mixed precision',
};

export const SEGMENT_LEGEND: Record<SegmentKind, string> = {
  weights: 'weights θ',
  gradients: 'gradients g',
  master: 'FP32 master copy of θ',
  state: 'optimiser state',
};

const STATE_LABEL: Record<OptimizerKind, string> = {
  sgd: '',
  momentum: 'momentum FP32',
  adam: 'm, v FP32',
  adafactor: 'row + column stats FP32',
};

export function barId(optimizer: OptimizerKind, precision: PrecisionMode): string {
  return `${optimizer}-${precision}`;
}

export function isMissing(bar: MemoryBar | MissingBar): bar is MissingBar {
  return 'missing' in bar;
}

/**
 * Every optimiser in both precisions, in OPTIMIZER_KINDS order with FP32
 * first. Empty parts (no master copy in FP32, no state for SGD) get no
 * segment. AdaFactor needs matrix shapes; from a bare count it is a MissingBar.
 */
export function memoryBars(model: ModelSize): (MemoryBar | MissingBar)[] {
  const shaped = typeof model !== 'number';
  const priced = OPTIMIZER_KINDS.flatMap((optimizer) =>
    PRECISIONS.map((precision) => ({
      optimizer,
      precision,
      memory: optimizer === 'adafactor' && !shaped ? null : trainingMemory(model, optimizer, precision),
    })),
  );
  const longest = Math.max(...priced.map((p) => p.memory?.total ?? 0));
  return priced.map(({ optimizer, precision, memory }) => {
    const id = barId(optimizer, precision);
    const title = `${OPTIMIZER_LABEL[optimizer]}, ${PRECISION_LABEL[precision]}`;
    if (!memory) {
      return {
        id,
        optimizer,
        precision,
        title,
        missing: 'AdaFactor’s state depends on the shape of every matrix, not only on the parameter count.',
      };
    }
    const width = precision === 'fp32' ? 'FP32' : 'FP16';
    const parts: [SegmentKind, number, string][] = [
      ['weights', memory.parameters, `θ ${width}`],
      ['gradients', memory.gradients, `g ${width}`],
      ['master', memory.masterWeights, 'master θ FP32'],
      ['state', memory.optimizerState, STATE_LABEL[optimizer]],
    ];
    return {
      id,
      optimizer,
      precision,
      title,
      total: memory.total,
      bytesPerParameter: memory.bytesPerParameter,
      valuesPerParameter: memory.valuesPerParameter,
      share: memory.total / longest,
      segments: parts
        .filter(([, bytes]) => bytes > 0)
        .map(([kind, bytes, label]) => ({ kind, bytes, share: bytes / longest, label })),
    };
  });
}
