import { memo } from 'react';
import { NoiseDemo } from './NoiseDemo';

/** Section 2: BART's five transformations and its final choice. */
export const BartSection = memo(function BartSection({ seed }: { seed: number }) {
  return (
    <section aria-labelledby="bart">
      <h2 id="bart">2. BART: five ways to corrupt a document</h2>
      <div className="prose">
        <p>
          BART (Lewis et al., 2019) is an encoder-decoder whose decoder always regenerates the <em>whole</em> original
          document. Its large model has 12 encoder layers and 12 decoder layers of width 1024, and it was trained at
          RoBERTa’s scale, on the same 160 GB of text. (The lecture gives BART RoBERTa’s encoder with 12 layers, but
          RoBERTa-large has 24 layers of width 1024: what BART-large shares with it is the width and the data.) The
          paper compared five noising transformations:
        </p>
        <ul>
          <li>
            <strong>Token masking</strong>: each token becomes <code>[MASK]</code> with some probability, as in BERT.
          </li>
          <li>
            <strong>Token deletion</strong>: tokens disappear, so the model must also work out <em>where</em> something
            is missing.
          </li>
          <li>
            <strong>Text infilling</strong>: spans with lengths drawn from Poisson(λ = 3) are each replaced by a{' '}
            <em>single</em> <code>[MASK]</code>, so the model must also predict how many tokens are missing; a span of
            length 0 inserts a mask.
          </li>
          <li>
            <strong>Sentence permutation</strong>: the document’s sentences are shuffled.
          </li>
          <li>
            <strong>Document rotation</strong>: the document is rotated to start at a random token; the model must find
            the real start.
          </li>
        </ul>
        <p>
          With BERT-sized experiments the authors settled on masking 30% of the tokens by text infilling and permuting
          all sentences. Try each below; the target is the original passage in every case.
        </p>
      </div>
      <NoiseDemo family="BART" idPrefix="bart" initial="text-infilling" seed={seed} />
    </section>
  );
});
