import { Equation, M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { Notice } from '../../components/Notice';
import type { ParamForm } from '../../components/useParamForm';
import { OPTIMIZER_KINDS, optimizerStateValues, type OptimizerKind } from '../../core/optim';
import type { MemoryBar, MissingBar } from './bars';
import { OPTIMIZER_LABEL } from './bars';
import { formatCount, formatExact, formatMultiple } from './format';
import { ExactBytes, MemoryBars } from './MemoryBars';
import {
  CHOICE_LABEL,
  MODEL_CHOICES,
  type CALC_COUNT_PARAMS,
  type CALC_GPT_PARAMS,
  type MODEL_PARAMS,
  type Selection,
} from './params';
import { ScrollRegion } from '../../components/ScrollRegion';

const STORES: Record<OptimizerKind, string> = {
  sgd: 'θ, g',
  momentum: 'θ, g, velocity',
  adam: 'θ, g, m, v',
  adafactor: 'θ, g, row and column sums',
};

const MULTIPLE: Record<OptimizerKind, string> = {
  sgd: '2P',
  momentum: '3P',
  adam: '4P',
  adafactor: '2P + Σ(n + m)',
};

/** Numbers kept per step in FP32: 2P, 3P, 4P and AdaFactor's 2P plus its factored statistics. */
function ValuesTable({ selection }: { selection: Extract<Selection, { ready: true }> }) {
  const P = selection.parameterCount;
  return (
    <ScrollRegion>
      <table className="stats-table" data-testid="values-table">
        <caption>Numbers kept for one step (FP32), for {selection.label}</caption>
        <thead>
          <tr>
            <th scope="col">optimiser</th>
            <th scope="col">keeps</th>
            <th scope="col">numbers</th>
            <th scope="col">count</th>
            <th scope="col">× P</th>
          </tr>
        </thead>
        <tbody>
          {OPTIMIZER_KINDS.map((opt) => {
            const priceable = opt !== 'adafactor' || selection.tensors !== null;
            const values = priceable ? 2 * P + optimizerStateValues(selection.tensors ?? P, opt) : null;
            return (
              <tr key={opt}>
                <th scope="row">{OPTIMIZER_LABEL[opt]}</th>
                <td>{STORES[opt]}</td>
                <td>{MULTIPLE[opt]}</td>
                <td className="mem-num" data-testid={`values-${opt}`} data-value={values ?? undefined}>
                  {values === null ? 'needs the matrix shapes' : formatExact(values)}
                </td>
                <td className="mem-num">{values === null ? '–' : formatMultiple(values / P)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Section 2: pick a model; its training state per optimiser and precision, as bars and numbers. */
export function Calculator({
  selection,
  bars,
  modelForm,
  countForm,
  gptForm,
}: {
  selection: Selection;
  bars: (MemoryBar | MissingBar)[] | null;
  modelForm: ParamForm<typeof MODEL_PARAMS>;
  countForm: ParamForm<typeof CALC_COUNT_PARAMS>;
  gptForm: ParamForm<typeof CALC_GPT_PARAMS>;
}) {
  const choice = modelForm.values.model;
  const stale =
    (choice === 'custom-count' && !countForm.valid) || (choice === 'custom-gpt' && !gptForm.valid)
      ? 'The numbers below are for the last valid configuration; fix the highlighted field to update them.'
      : null;
  return (
    <section aria-labelledby="calculator">
      <h2 id="calculator">2. Bytes for real models</h2>
      <div className="prose">
        <p>
          Pick a model. The presets are built from each model’s actual matrix shapes, which AdaFactor needs.{' '}
          <em>Custom GPT</em> builds the shapes of a GPT-2/GPT-3-style decoder (learned positions, tied output layer,
          MLP width 4d) from four numbers; <em>Custom count</em> takes any parameter count, which is enough for every
          optimiser except AdaFactor. The tiny GPT is the one training further down this page.
        </p>
      </div>
      <Equation
        tex={
          '\\text{bytes} = P\\,(b_\\theta + b_g + b_\\text{master}) + 4 S, \\qquad S = \\begin{cases} 0 & \\text{SGD} \\\\ P & \\text{momentum} \\\\ 2P & \\text{Adam} \\\\ \\sum_{W \\in \\R^{n \\times m}} (n + m) + \\sum_{b \\in \\R^{n}} n & \\text{AdaFactor} \\end{cases}'
        }
        label="Bytes of the training state"
      />
      <p className="muted">
        FP32: <M>{'b_\\theta = b_g = 4,\\ b_\\text{master} = 0'}</M>. Mixed precision:{' '}
        <M>{'b_\\theta = b_g = 2,\\ b_\\text{master} = 4'}</M>. Optimiser state <M>S</M> stays in FP32 (4 bytes a
        number) in both.
      </p>
      <div className="panel">
        <div className="preset-row mem-presets" role="group" aria-label="Model">
          {MODEL_CHOICES.map((c) => (
            <button key={c} type="button" aria-pressed={choice === c} onClick={() => modelForm.setDraft('model', c)}>
              {CHOICE_LABEL[c]}
            </button>
          ))}
        </div>
        {choice === 'custom-count' && <HyperparamPanel form={countForm} title="Custom parameter count" />}
        {choice === 'custom-gpt' && <HyperparamPanel form={gptForm} title="Custom GPT-style configuration" />}
        {stale && <Notice kind="warning">{stale}</Notice>}
        {selection.ready ? (
          <>
            <p className="mem-summary">
              {selection.label}: <M>P</M> ={' '}
              <strong data-testid="mem-params" data-value={selection.parameterCount}>
                {formatExact(selection.parameterCount)}
              </strong>{' '}
              parameters ({formatCount(selection.parameterCount)}
              {selection.nominal !== null && formatCount(selection.nominal) !== formatCount(selection.parameterCount)
                ? `; the paper’s name says ${formatCount(selection.nominal)}`
                : ''}
              ).
            </p>
            <ValuesTable selection={selection} />
            {bars && <MemoryBars bars={bars} modelLabel={selection.label} />}
            {bars && <ExactBytes bars={bars} />}
          </>
        ) : (
          <Notice kind="info" testId="mem-waiting">
            {selection.waiting}
          </Notice>
        )}
      </div>
    </section>
  );
}
