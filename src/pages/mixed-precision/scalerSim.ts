// An offline run of the dynamic loss scaler against a made-up gradient:
// a step overflows when the scaled largest gradient reaches FP16's overflow
// tie, so the scale climbs in steps of N until it hits that ceiling, backs
// off, and climbs again.
import { FP16_MAX, lossScaleInit, lossScaleUpdate, readNumber, type LossScaleConfig } from '../../core';

/** |g| * S at or above this rounds to Infinity in FP16 (the tie above 65504). */
export const FP16_OVERFLOW = (FP16_MAX + 2 ** 16) / 2;

export interface ScalerStep {
  step: number;
  /** The scale this step used. */
  scale: number;
  skipped: boolean;
}

/** Runs `steps` steps; `maxGrad(t)` is the largest |gradient| at step t. */
export function simulateScaler(steps: number, maxGrad: (t: number) => number, cfg: LossScaleConfig): ScalerStep[] {
  let state = lossScaleInit(cfg);
  const out: ScalerStep[] = [];
  for (let t = 0; t < steps; t++) {
    const overflow = maxGrad(t) * state.scale >= FP16_OVERFLOW;
    const r = lossScaleUpdate(state, overflow, cfg);
    out.push({ step: t, scale: state.scale, skipped: r.skip });
    state = r.state;
  }
  return out;
}

/** A steady largest gradient of 2^k, times 2^spike on every `every`-th step (every = 0: no spikes). */
export function spikyMaxGrad(k: number, every: number, spike: number): (t: number) => number {
  return (t) => 2 ** k * (every > 0 && (t + 1) % every === 0 ? 2 ** spike : 1);
}

/** The illustration's fields: [key, label, min, max]; all whole numbers. */
export const SIM_FIELDS = [
  ['k', 'Largest gradient, log₂', -30, 4],
  ['init', 'Initial scale, log₂', 0, 24],
  ['n', 'Growth interval N', 1, 1000],
  ['every', 'A spike every … steps (0: none)', 0, 1000],
  ['spike', 'Spike size, log₂', 0, 20],
] as const;

export type SimKey = (typeof SIM_FIELDS)[number][0];
export type SimValues = Record<SimKey, number>;

/** Raw field text to whole numbers in range, or a message per bad field. */
export function parseSimFields(raw: Record<SimKey, string>): {
  values: SimValues | null;
  errors: Partial<Record<SimKey, string>>;
} {
  const errors: Partial<Record<SimKey, string>> = {};
  const values = {} as SimValues;
  for (const [key, label, min, max] of SIM_FIELDS) {
    // core's number rule: hex refused, a literal that would be read as 0 refused with its own message.
    const read = readNumber(raw[key], label);
    const v = read.ok ? read.value : NaN;
    if (!read.ok && read.reason === 'underflow') errors[key] = read.error;
    else if (!Number.isInteger(v) || v < min || v > max)
      errors[key] = `${label}: a whole number from ${min} to ${max}.`;
    else values[key] = v;
  }
  return Object.keys(errors).length ? { values: null, errors } : { values, errors };
}
