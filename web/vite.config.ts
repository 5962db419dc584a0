// Vite build and Vitest configuration for the LeadFlow web UI.
// `npm run dev` proxies /api to a running leadflow server (LEADFLOW_API, default :8080), so the
// session cookie stays same-origin exactly as in production, where the server serves web/dist.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const api = process.env.LEADFLOW_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    // The manifest lets scripts/bundle-size.mjs find the initial chunk and its static imports.
    manifest: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Long-lived vendor chunks that route chunks share; all still load only when imported.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@remix-run)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    pool: 'threads',
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
    testTimeout: 20000,
  },
});
