import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { BackendBadge } from '../components/BackendBadge';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { handleShortcut } from '../components/shortcuts';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { checkParam } from '../core/params';
import type { BackendChoice } from '../train/contract';
import { warmUp } from '../train/client/workerPool';
import { useHashLocation } from './hashRoute';
import { findSection, PARTS } from '../pages/sections';
import HomePage from '../pages/home/HomePage';
import ComingPage from '../pages/coming/ComingPage';
import type { PageProps } from '../pages/pageProps';
import { backendRow } from '../pages/commonRows';

type PageModule = { default: ComponentType<PageProps> };

// Section pages load on demand, so the landing page stays small; charts,
// KaTeX and tfjs arrive with the page (tfjs only in the worker).
const PAGE_MODULES: Record<string, () => Promise<PageModule>> = {
  '/objectives/decoder-only': () => import('../pages/decoder-only/DecoderOnlyPage'),
  '/objectives/encoder-only': () => import('../pages/encoder-only/EncoderOnlyPage'),
  '/objectives/encoder-decoder': () => import('../pages/encoder-decoder/EncoderDecoderPage'),
  '/optimization/sgd-adam': () => import('../pages/sgd-adam/SgdAdamPage'),
  '/optimization/memory': () => import('../pages/memory/MemoryPage'),
  '/optimization/mixed-precision': () => import('../pages/mixed-precision/MixedPrecisionPage'),
  '/optimization/learning-rates': () => import('../pages/learning-rates/LearningRatesPage'),
  '/optimization/initialization': () => import('../pages/initialization/InitializationPage'),
  '/optimization/gpt3-recipe': () => import('../pages/gpt3-recipe/Gpt3RecipePage'),
};

// One lazy component per page, made on first use. React.lazy keeps a failed
// import's error for good, so retrying a page whose chunk did not load (offline)
// forgets its component and makes a new one, which imports again.
const pages = new Map<string, LazyExoticComponent<ComponentType<PageProps>>>();

function pageFor(path: string): LazyExoticComponent<ComponentType<PageProps>> | undefined {
  const load = PAGE_MODULES[path];
  if (!load) return undefined;
  let page = pages.get(path);
  if (!page) {
    page = lazy(load);
    pages.set(path, page);
  }
  return page;
}

const BACKEND_SPEC = backendRow('backend');

export function App() {
  const location = useHashLocation();
  const presenter = location.query.get('present') === '1';
  const section = findSection(location.path);
  // Bumped when a page's boundary retries, so this renders the page's new lazy component.
  const [, setPageAttempt] = useState(0);

  const togglePresenter = () => {
    const q = new URLSearchParams(location.query);
    if (presenter) q.delete('present');
    else q.set('present', '1');
    location.replaceQuery(q);
  };

  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter);
  }, [presenter]);

  // Start the compute backend early (in a worker) so the badge and the first
  // trainer are ready sooner: once a section opens, not on the contents page,
  // which trains nothing. A link's backend choice is honoured.
  const onContents = location.path === '/';
  useEffect(() => {
    if (onContents) return;
    const raw = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('backend');
    const check = raw === null ? null : checkParam(BACKEND_SPEC, raw);
    warmUp(check?.ok ? (check.value as BackendChoice) : 'auto');
  }, [onContents]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (handleShortcut(e)) return;
      const t = e.target as HTMLElement | null;
      const typing =
        t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if ((e.key === 'p' || e.key === 'P') && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        togglePresenter();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    document.title = section ? `${section.title} · Training LLMs, live` : 'Training LLMs, live';
    window.scrollTo(0, 0);
  }, [section]);

  const Page = section && section.built ? pageFor(section.path) : undefined;
  const retryPage = () => {
    pages.delete(location.path);
    setPageAttempt((n) => n + 1);
  };
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={location.hrefFor('/')}>
          Training LLMs, live
        </a>
        <div className="topbar-right">
          <BackendBadge />
          <button
            type="button"
            className="presenter-toggle"
            aria-pressed={presenter}
            onClick={togglePresenter}
            aria-keyshortcuts="P"
          >
            {presenter ? 'Exit presenter mode' : 'Presenter mode'}
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Lecture sections">
        {PARTS.map((part) => (
          <div key={part.title} className="nav-part">
            <p className="nav-part-title">{part.title}</p>
            <ul>
              {part.sections.map((s) => (
                <li key={s.path}>
                  <a href={location.hrefFor(s.path)} aria-current={s.path === location.path ? 'page' : undefined}>
                    {s.title}
                    {!s.built && <span className="tag">coming</span>}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {/* key: an error in one section is forgotten on the way to the next */}
        <ErrorBoundary
          key={location.path}
          scope="page"
          name={location.path === '/' ? 'Contents' : (section?.title ?? 'No such section')}
          onRetry={retryPage}
        >
          {location.path === '/' ? (
            <HomePage location={location} />
          ) : Page ? (
            <Suspense fallback={<p className="muted">Loading the section…</p>}>
              {/* key: a fresh page (and trainer) per route */}
              <Page key={location.path} location={location} />
            </Suspense>
          ) : section ? (
            <ComingPage section={section} location={location} />
          ) : (
            <article className="page" data-testid="not-found">
              <h1>No such section</h1>
              <p>
                Nothing lives at <code>{location.path}</code>. <a href={location.hrefFor('/')}>Back to the contents</a>.
              </p>
            </article>
          )}
        </ErrorBoundary>
      </main>
      <ShortcutsHelp />
    </div>
  );
}

/**
 * The app inside a last-resort boundary: an error in the shell itself (the
 * sidebar, the top bar) says what failed and offers a reload instead of a
 * blank tab. Pages and demos have boundaries of their own, closer in.
 */
export function Notebook() {
  return (
    <ErrorBoundary scope="app" name="The notebook">
      <App />
    </ErrorBoundary>
  );
}

export { watchChunkErrors } from '../components/failure';
