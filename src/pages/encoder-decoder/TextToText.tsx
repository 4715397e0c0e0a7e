import { TextField } from '../../components/TextField';
import { memo, useState } from 'react';
import { Equation, M } from '../../components/Equation';
import { lengthProblem, splitPassage } from './passage';

/** The sentence field's limits: a sentence, not a document. */
export const MAX_SENTENCE_WORDS = 60;
export const MAX_SENTENCE_CHARS = 400;

/** Why the sentence field's text is refused, or null. */
export function sentenceProblem(text: string): string | null {
  const tooLong = lengthProblem(text, MAX_SENTENCE_CHARS, 'sentence');
  if (tooLong) return tooLong;
  const words = splitPassage(text).flat();
  return words.length === 0
    ? 'Type a sentence.'
    : words.length > MAX_SENTENCE_WORDS
      ? `Keep it under ${MAX_SENTENCE_WORDS} words.`
      : null;
}

interface Task {
  id: string;
  name: string;
  /** T5's textual prefix for the task. */
  prefix: (text: string) => string;
  labels: string[];
}

const TASKS: Task[] = [
  { id: 'sst2', name: 'Sentiment (SST-2)', prefix: (t) => `sst2 sentence: ${t}`, labels: ['positive', 'negative'] },
  {
    id: 'cola',
    name: 'Grammatical? (CoLA)',
    prefix: (t) => `cola sentence: ${t}`,
    labels: ['acceptable', 'unacceptable'],
  },
  {
    id: 'mnli',
    name: 'Entailment (MNLI)',
    prefix: (t) => `mnli hypothesis: cats breathe. premise: ${t}`,
    labels: ['entailment', 'neutral', 'contradiction'],
  },
];

/** Section 4: classification as text (T5) beside a classification head on [CLS] (BERT). */
export const TextToText = memo(function TextToText() {
  const [text, setText] = useState('all animals breathe.');
  const [taskId, setTaskId] = useState('mnli');
  const [labelIndex, setLabelIndex] = useState(0);
  const task = TASKS.find((t) => t.id === taskId)!;
  const label = task.labels[Math.min(labelIndex, task.labels.length - 1)];
  const error = sentenceProblem(text);
  const words = error ? [] : splitPassage(text).flat();
  const bertTokens =
    taskId === 'mnli' ? ['[CLS]', ...words, '[SEP]', 'cats', 'breathe', '.'] : ['[CLS]', ...words, '[SEP]'];
  return (
    <section aria-labelledby="t2t">
      <h2 id="t2t">4. Every task as text to text</h2>
      <div className="prose">
        <p>
          T5 casts every supervised task in the same form: a text in, a text out. Translation, summarisation and
          question answering already are; classification becomes “write the label as a word”, with a prefix naming the
          task. BERT instead reads the <code>[CLS]</code> embedding with a classifier made for the task, a matrix{' '}
          <M>{'W \\in \\R^{K \\times d}'}</M> for <M>K</M> labels trained from scratch during fine-tuning. Models that
          can generate (T5, GPT-2, GPT-3) keep classification in natural-language space: the same output layer over the
          vocabulary answers every task, and a new task needs no new parameters.
        </p>
      </div>
      <div className="panel">
        <div className="inline-form">
          <TextField
            id="t2t-text"
            className="field grow"
            label="Sentence"
            inputMode="text"
            value={text}
            error={error}
            onChange={setText}
          />
          <div className="field">
            <label htmlFor="t2t-task">Task</label>
            <select id="t2t-task" value={taskId} onChange={(e) => setTaskId(e.target.value)}>
              {TASKS.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="t2t-label">Correct label</label>
            <select id="t2t-label" value={labelIndex} onChange={(e) => setLabelIndex(Number(e.target.value))}>
              {task.labels.map((l, i) => (
                <option key={l} value={i}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        {!error && (
          <div className="two-up">
            <div data-testid="t5-framing">
              <h3>T5: text to text</h3>
              <p>
                <span className="muted">encoder input</span>
                <br />
                <code>{task.prefix(words.join(' '))}</code>
              </p>
              <p>
                <span className="muted">decoder target</span>
                <br />
                <code>{label}</code> <span className="muted">(the label’s word, generated token by token)</span>
              </p>
              <Equation
                tex={`p(y \\mid x) = \\prod_t \\softmax\\!\\big(E\\, h_t\\big)_{y_t}, \\quad y = \\text{“${label}”}`}
              />
            </div>
            <div data-testid="bert-framing">
              <h3>BERT: a head on [CLS]</h3>
              <div className="mask-row">
                {bertTokens.map((w, i) => (
                  <span key={i} className={`bert-token ${i === 0 ? 'kind-mask' : 'seg-A'}`}>
                    {w}
                  </span>
                ))}
              </div>
              <p>
                <span className="muted">target</span> class {task.labels.indexOf(label)} of {task.labels.length} (
                {task.labels.map((l, i) => `${i} = ${l}`).join(', ')})
              </p>
              <Equation
                tex={`p(c \\mid x) = \\softmax\\!\\big(W \\phi(x)_1 + b\\big)_c, \\quad W \\in \\R^{${task.labels.length} \\times d}`}
              />
            </div>
          </div>
        )}
      </div>
    </section>
  );
});
