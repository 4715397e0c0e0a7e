/**
 * Loss scaling for mixed-precision training (Micikevicius/Narang et al., 2018),
 * as a pure state machine: the caller scales the loss by `state.scale`,
 * checks the scaled gradients for Inf/NaN, and passes the result here.
 *
 * Dynamic rule (the one PyTorch's GradScaler uses):
 *  - overflow (some scaled gradient is non-finite): skip the optimiser step,
 *    scale *= backoffFactor (never below minScale), goodSteps = 0;
 *  - otherwise goodSteps += 1, and when it reaches growthInterval:
 *    scale *= growthFactor (capped at maxScale), goodSteps = 0.
 * Static rule: the scale never changes; overflowing steps are still skipped,
 * since applying Inf/NaN gradients would destroy the weights.
 */

export interface LossScaleState {
  /** Current multiplier for the loss (and so for every gradient). */
  scale: number;
  /** Consecutive steps without overflow since the last growth or backoff. */
  goodSteps: number;
  /** Total steps skipped because of overflow. */
  skipped: number;
}

export interface LossScaleConfig {
  /** 'dynamic' adapts the scale; 'static' keeps initScale for ever. */
  kind: 'dynamic' | 'static';
  initScale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
  minScale: number;
  maxScale: number;
}

/**
 * Defaults of this notebook. initScale is 2^15, one halving below PyTorch's
 * 2^16: a scaled loss (or gradient) of magnitude 1 is 2^15 = 32768, still a
 * finite fp16 value, whereas 2^16 = 65536 is already past FP16_MAX (65504),
 * so with 2^16 the first step of the demo would almost always be skipped.
 * maxScale 2^24 keeps 2^-24 (the smallest fp16 subnormal) reachable from
 * gradients as small as 2^-48, and stops the scale drifting up for ever.
 */
export const LOSS_SCALE_DEFAULTS: LossScaleConfig = {
  kind: 'dynamic',
  initScale: 2 ** 15,
  growthFactor: 2,
  backoffFactor: 0.5,
  growthInterval: 2000,
  minScale: 1,
  maxScale: 2 ** 24,
};

/**
 * torch.cuda.amp.GradScaler(init_scale=65536.0, growth_factor=2.0,
 * backoff_factor=0.5, growth_interval=2000). PyTorch has no min or max
 * scale: its scale is a float32 tensor and a growth is dropped when the new
 * scale is not finite in float32. For power-of-two scales that is the same as
 * capping at 2^127, the largest power of two below float32's maximum; minScale
 * 0 means "no floor" (halving 2^-149 in float32 would give 0, not modelled).
 */
export const PYTORCH_GRAD_SCALER_DEFAULTS: LossScaleConfig = {
  kind: 'dynamic',
  initScale: 65536,
  growthFactor: 2,
  backoffFactor: 0.5,
  growthInterval: 2000,
  minScale: 0,
  maxScale: 2 ** 127,
};

/** A fixed scale: never grows or backs off. */
export function staticLossScaleConfig(scale: number): LossScaleConfig {
  return { ...LOSS_SCALE_DEFAULTS, kind: 'static', initScale: scale, minScale: scale, maxScale: scale };
}

/** Throws on a configuration the state machine cannot run. */
export function checkLossScaleConfig(cfg: LossScaleConfig): void {
  const bad = (msg: string) => {
    throw new Error(`loss scaling: ${msg}`);
  };
  if (cfg.kind !== 'dynamic' && cfg.kind !== 'static') bad(`unknown kind ${String(cfg.kind)}`);
  if (!(cfg.initScale > 0) || !Number.isFinite(cfg.initScale))
    bad(`initScale must be finite and > 0, got ${cfg.initScale}`);
  if (!(cfg.minScale >= 0) || !(cfg.maxScale >= cfg.minScale) || !Number.isFinite(cfg.maxScale)) {
    bad(`need 0 <= minScale <= maxScale < Infinity, got ${cfg.minScale}, ${cfg.maxScale}`);
  }
  if (cfg.initScale < cfg.minScale || cfg.initScale > cfg.maxScale) {
    bad(`initScale ${cfg.initScale} outside [${cfg.minScale}, ${cfg.maxScale}]`);
  }
  if (cfg.kind === 'dynamic') {
    if (!(cfg.growthFactor >= 1) || !Number.isFinite(cfg.growthFactor))
      bad(`growthFactor must be >= 1, got ${cfg.growthFactor}`);
    if (!(cfg.backoffFactor > 0 && cfg.backoffFactor <= 1))
      bad(`backoffFactor must be in (0, 1], got ${cfg.backoffFactor}`);
    if (!Number.isInteger(cfg.growthInterval) || cfg.growthInterval < 1) {
      bad(`growthInterval must be a positive integer, got ${cfg.growthInterval}`);
    }
  }
}

export function lossScaleInit(cfg: LossScaleConfig = LOSS_SCALE_DEFAULTS): LossScaleState {
  checkLossScaleConfig(cfg);
  return { scale: cfg.initScale, goodSteps: 0, skipped: 0 };
}

export interface LossScaleUpdate {
  state: LossScaleState;
  /** True when the optimiser step must be skipped (gradients overflowed). */
  skip: boolean;
}

/**
 * One step of the state machine. `foundNonFinite` says whether any scaled
 * gradient was Inf or NaN. Returns a new state; the input is not modified.
 */
export function lossScaleUpdate(
  state: LossScaleState,
  foundNonFinite: boolean,
  cfg: LossScaleConfig = LOSS_SCALE_DEFAULTS,
): LossScaleUpdate {
  checkLossScaleConfig(cfg);
  if (foundNonFinite) {
    const scale = cfg.kind === 'static' ? state.scale : Math.max(state.scale * cfg.backoffFactor, cfg.minScale);
    return { state: { scale, goodSteps: 0, skipped: state.skipped + 1 }, skip: true };
  }
  const good = state.goodSteps + 1;
  if (cfg.kind === 'dynamic' && good >= cfg.growthInterval) {
    const scale = Math.min(state.scale * cfg.growthFactor, cfg.maxScale);
    return { state: { scale, goodSteps: 0, skipped: state.skipped }, skip: false };
  }
  return { state: { scale: state.scale, goodSteps: good, skipped: state.skipped }, skip: false };
}

/** Runs a whole overflow sequence; element i is the state after step i. */
export function lossScaleTrace(
  overflows: readonly boolean[],
  cfg: LossScaleConfig = LOSS_SCALE_DEFAULTS,
): { state: LossScaleState; skip: boolean }[] {
  let state = lossScaleInit(cfg);
  return overflows.map((o) => {
    const r = lossScaleUpdate(state, o, cfg);
    state = r.state;
    return r;
  });
}
