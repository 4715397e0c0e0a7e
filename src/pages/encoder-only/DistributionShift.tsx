import { memo, useMemo } from 'react';
import { isClaimArm, type Claim } from '../../core/claims';
import { ClaimLine } from '../../components/ClaimLine';
import { LazyMount } from '../../components/LazyMount';
import { MetricChart, type Series } from '../../components/MetricChart';
import { usePinnedOverlay, type CurveBuilder } from '../../components/usePinnedRuns';
import type { BackendChoice, BertRunSpec, EvalPoint, StepPoint } from '../../train/contract';
import type { Trainer } from '../../train/client/useTrainer';
import { ComparisonTrainer } from './ComparisonTrainer';
import { shiftClaim } from './params';
import { armSeries, evalSeries } from '../../components/series';

/** Each model's -log p of the word at each position, on held-out text without [MASK]; for a pinned run too. */
function nllCurves(
  _points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  labels: readonly string[],
  claim: Claim | null = null,
): Series[] {
  return labels.map((l, a) =>
    armSeries(`nll${a}`, `${l}: -log p(own word), no [MASK] in the input`, a, evalSeries(evals, a, 'ownNll'), {
      dots: true,
      short: l,
      emphasis: isClaimArm(claim, a),
    }),
  );
}
const pinnedNll: CurveBuilder = (points, evals, labels) => nllCurves(points, evals, labels);

function ShiftCharts({ trainer, labels, claim }: { trainer: Trainer; labels: readonly string[]; claim: Claim | null }) {
  const { evals } = trainer.state;
  const own = useMemo(
    () =>
      labels.map((l, a) =>
        armSeries(`own${a}`, `${l}: own-token accuracy, no [MASK] in the input`, a, evalSeries(evals, a, 'ownAcc'), {
          dots: true,
          short: l,
          emphasis: isClaimArm(claim, a),
        }),
      ),
    [evals, labels, claim],
  );
  const nll = useMemo(() => nllCurves([], evals, labels, claim), [evals, labels, claim]);
  const pinned = usePinnedOverlay(pinnedNll, labels);
  const mlm = useMemo(
    () =>
      labels.map((l, a) =>
        armSeries(`acc${a}`, `${l}: accuracy at masked positions`, a, evalSeries(evals, a, 'mlmAcc'), {
          dots: true,
          short: l,
          emphasis: isClaimArm(claim, a),
        }),
      ),
    [evals, labels, claim],
  );
  const last = evals.at(-1)?.arms;
  return (
    <>
      {claim && <ClaimLine claim={claim} labels={labels} data={trainer.state} />}
      <MetricChart
        series={nll}
        label="Own-word loss on unmasked input"
        xTitle="step"
        yTitle="−log p(own word) (nats)"
        caption="Mean -log p of the word at each position, nats; lower is better."
        pinned={pinned}
      />
      <MetricChart
        series={own}
        label="Own-token accuracy on unmasked input"
        xTitle="step"
        yTitle="own-token accuracy, no [MASK]"
        yDomain={[0, 1]}
        caption="Held out, every 25 steps."
      />
      <MetricChart
        series={mlm}
        label="Masked-position accuracy"
        xTitle="step"
        yTitle="accuracy at masked positions"
        yDomain={[0, 1]}
        caption="The task both were trained on."
      />
      {last && last.length === 2 && evals.length > 1 && (
        <p data-testid="shift-gap">
          At step {evals.at(-1)!.step}, on text without any [MASK], the model trained with {labels[0]} reads off{' '}
          <strong>{(last[0].ownAcc * 100).toFixed(1)}%</strong> of the words it is given, the always-[MASK] model{' '}
          <strong>{(last[1].ownAcc * 100).toFixed(1)}%</strong> (−log p of the word there: {last[0].ownNll.toFixed(2)}{' '}
          vs {last[1].ownNll.toFixed(2)} nats); at masked positions they score {(last[0].mlmAcc * 100).toFixed(1)}% and{' '}
          {(last[1].mlmAcc * 100).toFixed(1)}%.
        </p>
      )}
    </>
  );
}

/** Section 4: why 80/10/10. Two BERTs on the same pairs and seed, one that always masks. */
export const DistributionShift = memo(function DistributionShift({
  run,
  backend,
  blocked,
}: {
  run: BertRunSpec | null;
  backend: BackendChoice;
  blocked: string | null;
}) {
  const labels = useMemo(() => (run ? run.arms.map((a) => a.label) : []), [run]);
  const claim = useMemo(() => (run ? shiftClaim(run) : null), [run]);
  return (
    <section aria-labelledby="shift">
      <h2 id="shift">4. Why not always [MASK]? Distribution shift</h2>
      <div className="prose">
        <p>
          If every selected position became <code>[MASK]</code>, the model would only ever be asked about positions that
          say <code>[MASK]</code>. Nothing would teach it what to do with an ordinary word: during pre-training every
          input has masks, but the sentences it embeds afterwards (when it is fine-tuned or used for features) have
          none. That gap between training and use is a <em>distribution shift</em>. BERT’s heuristic leaves 10% of the
          selected words as they are and swaps 10% for random words, so 20% of the time the input at a position with a
          loss is a real word, and the model must produce a useful embedding for real words too.
        </p>
        <p>
          The experiment below trains two tiny BERTs in the same worker, on the same sentence pairs, from the same
          initialisation and seed: one with the rates you set in section 3, one that always uses <code>[MASK]</code>.
          Every 25 steps both read held-out sentences <em>with no [MASK] at all</em> and must output, at each position,
          the word that is there. A model that learned to handle real words gets more and more of them; one that never
          saw a loss on a real word has no reason to.
        </p>
        <p>
          What to expect: untrained, both copy their input surprisingly well, because the output layer reuses the input
          embeddings <i>E</i>. Early in training both lose that while they learn which words are frequent. From then on
          only the model that also sees unchanged and random words at positions with a loss has a reason to read off the
          word it is given. Within a minute that shows first in the probability it gives the word actually there (the
          first chart, its −log p): the always-[MASK] model stays near what word frequencies alone give. The own-token
          accuracy (second chart) follows over the next minutes, while the always-[MASK] model stays close to guessing
          the most frequent words, such as <i>the</i>.
        </p>
      </div>
      <LazyMount
        name="Distribution shift: your rates vs always [MASK]"
        placeholder={<p className="muted">The experiment starts its models when you scroll here.</p>}
        minHeight={420}
      >
        <ComparisonTrainer
          run={run}
          backend={backend}
          blocked={blocked}
          title="Distribution shift: your rates vs always [MASK]"
          render={(t) => <ShiftCharts trainer={t} labels={labels} claim={claim} />}
        />
      </LazyMount>
    </section>
  );
});
