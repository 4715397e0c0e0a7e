/**
 * The race's settings as a declarative table: which fields each optimiser has, their
 * ranges, and parsing from what the user typed. Drafts are the raw text; only a fully
 * valid set becomes a RaceSettings, so a half-typed value never reaches runRace.
 */
import { readNumber } from '../../../core/params';
import { runRace, type RacerConfig, type RacerKind } from '../../../core/optim/race';
import type { Surface2D } from '../../../core/optim/surfaces';
import { RACER_KINDS } from './racerStyle';

export type FieldKey = 'lr' | 'momentum' | 'beta1' | 'beta2' | 'weightDecay' | 'decayRate';

export interface NumberFieldSpec {
  label: string;
  min: number;
  max: number;
  /** true: max itself is not allowed (betas must stay below 1). */
  maxExclusive?: boolean;
  integer?: boolean;
  help?: string;
}

export const FIELD_SPECS: Record<FieldKey, NumberFieldSpec> = {
  // Large enough to make anything diverge; the race stops a racer that leaves the box.
  lr: { label: 'Learning rate η', min: 0, max: 10 },
  momentum: { label: 'Momentum μ', min: 0, max: 1, maxExclusive: true },
  beta1: { label: 'β₁', min: 0, max: 1, maxExclusive: true },
  beta2: { label: 'β₂', min: 0, max: 1, maxExclusive: true },
  weightDecay: { label: 'Weight decay λ', min: 0, max: 10 },
  // AdaFactor has no fixed beta2: beta2_t = 1 - t^c, and c in [-1, 0] keeps it in [0, 1).
  decayRate: { label: 'Decay exponent c', min: -1, max: 0, help: 'β₂ at step t is 1 − t^c' },
};

export const STEPS_SPEC: NumberFieldSpec = { label: 'Steps', min: 1, max: 5000, integer: true };

/** The fields each optimiser shows, in order. AdaFactor's β₁ is its optional momentum (0 = off). */
export const RACER_FIELDS: Record<RacerKind, readonly FieldKey[]> = {
  sgd: ['lr'],
  momentum: ['lr', 'momentum'],
  adam: ['lr', 'beta1', 'beta2'],
  adamw: ['lr', 'beta1', 'beta2', 'weightDecay'],
  adafactor: ['lr', 'beta1', 'decayRate'],
};

/**
 * Values for fields a racer config leaves out. They restate race.ts's and AdaFactor's
 * own defaults, so the form shows what the core would use; a test checks the two agree.
 */
const FIELD_DEFAULTS: Record<RacerKind, Partial<Record<FieldKey, number>>> = {
  sgd: {},
  momentum: { momentum: 0.9 },
  adam: { beta1: 0.9, beta2: 0.999 },
  adamw: { beta1: 0.9, beta2: 0.999, weightDecay: 0.01 },
  adafactor: { beta1: 0, decayRate: -0.8 },
};

export interface RaceSettings {
  steps: number;
  /** One racer per kind, in RACER_KINDS order. */
  racers: RacerConfig[];
}

export interface RaceDrafts {
  steps: string;
  racers: Record<RacerKind, Partial<Record<FieldKey, string>>>;
}

export type ParsedNumber = { ok: true; value: number } | { ok: false; error: string };

/** core's number rule (plain decimal or scientific notation; hex, Infinity, fractions, units and underflow refused). */
export function parseNumberField(spec: NumberFieldSpec, raw: string): ParsedNumber {
  const read = readNumber(raw, spec.label);
  if (!read.ok) {
    if (read.reason === 'syntax') return { ok: false, error: `${spec.label} must be a number, like 0.01 or 1e-3.` };
    if (read.reason === 'infinite') return { ok: false, error: `${spec.label} is too large.` };
    return { ok: false, error: read.error };
  }
  const { value } = read;
  if (spec.integer && !Number.isInteger(value)) return { ok: false, error: `${spec.label} must be a whole number.` };
  const tooHigh = spec.maxExclusive ? value >= spec.max : value > spec.max;
  if (value < spec.min || tooHigh) {
    const upper = spec.maxExclusive ? `below ${spec.max}` : `at most ${spec.max}`;
    return { ok: false, error: `${spec.label} must be at least ${spec.min} and ${upper}.` };
  }
  return { ok: true, value };
}

/** The key an error is filed under: 'steps' or '<racer>.<field>'. */
export function fieldErrorKey(kind: RacerKind, field: FieldKey): string {
  return `${kind}.${field}`;
}

/** The value a racer config gives a field (or its default), undefined if the racer has no such field. */
function fieldValue(racer: RacerConfig, field: FieldKey): number | undefined {
  const given = (racer as Partial<Record<FieldKey, number>>)[field];
  return given ?? FIELD_DEFAULTS[racer.kind][field];
}

export function draftsFromSettings(settings: RaceSettings): RaceDrafts {
  const racers = Object.fromEntries(RACER_KINDS.map((k) => [k, {}])) as RaceDrafts['racers'];
  for (const racer of settings.racers) {
    for (const field of RACER_FIELDS[racer.kind]) {
      const v = fieldValue(racer, field);
      if (v !== undefined) racers[racer.kind][field] = String(v);
    }
  }
  return { steps: String(settings.steps), racers };
}

/** Builds one racer's config from numbers already checked against FIELD_SPECS. */
function racerFromValues(kind: RacerKind, v: Partial<Record<FieldKey, number>>): RacerConfig {
  const lr = v.lr!;
  switch (kind) {
    case 'sgd':
      return { kind, lr };
    case 'momentum':
      return { kind, lr, momentum: v.momentum! };
    case 'adam':
      return { kind, lr, beta1: v.beta1!, beta2: v.beta2! };
    case 'adamw':
      return { kind, lr, beta1: v.beta1!, beta2: v.beta2!, weightDecay: v.weightDecay! };
    case 'adafactor':
      return { kind, lr, beta1: v.beta1!, decayRate: v.decayRate! };
  }
}

export interface CheckedDrafts {
  /** null while any field is invalid. */
  settings: RaceSettings | null;
  /** Message per field ('steps' or '<racer>.<field>'), plus 'race' if the core refuses the set. */
  errors: Record<string, string>;
}

/**
 * Parses every field; if all are valid, asks the core to build the optimisers (a race of
 * 0 steps runs every check and no step), so a rule the table misses still shows as a
 * message instead of an exception.
 */
export function checkDrafts(surface: Surface2D, drafts: RaceDrafts): CheckedDrafts {
  const errors: Record<string, string> = {};
  const steps = parseNumberField(STEPS_SPEC, drafts.steps);
  if (!steps.ok) errors.steps = steps.error;
  const racers: RacerConfig[] = [];
  for (const kind of RACER_KINDS) {
    const values: Partial<Record<FieldKey, number>> = {};
    for (const field of RACER_FIELDS[kind]) {
      const parsed = parseNumberField(FIELD_SPECS[field], drafts.racers[kind][field] ?? '');
      if (parsed.ok) values[field] = parsed.value;
      else errors[fieldErrorKey(kind, field)] = parsed.error;
    }
    if (RACER_FIELDS[kind].every((f) => values[f] !== undefined)) racers.push(racerFromValues(kind, values));
  }
  if (Object.keys(errors).length > 0 || !steps.ok) return { settings: null, errors };
  try {
    runRace(surface, racers, { steps: 0 });
  } catch (e) {
    return { settings: null, errors: { race: e instanceof Error ? e.message : String(e) } };
  }
  return { settings: { steps: steps.value, racers }, errors };
}
