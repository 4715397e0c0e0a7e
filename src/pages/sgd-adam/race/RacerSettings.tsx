import { memo, useId } from 'react';
import { RACER_LABELS, type RacerKind } from '../../../core/optim/race';
import { fieldErrorKey, FIELD_SPECS, RACER_FIELDS, STEPS_SPEC, type FieldKey, type RaceDrafts } from './raceForm';
import { RACER_KINDS } from './racerStyle';
import { RacerSwatch } from './RaceLegend';
import { TextField } from '../../../components/TextField';

export interface RacerSettingsProps {
  drafts: RaceDrafts;
  errors: Record<string, string>;
  onField(racer: RacerKind, field: FieldKey, raw: string): void;
  onSteps(raw: string): void;
  onResetSettings(): void;
}

/** Every optimiser's settings and the step count, validated as you type. */
export const RacerSettings = memo(function RacerSettings({
  drafts,
  errors,
  onField,
  onSteps,
  onResetSettings,
}: RacerSettingsProps) {
  const base = useId();
  return (
    <div className="race-settings">
      <div className="race-settings-bar">
        <TextField
          id={`${base}-steps`}
          className="race-field"
          label={STEPS_SPEC.label}
          value={drafts.steps}
          error={errors.steps}
          testId="race-field-steps"
          errorTestId="race-error-steps"
          onChange={onSteps}
        />
        <button type="button" onClick={onResetSettings} data-testid="race-reset-settings">
          Default settings
        </button>
      </div>
      {RACER_KINDS.map((kind) => (
        <fieldset key={kind} className="race-racer" data-testid={`race-settings-${kind}`}>
          <legend>
            <RacerSwatch kind={kind} />
            {RACER_LABELS[kind]}
          </legend>
          {RACER_FIELDS[kind].map((field) => {
            const spec = FIELD_SPECS[field];
            return (
              <TextField
                key={field}
                className="race-field"
                id={`${base}-${kind}-${field}`}
                label={spec.label}
                value={drafts.racers[kind][field] ?? ''}
                error={errors[fieldErrorKey(kind, field)]}
                context={RACER_LABELS[kind]}
                help={spec.help}
                testId={`race-field-${kind}-${field}`}
                errorTestId={`race-error-${kind}-${field}`}
                onChange={(raw) => onField(kind, field, raw)}
              />
            );
          })}
        </fieldset>
      ))}
      {errors.race && (
        <p className="field-error" role="alert" data-testid="race-error-race">
          {errors.race}
        </p>
      )}
    </div>
  );
});
