/**
 * Everything the race widget remembers, as a pure reducer: per surface, the raw form
 * text, the last valid settings (what is drawn) and the start point. Switching surface
 * and back keeps what the user set there. An invalid edit changes the drafts only, so
 * the plot keeps showing the last valid race.
 */
import { defaultRace, type RacerKind } from '../../../core/optim/race';
import { makeRng } from '../../../core/rng';
import { SURFACE_IDS, surfaceById, type Point2D, type SurfaceId } from '../../../core/optim/surfaces';
import { clampToView, nudgePoint, type ArrowKey } from './plotGeometry';
import { checkDrafts, draftsFromSettings, type FieldKey, type RaceDrafts, type RaceSettings } from './raceForm';

export interface SurfaceRaceState {
  drafts: RaceDrafts;
  /** The last settings that were all valid: what runs and is drawn. */
  applied: RaceSettings;
  start: Point2D;
}

export interface RaceUiState {
  surface: SurfaceId;
  bySurface: Record<SurfaceId, SurfaceRaceState>;
  hidden: readonly RacerKind[];
  /** Draw the trajectories up to this step; null follows the last step. */
  shownStep: number | null;
  /** Random starts drawn so far: the n-th draw for a seed is the same on every visit. */
  randomStarts: number;
}

export type RaceAction =
  | { type: 'surface'; surface: SurfaceId }
  | { type: 'field'; racer: RacerKind; field: FieldKey; raw: string }
  | { type: 'steps'; raw: string }
  | { type: 'resetSettings' }
  | { type: 'moveStart'; to: Point2D }
  | { type: 'nudgeStart'; key: ArrowKey; coarse: boolean }
  | { type: 'resetStart' }
  | { type: 'randomStart'; seed: number }
  | { type: 'toggleRacer'; racer: RacerKind }
  | { type: 'showStep'; step: number | null };

function freshSurfaceState(id: SurfaceId): SurfaceRaceState {
  const applied = defaultRace(id);
  return { drafts: draftsFromSettings(applied), applied, start: surfaceById(id).start };
}

export function initialRaceState(surface: SurfaceId = 'quadratic'): RaceUiState {
  const bySurface = Object.fromEntries(SURFACE_IDS.map((id) => [id, freshSurfaceState(id)])) as Record<
    SurfaceId,
    SurfaceRaceState
  >;
  return { surface, bySurface, hidden: [], shownStep: null, randomStarts: 0 };
}

/** Inside the window, with a 10% border: a random start on the very edge is rarely instructive. */
export function randomStartFor(id: SurfaceId, seed: number, draw: number): Point2D {
  const { view } = surfaceById(id);
  const rng = makeRng(seed);
  for (let i = 0; i < 2 * draw; i++) rng(); // skip earlier draws: two numbers each
  const u = 0.1 + 0.8 * rng();
  const v = 0.1 + 0.8 * rng();
  return { x: view.xMin + u * (view.xMax - view.xMin), y: view.yMin + v * (view.yMax - view.yMin) };
}

/** The current surface's state with `change` applied. */
function updateCurrent(state: RaceUiState, change: (s: SurfaceRaceState) => SurfaceRaceState): RaceUiState {
  return { ...state, bySurface: { ...state.bySurface, [state.surface]: change(state.bySurface[state.surface]) } };
}

/** New drafts; the applied settings move only when the whole set is valid. */
function withDrafts(state: RaceUiState, drafts: RaceDrafts): RaceUiState {
  const { settings } = checkDrafts(surfaceById(state.surface), drafts);
  return updateCurrent(state, (s) => ({ ...s, drafts, applied: settings ?? s.applied }));
}

export function raceReducer(state: RaceUiState, action: RaceAction): RaceUiState {
  const current = state.bySurface[state.surface];
  const view = surfaceById(state.surface).view;
  switch (action.type) {
    case 'surface':
      return action.surface === state.surface ? state : { ...state, surface: action.surface, shownStep: null };
    case 'field': {
      const racers = {
        ...current.drafts.racers,
        [action.racer]: { ...current.drafts.racers[action.racer], [action.field]: action.raw },
      };
      return withDrafts(state, { ...current.drafts, racers });
    }
    case 'steps':
      return withDrafts(state, { ...current.drafts, steps: action.raw });
    case 'resetSettings': {
      const fresh = freshSurfaceState(state.surface);
      return updateCurrent(state, (s) => ({ ...s, drafts: fresh.drafts, applied: fresh.applied }));
    }
    case 'moveStart':
      return updateCurrent(state, (s) => ({ ...s, start: clampToView(action.to, view) }));
    case 'nudgeStart':
      return updateCurrent(state, (s) => ({ ...s, start: nudgePoint(s.start, action.key, view, action.coarse) }));
    case 'resetStart':
      return updateCurrent(state, (s) => ({ ...s, start: surfaceById(state.surface).start }));
    case 'randomStart': {
      const to = randomStartFor(state.surface, action.seed, state.randomStarts);
      return { ...updateCurrent(state, (s) => ({ ...s, start: to })), randomStarts: state.randomStarts + 1 };
    }
    case 'toggleRacer': {
      const hidden = state.hidden.includes(action.racer)
        ? state.hidden.filter((k) => k !== action.racer)
        : [...state.hidden, action.racer];
      return { ...state, hidden };
    }
    case 'showStep':
      return { ...state, shownStep: action.step };
  }
}

/** The step the plot shows: the chosen one, never past the last. */
export function effectiveStep(state: RaceUiState): number {
  const { steps } = state.bySurface[state.surface].applied;
  return state.shownStep === null ? steps : Math.min(Math.max(0, state.shownStep), steps);
}
