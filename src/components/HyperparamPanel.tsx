import type { ParamForm } from './useParamForm';

/** Editable hyperparameters; a bad value gets its message right beside the field. */
export function HyperparamPanel({
  form,
  title = 'Hyperparameters',
  disabled = false,
  keys,
}: {
  form: ParamForm;
  title?: string;
  disabled?: boolean;
  /** Show only these fields (a page can place some of its table elsewhere); default all. */
  keys?: readonly string[];
}) {
  const specs = keys ? form.specs.filter((s) => keys.includes(s.key)) : form.specs;
  return (
    <fieldset className="hyperparams" disabled={disabled}>
      <legend>{title}</legend>
      <div className="hyperparam-grid">
        {specs.map((spec) => {
          const id = `hp-${spec.key}`;
          const error = form.errors[spec.key];
          const errorId = `${id}-error`;
          const helpId = `${id}-help`;
          const describedBy =
            [error ? errorId : null, spec.help ? helpId : null].filter(Boolean).join(' ') || undefined;
          return (
            <div className={`hyperparam${error ? ' has-error' : ''}`} key={spec.key}>
              <label htmlFor={id}>{spec.label}</label>
              {spec.kind === 'enum' ? (
                <select
                  id={id}
                  value={form.drafts[spec.key]}
                  onChange={(e) => form.setDraft(spec.key, e.target.value)}
                  aria-describedby={describedBy}
                >
                  {spec.options.map((o) => (
                    <option key={o} value={o}>
                      {spec.optionLabels?.[o] ?? o}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  type="text"
                  inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
                  autoComplete="off"
                  spellCheck={false}
                  value={form.drafts[spec.key]}
                  onChange={(e) => form.setDraft(spec.key, e.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy}
                />
              )}
              {spec.help && (
                <small id={helpId} className="hyperparam-help">
                  {spec.help}
                </small>
              )}
              {error && (
                <small id={errorId} className="field-error" role="alert">
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
