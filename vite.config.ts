import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base so the built notebook works from any static host or sub-path;
// routes are hash routes, so no server rewrite is needed.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
