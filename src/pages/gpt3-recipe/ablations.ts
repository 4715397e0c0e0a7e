// Which ingredients of the recipe the race switches off: the list in the URL
// (`ablate=clip,warmup`), the arms it gives, and the clipped share of a run.
import type { GptArmSpec, StepPoint } from '../../train/contract';
import type { ToyRecipe } from './recipe';

export type AblationId = 'clip' | 'warmup' | 'cosine' | 'ramp' | 'decay' | 'beta2';

/** In the order the arms are drawn. */
export const ABLATIONS: readonly { id: AblationId; label: string }[] = [
  { id: 'clip', label: 'no clipping' },
  { id: 'warmup', label: 'no warmup' },
  { id: 'cosine', label: 'no cosine decay' },
  { id: 'ramp', label: 'no batch ramp' },
  { id: 'decay', label: 'no weight decay' },
  { id: 'beta2', label: 'β₂ 0.999' },
];

export const ABLATE_KEY = 'ablate';
export const DEFAULT_ABLATIONS: readonly AblationId[] = ['clip', 'warmup', 'beta2'];
/** GptRace draws at most five arms: the full recipe and four ablations. */
export const MAX_ABLATIONS = 4;

const IDS = new Set<string>(ABLATIONS.map((a) => a.id));

/** Canonical order, no repeats. */
export function sortAblations(ids: Iterable<AblationId>): AblationId[] {
  const set = new Set(ids);
  return ABLATIONS.map((a) => a.id).filter((id) => set.has(id));
}

/**
 * The ablations a link asks for: absent = the default, '' = none. Unknown
 * names and any beyond the fourth are dropped with a notice.
 */
export function parseAblations(raw: string | null): { ids: AblationId[]; notices: string[] } {
  if (raw === null) return { ids: [...DEFAULT_ABLATIONS], notices: [] };
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !IDS.has(n));
  const known = sortAblations(names.filter((n): n is AblationId => IDS.has(n)));
  const notices: string[] = [];
  if (unknown.length > 0) {
    notices.push(
      `Ignored ${ABLATE_KEY}=${JSON.stringify(unknown.join(','))} from the link: the ablations are ${ABLATIONS.map((a) => a.id).join(', ')}.`,
    );
  }
  if (known.length > MAX_ABLATIONS) {
    notices.push(
      `The link asks for ${known.length} ablations; the race draws at most ${MAX_ABLATIONS}, so only ${known.slice(0, MAX_ABLATIONS).join(', ')} run.`,
    );
  }
  return { ids: known.slice(0, MAX_ABLATIONS), notices };
}

/** The query with `ids` written (and the key removed when they are the default). */
export function writeAblations(ids: readonly AblationId[], query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(query);
  const sorted = sortAblations(ids);
  if (sorted.join(',') === DEFAULT_ABLATIONS.join(',')) out.delete(ABLATE_KEY);
  else out.set(ABLATE_KEY, sorted.join(','));
  return out;
}

export interface RecipeHyper {
  lr: number;
  clip: number;
  weightDecay: number;
}

/** Arm 0 is the whole recipe; each ablation copies it and switches one ingredient off. */
export function recipeArms(toy: ToyRecipe, h: RecipeHyper, ablations: readonly AblationId[]): GptArmSpec[] {
  const adamw = { kind: 'adamw' as const, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: h.weightDecay };
  const full: GptArmSpec = {
    label: 'full recipe',
    optimizer: adamw,
    clipNorm: h.clip,
    schedule: {
      kind: 'cosine',
      lr: h.lr,
      warmupSteps: toy.warmupSteps,
      totalSteps: toy.decaySteps,
      minLrRatio: toy.schedule.minLrRatio,
    },
    batchRamp: { start: toy.ramp.start, rampTokens: toy.ramp.rampTokens },
  };
  const off = (id: AblationId): GptArmSpec => {
    const label = ABLATIONS.find((a) => a.id === id)!.label;
    const arm: GptArmSpec = { ...full, label, optimizer: { ...adamw }, schedule: { ...full.schedule } };
    switch (id) {
      case 'clip':
        return { ...arm, clipNorm: null };
      case 'warmup':
        return { ...arm, schedule: { ...arm.schedule, warmupSteps: 0 } };
      case 'cosine':
        return { ...arm, schedule: { ...arm.schedule, kind: 'constant' } };
      case 'ramp': {
        const { batchRamp: _dropped, ...rest } = arm;
        return rest;
      }
      case 'decay':
        return { ...arm, optimizer: { ...adamw, weightDecay: 0 } };
      case 'beta2':
        return { ...arm, optimizer: { ...adamw, beta2: 0.999 } };
    }
  };
  return [full, ...sortAblations(ablations).slice(0, MAX_ABLATIONS).map(off)];
}

/** How often an arm's gradient norm (before clipping) exceeded the threshold. */
export interface ClippedShare {
  /** Steps with a finite gradient norm. */
  steps: number;
  /** Of those, steps with norm > threshold. */
  over: number;
  /** over / steps, null before the first step. */
  share: number | null;
}

export function clippedShare(points: readonly StepPoint[], arm: number, threshold: number): ClippedShare {
  let steps = 0;
  let over = 0;
  for (const p of points) {
    const g = p.arms?.[arm]?.gradNorm;
    if (g === undefined || !Number.isFinite(g)) continue;
    steps += 1;
    if (g > threshold) over += 1;
  }
  return { steps, over, share: steps > 0 ? over / steps : null };
}
