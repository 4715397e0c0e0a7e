import { ABLATIONS, MAX_ABLATIONS, type AblationId } from './ablations';

/** One checkbox per ingredient that can be switched off; at most four at a time. */
export function AblationPicker({
  chosen,
  onChange,
}: {
  chosen: readonly AblationId[];
  onChange(ids: AblationId[]): void;
}) {
  const full = chosen.length >= MAX_ABLATIONS;
  return (
    <fieldset className="hyperparams" data-testid="ablation-picker">
      <legend>Ablations (one arm each)</legend>
      {ABLATIONS.map(({ id, label }) => {
        const on = chosen.includes(id);
        return (
          <label key={id} style={{ display: 'block' }}>
            <input
              type="checkbox"
              checked={on}
              disabled={!on && full}
              onChange={() => onChange(on ? chosen.filter((c) => c !== id) : [...chosen, id])}
            />{' '}
            {label}
          </label>
        );
      })}
      <small className="muted">
        {full
          ? `At most ${MAX_ABLATIONS}: untick one to pick another.`
          : `Up to ${MAX_ABLATIONS}; the full recipe always runs.`}
      </small>
    </fieldset>
  );
}
