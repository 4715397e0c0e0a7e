// One labelled text field with its help and its error message right beside
// it, wired for screen readers (aria-invalid, aria-describedby). Pages parse
// and check the text themselves; this only shows it.

export function TextField({
  id,
  label,
  value,
  error,
  help,
  context,
  testId,
  errorTestId,
  inputMode = 'decimal',
  className = 'hyperparam',
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string | null;
  help?: string;
  /** Whose field this is, read out with the message (when it is announced away from its group). */
  context?: string;
  testId?: string;
  errorTestId?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  /** The wrapper's class: 'hyperparam' in panels, 'race-field' in the compact race settings. */
  className?: string;
  onChange(raw: string): void;
}) {
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`${className}${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        data-testid={testId}
      />
      {help && (
        <small id={helpId} className="hyperparam-help">
          {help}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error" role="alert" data-testid={errorTestId}>
          {context && <span className="visually-hidden">{context}: </span>}
          {error}
        </small>
      )}
    </div>
  );
}
