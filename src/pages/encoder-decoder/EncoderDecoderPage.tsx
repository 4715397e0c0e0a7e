import { useMemo } from 'react';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import './encoderDecoder.css';
import { BartSection } from './BartSection';
import { OBJECTIVE_KEYS, ObjectivePicker } from './ObjectivePicker';
import { backendOf, ENCDEC_PARAMS, encdecClaim, encdecCrossCheck, toEncDecRun } from './params';
import { describeOptim } from '../optimText';
import { T5Section } from './T5Section';
import { TaskShape } from './TaskShape';
import { TextToText } from './TextToText';
import { Training } from './Training';

/** The encoder-decoder section: BART's and T5's objectives, then tiny models trained on them. */
export default function EncoderDecoderPage({ location }: PageProps) {
  const form = useParamForm(ENCDEC_PARAMS, location.query, location.replaceQuery, encdecCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toEncDecRun(v, data), [v, data]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const claim = useMemo(() => encdecClaim(run), [run]);
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  const trainer = useTrainer(run, backendOf(v));
  const seed = v.seed;
  const otherKeys = useMemo(
    () => ENCDEC_PARAMS.map((s) => s.key).filter((k) => !(OBJECTIVE_KEYS as readonly string[]).includes(k)),
    [],
  );
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Objective functions</p>
        <h1>Encoder-decoder models: BART and T5</h1>
        <TryThis>
          Press Train to train one tiny encoder-decoder per noising objective on the same passages: watch how fast each
          loss falls, and what each model writes in its held-out reconstructions.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <MainDemo id="train" title="Train a tiny encoder-decoder on a denoising objective">
        <div className="prose">
          <p>
            Pick up to three objectives. Each trains its own tiny encoder-decoder (encoder self-attention, decoder
            causal self-attention and cross-attention, embeddings shared by encoder, decoder and output) on the same
            Brown passages from the same initialisation and seed, in one worker. The curves show the loss per target
            token: BART’s objectives must write the whole passage, T5’s span objectives only the missing pieces, so
            their numbers measure different tasks; compare how fast each falls, and read the reconstructions below. A
            minute is not long enough for a model this small to learn to copy the words it can see from the encoder
            (after 1,200 steps of token masking its reconstructions were still generic text), so this race cannot show
            which objective pre-trains better; it shows what each objective asks the decoder to write, and the cost of
            writing it. {describeOptim(run.arms[0])}, a {run.model.wordVocab.toLocaleString('en-US')}-word vocabulary.
          </p>
        </div>
        <Training
          trainer={trainer}
          labels={labels}
          claim={claim}
          blocked={blocked}
          params={form.specs}
          hyperparams={
            <div>
              <ObjectivePicker form={form} />
              <HyperparamPanel form={form} keys={otherKeys} />
            </div>
          }
        />
      </MainDemo>
      <TaskShape />
      <BartSection seed={seed} />
      <T5Section seed={seed} />
      <TextToText />
    </article>
  );
}
