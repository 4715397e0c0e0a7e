import { useMemo, useState } from 'react';
import { MetricChart, type Series } from '../../components/MetricChart';
import { armStyle } from '../../components/series';
import { lrAt, SCHEDULE_KINDS, type ScheduleKind } from '../../core';
import { parseSchedule, scheduleCurve, type ScheduleDraft } from './scheduleForm';

const INITIAL: ScheduleDraft[] = [
  { kind: 'cosine', peak: '0.0006', warmup: '375', total: '10000', floor: '0.1' },
  { kind: 'linear', peak: '0.0006', warmup: '375', total: '10000', floor: '0' },
  { kind: 'inverse-sqrt', peak: '0.0006', warmup: '1000', total: '10000', floor: '0' },
];
/** Sampled steps per curve: with the last step added, at most the 150 a chart draws without averaging neighbours. */
const CURVE_POINTS = 149;
/** What the menu and the legend call each shape. */
const KIND_NAMES: Record<ScheduleKind, string> = {
  constant: 'constant',
  linear: 'linear decay',
  cosine: 'cosine decay',
  'inverse-sqrt': 'inverse square root',
};
const FIELDS = [
  { key: 'peak', label: 'Peak rate' },
  { key: 'warmup', label: 'Warmup steps' },
  { key: 'total', label: 'Total steps' },
  { key: 'floor', label: 'Floor (× peak)' },
] as const;

/** Up to three schedules, edited side by side and drawn on one chart. */
export function ScheduleEditor() {
  const [drafts, setDrafts] = useState<ScheduleDraft[]>(INITIAL);
  const [shown, setShown] = useState([true, true, false]);
  const parsed = drafts.map(parseSchedule);
  const key = JSON.stringify(parsed.map((p, i) => (shown[i] ? p.config : null)));
  const series: Series[] = useMemo(
    () =>
      parsed.flatMap((p, i) =>
        shown[i] && p.config
          ? [
              {
                key: `s${i}`,
                label: `${i + 1}: ${KIND_NAMES[p.config.kind]}, warmup ${p.config.warmupSteps}`,
                ...armStyle(i),
                points: scheduleCurve(p.config, lrAt, CURVE_POINTS),
              },
            ]
          : [],
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the parsed values: a new object with the same key is the same input
    [key],
  );
  const set = (i: number, patch: Partial<ScheduleDraft>) =>
    setDrafts((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <div className="panel" data-testid="schedule-editor">
      <div className="schedule-grid">
        {drafts.map((d, i) => (
          <fieldset key={i} className="hyperparams">
            <legend>
              <label>
                <input
                  type="checkbox"
                  checked={shown[i]}
                  onChange={(e) => setShown((s) => s.map((x, j) => (j === i ? e.target.checked : x)))}
                />{' '}
                Schedule {i + 1}
              </label>
            </legend>
            <div className="hyperparam">
              <label htmlFor={`sched-${i}-kind`}>Shape</label>
              <select
                id={`sched-${i}-kind`}
                value={d.kind}
                onChange={(e) => set(i, { kind: e.target.value as ScheduleKind })}
              >
                {SCHEDULE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_NAMES[k]}
                  </option>
                ))}
              </select>
            </div>
            {FIELDS.map((f) => {
              const error = parsed[i].errors[f.key];
              const id = `sched-${i}-${f.key}`;
              return (
                <div key={f.key} className={`hyperparam${error ? ' has-error' : ''}`}>
                  <label htmlFor={id}>{f.label}</label>
                  <input
                    id={id}
                    type="text"
                    inputMode="decimal"
                    value={d[f.key]}
                    onChange={(e) => set(i, { [f.key]: e.target.value })}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                  />
                  {error && (
                    <small id={`${id}-error`} className="field-error" role="alert">
                      {error}
                    </small>
                  )}
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
      <MetricChart
        series={series}
        label="Learning-rate schedules"
        xTitle="step"
        yTitle="learning rate η_t"
        caption="η_t computed exactly as the trainers in this notebook compute their learning rate."
        digits={6}
        empty="Pick at least one valid schedule."
      />
    </div>
  );
}
