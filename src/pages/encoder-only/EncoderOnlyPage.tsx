import { useMemo } from 'react';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import { describeOptim } from '../optimText';
import type { PageProps } from '../pageProps';
import './encoderOnly.css';
import { Bidirectional } from './Bidirectional';
import { BertSizeCounter } from './BertSizeCounter';
import { DistributionShift } from './DistributionShift';
import { FillBlank } from './FillBlank';
import { InputFormat } from './InputFormat';
import { MaskingFunction } from './MaskingFunction';
import { NextSentence } from './NextSentence';
import { Objective, ObjectiveTrainer } from './Objective';
import { backendOf, bertArm, ENCODER_PARAMS, encoderCrossCheck, toRobertaRun, shiftArms, toBertRun } from './params';
import { Roberta } from './Roberta';

const RATE_KEYS = ['sel', 'mask', 'rand'];

/**
 * The encoder-only section. The main trainer's state lives here; every other
 * section is memoised on stable props, so its progress (several updates a
 * second) re-renders only the trainer's section and the fill-in view.
 */
export default function EncoderOnlyPage({ location }: PageProps) {
  const form = useParamForm(ENCODER_PARAMS, location.query, location.replaceQuery, encoderCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const runs = useMemo(
    () => ({
      main: toBertRun(v, data, [bertArm(v)]),
      shift: toBertRun(v, data, shiftArms(v)),
      roberta: toRobertaRun(v, data),
    }),
    [v, data],
  );
  const backend = backendOf(v);
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  const trainer = useTrainer(runs.main, backend);
  const { state } = trainer;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const otherKeys = useMemo(() => ENCODER_PARAMS.map((s) => s.key).filter((k) => !RATE_KEYS.includes(k)), []);

  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Objective functions</p>
        <h1>Encoder-only models: BERT and RoBERTa</h1>
        <TryThis>
          Press Train to train a tiny BERT on masked words and sentence pairs at once: watch the masked-word (MLM) and
          next-sentence (NSP) losses fall, and the held-out accuracies under them rise.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <MainDemo id="demo" title="Train a tiny BERT">
        <ObjectiveTrainer
          trainer={trainer}
          blocked={blocked}
          params={form.specs}
          hyperparams={<HyperparamPanel form={form} keys={otherKeys} />}
        />
      </MainDemo>
      <Bidirectional />
      <InputFormat query={trainer.examples} ready={ready} generation={state.generation} />
      <MaskingFunction form={form} seed={v.seed} />
      <DistributionShift run={runs.shift} backend={backend} blocked={blocked} />
      <NextSentence query={trainer.examples} ready={ready} generation={state.generation} />
      <Objective optimizer={describeOptim(runs.main.arms[0])} />
      <FillBlank
        fill={trainer.fill}
        ready={ready}
        running={state.phase === 'running'}
        generation={state.generation}
        step={state.points.at(-1)?.step ?? 0}
      />
      <Roberta run={runs.roberta} backend={backend} blocked={blocked} />
      <BertSizeCounter />
    </article>
  );
}
