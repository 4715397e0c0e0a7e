import { useMemo, type ReactNode } from 'react';
import { Equation, M } from '../../components/Equation';
import { MemoryReadout } from '../../components/MemoryReadout';
import { MetricChart, type Series } from '../../components/MetricChart';
import { usePinnedOverlay } from '../../components/usePinnedRuns';
import type { ParamSpec } from '../../core/params';
import type { EvalPoint, StepPoint } from '../../train/contract';
import { TrainerCard } from '../../components/TrainerCard';
import type { Trainer } from '../../train/client/useTrainer';
import { evalSeries, series, stepSeries } from '../../components/series';

/** The model's two training losses, their sum and the held-out sum; for a pinned run too. */
function lossCurves(points: readonly StepPoint[], evals: readonly EvalPoint[]): Series[] {
  return [
    series('mlm', 'MLM loss', 'var(--series-1)', stepSeries(points, 0, 'mlm'), { short: 'MLM' }),
    series('nsp', 'NSP loss', 'var(--series-2)', stepSeries(points, 0, 'nsp'), { short: 'NSP' }),
    series('total', 'MLM + NSP (the objective)', 'var(--series-3)', stepSeries(points, 0, 'total'), {
      short: 'MLM + NSP',
    }),
    series('held', 'held-out MLM + NSP', 'var(--series-4)', evalSeries(evals, 0, 'total'), {
      dashed: true,
      dots: true,
      short: 'held out',
    }),
  ];
}
const ONE_MODEL: readonly string[] = [];

function ObjectiveCharts({ trainer }: { trainer: Trainer }) {
  const { points, evals } = trainer.state;
  const losses = useMemo(() => lossCurves(points, evals), [points, evals]);
  const pinned = usePinnedOverlay(lossCurves, ONE_MODEL);
  const accuracy = useMemo(
    () => [
      series('mlmAcc', 'held-out MLM accuracy (masked positions)', 'var(--series-1)', evalSeries(evals, 0, 'mlmAcc'), {
        dots: true,
        short: 'MLM',
      }),
      series('nspAcc', 'held-out NSP accuracy', 'var(--series-2)', evalSeries(evals, 0, 'nspAcc'), {
        dots: true,
        short: 'NSP',
      }),
    ],
    [evals],
  );
  const last = evals.at(-1)?.arms?.[0];
  return (
    <>
      <MetricChart
        series={losses}
        label="BERT losses"
        xTitle="step"
        yTitle="loss (nats)"
        caption="Training losses per step (nats); the objective is their sum."
        pinned={pinned}
      />
      <MetricChart
        series={accuracy}
        label="BERT held-out accuracy"
        xTitle="step"
        yTitle="held-out accuracy"
        yDomain={[0, 1]}
        digits={1}
        caption="Held out, every 25 steps; NSP by chance is 50%."
      />
      {last && (
        <dl className="trainer-stats">
          <div>
            <dt>held-out MLM acc.</dt>
            <dd data-testid="mlm-acc">{(last.mlmAcc * 100).toFixed(1)}%</dd>
          </div>
          <div>
            <dt>held-out NSP acc.</dt>
            <dd data-testid="nsp-acc">{(last.nspAcc * 100).toFixed(1)}%</dd>
          </div>
          <div>
            <dt>held-out MLM loss</dt>
            <dd data-testid="mlm-heldout">{last.mlm.toFixed(4)}</dd>
          </div>
        </dl>
      )}
    </>
  );
}

/** The page's main trainer: a tiny BERT trained on MLM + NSP, at the top of the page. */
export function ObjectiveTrainer({
  trainer,
  blocked,
  hyperparams,
  params,
}: {
  trainer: Trainer;
  blocked: string | null;
  hyperparams: ReactNode;
  /** The page's parameter table, for naming pinned runs. */
  params?: readonly ParamSpec[];
}) {
  return (
    <div className="demo-grid">
      {hyperparams}
      <TrainerCard trainer={trainer} title="Tiny BERT: MLM + NSP" blocked={blocked} params={params}>
        <ObjectiveCharts trainer={trainer} />
        <MemoryReadout trainer={trainer} />
      </TrainerCard>
    </div>
  );
}

/** Section 6: the BERT objective; the model it describes trains at the top of the page (ObjectiveTrainer). */
export function Objective({ optimizer }: { optimizer: string }) {
  return (
    <section aria-labelledby="objective">
      <h2 id="objective">6. The objective, trained live</h2>
      <div className="prose">
        <p>
          Let <M>{'\\sD'}</M> be the set of pairs <i>(x, c)</i> built as in section 5. BERT minimises the two losses
          summed: the expected masked-LM loss over the masking function’s draws, plus the NSP loss on <code>[CLS]</code>
          .
        </p>
      </div>
      <Equation
        tex={
          '\\sO(\\theta) = \\sum_{(x_{1:L},\\, c) \\in \\sD} \\underbrace{\\mathbb{E}_{I,\\, \\tilde x_{1:L} \\sim A(\\cdot \\mid x_{1:L}, I)}\\Big[\\sum_{i \\in I} -\\log p_\\theta(x_i \\mid \\tilde x_{1:L})\\Big]}_{\\text{masked language modelling}} \\; \\underbrace{-\\,\\log p_\\theta(c \\mid \\phi(x_{1:L})_1)}_{\\text{next-sentence prediction}}'
        }
        label="the BERT objective"
      />
      <div className="prose">
        <p>
          (The lecture’s slide writes the MLM term as <M>{'p(\\tilde x_i \\mid x)'}</M>; what is predicted is the
          original token from the noised input, <M>{'p(x_i \\mid \\tilde x_{1:L})'}</M>, as written here.) The model at
          the top of the page is a small BERT on the Brown corpus with a 3,000-word vocabulary (positions holding a word
          outside it, {'<unk>'}, are never selected for prediction): token, position and segment embeddings, pre-norm
          Transformer blocks with no causal mask, the MLM head through the same embedding matrix <i>E</i>, and a linear
          NSP head on <code>[CLS]</code>. Each loss is averaged (over masked positions and over pairs) before the sum.{' '}
          {optimizer}.
        </p>
      </div>
    </section>
  );
}
