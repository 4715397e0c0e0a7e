// npm run export -- '<page URL hash>' [--out DIR]: see scripts/export/cli.ts.
// The generator and the pages' builders are TypeScript that imports the Python
// fragments with Vite's ?raw, so they are loaded through a Vite server (no
// HTTP listener, modules only), the same transform the app and vitest use.
import { createServer } from 'vite';

const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { middlewareMode: true, hmr: false, ws: false },
  appType: 'custom',
  logLevel: 'error',
  optimizeDeps: { noDiscovery: true, include: [] },
});
let code;
try {
  const cli = await server.ssrLoadModule('/scripts/export/cli.ts');
  code = cli.main(process.argv.slice(2));
} finally {
  await server.close();
}
process.exit(code);
