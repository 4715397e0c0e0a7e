/** One compact labelled number field with its message right beside it. */
export function NumberField({
  id,
  label,
  value,
  error,
  help,
  context,
  testId,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  help?: string;
  /** Whose field this is, read out with the message (it is announced out of its fieldset). */
  context?: string;
  testId: string;
  onChange(raw: string): void;
}) {
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`race-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
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
        <small id={errorId} className="field-error" role="alert" data-testid={testId.replace('race-field-', 'race-error-')}>
          {context && <span className="visually-hidden">{context}: </span>}
          {error}
        </small>
      )}
    </div>
  );
}
