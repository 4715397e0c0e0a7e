import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Notebook, watchChunkErrors } from './app/App';
import { registerServiceWorkerSoon } from './app/serviceWorker';
import { UpdateBanner } from './app/UpdateBanner';
import './app/styles.css';

// A chunk that fails to load (a redeploy removed it, or the reader is offline) is named as such.
watchChunkErrors(window);

// The offline cache (src/sw.js): built files only, never the dev server's. Installed once the
// page's first trainer has its run (or after INSTALL_WAIT_MS), so its downloads do not slow that.
if (import.meta.env.PROD) registerServiceWorkerSoon();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Notebook />
    <UpdateBanner />
  </StrictMode>,
);
