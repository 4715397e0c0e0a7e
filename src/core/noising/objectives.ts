/**
 * Every noising objective of the encoder-decoder section behind one switch,
 * so the page's demos and the training worker apply exactly the same
 * function: BART's five transformations and its final choice, and the T5
 * study's unsupervised objectives.
 */

import type { Rng } from '../rng';
import { bartFinal, documentRotation, sentencePermutation, textInfilling, tokenDeletion, tokenMasking } from './bart';
import { bertStyle, deshuffle, iidDropTokens, iidReplaceSpans, prefixLm, randomSpans } from './t5';
import type { NoisingResult } from './types';

export type ObjectiveId =
  | 'token-masking'
  | 'token-deletion'
  | 'text-infilling'
  | 'sentence-permutation'
  | 'document-rotation'
  | 'bart-final'
  | 'prefix-lm'
  | 'bert-style'
  | 'deshuffle'
  | 'iid-replace-spans'
  | 'iid-drop'
  | 'random-spans';

export interface ObjectiveInfo {
  id: ObjectiveId;
  family: 'BART' | 'T5';
  label: string;
  /** Whether the corruption rate applies, and what the span setting means (if anything). */
  usesRate: boolean;
  span: 'poisson' | 'mean' | null;
}

export const OBJECTIVES: readonly ObjectiveInfo[] = [
  { id: 'token-masking', family: 'BART', label: 'Token masking', usesRate: true, span: null },
  { id: 'token-deletion', family: 'BART', label: 'Token deletion', usesRate: true, span: null },
  { id: 'text-infilling', family: 'BART', label: 'Text infilling', usesRate: true, span: 'poisson' },
  { id: 'sentence-permutation', family: 'BART', label: 'Sentence permutation', usesRate: false, span: null },
  { id: 'document-rotation', family: 'BART', label: 'Document rotation', usesRate: false, span: null },
  {
    id: 'bart-final',
    family: 'BART',
    label: 'BART’s choice: infill 30% + permute sentences',
    usesRate: false,
    span: null,
  },
  { id: 'prefix-lm', family: 'T5', label: 'Prefix language modelling', usesRate: false, span: null },
  { id: 'bert-style', family: 'T5', label: 'BERT-style', usesRate: true, span: null },
  { id: 'deshuffle', family: 'T5', label: 'Deshuffling', usesRate: false, span: null },
  { id: 'iid-replace-spans', family: 'T5', label: 'I.i.d. noise, replace spans', usesRate: true, span: null },
  { id: 'iid-drop', family: 'T5', label: 'I.i.d. noise, drop tokens', usesRate: true, span: null },
  { id: 'random-spans', family: 'T5', label: 'Random spans', usesRate: true, span: 'mean' },
];

/** T5's paper writes its sentinels <X>, <Y>, <Z>; later ones are numbered. */
export function sentinelName(i: number): string {
  return ['<X>', '<Y>', '<Z>'][i] ?? `<extra_id_${i}>`;
}

export function objectiveInfo(id: ObjectiveId): ObjectiveInfo {
  const info = OBJECTIVES.find((o) => o.id === id);
  if (!info) throw new RangeError(`unknown objective "${id}"`);
  return info;
}

export interface ObjectiveSettings {
  /** Corruption rate where the objective has one. */
  rate: number;
  /** Poisson lambda (text infilling) or mean span length (random spans). */
  span: number;
}

export interface ObjectiveIds {
  maskId: number;
  /** Sentinels in order, e.g. <extra_id_0>, <extra_id_1>, ...; enough for every span. */
  sentinelIds: readonly number[];
  /** Random replacements are drawn from [0, vocabSize) minus the mask id. */
  vocabSize: number;
}

/** Applies objective `id` to a document (its sentences, tokenized). */
export function applyObjective(
  id: ObjectiveId,
  doc: readonly (readonly number[])[],
  settings: ObjectiveSettings,
  ids: ObjectiveIds,
  rng: Rng,
): NoisingResult {
  const tokens = doc.flat();
  const { rate, span } = settings;
  switch (id) {
    case 'token-masking':
      return tokenMasking(tokens, { rate, maskId: ids.maskId, rng });
    case 'token-deletion':
      return tokenDeletion(tokens, { rate, rng });
    case 'text-infilling':
      return textInfilling(tokens, { rate, lambda: span, maskId: ids.maskId, rng });
    case 'sentence-permutation':
      return sentencePermutation(doc, { rng });
    case 'document-rotation':
      return documentRotation(tokens, { rng });
    case 'bart-final':
      return bartFinal(doc, { maskId: ids.maskId, rng });
    case 'prefix-lm':
      return prefixLm(tokens, { rng });
    case 'bert-style':
      return bertStyle(tokens, { rate, maskId: ids.maskId, vocabSize: ids.vocabSize, rng });
    case 'deshuffle':
      return deshuffle(tokens, { rng });
    case 'iid-replace-spans':
      return iidReplaceSpans(tokens, { rate, sentinelIds: ids.sentinelIds, rng });
    case 'iid-drop':
      return iidDropTokens(tokens, { rate, rng });
    case 'random-spans':
      return randomSpans(tokens, { rate, meanSpanLength: span, sentinelIds: ids.sentinelIds, rng });
  }
}
