import { useMemo, useState } from 'react';
import { Equation } from '../../components/Equation';
import { MetricChart } from '../../components/MetricChart';
import { series } from '../../components/series';
import { adamElementView } from '../../core';
import type { StepPoint } from '../../train/contract';
import { TRACKED } from './params';
import { ScrollRegion } from '../../components/ScrollRegion';

interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  biasCorrection: boolean;
}

/** A number for TeX: 1.646e-4 becomes 1.646 \times 10^{-4}. */
function texNum(x: number): string {
  const [mant, exp] = fmt(x).split('e');
  return exp === undefined ? mant : `${mant} \\times 10^{${Number(exp)}}`;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(5) : x.toExponential(3);
}

/** Section 5: Adam's numbers for one element of the running model, step by step. */
export function Moments({ points, adam }: { points: readonly StepPoint[]; adam: AdamSettings }) {
  const [which, setWhich] = useState(1);
  const rows = useMemo(
    () =>
      points
        .filter((p) => p.tracked?.[which])
        .map((p) => {
          const t = p.tracked![which];
          const view = adamElementView(t.m, t.v, p.step, adam);
          return {
            t: p.step,
            g: t.g,
            m: t.m,
            v: t.v,
            mHat: view.mHat,
            vHat: view.vHat,
            move: view.step,
            correction1: view.correction1,
            correction2: view.correction2,
          };
        }),
    [points, which, adam],
  );
  const last = rows.at(-1);
  const charts = useMemo(
    () => ({
      moments: [
        series(
          'g',
          'g_t (gradient)',
          'var(--series-4)',
          rows.map((r) => ({ step: r.t, value: r.g })),
        ),
        series(
          'mraw',
          'm_t',
          'var(--series-1)',
          rows.map((r) => ({ step: r.t, value: r.m })),
          { dashed: true },
        ),
        series(
          'm',
          'm̂_t (corrected)',
          'var(--series-1)',
          rows.map((r) => ({ step: r.t, value: r.mHat })),
        ),
        series(
          'svraw',
          '√v_t',
          'var(--series-2)',
          rows.map((r) => ({ step: r.t, value: Math.sqrt(r.v) })),
          { dashed: true },
        ),
        series(
          'sv',
          '√v̂_t (corrected)',
          'var(--series-2)',
          rows.map((r) => ({ step: r.t, value: Math.sqrt(r.vHat) })),
        ),
      ],
      step: [
        series(
          'step',
          'η m̂_t / (√v̂_t + ε): the step taken',
          'var(--series-3)',
          rows.map((r) => ({ step: r.t, value: r.move })),
        ),
      ],
    }),
    [rows],
  );
  return (
    <section aria-labelledby="moments">
      <h2 id="moments">5. Adam’s moments, live</h2>
      <div className="prose">
        <p>
          The numbers of Adam’s four steps for one parameter of the Adam model in the race above, after every update.
          Watch
          <i> g</i> jump from step to step while <i>m̂</i> follows it smoothly, and <i>√v̂</i> settle at the gradient’s
          typical size: their ratio is a step of roughly η whatever the scale of <i>g</i>.
        </p>
      </div>
      <div className="panel">
        <div className="field">
          <label htmlFor="moments-param">Parameter</label>
          <select id="moments-param" value={which} onChange={(e) => setWhich(Number(e.target.value))}>
            {TRACKED.map((t, i) => (
              <option key={t.name} value={i}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {!last ? (
          <p className="muted">Train or step the race to see the numbers.</p>
        ) : (
          <>
            <ScrollRegion>
              <table className="stats-table" data-testid="moments-table">
                <tbody>
                  <tr>
                    <th scope="row">step t</th>
                    <td data-testid="moments-step">{last.t}</td>
                  </tr>
                  <tr>
                    <th scope="row">1. gradient g_t</th>
                    <td data-testid="moment-g" data-value={last.g}>
                      {fmt(last.g)}
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">2. m_t, v_t</th>
                    <td>
                      <span data-testid="moment-m" data-value={last.m}>
                        {fmt(last.m)}
                      </span>
                      ,{' '}
                      <span data-testid="moment-v" data-value={last.v}>
                        {fmt(last.v)}
                      </span>
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">3. m̂_t, v̂_t</th>
                    <td>
                      <span data-testid="moment-mhat" data-value={last.mHat}>
                        {fmt(last.mHat)}
                      </span>
                      ,{' '}
                      <span data-testid="moment-vhat" data-value={last.vHat}>
                        {fmt(last.vHat)}
                      </span>{' '}
                      <span className="muted">
                        (× {fmt(last.correction1)} and × {fmt(last.correction2)})
                      </span>
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">4. step η m̂/(√v̂ + ε)</th>
                    <td data-testid="moment-step" data-value={last.move}>
                      {fmt(last.move)}
                    </td>
                  </tr>
                </tbody>
              </table>
            </ScrollRegion>
            <Equation
              tex={`\\hat m_t = \\frac{${texNum(last.m)}}{1 - ${adam.beta1}^{${last.t}}}, \\quad \\hat v_t = \\frac{${texNum(last.v)}}{1 - ${adam.beta2}^{${last.t}}}${adam.biasCorrection ? '' : '\\ \\text{(bias correction off: divided by 1)}'}`}
            />
            <MetricChart
              series={charts.moments}
              label="Gradient and Adam's moments"
              xTitle="step"
              yTitle="g, m and √v of the element"
              caption="For the chosen element, every step."
              digits={4}
            />
            <MetricChart
              series={charts.step}
              label="Adam's step for the element"
              xTitle="step"
              yTitle="η m̂ / (√v̂ + ε)"
              caption="Signed step; the element moves by minus this."
              digits={5}
            />
          </>
        )}
      </div>
    </section>
  );
}
