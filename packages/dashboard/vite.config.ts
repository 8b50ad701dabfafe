// Builds the console into dist/, served by the kiln server at /console (http/console-static.ts).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  // @kiln/contract resolves to its TypeScript sources inside the repository (no build needed first).
  resolve: { conditions: ['@kiln/source', 'module', 'browser', 'development|production'] },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 600 },
});
