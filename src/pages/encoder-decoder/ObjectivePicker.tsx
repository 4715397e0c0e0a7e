import { objectiveInfo, type ObjectiveId } from '../../core';
import type { ParamForm } from '../../components/useParamForm';

/** The table's objective fields; the rest of the table goes to the ordinary hyperparameter panel. */
export const OBJECTIVE_KEYS = ['obj1', 'obj2', 'obj3'] as const;

/** What a student reads in the menu: the family and the objective's name, never its id. */
export function objectiveOptionLabel(option: string): string {
  if (option === 'none') return 'none';
  const info = objectiveInfo(option as ObjectiveId);
  return info.label.startsWith(info.family) ? info.label : `${info.family}: ${info.label}`;
}

/**
 * The three objective menus of the training demo. The values (and the URL)
 * keep the objective ids; the options show their names. Same ids and classes
 * as the hyperparameter panel's fields, so the form looks and behaves as one.
 */
export function ObjectivePicker({ form }: { form: ParamForm }) {
  const specs = form.specs.filter((s) => (OBJECTIVE_KEYS as readonly string[]).includes(s.key));
  return (
    <fieldset className="hyperparams" data-testid="objective-picker">
      <legend>Objectives</legend>
      <div className="hyperparam-grid">
        {specs.map((spec) => {
          if (spec.kind !== 'enum') return null;
          const id = `hp-${spec.key}`;
          const error = form.errors[spec.key];
          return (
            <div className={`hyperparam${error ? ' has-error' : ''}`} key={spec.key}>
              <label htmlFor={id}>{spec.label}</label>
              <select
                id={id}
                value={form.drafts[spec.key]}
                onChange={(e) => form.setDraft(spec.key, e.target.value)}
                aria-describedby={error ? `${id}-error` : undefined}
              >
                {spec.options.map((o) => (
                  <option key={o} value={o}>
                    {objectiveOptionLabel(o)}
                  </option>
                ))}
              </select>
              {error && (
                <small id={`${id}-error`} className="field-error" role="alert">
                  {error}
                </small>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
