import { useMemo, useState } from 'react';
import { TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import type { PageProps } from '../pageProps';
import './memory.css';
import { Adafactor } from './Adafactor';
import { memoryBars } from './bars';
import { Calculator } from './Calculator';
import { Counting } from './Counting';
import { LiveMemory } from './LiveMemory';
import { MixedPrecision } from './MixedPrecision';
import {
  CALC_COUNT_PARAMS,
  CALC_GPT_PARAMS,
  calcGptCrossCheck,
  MODEL_PARAMS,
  selectModel,
  tinyShape,
  TRAINER_PARAMS,
  trainerCrossCheck,
} from './params';

/**
 * The memory section. Four small URL-bound forms (the trainer, the model
 * choice, a custom count, a custom GPT) so that a bad field in one never
 * freezes another. Trainer state lives in LiveMemory; the page learns only the
 * tiny model's vocabulary from it, once per model.
 */
export default function MemoryPage({ location }: PageProps) {
  const trainerForm = useParamForm(TRAINER_PARAMS, location.query, location.replaceQuery, trainerCrossCheck);
  const modelForm = useParamForm(MODEL_PARAMS, location.query, location.replaceQuery);
  const countForm = useParamForm(CALC_COUNT_PARAMS, location.query, location.replaceQuery);
  const gptForm = useParamForm(CALC_GPT_PARAMS, location.query, location.replaceQuery, calcGptCrossCheck);
  const [vocab, setVocab] = useState<number | null>(null);

  const tiny = useMemo(() => tinyShape(trainerForm.values, vocab), [trainerForm.values, vocab]);
  const selection = useMemo(
    () => selectModel({ ...modelForm.values, ...countForm.values, ...gptForm.values }, tiny),
    [modelForm.values, countForm.values, gptForm.values, tiny],
  );
  const bars = useMemo(() => (selection.ready ? memoryBars(selection.model) : null), [selection]);

  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Memory: what training keeps for every parameter</h1>
        <TryThis>
          Press Train and compare the memory TensorFlow.js reports for the tiny GPT’s tensors with the bytes predicted
          for its weights and Adam’s two moments; the chart shows how far AdaFactor’s factored second moment is from
          Adam’s.
        </TryThis>
      </header>
      <UrlNotices form={trainerForm} />
      <UrlNotices form={modelForm} />
      <UrlNotices form={countForm} />
      <UrlNotices form={gptForm} />
      <LiveMemory form={trainerForm} onVocab={setVocab} />
      <Counting />
      <Calculator selection={selection} bars={bars} modelForm={modelForm} countForm={countForm} gptForm={gptForm} />
      <MixedPrecision bars={bars} modelLabel={selection.label} />
      <Adafactor
        tensors={selection.ready ? selection.tensors : null}
        modelLabel={selection.label}
        waiting={selection.ready ? null : selection.waiting}
      />
    </article>
  );
}
