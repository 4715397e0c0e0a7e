import { useMemo, useState } from 'react';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { userTextProblem } from '../../core/text/userText';
import { runBudgetProblem, type DataSource } from '../../train/contract';
import { corpusSource } from '../corpusSource';
import { demoOptim } from '../demoOptim';
import { describeOptim } from '../optimText';
import type { PageProps } from '../pageProps';
import './decoderOnly.css';
import { CustomText, type CustomTextValue } from './CustomText';
import { DecoderDemo } from './DecoderDemo';
import { backendOf, DECODER_PARAMS, decoderCrossCheck, toRunSpec } from '../tinyGpt';
import { DecoderProse } from './Prose';

export default function DecoderOnlyPage({ location }: PageProps) {
  const form = useParamForm(DECODER_PARAMS, location.query, location.replaceQuery, decoderCrossCheck);
  const [custom, setCustom] = useState<CustomTextValue | null>(null);
  const v = form.values;

  // A pasted text too short for the tokenizer and context (the worker's own rule) is not sent to the worker.
  const customProblem = v.corpus === 'custom' && custom ? userTextProblem(custom, v.tok, v.ctx) : null;
  const data: DataSource | null = useMemo(() => {
    if (v.corpus === 'custom')
      return custom && !customProblem ? { kind: 'text', train: custom.train, heldOut: custom.heldOut } : null;
    return corpusSource(v.corpus);
  }, [v.corpus, custom, customProblem]);

  // Only a valid form trains; while a field is invalid the last valid run stays.
  const candidate = useMemo(() => (data ? toRunSpec(v, data) : null), [v, data]);
  // The form's cross check priced the run with a corpus's characters; a pasted text has its own.
  const customBudget = useMemo(
    () => (candidate && candidate.data.kind === 'text' ? runBudgetProblem(candidate) : null),
    [candidate],
  );
  const run = customBudget ? null : candidate;
  const blocked = !form.valid
    ? 'Fix the highlighted hyperparameter to train.'
    : v.corpus === 'custom' && !custom
      ? 'Paste or load a text above to train on it.'
      : (customProblem ?? customBudget);

  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Objective functions</p>
        <h1>Decoder-only models: predict the next token</h1>
        <TryThis>
          Press Train and watch the training and held-out loss fall as a tiny GPT learns to predict the next token,
          while the sample under the chart starts to look like its training text.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <MainDemo id="demo" title="Train a tiny GPT">
        <div className="prose">
          <p>
            Token and position embeddings, {String(v.layers)} pre-norm Transformer block(s) with causal self-attention
            and an MLP, and the output through the embedding matrix <i>E</i>.{' '}
            {describeOptim(run?.arms[0] ?? demoOptim(v.lr))}. Change anything and the run restarts from the same seed.
          </p>
        </div>
        {v.corpus === 'custom' && (
          <CustomText value={custom} onChange={setCustom} tokenizer={v.tok} contextLength={v.ctx} />
        )}
        <DecoderDemo
          run={run}
          backend={backendOf(v)}
          blocked={blocked}
          temperature={v.temp}
          seed={v.seed}
          words={v.tok === 'word'}
          hyperparams={<HyperparamPanel form={form} />}
          params={form.specs}
        />
      </MainDemo>
      <DecoderProse />
    </article>
  );
}
