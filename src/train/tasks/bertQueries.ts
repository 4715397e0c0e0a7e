// What a page can ask a BERT run besides training: an arm's guesses for a
// fill-in-the-blank sentence, and training examples as the first arm sees
// them. Neither changes the weights or the run's random streams.
import * as tf from '@tensorflow/tfjs-core';
import { makeRng } from '../../core';
import { bertHidden, mlmLogits, type BertInputs } from '../../models/bert';
import type { BertExample, FillPrediction } from '../contract';
import type { Engine } from '../engine';
import type { BertTask } from './bert';

export type BertEngine = Engine<BertTask>;

const TOP_K = 5;

/**
 * Fill in the blank: the text with each "[MASK]" (any case) as the mask
 * token, in [CLS] ... [SEP]; the arm's top guesses at every mask.
 */
export async function fillBlanks(
  e: BertEngine,
  text: string,
  armIndex: number,
): Promise<{ tokens: string[]; predictions: FillPrediction[]; error: string | null }> {
  const arm = e.arms[armIndex];
  if (!arm) return { tokens: [], predictions: [], error: `This run has no model ${armIndex}.` };
  const { data, cfg } = e.task;
  const { cls, sep, mask, pad } = data.ids;
  const tok = data.tokenizer;
  const ids: number[] = [cls];
  text.split(/\[mask\]/i).forEach((piece, i) => {
    if (i > 0) ids.push(mask);
    ids.push(...tok.encode(piece));
  });
  ids.push(sep);
  const tokens = ids.map((id) => tok.vocab[id]);
  const positions = ids.flatMap((id, i) => (id === mask ? [i] : []));
  if (positions.length === 0)
    return { tokens, predictions: [], error: 'Write [MASK] where the model should guess a word.' };
  const T = cfg.maxLength;
  if (ids.length > T) {
    return {
      tokens,
      predictions: [],
      error: `The sentence has ${ids.length} tokens with [CLS] and [SEP]; this model reads at most ${T}.`,
    };
  }
  const padded = new Int32Array(T).fill(pad);
  padded.set(ids);
  const input: BertInputs = { B: 1, T, ids: padded, segments: new Int32Array(T), lengths: Int32Array.of(ids.length) };
  // Top-k probabilities and vocabulary ids at each mask: [masks, TOP_K] each.
  const top = tf.tidy(() => {
    const { params } = arm.model;
    const logits = mlmLogits(params, bertHidden(params, cfg, input), Int32Array.from(positions));
    return tf.topk(tf.softmax(logits), TOP_K);
  });
  const [p, idx] = await Promise.all([top.values.data(), top.indices.data()]);
  tf.dispose([top.values, top.indices]);
  const predictions = positions.map((position, m) => ({
    position,
    candidates: Array.from({ length: TOP_K }, (_, k) => ({
      token: tok.vocab[idx[m * TOP_K + k]],
      p: p[m * TOP_K + k],
    })),
  }));
  return { tokens, predictions, error: null };
}

/** Training examples as arm 0 would see them, drawn from their own seed (the run is not disturbed). */
export function trainingExamples(e: BertEngine, count: number, seed: number): BertExample[] {
  const task = e.task;
  const rng = makeRng(seed);
  const { train } = task.data;
  const vocab = task.data.tokenizer.vocab;
  const spec = task.run.arms[0];
  const pairs = Array.from({ length: count }, () => task.drawPair(train, rng));
  const rows = pairs.map((p) => task.rowFor(spec, train, p));
  const b = task.batch(spec, rows, () => rng);
  return rows.map((row, r) => ({
    tokens: row.ids.map((id) => vocab[id]),
    input: Array.from(b.ids.slice(r * b.T, r * b.T + row.ids.length), (id) => vocab[id]),
    segments: [...row.segments],
    kinds: b.kinds[r],
    label: row.label === 1 ? 'IsNext' : 'NotNext',
  }));
}
