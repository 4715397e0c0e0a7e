// The corpus assets (public/corpus/*.json), fetched and validated once per
// worker; every task's data preparation reads them through here. A page's
// trainer gets a fresh worker, so the fetch also asks the browser's HTTP
// cache first (cache: 'force-cache': a stored copy is used without asking the
// server again, and the servers mark /corpus/ long-lived, vite.config.ts):
// a visit downloads the 6 MB Brown corpus once, not once per page.
//
// The download is read as a stream so that its progress (bytes so far, and
// the total when the server says it) reaches whoever listens
// (setCorpusProgressListener: the worker posts it to the page, which shows
// "Loading the corpus: 1.2 of 6.1 MB"). The worker starts the download as soon
// as a create message arrives, before its backend is ready and before it
// listens; a listener set while the download runs hears where it stands at once.
import { parseCorpusFile, type CorpusFile } from '../../core/text/corpusTypes';

/** Each url's file, or its download under way (a failed one is forgotten, so the next create tries again). */
const corpusCache = new Map<string, Promise<CorpusFile>>();

/** How the corpus is requested: from the HTTP cache when it holds a copy. */
export const CORPUS_REQUEST: RequestInit = { cache: 'force-cache' };

/** Bytes of the corpus read so far; `total` is null when the response does not say its length. */
export interface CorpusProgress {
  loaded: number;
  total: number | null;
}

export type CorpusProgressListener = (progress: CorpusProgress) => void;

let listener: CorpusProgressListener | null = null;
/** The progress of the downloads under way (by url), for a listener that arrives late. */
const inFlight = new Map<string, CorpusProgress>();

/** Who hears the download's progress from now on (null: nobody); told at once where a download under way stands. */
export function setCorpusProgressListener(next: CorpusProgressListener | null): void {
  listener = next;
  for (const progress of inFlight.values()) next?.(progress);
}

/** The response's declared length in bytes, or null when it has none (or it is compressed, so it counts other bytes). */
export function declaredLength(headers: Headers): number | null {
  const encoding = headers.get('Content-Encoding');
  if (encoding && encoding !== 'identity') return null;
  const n = Number(headers.get('Content-Length'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** How often, at most, progress is reported while bytes arrive (the last chunk always is). */
const REPORT_EVERY_MS = 100;

/** The body's text, read chunk by chunk with `onProgress` told the bytes so far. */
export async function readWithProgress(
  response: Response,
  onProgress: CorpusProgressListener | null,
  now: () => number = () => performance.now(),
): Promise<string> {
  const total = declaredLength(response.headers);
  if (!response.body || !onProgress) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let loaded = 0;
  let reported = -Infinity;
  onProgress({ loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    if (now() - reported >= REPORT_EVERY_MS) {
      reported = now();
      onProgress({ loaded, total });
    }
  }
  parts.push(decoder.decode());
  onProgress({ loaded, total: total ?? loaded });
  return parts.join('');
}

/** The corpus asset at `url`, fetched and validated once per worker (and downloaded once per browser cache). */
export function loadCorpusFile(url: string): Promise<CorpusFile> {
  let file = corpusCache.get(url);
  if (!file) {
    file = download(url);
    corpusCache.set(url, file);
    file.catch(() => corpusCache.delete(url));
  }
  return file;
}

async function download(url: string): Promise<CorpusFile> {
  const report = (progress: CorpusProgress) => {
    inFlight.set(url, progress);
    listener?.(progress);
  };
  try {
    // Said before the request, so a slow connection shows "Loading the corpus…" while it waits for an answer.
    report({ loaded: 0, total: null });
    const response = await fetch(url, CORPUS_REQUEST);
    if (!response.ok) throw new Error(`Could not load the corpus (${response.status} ${response.statusText})`);
    return parseCorpusFile(JSON.parse(await readWithProgress(response, report)));
  } finally {
    inFlight.delete(url);
  }
}
