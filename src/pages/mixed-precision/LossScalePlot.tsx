import type { StepPoint } from '../../train/contract';
import { log2Scale } from './fp16Axis';
import { pow2 } from './power';
import { scaleTrace } from './scaleTrace';

const COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)'];
const W = 640;
const H = 200;
const LEFT = 44;
const RIGHT = W - 12;
const TOP = 10;
const BOTTOM = H - 30;
/** Most skip markers drawn per arm (the latest ones); the count says how many there were. */
const MAX_SKIPS = 300;

/**
 * log2 of the loss scale per step for every arm that scales its loss
 * (`scaled[arm]`; an FP16 arm without scaling reports scale 1), with × at skipped steps.
 */
export function LossScalePlot({
  points,
  labels,
  scaled,
}: {
  points: readonly StepPoint[];
  labels: readonly string[];
  scaled: readonly boolean[];
}) {
  const traces = labels.flatMap((label, arm) => {
    const t = scaled[arm] ? scaleTrace(points, arm) : null;
    return t ? [{ arm, label, ...t }] : [];
  });
  if (traces.length === 0) {
    return (
      <div className="chart-box chart-empty" data-testid="loss-scale-empty" style={{ height: 120 }}>
        {!scaled.some(Boolean)
          ? 'No arm of the race uses loss scaling: switch one on.'
          : 'Press Train (or Step) to plot the loss scale.'}
      </div>
    );
  }
  const all = traces.flatMap((t) => t.line);
  const maxStep = Math.max(1, ...all.map((p) => p.step));
  const lo = Math.min(...all.map((p) => p.log2)) - 1;
  const hi = Math.max(...all.map((p) => p.log2)) + 1;
  const x = (s: number) => LEFT + (s / maxStep) * (RIGHT - LEFT);
  const y = log2Scale(lo, hi, BOTTOM, TOP);
  const yTicks = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter(
    (v, _, a) => a.length <= 8 || v % 2 === 0,
  );
  return (
    <figure className="loss-chart" data-testid="loss-scale-plot">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Loss scale per step: ${traces.map((t) => `${t.label} now ${pow2(t.line.at(-1)!.log2)}, ${t.skips.length} skipped`).join('; ')}`}
      >
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={LEFT} x2={RIGHT} y1={y(v)} y2={y(v)} stroke="var(--grid)" />
            <text x={LEFT - 4} y={y(v) + 3} textAnchor="end" fontSize={10} fill="var(--muted)">
              {pow2(v)}
            </text>
          </g>
        ))}
        <line x1={LEFT} x2={RIGHT} y1={BOTTOM} y2={BOTTOM} stroke="var(--muted)" />
        <text x={LEFT} y={BOTTOM + 14} fontSize={10} fill="var(--muted)">
          0
        </text>
        <text x={RIGHT} y={BOTTOM + 14} textAnchor="end" fontSize={10} fill="var(--muted)">{`step ${maxStep}`}</text>
        {traces.map((t) => {
          // A staircase: hold each value until the next point's step.
          const d = t.line
            .map((p, i) => (i === 0 ? `M${x(p.step)},${y(p.log2)}` : `H${x(p.step)}V${y(p.log2)}`))
            .join('');
          return (
            <g key={t.arm}>
              <path d={d} fill="none" stroke={COLORS[t.arm]} strokeWidth={2} />
              {t.skips.slice(-MAX_SKIPS).map((s) => (
                <text
                  key={s.step}
                  x={x(s.step)}
                  y={y(s.log2) + 4}
                  textAnchor="middle"
                  fontSize={12}
                  fill={COLORS[t.arm]}
                  data-testid="skip-marker"
                >
                  ×
                </text>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {traces.map((t) => (
          <span className="legend-item" key={t.arm} data-testid="loss-scale-legend">
            <span className="legend-swatch" style={{ background: COLORS[t.arm] }} />
            {t.label}: now {pow2(t.line.at(-1)!.log2)}, {t.skips.length} step{t.skips.length === 1 ? '' : 's'} skipped
          </span>
        ))}
        <span className="muted"> × marks a step skipped because the scaled gradients overflowed.</span>
      </figcaption>
    </figure>
  );
}
