import { useEffect, useMemo, useState } from 'react';
import { M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo } from '../../components/MainDemo';
import { MemoryReadout } from '../../components/MemoryReadout';
import { FactorError } from './FactorError';
import { TrainerCard } from '../../components/TrainerCard';
import type { ParamForm } from '../../components/useParamForm';
import { gptDecoderShapes } from '../../core/optim';
import { corpusSource } from '../corpusSource';
import { useTrainer, type Trainer } from '../../train/client/useTrainer';
import { AccountTable, type Reading } from './AccountTable';
import { formatBytes } from './format';
import { backendOf, tinyRun, type TRAINER_PARAMS } from './params';
import { workerAccount } from './workerAccount';

export const TRAINER_TITLE = 'Tiny GPT: memory in use';

/**
 * tf.memory() in the worker, read on every new step and every 2 s. A reading
 * from an earlier model (before a reset or a new shape) is dropped.
 */
function useWorkerMemory(trainer: Trainer): Reading | null {
  const { phase, generation } = trainer.state;
  const step = trainer.state.points.at(-1)?.step ?? 0;
  const live = phase === 'ready' || phase === 'running' || phase === 'diverged';
  const memory = trainer.memory;
  const [reading, setReading] = useState<Reading | null>(null);
  useEffect(() => {
    if (!live) return;
    let alive = true;
    const poll = () =>
      memory().then(
        (m) => alive && setReading({ ...m, step, generation }),
        () => undefined,
      );
    poll();
    const id = setInterval(poll, 2000);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [live, memory, step, generation]);
  return live && reading && reading.generation === generation ? reading : null;
}

/** The page's main demo, at its top: the tiny GPT trains in a worker; the arithmetic against tf.memory(). */
export function LiveMemory({
  form,
  onVocab,
}: {
  form: ParamForm<typeof TRAINER_PARAMS>;
  onVocab: (vocab: number) => void;
}) {
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => tinyRun(v, data), [v, data]);
  const trainer = useTrainer(run, backendOf(v));
  const { vocabSize, params: workerParams } = trainer.state;
  useEffect(() => {
    if (vocabSize !== null) onVocab(vocabSize);
  }, [vocabSize, onVocab]);
  const reading = useWorkerMemory(trainer);
  const B = run.batchSize;
  const T = run.model.contextLength;
  const account = useMemo(
    () =>
      vocabSize === null
        ? null
        : workerAccount(
            gptDecoderShapes({ layers: run.model.nLayers, dModel: run.model.dModel, vocab: vocabSize, context: T }),
            B,
            T,
          ),
    [vocabSize, run, B, T],
  );
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';

  return (
    <MainDemo id="live" title="Predicted against measured: the tiny GPT in this tab">
      <div className="prose">
        <p>
          The arithmetic should also hold for a model you can watch. This is the decoder page’s tiny GPT (characters of
          the Brown corpus, context {T}, batch {B}, Adam), training in a worker with TensorFlow.js. Change its layers,
          width or heads and it is rebuilt. Press <strong>Step</strong> (or <kbd>s</kbd>) a few times and compare the
          prediction with the memory TensorFlow.js itself reports for the worker’s tensors. Both count only tensors.
        </p>
      </div>
      <div className="demo-grid">
        <HyperparamPanel form={form} title="Tiny GPT" />
        <TrainerCard trainer={trainer} title={TRAINER_TITLE} blocked={blocked}>
          <MemoryReadout trainer={trainer} visible />
          <FactorError trainer={trainer} />
          {account === null ? (
            <p className="muted">
              The prediction needs the model’s vocabulary, which arrives when the worker has built it.
            </p>
          ) : (
            <AccountTable
              account={account}
              reading={reading}
              workerParams={workerParams}
              running={trainer.state.phase === 'running'}
              batch={B}
              context={T}
            />
          )}
        </TrainerCard>
      </div>
      {account && (
        <div className="prose">
          <p>What the comparison shows:</p>
          <ul>
            <li>
              The lecture’s count includes the gradient <M>g</M>, but TensorFlow.js frees the gradients at the end of
              every step, so between steps the worker holds <M>{'\\theta, m, v'}</M>: <M>{'3 \\times 4P'}</M> ={' '}
              {formatBytes(account.modelAndAdam)}. The gradients ({formatBytes(account.transientGradients)}) and the
              activations exist only during a step. TensorFlow.js’s count is read between steps, so it never sees the
              peak, and the peak is what decides whether a model fits on a device.
            </li>
            <li>
              The rest is this trainer’s bookkeeping: fixed held-out batches to evaluate on, the causal mask and a few
              scalars. For this tiny model they are {formatBytes(account.total.bytes - account.modelAndAdam)}, a visible
              share of the total. For a billion-parameter model they would be lost in the rounding, though its
              activations would not.
            </li>
            <li>
              TensorFlow.js counts tensor data only. The browser tab also holds the training text as token ids in plain
              JavaScript arrays, the WebAssembly or GPU runtime and the page itself. None of that is a tensor, and none
              of it is in either number. The decoder page’s readout is higher because sampling text there caches one
              causal mask per prompt length.
            </li>
          </ul>
        </div>
      )}
    </MainDemo>
  );
}
