import { memo } from 'react';
import { Equation, M } from '../../components/Equation';
import { ExampleList, SegmentLegend } from './ExampleList';
import { useExamples, type ExamplesQuery } from './InputFormat';

/** Section 5: next-sentence prediction, its dataset and its classifier on [CLS]. */
export const NextSentence = memo(function NextSentence({
  query,
  ready,
  generation,
}: {
  query: ExamplesQuery;
  ready: boolean;
  generation: number;
}) {
  const { examples, redraw } = useExamples(query, ready, generation, 6, 101);
  const isNext = examples?.filter((e) => e.label === 'IsNext').length ?? 0;
  return (
    <section aria-labelledby="nsp">
      <h2 id="nsp">5. Next-sentence prediction</h2>
      <div className="prose">
        <p>
          BERT’s second task asks whether B really follows A. The data is built from a corpus with document boundaries:
          take a sentence A; with probability 0.5 let B be the sentence after it, otherwise a random sentence from
          elsewhere in the corpus; the label <M>c</M> records which. For example
        </p>
      </div>
      <Equation
        tex={
          '[\\nl{[CLS]}, \\nl{the}, \\nl{mouse}, \\nl{ate}, \\nl{the}, \\nl{cheese}, \\nl{[SEP]}, \\nl{it}, \\nl{was}, \\nl{full}] \\Rightarrow 1'
        }
      />
      <Equation
        tex={
          '[\\nl{[CLS]}, \\nl{the}, \\nl{mouse}, \\nl{ate}, \\nl{the}, \\nl{cheese}, \\nl{[SEP]}, \\nl{hello}, \\nl{world}] \\Rightarrow 0'
        }
      />
      <div className="prose">
        <p>
          The decision is read from the contextual embedding of the first position, <code>[CLS]</code>: a linear layer{' '}
          <M>{'W \\in \\R^{2 \\times d}'}</M> and a softmax give
        </p>
      </div>
      <Equation tex={'p(c \\mid x_{1:L}) = \\softmax\\!\\big(W \\phi(x_{1:L})_1 + b\\big)_c'} />
      <div className="panel">
        <div className="panel-bar">
          <h3>Pairs with their labels</h3>
          <button type="button" onClick={redraw} disabled={!ready}>
            Draw other pairs
          </button>
        </div>
        <SegmentLegend />
        {examples ? (
          <>
            <ExampleList examples={examples} labels />
            <p className="muted">
              {isNext} of {examples.length} pairs here are IsNext. NotNext sentences come from another document, so the
              model can often tell by topic alone, which is one reason later work found NSP too easy to be useful.
            </p>
          </>
        ) : (
          <p className="muted">Loading the corpus…</p>
        )}
      </div>
    </section>
  );
});
