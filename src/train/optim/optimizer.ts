// A factory that builds any of the tensor optimisers from a plain (JSON-able)
// spec (core's OptimizerSpec), so the engine can switch between SGD, momentum,
// Adam, AdamW and AdaFactor without knowing which. No spec or config carries a
// rate: every step() receives the arm's scheduled lr.
import type * as tf from '@tensorflow/tfjs-core';
import { ADAFACTOR_DEFAULTS, decaysAll, type OptimizerSpec } from '../../core/optim';
import { TensorAdafactor, type TensorAdafactorConfig, type TensorAdafactorState } from './adafactor';
import { TensorAdam, type TensorAdamConfig, type TensorAdamState } from './adam';
import { decaysFor } from './decay';
import { TensorSgd, type TensorSgdConfig, type TensorSgdState } from './sgd';
import type { TensorOptimizer } from './tensorOptimizer';

export type { TensorOptimizer } from './tensorOptimizer';
export type OptimizerKind = OptimizerSpec['kind'];

/** The class makeOptimizer returns for each kind. */
export type OptimizerFor<K extends OptimizerKind> = K extends 'sgd' | 'momentum'
  ? TensorSgd
  : K extends 'adam' | 'adamw'
    ? TensorAdam
    : TensorAdafactor;

/** The full config a spec resolves to (defaults filled in). */
export function resolveSpec(spec: OptimizerSpec): TensorSgdConfig | TensorAdamConfig | TensorAdafactorConfig {
  switch (spec.kind) {
    case 'sgd':
      return { momentum: 0, weightDecay: spec.weightDecay ?? 0, nesterov: false };
    case 'momentum':
      return {
        momentum: spec.momentum ?? 0.9,
        weightDecay: spec.weightDecay ?? 0,
        nesterov: spec.nesterov ?? false,
      };
    case 'adam':
    case 'adamw': {
      const decoupled = spec.kind === 'adamw';
      return {
        beta1: spec.beta1 ?? 0.9,
        beta2: spec.beta2 ?? 0.999,
        eps: spec.eps ?? 1e-8,
        weightDecay: spec.weightDecay ?? (decoupled ? 0.01 : 0),
        decoupledWeightDecay: decoupled,
        biasCorrection: spec.biasCorrection ?? true,
      };
    }
    case 'adafactor': {
      const { lr: _lr, ...defaults } = ADAFACTOR_DEFAULTS;
      // Only defined fields override the defaults ({beta1: undefined} keeps beta1's
      // default); a stray lr (an old link's) is dropped, the schedule gives the rate.
      const given = Object.fromEntries(
        Object.entries(spec).filter(([k, v]) => v !== undefined && k !== 'kind' && k !== 'lr'),
      );
      return { ...defaults, ...given };
    }
  }
}

/**
 * Builds the optimiser a spec names over `params`. `decays(name)` picks the
 * parameters weight decay applies to (SGD, momentum, Adam, AdamW; AdaFactor
 * has no weight decay); default: all. The engine passes
 * decaysFor(names, decaysAll(spec)) (decay.ts, core's decaysAll), which honours spec.decayAll.
 */
export function makeOptimizer<S extends OptimizerSpec>(
  params: Record<string, tf.Variable>,
  spec: S,
  decays?: (name: string) => boolean,
): OptimizerFor<S['kind']> {
  const config = resolveSpec(spec);
  let out: TensorOptimizer;
  switch (spec.kind) {
    case 'sgd':
    case 'momentum':
      out = new TensorSgd(params, config as TensorSgdConfig, decays);
      break;
    case 'adam':
    case 'adamw':
      // Also the compile-time check that TensorAdam satisfies TensorOptimizer (structurally).
      out = new TensorAdam(params, config as TensorAdamConfig, decays);
      break;
    case 'adafactor':
      out = new TensorAdafactor(params, config as TensorAdafactorConfig);
      break;
    default:
      throw new RangeError(`makeOptimizer: unknown kind '${(spec as { kind: string }).kind}'`);
  }
  return out as OptimizerFor<S['kind']>;
}

/**
 * An arm's optimiser as the engine builds it: its spec over its parameters,
 * weight decay on the weight matrices only unless the spec says decayAll.
 */
export function optimizerFor(params: Record<string, tf.Variable>, spec: OptimizerSpec): TensorOptimizer {
  return makeOptimizer(params, spec, decaysFor(Object.keys(params), decaysAll(spec)));
}

/** Any optimiser's state, tagged, for a UI that does not know which optimiser it shows. */
export type TaggedOptimizerState =
  | { kind: 'sgd'; config: TensorSgdConfig; state: TensorSgdState }
  | { kind: 'adam'; config: TensorAdamConfig; state: TensorAdamState }
  | { kind: 'adafactor'; config: TensorAdafactorConfig; state: TensorAdafactorState };

export function describeOptimizer(opt: TensorOptimizer): TaggedOptimizerState {
  if (opt instanceof TensorSgd) return { kind: 'sgd', config: opt.config, state: opt.state() };
  if (opt instanceof TensorAdam) return { kind: 'adam', config: opt.config, state: opt.state() };
  if (opt instanceof TensorAdafactor) return { kind: 'adafactor', config: opt.config, state: opt.state() };
  throw new TypeError('describeOptimizer: not one of TensorSgd, TensorAdam, TensorAdafactor');
}
