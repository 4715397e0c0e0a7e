import { memo, useMemo } from 'react';
import type { Claim } from '../../core/claims';
import { ClaimLine } from '../../components/ClaimLine';
import { LazyMount } from '../../components/LazyMount';
import { MetricChart, type Series } from '../../components/MetricChart';
import { usePinnedOverlay, type CurveBuilder } from '../../components/usePinnedRuns';
import type { BackendChoice, BertRunSpec, EvalPoint, StepPoint } from '../../train/contract';
import type { Trainer } from '../../train/client/useTrainer';
import { ComparisonTrainer } from './ComparisonTrainer';
import { robertaClaim } from './params';
import { armPairCurves } from '../../components/series';

/** Each model's training and held-out MLM loss; for a pinned run too (no claim emphasis there). */
const NAMES = { train: (l: string) => `${l}: training MLM loss`, held: (l: string) => `${l}: held-out MLM loss` };
const mlmCurves = (
  points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  labels: readonly string[],
  claim: Claim | null = null,
): Series[] => armPairCurves(points, evals, labels, 'mlm', NAMES, claim);
const pinnedCurves: CurveBuilder = (points, evals, labels) => mlmCurves(points, evals, labels);

function RobertaCharts({
  trainer,
  labels,
  claim,
}: {
  trainer: Trainer;
  labels: readonly string[];
  claim: Claim | null;
}) {
  const { points, evals } = trainer.state;
  const curves = useMemo(() => mlmCurves(points, evals, labels, claim), [points, evals, labels, claim]);
  const pinned = usePinnedOverlay(pinnedCurves, labels);
  return (
    <>
      {claim && <ClaimLine claim={claim} labels={labels} data={trainer.state} />}
      <MetricChart
        series={curves}
        label="MLM loss of BERT and RoBERTa"
        xTitle="step"
        yTitle="MLM loss (nats/masked word)"
        caption="Mean -log p over the masked positions; dots: held out, every 25 steps."
        pinned={pinned}
      />
    </>
  );
}

/** Section 8: RoBERTa, the same model without NSP, trained alongside BERT. */
export const Roberta = memo(function Roberta({
  run,
  backend,
  blocked,
}: {
  run: BertRunSpec | null;
  backend: BackendChoice;
  blocked: string | null;
}) {
  const labels = useMemo(() => (run ? run.arms.map((a) => a.label) : []), [run]);
  const claim = useMemo(() => (run ? robertaClaim(run) : null), [run]);
  return (
    <section aria-labelledby="roberta">
      <h2 id="roberta">8. RoBERTa: drop NSP, train on more, for longer</h2>
      <div className="prose">
        <p>
          RoBERTa (Liu et al., 2019) keeps BERT’s architecture and changes how it is trained. The next-sentence
          objective is removed (the authors found it did not help), and each sequence gets a fresh mask every time it is
          seen (<em>dynamic</em> masking) instead of one mask fixed when the data was prepared. Without NSP there is no
          reason to pair random sentences: each input is a run of contiguous sentences from one document. The scale
          changes too: batches of 8,000 sequences instead of BERT’s 256, a byte-level BPE vocabulary of about 50,000
          entries instead of 30,000 word pieces, 160 GB of text instead of 16 GB, and about 16 times as many sequences
          seen in training (500,000 steps of 8,000 against BERT’s 1,000,000 steps of 256). All of it together raised F1
          on SQuAD 2.0 (the version with unanswerable questions) from BERT-large’s 81.8 to 89.4; the paper’s ablations
          show the gain building up over several of these changes, not coming from one.
        </p>
        <p>
          Below, the two input formats and objectives train side by side on the same documents, seed and initialisation;
          only the MLM loss is comparable, so only it is plotted, each model’s measured on held-out documents in its own
          input format. They train on only the first few documents of the corpus (the setting “BERT vs RoBERTa: training
          documents”), so within a minute every sequence comes round again and again, as BERT’s own data did (about 40
          passes; the RoBERTa paper’s static-mask baseline copied the data ten times, so each mask was seen four times).
          BERT then meets each sequence with the mask it got the first time and can learn those particular answers;
          RoBERTa draws a new mask every time, so it has to keep predicting words from their context. The two also
          differ in the NSP term and the contiguous inputs, so the curves show the recipe, not one ingredient alone.
          Bigger batches, the new vocabulary, more data and longer training are the parts a browser tab cannot show.
        </p>
      </div>
      <LazyMount
        name="BERT vs RoBERTa"
        placeholder={<p className="muted">The comparison starts its models when you scroll here.</p>}
        minHeight={360}
      >
        <ComparisonTrainer
          run={run}
          backend={backend}
          blocked={blocked}
          title="BERT vs RoBERTa"
          render={(t) => <RobertaCharts trainer={t} labels={labels} claim={claim} />}
        />
      </LazyMount>
    </section>
  );
});
