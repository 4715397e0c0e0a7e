/**
 * What clipping does under Adam, on one parameter: its gradient is `base`
 * every step except one, where it is `spike` times larger. Adam's update is
 * traced with and without clipping the gradient to norm `clip` first (one
 * parameter, so its global norm is |g|). Each update is reported in units of
 * the learning rate, so 1 is a full step.
 *
 * Without clipping the spike enters m with weight `spike` and v with weight
 * spike², so for about 1/(1 - β₂) steps afterwards v̂ is inflated and every
 * ordinary gradient moves the parameter far less than η. Clipped, the spike
 * weighs no more than any gradient of norm `clip`.
 */
import { adamInit, adamStep, type AdamConfig } from './adam';
import { clipByGlobalNorm } from './clip';

export interface SpikeTraceConfig {
  steps: number;
  /** 1-based step at which the spike arrives. */
  spikeAt: number;
  /** The usual gradient (> 0). */
  base: number;
  /** How many times the usual gradient the spike is. */
  spike: number;
  /** The clipping threshold c of the clipped run. */
  clip: number;
  beta1: number;
  beta2: number;
}

export interface SpikeTrace {
  /** Update size / η at steps 1..steps, without clipping and with it. */
  unclipped: number[];
  clipped: number[];
}

function trace(cfg: SpikeTraceConfig, clip: number | null): number[] {
  const adam: AdamConfig = {
    lr: 1,
    beta1: cfg.beta1,
    beta2: cfg.beta2,
    eps: 0,
    weightDecay: 0,
    decoupledWeightDecay: false,
    biasCorrection: true,
  };
  const state = adamInit(1);
  const theta = new Float64Array(1);
  const out: number[] = [];
  for (let t = 1; t <= cfg.steps; t++) {
    const g = new Float64Array([t === cfg.spikeAt ? cfg.base * cfg.spike : cfg.base]);
    if (clip !== null) clipByGlobalNorm([g], clip);
    const before = theta[0];
    adamStep(theta, g, state, adam);
    // lr = 1, so the change is the update in units of η.
    out.push(Math.abs(theta[0] - before));
  }
  return out;
}

export function adamSpikeTrace(cfg: SpikeTraceConfig): SpikeTrace {
  if (!(cfg.base > 0) || !(cfg.spike > 0) || !(cfg.clip > 0))
    throw new RangeError('adamSpikeTrace: base, spike and clip must be > 0');
  if (!(cfg.spikeAt >= 1 && cfg.spikeAt <= cfg.steps))
    throw new RangeError('adamSpikeTrace: spikeAt must lie in 1..steps');
  return { unclipped: trace(cfg, null), clipped: trace(cfg, cfg.clip) };
}
