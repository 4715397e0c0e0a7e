import type { Log2Histogram } from '../../core';
import { BAND_COLORS, FP16_BANDS, log2Scale, type BandId } from './fp16Axis';
import { pow2 } from './power';

const LO = -48;
const HI = 32;
const W = 640;
const H = 200;
const LEFT = 40;
const RIGHT = W - 12;
const TOP = 10;
const BOTTOM = H - 34;
const TICKS = [-48, -40, -32, -25, -14, -8, 0, 8, 16, 24, 32];

function bandOf(k: number): BandId {
  if (k <= -26) return 'zero';
  if (k <= -15) return 'subnormal';
  if (k <= 15) return 'normal';
  return 'overflow';
}

/**
 * Bars of a log2 histogram after multiplying every value by 2^shift (bucket
 * k drawn at k + shift), over FP16's regions. Heights are shares of the
 * nonzero values; buckets that fall off the axis are counted in `offAxis`.
 */
export function GradHistogram({
  h,
  shift,
  label,
  testId,
}: {
  h: Log2Histogram;
  shift: number;
  label: string;
  testId: string;
}) {
  const px = log2Scale(LO, HI, LEFT, RIGHT);
  const total = h.counts.reduce((a, b) => a + b, 0) + h.below + h.above;
  const bars = h.counts.flatMap((n, i) => (n > 0 ? [{ k: h.min + i + shift, n }] : []));
  const shown = bars.filter((b) => b.k >= LO && b.k < HI);
  const offAxis = h.below + h.above + bars.filter((b) => b.k < LO || b.k >= HI).reduce((a, b) => a + b.n, 0);
  const peak = Math.max(1e-12, ...shown.map((b) => b.n / Math.max(1, total)));
  const y = (share: number) => BOTTOM - (share / peak) * (BOTTOM - TOP);
  return (
    <figure className="loss-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={label}>
        {FP16_BANDS.map((b) => (
          <rect
            key={b.id}
            x={px(b.from)}
            y={TOP}
            width={Math.max(0, px(b.to) - px(b.from))}
            height={BOTTOM - TOP}
            fill={BAND_COLORS[b.id]}
            opacity={0.35}
          />
        ))}
        {shown.map((b) => (
          <rect
            key={b.k}
            x={px(b.k) + 0.5}
            y={y(b.n / total)}
            width={Math.max(1, px(b.k + 1) - px(b.k) - 1)}
            height={BOTTOM - y(b.n / total)}
            fill={b.k <= -26 || b.k >= 16 ? 'var(--error)' : 'var(--series-1)'}
          >
            <title>{`[${pow2(b.k)}, ${pow2(b.k + 1)}): ${b.n} values, ${bandOf(b.k)} in FP16`}</title>
          </rect>
        ))}
        {[-25, -14, 16].map((t) => (
          <line key={t} x1={px(t)} x2={px(t)} y1={TOP} y2={BOTTOM} stroke="var(--fg)" strokeDasharray="4 3" />
        ))}
        <line x1={LEFT} x2={RIGHT} y1={BOTTOM} y2={BOTTOM} stroke="var(--muted)" />
        {TICKS.map((t) => (
          <text key={t} x={px(t)} y={BOTTOM + 14} textAnchor="middle" fontSize={10} fill="var(--muted)">
            {pow2(t)}
          </text>
        ))}
        <text x={(LEFT + RIGHT) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="var(--muted)">
          |gradient × scale|, log₂ buckets
        </text>
        <text x={4} y={TOP + 8} fontSize={10} fill="var(--muted)">
          {`${(100 * peak).toFixed(1)}%`}
        </text>
      </svg>
      <figcaption className="muted">
        Bar height: share of the nonzero gradient elements in each power-of-two bucket. Shaded: FP16’s regions (red zone
        left: rounds to 0; yellow: subnormal; green: normal; red zone right: overflow); dashed lines at {pow2(-25)},{' '}
        {pow2(-14)} and {pow2(16)}.{offAxis > 0 && ` ${offAxis} values lie off this axis.`}
      </figcaption>
    </figure>
  );
}
