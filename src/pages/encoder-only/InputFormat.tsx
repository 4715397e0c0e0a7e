import { memo, useState } from 'react';
import { Equation, M } from '../../components/Equation';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import type { BertExample } from '../../train/contract';
import { ExampleList, SegmentLegend } from './ExampleList';

export type ExamplesQuery = (count: number, seed: number) => Promise<BertExample[]>;

/** Examples drawn from the training data in the worker, redrawn on demand. */
export function useExamples(
  query: ExamplesQuery,
  ready: boolean,
  generation: number,
  count: number,
  firstSeed: number,
) {
  const [seed, setSeed] = useState(firstSeed);
  const live = useLiveQuery(() => query(count, seed), `${generation}:${seed}`, {
    enabled: ready,
    running: false,
    intervalMs: 0,
  });
  // Pairs drawn for an earlier run (another maximum length, say) are not this run's.
  const { value, key, error } = ofGeneration(live, generation);
  return { examples: value, answered: key, error, redraw: () => setSeed((s) => s + 1) };
}

/** Section 2: [CLS] A [SEP] B, token, position and segment embeddings. */
export const InputFormat = memo(function InputFormat({
  query,
  ready,
  generation,
}: {
  query: ExamplesQuery;
  ready: boolean;
  generation: number;
}) {
  const { examples, answered, error, redraw } = useExamples(query, ready, generation, 3, 101);
  return (
    <section aria-labelledby="format">
      <h2 id="format">2. The input: [CLS] A [SEP] B</h2>
      <div className="prose">
        <p>
          BERT reads two pieces of text at once, written as one sequence with two special tokens. <code>[CLS]</code>{' '}
          comes first; its contextual embedding is the one classification heads read. <code>[SEP]</code> closes each
          piece, so the model can tell the first (for example a premise) from the second (a hypothesis), as in the
          lecture’s example
        </p>
      </div>
      <Equation
        tex={'x_{1:L} = [\\nl{[CLS]}, \\nl{all}, \\nl{animals}, \\nl{breathe}, \\nl{[SEP]}, \\nl{cats}, \\nl{breathe}]'}
      />
      <div className="prose">
        <p>
          Besides the token and position embeddings a GPT has, every position gets one of two learned <em>segment</em>{' '}
          vectors: <M>{'e_A \\in \\R^d'}</M> for tokens left of the first <code>[SEP]</code> (with it) and <M>e_B</M>{' '}
          for the rest. BERT-large stacks 24 Transformer blocks on that sum:
        </p>
      </div>
      <Equation
        tex={
          '\\text{BERT}(x_{1:L}) = \\text{TransformerBlock}^{24}\\big(\\text{EmbedTokenWithPosition}(x_{1:L}) + \\text{SentenceEmbedding}(x_{1:L})\\big) \\in \\R^{d \\times L}'
        }
        label="the BERT equation"
      />
      <div className="panel" data-testid="examples-panel" data-answer={answered ?? ''}>
        <div className="panel-bar">
          <h3>Pairs from the training corpus</h3>
          <button type="button" onClick={redraw} disabled={!ready}>
            Draw other pairs
          </button>
        </div>
        <SegmentLegend />
        {examples ? (
          <ExampleList examples={examples} />
        ) : (
          <p className="muted">{error && ready ? `No pairs yet: ${error}` : 'Loading the corpus…'}</p>
        )}
        <p className="muted">
          Our tiny BERT (section 6) uses the same sum with two segment vectors, a learned position table, and as many
          blocks as you choose. Pairs longer than the maximum length lose tokens from the end of the longer sentence.
        </p>
      </div>
    </section>
  );
});
