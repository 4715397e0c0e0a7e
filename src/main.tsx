import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Notebook, watchChunkErrors } from './app/App';
import './app/styles.css';

// A chunk that fails to load (a redeploy removed it, or the reader is offline) is named as such.
watchChunkErrors(window);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Notebook />
  </StrictMode>,
);
