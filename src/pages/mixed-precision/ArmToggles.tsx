import type { ParamForm } from '../../components/useParamForm';
import { ARM_DEFS } from './params';

/** Which arms of the race run: one checkbox per arm, kept in the URL as key=on/off. */
export function ArmToggles({ form }: { form: ParamForm }) {
  const error = ARM_DEFS.map((a) => form.errors[a.key]).find(Boolean);
  return (
    <fieldset
      className="hyperparams"
      data-testid="arm-toggles"
      aria-describedby={error ? 'arm-toggles-error' : undefined}
    >
      <legend>Arms</legend>
      {ARM_DEFS.map((a) => (
        <div key={a.key} className="hyperparam">
          <label style={{ color: 'var(--fg)' }}>
            <input
              type="checkbox"
              style={{ width: 'auto', marginRight: '0.4rem' }}
              checked={form.drafts[a.key] === 'on'}
              onChange={(e) => form.setDraft(a.key, e.target.checked ? 'on' : 'off')}
            />{' '}
            {a.label}
          </label>
          <small className="hyperparam-help">{a.why}</small>
        </div>
      ))}
      {error && (
        <small id="arm-toggles-error" className="field-error" role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}
