// One schedule of the editor: raw field text in, a ScheduleConfig or
// per-field messages out.
import { readNumber, SCHEDULE_KINDS, type ScheduleConfig, type ScheduleKind } from '../../core';

export interface ScheduleDraft {
  kind: ScheduleKind;
  peak: string;
  warmup: string;
  total: string;
  floor: string;
}

export type ScheduleErrors = Partial<Record<'peak' | 'warmup' | 'total' | 'floor', string>>;

type Field = keyof ScheduleErrors;

const LABELS: Record<Field, string> = { peak: 'Peak rate', warmup: 'Warmup', total: 'Total', floor: 'Floor' };

export function parseSchedule(d: ScheduleDraft): { config: ScheduleConfig | null; errors: ScheduleErrors } {
  const errors: ScheduleErrors = {};
  // core's number rule (hex refused); a literal that would be read as 0 gets core's message, the rest the field's own.
  const num = (key: Field): number | null => {
    const read = readNumber(d[key], LABELS[key]);
    if (read.ok) return read.value;
    if (read.reason === 'underflow') errors[key] = read.error;
    return null;
  };
  const peak = num('peak');
  const warmup = num('warmup');
  const total = num('total');
  const floor = num('floor');
  const unread = { ...errors };
  if (peak === null || peak <= 0 || peak > 10) errors.peak = 'Peak rate: a number above 0 and at most 10.';
  if (warmup === null || !Number.isInteger(warmup) || warmup < 0 || warmup > 1_000_000)
    errors.warmup = 'Warmup: a whole number of steps, 0 or more.';
  if (total === null || !Number.isInteger(total) || total < 1 || total > 1_000_000)
    errors.total = 'Total: a whole number of steps from 1 to 1,000,000.';
  else if (warmup !== null && Number.isInteger(warmup) && warmup > total)
    errors.warmup = `Warmup (${warmup}) cannot be longer than the run (${total}).`;
  if (floor === null || floor < 0 || floor > 1) errors.floor = 'Floor: a fraction of the peak between 0 and 1.';
  Object.assign(errors, unread);
  if (!SCHEDULE_KINDS.includes(d.kind)) errors.peak = `Unknown schedule "${d.kind}".`;
  if (Object.keys(errors).length > 0) return { config: null, errors };
  return { config: { kind: d.kind, lr: peak!, warmupSteps: warmup!, totalSteps: total!, minLrRatio: floor! }, errors };
}

/** Points of lrAt over the run, at most `points` of them (every k-th step). */
export function scheduleCurve(
  cfg: ScheduleConfig,
  lrAt: (step: number, c: ScheduleConfig) => number,
  points = 300,
): { step: number; value: number }[] {
  const every = Math.max(1, Math.ceil(cfg.totalSteps / points));
  const out: { step: number; value: number }[] = [];
  for (let s = 0; s < cfg.totalSteps; s += every) out.push({ step: s, value: lrAt(s, cfg) });
  const last = cfg.totalSteps - 1;
  if (out.at(-1)?.step !== last) out.push({ step: last, value: lrAt(last, cfg) });
  return out;
}
