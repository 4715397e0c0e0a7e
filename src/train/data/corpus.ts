// The corpus assets (public/corpus/*.json), fetched and validated once per
// worker; every task's data preparation reads them through here.
import { parseCorpusFile, type CorpusFile } from '../../core/text/corpusTypes';

const corpusCache = new Map<string, CorpusFile>();

/** The corpus asset at `url`, fetched and validated once per worker. */
export async function loadCorpusFile(url: string): Promise<CorpusFile> {
  const cached = corpusCache.get(url);
  if (cached) return cached;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the corpus (${response.status} ${response.statusText})`);
  const file = parseCorpusFile(await response.json());
  corpusCache.set(url, file);
  return file;
}
