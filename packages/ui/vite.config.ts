import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

/**
 * The UI builds to packages/ui/dist, which the server serves on its API port. In development
 * (`npm run dev -w packages/ui`) requests to /api are proxied to a server on PYFLARE_API
 * (default http://127.0.0.1:8080).
 */
export default defineConfig(({ mode }) => ({
  // An empty or stray NODE_ENV in the environment must not give a development React build.
  define: {
    'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development'),
  },
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': {
        target: process.env.PYFLARE_API ?? 'http://127.0.0.1:8080',
        ws: true,
        changeOrigin: false,
      },
    },
  },
}));
