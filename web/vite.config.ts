import { defineConfig } from 'vitest/config';

// The build output (dist/) is served by the SituationMap server at '/', so every URL the page uses is same-origin.
// `npm run dev` proxies the API, tiles and hub to a server on SITUATIONMAP_URL (default http://127.0.0.1:5081).
const server = process.env.SITUATIONMAP_URL ?? 'http://127.0.0.1:5081';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    // maplibre-gl is one large module; splitting it further would only add requests
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': server,
      '/tiles': server,
      '/openapi': server,
      '/hubs': { target: server, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    reporters: ['default', 'junit'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
