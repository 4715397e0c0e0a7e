// What a training step needs from an optimiser, and a factory that builds any
// of the tensor optimisers from a plain (JSON-able) spec, so a session can
// switch between SGD, momentum, Adam, AdamW and AdaFactor without knowing which.
import type * as tf from '@tensorflow/tfjs-core';
import { ADAFACTOR_DEFAULTS, type AdafactorConfig } from '../../core/optim/adafactor';
import { TensorAdafactor, type TensorAdafactorState } from './adafactor';
import { TensorAdam, type TensorAdamConfig, type TensorAdamState } from './adam';
import { TensorSgd, type TensorSgdConfig, type TensorSgdState } from './sgd';

export interface TensorOptimizer {
  /**
   * One update of every parameter in `grads` (keyed by parameter name) at this
   * step's learning rate. `gradScale`, a scalar tensor (the clipping factor),
   * multiplies every gradient before it enters the update. Runs in its own
   * tf.tidy; reads nothing back.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, gradScale?: tf.Scalar): void;
  /** The live state (tf.Variables, not copies); `step` counts the updates taken. */
  state(): { step: number };
  /** Frees the optimiser's own tensors (not the parameters). */
  dispose(): void;
}

/**
 * Which optimiser, with its hyperparameters; anything left out takes the
 * default listed. `lr` is the nominal rate: step() receives each step's
 * scheduled rate (AdaFactor with relativeStep ignores it).
 *   sgd        lr 0.01, weightDecay 0                         (torch.optim.SGD, momentum 0)
 *   momentum   lr 0.01, momentum 0.9, nesterov false, weightDecay 0
 *   adam       lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0 (L2, coupled), biasCorrection true
 *   adamw      as adam but weightDecay 0.01, decoupled        (torch.optim.AdamW's defaults)
 *   adafactor  ADAFACTOR_DEFAULTS (the paper's: relative step, decayRate -0.8, beta1 0, clipThreshold 1, ...)
 * The first four also take decayAll (default false: weight decay applies to
 * the weight matrices only; see DecaySet).
 */
export type OptimizerSpec =
  | ({ kind: 'sgd'; lr?: number; weightDecay?: number } & DecaySet)
  | ({ kind: 'momentum'; lr?: number; momentum?: number; nesterov?: boolean; weightDecay?: number } & DecaySet)
  | ({ kind: 'adam' | 'adamw'; lr?: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; biasCorrection?: boolean } & DecaySet)
  | ({ kind: 'adafactor' } & Partial<AdafactorConfig>);

/** Which parameters the weight decay of an SGD, momentum, Adam or AdamW spec applies to. */
export interface DecaySet {
  /**
   * true: every parameter (one PyTorch param group). Default false: only the
   * weight matrices of linear layers, not embeddings, LayerNorm gains and
   * biases or other biases, as GPT codebases do (decayedByDefault in decay.ts).
   */
  decayAll?: boolean;
}

/** Whether a spec decays every parameter (AdaFactor has no weight decay: false). */
export function decaysAll(spec: OptimizerSpec): boolean {
  return spec.kind !== 'adafactor' && spec.decayAll === true;
}

export type OptimizerKind = OptimizerSpec['kind'];

/** The class makeOptimizer returns for each kind. */
export type OptimizerFor<K extends OptimizerKind> = K extends 'sgd' | 'momentum'
  ? TensorSgd
  : K extends 'adam' | 'adamw'
    ? TensorAdam
    : TensorAdafactor;

/** The full config a spec resolves to (defaults filled in). */
export function resolveSpec(spec: OptimizerSpec): TensorSgdConfig | TensorAdamConfig | AdafactorConfig {
  switch (spec.kind) {
    case 'sgd':
      return { lr: spec.lr ?? 0.01, momentum: 0, weightDecay: spec.weightDecay ?? 0, nesterov: false };
    case 'momentum':
      return {
        lr: spec.lr ?? 0.01,
        momentum: spec.momentum ?? 0.9,
        weightDecay: spec.weightDecay ?? 0,
        nesterov: spec.nesterov ?? false,
      };
    case 'adam':
    case 'adamw': {
      const decoupled = spec.kind === 'adamw';
      return {
        lr: spec.lr ?? 1e-3,
        beta1: spec.beta1 ?? 0.9,
        beta2: spec.beta2 ?? 0.999,
        eps: spec.eps ?? 1e-8,
        weightDecay: spec.weightDecay ?? (decoupled ? 0.01 : 0),
        decoupledWeightDecay: decoupled,
        biasCorrection: spec.biasCorrection ?? true,
      };
    }
    case 'adafactor': {
      const { kind: _kind, ...rest } = spec;
      // Only defined fields override the defaults ({lr: undefined} keeps lr's default).
      const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      return { ...ADAFACTOR_DEFAULTS, ...given };
    }
  }
}

/**
 * Builds the optimiser a spec names over `params`. `decays(name)` picks the
 * parameters weight decay applies to (SGD, momentum, Adam, AdamW; AdaFactor
 * has no weight decay); default: all. Sessions pass
 * decaysFor(names, decaysAll(spec)) (decay.ts), which honours spec.decayAll.
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
      out = new TensorAdafactor(params, config as AdafactorConfig);
      break;
    default:
      throw new RangeError(`makeOptimizer: unknown kind '${(spec as { kind: string }).kind}'`);
  }
  return out as OptimizerFor<S['kind']>;
}

/** Any optimiser's state, tagged, for a UI that does not know which optimiser it shows. */
export type TaggedOptimizerState =
  | { kind: 'sgd'; config: TensorSgdConfig; state: TensorSgdState }
  | { kind: 'adam'; config: TensorAdamConfig; state: TensorAdamState }
  | { kind: 'adafactor'; config: AdafactorConfig; state: TensorAdafactorState };

export function describeOptimizer(opt: TensorOptimizer): TaggedOptimizerState {
  if (opt instanceof TensorSgd) return { kind: 'sgd', config: opt.config, state: opt.state() };
  if (opt instanceof TensorAdam) return { kind: 'adam', config: opt.config, state: opt.state() };
  if (opt instanceof TensorAdafactor) return { kind: 'adafactor', config: opt.config, state: opt.state() };
  throw new TypeError('describeOptimizer: not one of TensorSgd, TensorAdam, TensorAdafactor');
}

