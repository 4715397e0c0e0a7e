import { BAND_COLORS, FP16_BANDS, log2Scale, markerPosition } from './fp16Axis';
import { formatValue } from './explorerInput';
import { pow2 } from './power';

const LO = -30;
const HI = 17;
const W = 640;
const H = 92;
const PAD = 16;
const TICKS = [-30, -25, -20, -14, -10, -5, 0, 5, 10, 16];

/** FP16 on a log2 |x| axis from 2^-30 to 2^17, its regions shaded, the typed value marked. */
export function NumberLine({ x }: { x: number | null }) {
  const px = log2Scale(LO, HI, PAD, W - PAD);
  const marker = x === null ? null : markerPosition(x, LO, HI);
  return (
    <figure className="loss-chart" aria-label="FP16 number line on a log2 scale" data-testid="fp16-number-line">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`FP16 regions from ${pow2(LO)} to ${pow2(HI)}${marker ? `; the typed value ${formatValue(x!)} is marked` : ''}`}
      >
        {FP16_BANDS.map((b) => (
          <g key={b.id}>
            <rect
              x={px(b.from)}
              y={18}
              width={Math.max(0, px(b.to) - px(b.from))}
              height={28}
              fill={BAND_COLORS[b.id]}
              opacity={0.85}
            />
            {/* A band too narrow for its name (overflow) is labelled above, flush with its right end. */}
            <text
              x={px(b.to) - px(b.from) < 60 ? px(b.to) : (px(b.from) + px(b.to)) / 2}
              y={px(b.to) - px(b.from) < 60 ? 14 : 36}
              textAnchor={px(b.to) - px(b.from) < 60 ? 'end' : 'middle'}
              fontSize={11}
              fill="var(--fg)"
            >
              {b.label}
            </text>
          </g>
        ))}
        <line x1={PAD} x2={W - PAD} y1={46} y2={46} stroke="var(--muted)" />
        {TICKS.map((t) => (
          <g key={t}>
            <line x1={px(t)} x2={px(t)} y1={46} y2={51} stroke="var(--muted)" />
            <text x={px(t)} y={64} textAnchor="middle" fontSize={10} fill="var(--muted)">
              {pow2(t)}
            </text>
          </g>
        ))}
        {marker && (
          <g data-testid="fp16-marker">
            <line x1={px(marker.log2)} x2={px(marker.log2)} y1={10} y2={54} stroke="var(--fg)" strokeWidth={2} />
            <polygon
              points={`${px(marker.log2) - 5},6 ${px(marker.log2) + 5},6 ${px(marker.log2)},13`}
              fill="var(--fg)"
            />
            <text
              x={Math.min(W - 60, Math.max(60, px(marker.log2)))}
              y={82}
              textAnchor="middle"
              fontSize={11}
              fill="var(--fg)"
            >
              {`|x| = ${formatValue(Math.abs(x!))}${marker.clamped ? ' (off the axis: drawn at its end)' : ''}`}
            </text>
          </g>
        )}
      </svg>
      <figcaption className="muted">
        Horizontal position is log₂|x|; the sign does not matter. Everything at or below {pow2(-25)} rounds to 0;
        subnormals run from {pow2(-24)} to {pow2(-14)} with fewer significant bits; normals end at 65504.
      </figcaption>
    </figure>
  );
}
