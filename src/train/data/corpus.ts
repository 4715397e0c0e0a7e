// The corpus assets (public/corpus/*.json), fetched and validated once per
// worker; every task's data preparation reads them through here. A page's
// trainer gets a fresh worker, so the fetch also asks the browser's HTTP
// cache first (cache: 'force-cache': a stored copy is used without asking the
// server again, and the servers mark /corpus/ long-lived, vite.config.ts):
// a visit downloads the 6 MB Brown corpus once, not once per page.
import { parseCorpusFile, type CorpusFile } from '../../core/text/corpusTypes';

const corpusCache = new Map<string, CorpusFile>();

/** How the corpus is requested: from the HTTP cache when it holds a copy. */
export const CORPUS_REQUEST: RequestInit = { cache: 'force-cache' };

/** The corpus asset at `url`, fetched and validated once per worker (and downloaded once per browser cache). */
export async function loadCorpusFile(url: string): Promise<CorpusFile> {
  const cached = corpusCache.get(url);
  if (cached) return cached;
  const response = await fetch(url, CORPUS_REQUEST);
  if (!response.ok) throw new Error(`Could not load the corpus (${response.status} ${response.statusText})`);
  const file = parseCorpusFile(await response.json());
  corpusCache.set(url, file);
  return file;
}
