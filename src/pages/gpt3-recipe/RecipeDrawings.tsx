import { useMemo } from 'react';
import { MetricChart } from '../../components/MetricChart';
import { ARM_COLORS, armSeries, series } from '../../components/series';
import type { ScheduleConfig } from '../../core';
import type { GptArmSpec } from '../../train/contract';
import { gpt3Curves, rampRows, sampleSteps, scheduleCurve, type ToyRecipe } from './recipe';

export const RACE_COLORS = [...ARM_COLORS, 'var(--series-5)'];

/** The distinct schedules among the race's arms (ablations that leave the schedule alone share arm 0's curve). */
function armSchedules(arms: readonly GptArmSpec[]): { label: string; arm: number; cfg: ScheduleConfig }[] {
  const seen = new Set<string>();
  const out: { label: string; arm: number; cfg: ScheduleConfig }[] = [];
  arms.forEach((a, i) => {
    const cfg = a.schedule;
    const key = `${cfg.kind}/${cfg.warmupSteps}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label: a.label, arm: i, cfg });
  });
  return out;
}

/** The toy's ramp and schedules over its steps, and GPT-3's over its tokens. Pure drawings: nothing trains. */
export function RecipeDrawings({ toy, arms }: { toy: ToyRecipe; arms: readonly GptArmSpec[] }) {
  const toyRamp = useMemo(() => {
    const rows = rampRows(toy.ramp, toy.tokensPerStep / toy.ramp.end, toy.steps);
    return [
      series(
        'ramp',
        'rows per step (full recipe)',
        RACE_COLORS[0],
        sampleSteps(toy.steps).map((s) => ({ step: s, value: rows[s] })),
      ),
    ];
  }, [toy]);
  const toyLr = useMemo(
    () =>
      armSchedules(arms).map(({ label, arm, cfg }) => armSeries(`lr${arm}`, label, arm, scheduleCurve(cfg, toy.steps))),
    [arms, toy],
  );
  const original = useMemo(() => {
    const c = gpt3Curves();
    return {
      batch: [series('b', 'batch size (millions of tokens)', RACE_COLORS[0], c.batch)],
      lr: [series('lr', 'learning rate / peak', RACE_COLORS[0], c.lr)],
    };
  }, []);
  return (
    <div className="two-up" data-testid="recipe-drawings">
      <MetricChart
        series={toyRamp}
        label="Toy batch-size ramp over steps"
        xTitle="step of the toy run"
        yTitle="rows in the batch"
        digits={0}
      />
      <MetricChart
        series={toyLr}
        label="Toy learning-rate schedules over steps"
        xTitle="step"
        yTitle="learning rate η"
        caption="The full recipe, and each arm of the race whose schedule differs, in that arm’s colour and dash."
        digits={3}
      />
      <MetricChart
        series={original.batch}
        label="GPT-3 batch size over tokens"
        xTitle="tokens seen (billions)"
        yTitle="batch size (millions of tokens)"
        digits={1}
      />
      <MetricChart
        series={original.lr}
        label="GPT-3 learning rate over tokens"
        xTitle="tokens seen (billions)"
        yTitle="learning rate / peak"
        caption="The warmup is the near-vertical start."
        digits={1}
      />
    </div>
  );
}
