import { memo } from 'react';
import { Equation } from '../../components/Equation';
import { NoiseDemo } from './NoiseDemo';

/** Section 3: T5's prefix LM and the family of unsupervised objectives it compared. */
export const T5Section = memo(function T5Section({ seed }: { seed: number }) {
  return (
    <section aria-labelledby="t5">
      <h2 id="t5">3. T5: a study of unsupervised objectives</h2>
      <div className="prose">
        <p>
          T5 (Raffel et al., 2020) is an encoder-decoder too, and its paper is a systematic study of the whole pipeline:
          data, model size, and the pre-training objective. The simplest objective splits a span of text at a random
          point and asks for the rest, the lecture’s
        </p>
      </div>
      <Equation tex={'[\\nl{the}, \\nl{mouse}] \\Rightarrow [\\nl{ate}, \\nl{the}, \\nl{cheese}]'} />
      <div className="prose">
        <p>
          The study compared it with denoising objectives: BERT-style (15% corrupted, most to a mask, the target is the
          whole text), deshuffling (the input is the tokens in random order), and three that only ask for what was
          removed. In <strong>i.i.d. noise, replace spans</strong> each token is corrupted independently with
          probability 15%, each run of corrupted tokens becomes one sentinel token in the input, and the target lists
          each sentinel followed by the tokens it replaced. <strong>Drop tokens</strong> deletes the corrupted tokens
          instead, and <strong>random spans</strong> picks spans of a chosen mean length directly. Replacing spans
          worked well and keeps targets short, so it became T5’s objective (with spans of mean length 3 in the final
          model), though several objectives performed about the same. Corruption rate and span length are editable; the
          observed values are shown against them.
        </p>
        <p>
          The sentinels are written <code>&lt;X&gt;</code>, <code>&lt;Y&gt;</code>, <code>&lt;Z&gt;</code>, as in the
          paper; T5’s released vocabulary calls the same tokens <code>&lt;extra_id_0&gt;</code>,{' '}
          <code>&lt;extra_id_1&gt;</code>, <code>&lt;extra_id_2&gt;</code>, and a passage with more than three spans
          continues with <code>&lt;extra_id_3&gt;</code>, <code>&lt;extra_id_4&gt;</code> and so on.
        </p>
      </div>
      <NoiseDemo family="T5" idPrefix="t5" initial="iid-replace-spans" seed={seed} />
    </section>
  );
});
