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
    // MEASURE=1 adds the measurement runs (npm run measure), which are not tests.
    include: [
      'src/**/*.test.ts',
      'scripts/**/*.test.ts',
      ...(process.env.MEASURE ? ['scripts/measure/*.measure.ts'] : []),
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
