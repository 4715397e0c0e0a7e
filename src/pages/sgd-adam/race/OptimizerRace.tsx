import { useCallback, useId, useMemo, useReducer } from 'react';
import { Equation, M } from '../../../components/Equation';
import { Notice } from '../../../components/Notice';
import type { RacerKind } from '../../../core/optim/race';
import { SURFACE_IDS, surfaceById, type Point2D } from '../../../core/optim/surfaces';
import { BAND_COUNT, LOG_EPS, lowestValue } from './lossGrid';
import { makeFrame, sameAxisScale, type ArrowKey } from './plotGeometry';
import { checkDrafts, type FieldKey } from './raceForm';
import { RaceLegend } from './RaceLegend';
import { RacePlot } from './RacePlot';
import { RacerSettings } from './RacerSettings';
import { formatCoord } from './raceResults';
import { effectiveStep, initialRaceState, raceReducer } from './raceState';
import { RaceTable } from './RaceTable';
import { computeRace, trajectoryPaths } from './recompute';
import { useReplay } from './useReplay';

export interface OptimizerRaceProps {
  /** Seeds the "random start" button: the same seed gives the same sequence of starts. An integer; anything else means 1. */
  seed?: number;
}

/**
 * SGD, momentum, Adam, AdamW and AdaFactor racing from one start point on a 2-D loss
 * surface, with every optimiser's settings editable and the start draggable.
 * Everything is computed on the main thread: a default race is a few milliseconds.
 */
export function OptimizerRace({ seed = 1 }: OptimizerRaceProps) {
  const rngSeed = Number.isSafeInteger(seed) ? seed : 1; // makeRng refuses non-integers
  const [state, dispatch] = useReducer(raceReducer, undefined, () => initialRaceState());
  const ids = useId();
  const instructionsId = `${ids}-instructions`;
  const surface = useMemo(() => surfaceById(state.surface), [state.surface]);
  const frame = useMemo(() => makeFrame(surface.view), [surface]);
  const current = state.bySurface[state.surface];
  const { errors } = useMemo(() => checkDrafts(surface, current.drafts), [surface, current.drafts]);
  const stale = Object.keys(errors).length > 0;
  const step = effectiveStep(state);

  // `applied` and `start` get new identities only from a valid edit or a moved start, so an
  // invalid keystroke, a hidden racer or a replay frame never reruns the race.
  const trajectories = useMemo(
    () => computeRace(surface, current.applied, current.start),
    [surface, current.applied, current.start],
  );
  const paths = useMemo(() => trajectoryPaths(trajectories, frame, step), [trajectories, frame, step]);

  const showStep = useCallback((k: number | null) => dispatch({ type: 'showStep', step: k }), []);
  const replay = useReplay(current.applied.steps, showStep);
  const onField = useCallback(
    (racer: RacerKind, field: FieldKey, raw: string) => dispatch({ type: 'field', racer, field, raw }),
    [],
  );
  const onSteps = useCallback((raw: string) => dispatch({ type: 'steps', raw }), []);
  const onResetSettings = useCallback(() => dispatch({ type: 'resetSettings' }), []);
  const onMoveStart = useCallback((to: Point2D) => dispatch({ type: 'moveStart', to }), []);
  const onNudgeStart = useCallback(
    (key: ArrowKey, coarse: boolean) => dispatch({ type: 'nudgeStart', key, coarse }),
    [],
  );
  const onResetStart = useCallback(() => dispatch({ type: 'resetStart' }), []);

  const fStar = lowestValue(surface);
  const minimaText = surface.minima.map((m) => `(${formatCoord(m.x)}, ${formatCoord(m.y)})`).join(' and ');

  return (
    <div className="panel race" data-testid="optimizer-race">
      <h3>Optimiser race on a 2-D loss surface</h3>
      <fieldset className="choice-row race-surfaces">
        <legend className="visually-hidden">Loss surface</legend>
        {SURFACE_IDS.map((id) => (
          <label key={id} className="choice">
            <input
              type="radio"
              name={`${ids}-surface`}
              value={id}
              checked={state.surface === id}
              onChange={() => {
                replay.stop();
                dispatch({ type: 'surface', surface: id });
              }}
              data-testid={`race-surface-${id}`}
            />
            {surfaceById(id).label}
          </label>
        ))}
      </fieldset>
      <Equation tex={surface.tex} label={`The loss surface: ${surface.label}`} />
      <p className="muted">
        Lowest value <M>{`f^* = ${fStar}`}</M> at {minimaText} (★ on the plot
        {surface.saddlePoints.length > 0 ? '; ◆ marks the saddle point' : ''}). Shading:{' '}
        <M>{`\\log(f - f^* + ${LOG_EPS})`}</M> in {BAND_COUNT} bands, shaded more strongly the higher f is
        {sameAxisScale(frame) ? '' : '; the two axes are not drawn to the same scale'}.
      </p>

      <div className="race-layout">
        <div className="race-figure">
          {stale && (
            <Notice kind="warning" testId="race-stale">
              The plot shows the last valid settings. Fix the highlighted field to update it.
            </Notice>
          )}
          <RacePlot
            surface={surface}
            frame={frame}
            trajectories={trajectories}
            paths={paths}
            step={step}
            hidden={state.hidden}
            start={current.start}
            stale={stale}
            instructionsId={instructionsId}
            onMoveStart={onMoveStart}
            onNudgeStart={onNudgeStart}
            onResetStart={onResetStart}
          />
          <p id={instructionsId} className="muted race-instructions">
            Drag the start point (or press anywhere on the plot). Focused, it moves with the arrow keys, further with{' '}
            <kbd>Shift</kbd>; <kbd>Home</kbd> puts it back.
          </p>
          <p className="visually-hidden" aria-live="polite">
            Start at x {formatCoord(current.start.x)}, y {formatCoord(current.start.y)}.
          </p>
          <div className="race-controls">
            <button type="button" onClick={onResetStart} data-testid="race-reset-start">
              Reset start
            </button>
            <button
              type="button"
              onClick={() => dispatch({ type: 'randomStart', seed: rngSeed })}
              data-testid="race-random-start"
            >
              Random start
            </button>
            <button type="button" onClick={replay.playing ? replay.stop : replay.play} data-testid="race-replay">
              {replay.playing ? 'Stop replay' : 'Replay'}
            </button>
          </div>
          <div className="race-step">
            <label htmlFor={`${ids}-step`}>
              Show steps 0 to <strong data-testid="race-step-value">{step}</strong> of {current.applied.steps}
            </label>
            <input
              id={`${ids}-step`}
              type="range"
              min={0}
              max={current.applied.steps}
              value={step}
              onChange={(e) => {
                replay.stop();
                const k = Number(e.target.value);
                showStep(k >= current.applied.steps ? null : k);
              }}
              data-testid="race-step"
            />
          </div>
          <RaceLegend hidden={state.hidden} onToggle={(racer) => dispatch({ type: 'toggleRacer', racer })} />
          <RaceTable surface={surface} trajectories={trajectories} step={step} />
        </div>
        <RacerSettings
          drafts={current.drafts}
          errors={errors}
          onField={onField}
          onSteps={onSteps}
          onResetSettings={onResetSettings}
        />
      </div>
      <p className="muted">
        Every optimiser takes the exact gradient (no mini-batch noise) and the same number of steps.
      </p>
    </div>
  );
}
