// Which optimiser an arm trains with, as plain data (a run spec crosses to the
// worker as JSON). The rate is not here: it is the arm's schedule's `lr`, and
// the optimiser's update receives each step's `lr` from lrAt.
import type { AdafactorConfig } from './adafactor';

/**
 * Anything left out takes the default listed:
 *   sgd        weightDecay 0                                   (torch.optim.SGD, momentum 0)
 *   momentum   momentum 0.9, nesterov false, weightDecay 0
 *   adam       beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0 (L2, coupled), biasCorrection true
 *   adamw      as adam but weightDecay 0.01, decoupled         (torch.optim.AdamW's defaults)
 *   adafactor  ADAFACTOR_DEFAULTS (the paper's: relative step, decayRate -0.8, beta1 0, clipThreshold 1, ...)
 * The first four also take decayAll (see DecaySet).
 */
export type OptimizerSpec =
  | ({ kind: 'sgd'; weightDecay?: number } & DecaySet)
  | ({ kind: 'momentum'; momentum?: number; nesterov?: boolean; weightDecay?: number } & DecaySet)
  | ({
      kind: 'adam' | 'adamw';
      beta1?: number;
      beta2?: number;
      eps?: number;
      weightDecay?: number;
      biasCorrection?: boolean;
    } & DecaySet)
  | ({ kind: 'adafactor' } & Partial<Omit<AdafactorConfig, 'lr'>>);

/** Which parameters the weight decay of an SGD, momentum, Adam or AdamW spec applies to. */
export interface DecaySet {
  /**
   * true: every parameter (one PyTorch param group). Default false: only the
   * weight matrices of linear layers, not embeddings, LayerNorm gains and
   * biases or other biases, as GPT codebases do.
   */
  decayAll?: boolean;
}

/** Whether a spec decays every parameter (AdaFactor has no weight decay: false). */
export function decaysAll(spec: OptimizerSpec): boolean {
  return spec.kind !== 'adafactor' && spec.decayAll === true;
}
