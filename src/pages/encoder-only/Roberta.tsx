import { memo, useMemo } from 'react';
import { LazyMount } from '../../components/LazyMount';
import { MetricChart } from '../../components/MetricChart';
import type { BackendChoice, BertRunSpec } from '../../train/protocol';
import type { Trainer } from '../../train/useTrainer';
import { ComparisonTrainer } from './ComparisonTrainer';
import { ARM_COLORS, evalSeries, series, stepSeries } from '../../components/series';

function RobertaCharts({ trainer, labels }: { trainer: Trainer; labels: readonly string[] }) {
  const { points, evals } = trainer.state;
  const curves = useMemo(
    () =>
      labels.flatMap((l, a) => [
        series(`train${a}`, `${l}: training MLM loss`, ARM_COLORS[a], stepSeries(points, a, 'mlm')),
        series(`held${a}`, `${l}: held-out MLM loss`, ARM_COLORS[a], evalSeries(evals, a, 'mlm'), { dashed: true, dots: true }),
      ]),
    [points, evals, labels],
  );
  return <MetricChart series={curves} label="MLM loss of BERT and RoBERTa" caption="Mean -log p over the masked positions, in nats." />;
}

/** Section 8: RoBERTa, the same model without NSP, trained alongside BERT. */
export const Roberta = memo(function Roberta({ run, backend, blocked }: { run: BertRunSpec | null; backend: BackendChoice; blocked: string | null }) {
  const labels = useMemo(() => (run ? run.arms.map((a) => a.label) : []), [run]);
  return (
    <section aria-labelledby="roberta">
      <h2 id="roberta">8. RoBERTa: drop NSP, train on more, for longer</h2>
      <div className="prose">
        <p>
          RoBERTa keeps BERT’s architecture and changes how it is trained: the next-sentence objective is removed (the
          authors found it did not help), the data grows from 16 GB to 160 GB of text, training runs longer, and each
          sequence gets a fresh mask every time it is seen (<em>dynamic</em> masking) instead of one mask fixed when the data
          was prepared. Without NSP there is no reason to pair random sentences: each input is a run of contiguous sentences
          from one document. These changes alone raised SQuAD from 81.8 to 89.4.
        </p>
        <p>
          Below, both recipes train side by side on the same documents, seed and initialisation; only the MLM loss is
          comparable, so only it is plotted, each model’s measured on held-out documents in its own input format. At this scale a sequence is rarely drawn twice, so static versus dynamic masks
          barely matters here; what separates the curves is the NSP term competing for the same small model and the
          contiguous inputs. “More data, longer” is the part a browser cannot show.
        </p>
      </div>
      <LazyMount placeholder={<p className="muted">The comparison starts its models when you scroll here.</p>} minHeight={360}>
        <ComparisonTrainer
          run={run}
          backend={backend}
          blocked={blocked}
          title="BERT vs RoBERTa"
          render={(t) => <RobertaCharts trainer={t} labels={labels} />}
        />
      </LazyMount>
    </section>
  );
});
