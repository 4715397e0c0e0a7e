import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Notebook, watchChunkErrors } from './app/App';
import { registerServiceWorker } from './app/serviceWorker';
import { UpdateBanner } from './app/UpdateBanner';
import './app/styles.css';

// A chunk that fails to load (a redeploy removed it, or the reader is offline) is named as such.
watchChunkErrors(window);

// The offline cache (src/sw.js): built files only, never the dev server's. Registered as the page
// loads: its install (it fetches the whole build) made main-thread tasks of 70-95 ms in Chromium
// wherever it ran, and started once the first trainer had its run it fell on the first steps after
// a quick Train (npm run bench -- --start 5: 5 of 5 cold starts). At load it costs ~150 ms before
// Train is ready, and the first steps run without it.
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Notebook />
    <UpdateBanner />
  </StrictMode>,
);
